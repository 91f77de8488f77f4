/**
 * `node scripts/bench-analyze-release.ts [--full]` (run by `npm run bench`): analyze-release's
 * load generator and judgement, each figure next to a yardstick from the same run.
 *  1. Accuracy: a server in its own process answers in 20 ms, 1 % of requests in 250 ms, and
 *     blocks its event loop for 1 s once (a stall). The truth is computed from that schedule
 *     (each request's own delay, plus what is left of the stall when it was due); reported
 *     p50/p95/p99 against it, and autocannon (same rate, its coordinated-omission correction
 *     on) beside it.
 *  2. Capacity: the highest open-loop rate held (≥ 95 % answered in the window, p99 < 100 ms)
 *     against a server answering at once, vs autocannon's throughput on the same server.
 *  3. Judgement at 50 req/s: +30 % latency, 2 % errors, 5 % changed predictions must be `fail`;
 *     an identical candidate must pass (false alarms counted over the identical runs).
 * Default ≈ 24 s on this machine (over the 20 s aimed at: the judgement alone needs 11 s of
 * load, see judgement()); --full: 20 s accuracy, longer capacity steps, 30 s loads and 20
 * identical runs.
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
import { createSender } from '../actions/analyze-release/sender.ts';
import { TargetStats } from '../actions/analyze-release/stats.ts';
import {
  startModelServer,
  startServerProcess,
  type ServerProcess,
} from '../test/harness/fakes/model-server.ts';
import { FULL } from './bench-lib.ts';

const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(1)}%`;

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
    if (req.url === '/ping') return res.end('{}');
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
 * The round trip no client can beat: the median of `count` pings (the server answers at
 * once) from a plain node:http client, one every `everyMs` as the load paces them, so both
 * processes wake from idle as they do under the load.
 */
async function transportFloor(url: string, count: number, everyMs: number): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) =>
      httpGet(`${url}ping`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      }).on('error', reject),
    );
    times.push(performance.now() - t0);
    await systemClock.sleep(everyMs);
  }
  agent.destroy();
  return times.sort((x, y) => x - y)[Math.floor(count / 2)] as number;
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

/** The load against the accuracy server: its samples and its start on the epoch clock. */
async function accuracyLoad(
  url: string,
  rate: number,
  seconds: number,
): Promise<{ samples: Sample[]; startEpoch: number }> {
  const total = rate * seconds;
  const samples: Sample[] = [];
  const sender = createSender({
    url,
    method: 'POST',
    headers: [],
    timeoutMs: 10_000,
    clock: systemClock,
  });
  const bodies = Array.from({ length: total }, (_, i) => Buffer.from(`{"i": ${i}}`));
  const startEpoch = performance.timeOrigin + performance.now();
  await runLoad(
    { mode: { kind: 'rate', rate }, warmupMs: 0, durationMs: seconds * 1000, bodies },
    {
      clock: systemClock,
      signal: new AbortController().signal,
      targets: [sender],
      record: (s) => samples.push(s),
    },
  );
  sender.close();
  return { samples, startEpoch };
}

async function accuracy(): Promise<void> {
  const rate = 100;
  const seconds = FULL ? 20 : 3;
  const total = rate * seconds;
  const stallAt = Math.floor(total / 2);
  const { server, stall } = await accuracyServer(stallAt);
  const floor = await transportFloor(server.url, FULL ? 200 : 50, 1000 / rate);
  const { samples, startEpoch } = await accuracyLoad(server.url, rate, seconds);
  const [s0, s1] = await stall;
  const served = (await (await fetch(`${server.url}truth`)).json()) as number[];
  await server.stop();
  // Truth: request i is due at start + i/rate; it waits for what is left of the stall when
  // it was due, takes its own service time (as the server measured it), and the round trip
  // (the transport floor: the server's clock cannot see it, any client pays it).
  const truth = Array.from({ length: total }, (_, i) => {
    const due = startEpoch + (i * 1000) / rate;
    const blocked = i === stallAt ? s1 - due : due >= s0 && due < s1 ? s1 - due : 0;
    return (served[i] ?? 0) + Math.max(0, blocked) + floor;
  });
  const [t50, t95, t99] = hdrPercentiles(truth);
  const [m50, m95, m99] = hdrPercentiles(samples.map((s) => s.latencyMs));
  console.log(
    `accuracy at ${rate} req/s for ${seconds} s (20 ms, 1 % at 250 ms, one 1 s stall): ${samples.length}/${total} requests`,
  );
  console.log(
    `  truth          p50 ${t50.toFixed(1)} ms  p95 ${t95.toFixed(1)} ms  p99 ${t99.toFixed(1)} ms (with the transport floor ${floor.toFixed(2)} ms); ${truth.filter((v) => v > 500).length} requests > 500 ms`,
  );
  console.log(
    `  analyze-release p50 ${m50.toFixed(1)} (${pct(m50, t50)})  p95 ${m95.toFixed(1)} (${pct(m95, t95)})  p99 ${m99.toFixed(1)} (${pct(m99, t99)}); ${samples.filter((s) => s.latencyMs > 500).length} > 500 ms`,
  );
  const ac = await accuracyServer(stallAt);
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

/** Answers at once, in a process of its own (the generator's event loop is not the server's). */
const QUICK_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{}'));
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

/** Both engines get the same connections, and neither pipelines (autocannon's default). */
const CONNECTIONS = 50;

/** One open-loop step at `rate`: held when ≥ 95 % are answered in the window, p99 < 100 ms. */
async function capacityStep(url: string, rate: number): Promise<boolean> {
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
  console.log(
    `  open loop ${rate}/s: ${f.throughput}/s answered, p99 ${f.latencyMs.p99} ms ${held ? 'held' : 'not held'}`,
  );
  return held;
}

async function capacity(): Promise<void> {
  const server = await startServerProcess(QUICK_SERVER);
  let held = 0;
  for (const rate of FULL
    ? [4000, 8000, 12000, 16000, 20000, 24000, 28000, 32000]
    : [8000, 12000, 16000, 20000, 24000, 28000]) {
    if (!(await capacityStep(server.url, rate))) break;
    held = rate;
  }
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: FULL ? 5 : 2,
  });
  await server.stop();
  const ac = result.requests.average;
  console.log(
    `capacity: highest rate held ${held}/s vs autocannon ${Math.round(ac)}/s (${CONNECTIONS} connections each, no pipelining; autocannon closed loop): ${(held / ac).toFixed(2)}× (target ≥ 0.8×)`,
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

const t0 = performance.now();
await accuracy();
await capacity();
await judgement();
console.log(`(analyze-release bench: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
