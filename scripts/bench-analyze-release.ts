/**
 * `node scripts/bench-analyze-release.ts [--full] [--only=accuracy|capacity|judgement]` (run
 * by `npm run bench`): analyze-release's load generator and judgement, each figure next to a
 * yardstick from the same run.
 *  1. Accuracy: a server in its own process answers request i (its body says i) in 20 ms,
 *     1 % of them in 250 ms, and blocks its event loop for 1 s once (a stall); 1 s of
 *     warm-up first. The truth (see truthOf) is each request's service time as the server
 *     measured it, plus what was left of the stall, plus the round trip a plain node:http
 *     client measured beside it at that moment. Reported p50/p95/p99 against it; the
 *     generator's own lateness (send − due) and the error against the truth of the requests
 *     as they went out tell the engine's measuring from the machine's timing; autocannon
 *     (same rate, its coordinated-omission correction on) beside it.
 *  2. Capacity: the open loop at rising shares of autocannon's throughput, autocannon
 *     measured just before each step, on a server in its own process answering at once, both
 *     with 50 connections and no pipelining (autocannon's closed loop keeps all 50 busy; the
 *     open loop uses what its rate needs). Held: ≥ 95 % answered in the window, p99 < 100 ms.
 *  3. Judgement at 50 req/s: +30 % latency, 2 % errors, 5 % changed predictions must be `fail`;
 *     an identical candidate must pass (false alarms counted over the identical runs).
 * Figures on this 2-core machine shared with four other sessions (load average 4–9 while
 * measured, 7 Dec 2026; analyze-release/README.md has them in full): accuracy 20 s p50
 * +3.6 %, p95 +2.6 %, p99 +0.1 % (3 s runs: p95/p99 within 1 %, p50 −1 % to +185 % as the
 * generator's wake-ups went late by p99 10–104 ms, the machine's scheduling); capacity 0.5×
 * autocannon (median of 3; --full 0.3×); judgement --full: the three bad candidates `fail`,
 * 20/20 identical pass in three runs.
 * Default ≈ 35 s (the judgement alone needs 11 s of load, see judgement()); --full: 20 s
 * accuracy, 3 s capacity steps, 30 s loads and 20 identical runs (≈ 3.5 min).
 */
import { Agent, get as httpGet } from 'node:http';
import { build } from 'hdr-histogram-js';
import autocannon from 'autocannon';
import { systemClock } from '../shared/clock.ts';
import { runPhases } from '../shared/phases.ts';
import { Inputs, mapInputs } from '../shared/inputs.ts';
import { getInputs } from '../actions/analyze-release/inputs.ts';
import { runLoad, type Sample } from '../actions/analyze-release/load.ts';
import { analyzeReport, type AnalyzeContext } from '../actions/analyze-release/report.ts';
import { analyzePhases } from '../actions/analyze-release/run.ts';
import { createSender, type Sender } from '../actions/analyze-release/sender.ts';
import { TargetStats } from '../actions/analyze-release/stats.ts';
import {
  startModelServer,
  startServerProcess,
  type ServerProcess,
} from '../test/harness/fakes/model-server.ts';
import { FULL } from './bench-lib.ts';

const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(1)}%`;

/** Answers at once, in a process of its own (the generator's event loop is not the server's). */
const QUICK_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{}'));
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

/**
 * The accuracy server: request i (its body is `{"i": i}`; a body-less request is numbered
 * by arrival) waits 20 ms, or 250 ms when i % 100 is 50; request STALL_AT first blocks the
 * event loop for 1 s. It keeps each request's service time as it measured it, by number:
 * after the stall ~100 queued requests reach it in no particular order, so numbering by
 * arrival (as this bench once did) gave the 250 ms delays and the stall to the wrong ones.
 */
const ACCURACY_SERVER = `
const http = require('node:http');
const STALL_AT = Number(process.argv[1]);
let n = 0;
const served = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/truth') return res.end(JSON.stringify(served));
    const i = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()).i : n++;
    if (i === STALL_AT) {
      const t0 = performance.timeOrigin + performance.now();
      const until = Date.now() + 1000;
      while (Date.now() < until);
      console.log('stall ' + t0 + ' ' + (performance.timeOrigin + performance.now()));
    }
    // Its own service time as the server measures it (a timer fires a little late).
    const t = performance.now();
    setTimeout(() => {
      served[i] = performance.now() - t;
      res.end('{}');
    }, i % 100 === 50 ? 250 : 20);
  });
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

async function accuracyServer(
  stallAt: number,
): Promise<{ server: ServerProcess; stall: Promise<[number, number]> }> {
  const server = await startServerProcess(ACCURACY_SERVER, [String(stallAt)]);
  const stall = new Promise<[number, number]>((resolve) =>
    server.onLine((line) => {
      const [word, a, b] = line.split(' ');
      if (word === 'stall') resolve([Number(a), Number(b)]);
    }),
  );
  return { server, stall };
}

/**
 * The round trip no client can beat, beside the load: a plain node:http client pings a
 * server of its own that answers at once (the stall is not its), one ping per request of
 * the load, half an interval after it (both processes wake from idle as under the load).
 * The machine is shared and its scheduling delays come and go, so ping i is paired with
 * request i: the RTT at that moment. Returns the RTTs in order.
 */
async function pingsBeside(url: string, everyMs: number, stop: AbortSignal): Promise<number[]> {
  const agent = new Agent({ keepAlive: true });
  const rtts: number[] = [];
  const start = performance.now() + everyMs / 2;
  while (!stop.aborted) {
    const wait = start + rtts.length * everyMs - performance.now();
    if (wait > 0) await systemClock.sleep(wait);
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) =>
      httpGet(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      }).on('error', reject),
    );
    rtts.push(performance.now() - t0);
  }
  agent.destroy();
  return rtts;
}

function hdrPercentiles(values: number[]): [number, number, number] {
  const h = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  for (const v of values) h.recordValue(Math.max(1, Math.round(v * 1000)));
  return [50, 95, 99].map((p) => h.getValueAtPercentile(p) / 1000) as [number, number, number];
}

/**
 * Warm-up, as the action's `warmup` input: the first requests pay for connecting and for
 * cold code (up to 50 ms here), and in a 3 s window a third of which is the stall, five of
 * them moved p50 by several percent.
 */
const ACCURACY_WARMUP_S = 1;

/**
 * The load against the accuracy server: its samples, its start on the epoch clock, and how
 * late each request went out (send − due, by request number: the sender is wrapped).
 */
async function accuracyLoad(
  url: string,
  rate: number,
  seconds: number,
): Promise<{ samples: Sample[]; startEpoch: number; late: number[] }> {
  const total = rate * (ACCURACY_WARMUP_S + seconds);
  const samples: Sample[] = [];
  const sender = createSender({
    url,
    method: 'POST',
    headers: [],
    timeoutMs: 10_000,
    clock: systemClock,
  });
  const bodies = Array.from({ length: total }, (_, i) => Buffer.from(`{"i": ${i}}`));
  const numberOf = new Map<Buffer | undefined, number>(bodies.map((b, i) => [b, i]));
  const late: number[] = [];
  let start = 0;
  const timed: Sender = {
    send: (body, signal) => {
      late[numberOf.get(body) ?? 0] = systemClock.monotonic() - start;
      return sender.send(body, signal);
    },
    close: () => sender.close(),
  };
  const startEpoch = performance.timeOrigin + performance.now();
  start = systemClock.monotonic();
  await runLoad(
    {
      mode: { kind: 'rate', rate },
      warmupMs: ACCURACY_WARMUP_S * 1000,
      durationMs: seconds * 1000,
      bodies,
    },
    {
      clock: systemClock,
      signal: new AbortController().signal,
      targets: [timed],
      record: (s) => samples.push(s),
    },
  );
  sender.close();
  return { samples, startEpoch, late: late.map((t, i) => t - (i * 1000) / rate) };
}

interface AccuracyRun {
  startEpoch: number;
  rate: number;
  stallAt: number;
  stall: readonly [number, number];
  /** Each request's service time as the server measured it, by number. */
  served: number[];
  /** The round trip beside request i (ping i), and their median for a missing one. */
  rtts: number[];
  floor: number;
}

/**
 * Truth: what a perfect client measures for request i, due at start + i/rate and sent
 * `lateMs` after that: the lateness, what is left of the stall when it arrives, its own
 * service time, and the round trip at that moment (ping i): the server's clock cannot see
 * the round trip, and any client pays it — without it every client read ~1–2 ms (5–10 %)
 * over a 20 ms truth on this machine. With `lateMs` 0 it is the schedule's truth; with the
 * generator's real lateness, the truth of the requests as they went out. A late send is
 * latency a user due then would not have had, and the engine counts it (it measures from
 * the due time, as it must): the two truths tell its measuring from the machine's timing.
 */
function truthOf(i: number, lateMs: number, run: AccuracyRun): number {
  const [s0, s1] = run.stall;
  const sent = run.startEpoch + (i * 1000) / run.rate + lateMs;
  const blocked = i === run.stallAt ? s1 - sent : sent >= s0 && sent < s1 ? s1 - sent : 0;
  return lateMs + Math.max(0, blocked) + (run.served[i] ?? 0) + (run.rtts[i] ?? run.floor);
}

async function accuracy(): Promise<void> {
  const rate = 100;
  const seconds = FULL ? 20 : 3;
  const first = rate * ACCURACY_WARMUP_S;
  const total = rate * seconds;
  const stallAt = first + Math.floor(total / 2);
  const { server, stall } = await accuracyServer(stallAt);
  const pinged = await startServerProcess(QUICK_SERVER);
  const stop = new AbortController();
  const pinging = pingsBeside(pinged.url, 1000 / rate, stop.signal);
  const { samples, startEpoch, late } = await accuracyLoad(server.url, rate, seconds);
  stop.abort();
  const rtts = await pinging;
  await pinged.stop();
  const floor = [...rtts].sort((x, y) => x - y)[Math.floor(rtts.length / 2)] ?? 0;
  const [s0, s1] = await stall;
  const served = (await (await fetch(`${server.url}truth`)).json()) as number[];
  await server.stop();
  const run = { startEpoch, rate, stallAt, stall: [s0, s1] as const, served, rtts, floor };
  const measuredLate = late.slice(first).map((ms) => Math.max(0, ms));
  const truth = measuredLate.map((_, j) => truthOf(first + j, 0, run));
  const asSent = measuredLate.map((ms, j) => truthOf(first + j, ms, run));
  const [t50, t95, t99] = hdrPercentiles(truth);
  const [a50, a95, a99] = hdrPercentiles(asSent);
  const [m50, m95, m99] = hdrPercentiles(samples.map((s) => s.latencyMs));
  const sorted = [...measuredLate].sort((x, y) => x - y);
  const [l50, l90, l99] = [50, 90, 99].map(
    (p) => sorted[Math.floor(((sorted.length - 1) * p) / 100)] ?? 0,
  ) as [number, number, number];
  console.log(
    `accuracy at ${rate} req/s for ${seconds} s (20 ms, 1 % at 250 ms, one 1 s stall): ${samples.length}/${total} requests`,
  );
  console.log(
    `  truth          p50 ${t50.toFixed(1)} ms  p95 ${t95.toFixed(1)} ms  p99 ${t99.toFixed(1)} ms (with the round trip beside it, median ${floor.toFixed(2)} ms); ${truth.filter((v) => v > 500).length} requests > 500 ms`,
  );
  console.log(
    `  analyze-release p50 ${m50.toFixed(1)} (${pct(m50, t50)})  p95 ${m95.toFixed(1)} (${pct(m95, t95)})  p99 ${m99.toFixed(1)} (${pct(m99, t99)}); ${samples.filter((s) => s.latencyMs > 500).length} > 500 ms`,
  );
  console.log(
    `  the generator sent late by p50 ${l50.toFixed(2)} / p90 ${l90.toFixed(1)} / p99 ${l99.toFixed(1)} ms (the machine's scheduling); against the truth as sent: p50 ${pct(m50, a50)}  p95 ${pct(m95, a95)}  p99 ${pct(m99, a99)}`,
  );
  // autocannon sends no body: its requests are numbered by arrival, from 0.
  const ac = await accuracyServer(Math.floor(total / 2));
  const result = await autocannon({
    url: ac.server.url,
    connections: 10,
    overallRate: rate,
    duration: seconds,
  });
  await ac.server.stop();
  const l = result.latency;
  console.log(
    `  autocannon      p50 ${l.p50} (${pct(l.p50 ?? 0, t50)})  p97.5 ${l.p97_5}  p99 ${l.p99} (${pct(l.p99 ?? 0, t99)}); ${result.requests.total} requests sent (10 connections, overallRate ${rate})`,
  );
}

/** Both engines get the same connections, and neither pipelines (autocannon's default). */
const CONNECTIONS = 50;

/** One open-loop step at `rate`: held when ≥ 95 % are answered in the window, p99 < 100 ms. */
async function capacityStep(url: string, rate: number, report = true): Promise<boolean> {
  const durationMs = FULL ? 3000 : 1000;
  const stats = new TargetStats(1000);
  const sender = createSender({
    url,
    method: 'GET',
    headers: [],
    timeoutMs: 5000,
    clock: systemClock,
    connections: CONNECTIONS,
  });
  await runLoad(
    { mode: { kind: 'rate', rate }, warmupMs: 200, durationMs, bodies: [] },
    {
      clock: systemClock,
      signal: new AbortController().signal,
      targets: [sender],
      record: (s) => stats.add(s),
    },
  );
  sender.close();
  const f = stats.figures(durationMs);
  const held = f.throughput >= rate * 0.95 && f.latencyMs.p99 < 100;
  if (report)
    console.log(
      `  open loop ${rate}/s: ${f.throughput}/s answered, p99 ${f.latencyMs.p99} ms ${held ? 'held' : 'not held'}`,
    );
  return held;
}

/** autocannon's closed-loop throughput on the same server, connections and no pipelining. */
async function autocannonRate(url: string): Promise<number> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: FULL ? 3 : 1,
  });
  return result.requests.average;
}

/**
 * The open loop at rising shares of autocannon's throughput, autocannon measured again just
 * before each step: the machine is shared and its capacity drifts by 2× within a minute, so a
 * figure from another moment compares nothing. A step gets a second try: one scheduling hiccup
 * of the machine puts a 1 s window's p99 over 100 ms, and that is not the engine's limit.
 * --full climbs from 0.3× until a share is not held; the default run starts at the 0.8× target
 * (climbing while held, stepping down while not) to stay within the bench's time budget.
 */
async function capacity(): Promise<void> {
  const server = await startServerProcess(QUICK_SERVER);
  // Warm both up (cold code, the first connections); neither figure counts.
  await capacityStep(server.url, 2000, false);
  await autocannonRate(server.url);
  const held = async (tenths: number): Promise<{ ok: boolean; rate: number; ac: number }> => {
    const ac = await autocannonRate(server.url);
    const rate = Math.round((ac * tenths) / 10 / 100) * 100;
    console.log(`  autocannon ${Math.round(ac)}/s; ${tenths / 10}× of it:`);
    const ok = (await capacityStep(server.url, rate)) || (await capacityStep(server.url, rate));
    return { ok, rate, ac };
  };
  let best = { share: 0, rate: 0, autocannon: 0 };
  const start = FULL ? 3 : 8;
  for (let tenths = start; tenths <= 15; tenths++) {
    const step = await held(tenths);
    if (!step.ok) break;
    best = { share: tenths / 10, rate: step.rate, autocannon: step.ac };
  }
  for (let tenths = start - 1; best.share === 0 && tenths >= 1; tenths--) {
    const step = await held(tenths);
    if (step.ok) best = { share: tenths / 10, rate: step.rate, autocannon: step.ac };
  }
  await server.stop();
  console.log(
    `capacity: the open loop held ${best.share.toFixed(1)}× autocannon's throughput (${best.rate}/s vs ${Math.round(best.autocannon)}/s just before; ${CONNECTIONS} connections each, no pipelining; autocannon closed loop; target ≥ 0.8×)`,
  );
}

async function judge(
  name: string,
  cand: [number, number, number],
  seed: number,
  seconds: number,
): Promise<string> {
  const [delayMs, failEvery, flipEvery] = cand;
  const candidate = await startModelServer({ delayMs, failEvery, flipEvery, jitter: 0.4, seed });
  const baseline = await startModelServer({ delayMs: 20, jitter: 0.4, seed: seed + 1 });
  const inputs = getInputs(
    new Inputs(
      mapInputs({
        url: candidate.url,
        'baseline-url': baseline.url,
        rate: '50',
        duration: `${seconds}s`,
        warmup: '1s',
        'max-regression': 'p95:10%, error-rate:0.5pp',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '1%',
        requests: '{"instances": [[1, 2, 3, 4]]}',
      }),
    ),
    { RUNNER_TEMP: '/tmp' },
  );
  const silent = {
    debug() {},
    info() {},
    warning() {},
    error() {},
    secret() {},
    group: <T>(_: string, fn: () => Promise<T>) => fn(),
  };
  const ctx: AnalyzeContext = {
    inputs,
    clock: systemClock,
    logger: silent,
    signal: new AbortController().signal,
    senders: inputs.targets.map((t) =>
      createSender({
        url: (t as { url: string }).url,
        method: 'POST',
        headers: [],
        timeoutMs: 10_000,
        clock: systemClock,
        keepBodies: true,
      }),
    ),
    writeReport: () => Promise.resolve(''),
  };
  const report = analyzeReport(ctx);
  await runPhases(
    analyzePhases.filter((p) => p.name !== 'write report'),
    ctx,
    report,
  );
  await Promise.all([candidate.close(), baseline.close()]);
  return `${name}: ${report.verdict}`;
}

async function judgement(): Promise<void> {
  // 11 s is the shortest load at 50 req/s where "no more than +0.5pp errors" can be shown
  // for an error-free candidate (Agresti–Caffo, 0.95): shorter is rightly inconclusive.
  const seconds = FULL ? 30 : 11;
  const identical = FULL ? 20 : 4;
  // Default: the three bad candidates and four identical ones at once (one 11 s window).
  const [bad, first] = await Promise.all([
    Promise.all([
      judge('+30% latency', [26, 0, 0], 11, seconds),
      judge('2% errors', [20, 50, 0], 12, seconds),
      judge('5% changed predictions', [20, 0, 20], 13, seconds),
    ]),
    Promise.all(
      Array.from({ length: 4 }, (_, j) => judge('identical', [20, 0, 0], 100 + j, seconds)),
    ),
  ]);
  console.log(`judgement at 50 req/s for ${seconds} s: ${bad.join('; ')}`);
  const same: string[] = [...first];
  for (let i = 4; i < identical; i += 4) {
    same.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(4, identical - i) }, (_, j) =>
          judge('identical', [20, 0, 0], 100 + i + j, seconds),
        ),
      )),
    );
  }
  const passes = same.filter((s) => s.endsWith('pass')).length;
  console.log(
    `  identical candidate: ${passes}/${identical} pass (${same.map((s) => s.split(': ')[1]).join(', ')}); false alarms ${identical - passes}`,
  );
}

/** `--only=accuracy|capacity|judgement` runs one section (capacity's median of 3 runs, say). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const t0 = performance.now();
if (!only || only === 'accuracy') await accuracy();
if (!only || only === 'capacity') await capacity();
if (!only || only === 'judgement') await judgement();
console.log(`(analyze-release bench: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
