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
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { FULL } from './bench-lib.ts';

const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(1)}%`;

/** The accuracy server: delays by request number; request STALL_AT blocks the loop 1 s. */
const ACCURACY_SERVER = `
const http = require('node:http');
const STALL_AT = Number(process.argv[1]);
let n = 0;
const served = [];
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/truth') return res.end(JSON.stringify(served));
    const k = ++n;
    if (k === STALL_AT) {
      const t0 = performance.timeOrigin + performance.now();
      const until = Date.now() + 1000;
      while (Date.now() < until);
      console.log('stall ' + t0 + ' ' + (performance.timeOrigin + performance.now()));
    }
    // Its own service time as the server measures it (a timer fires a little late).
    const t = performance.now();
    setTimeout(() => {
      served[k - 1] = performance.now() - t;
      res.end('{}');
    }, k % 100 === 50 ? 250 : 20);
  });
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

async function accuracyServer(
  stallAt: number,
): Promise<{ url: string; child: ChildProcess; stall: Promise<[number, number]> }> {
  const child = spawn(process.execPath, ['-e', ACCURACY_SERVER, String(stallAt)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let resolveStall: (v: [number, number]) => void = () => undefined;
  const stall = new Promise<[number, number]>((r) => (resolveStall = r));
  let url = '';
  const ready = new Promise<void>((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      for (const line of c.toString().split('\n')) {
        const [word, a, b] = line.split(' ');
        if (word === 'port') {
          url = `http://127.0.0.1:${a}/`;
          resolve();
        }
        if (word === 'stall') resolveStall([Number(a), Number(b)]);
      }
    });
  });
  await ready;
  return { url, child, stall };
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

async function accuracy(): Promise<void> {
  const rate = 100;
  const seconds = FULL ? 20 : 3;
  const total = rate * seconds;
  const stallAt = Math.floor(total / 2);
  const server = await accuracyServer(stallAt);
  const samples: Sample[] = [];
  const sender = createSender({
    url: server.url,
    method: 'GET',
    headers: [],
    timeoutMs: 10_000,
    clock: systemClock,
  });
  const startEpoch = performance.timeOrigin + performance.now();
  await runLoad(
    { mode: { kind: 'rate', rate }, warmupMs: 0, durationMs: seconds * 1000, bodies: [] },
    {
      clock: systemClock,
      signal: new AbortController().signal,
      targets: [sender],
      record: (s) => samples.push(s),
    },
  );
  sender.close();
  const [s0, s1] = await server.stall;
  const served = (await (await fetch(`${server.url}truth`)).json()) as number[];
  server.child.kill();
  // Truth: request i (sent in order, the server numbers them 1..N) is due at start + i/rate;
  // it takes its own service time (as the server measured it), after what is left of the
  // stall when it was due.
  const truth = Array.from({ length: total }, (_, i) => {
    const k = i + 1;
    const due = startEpoch + (i * 1000) / rate;
    const blocked = k === stallAt ? s1 - due : due >= s0 && due < s1 ? s1 - due : 0;
    return (served[i] ?? 0) + Math.max(0, blocked);
  });
  const [t50, t95, t99] = hdrPercentiles(truth);
  const [m50, m95, m99] = hdrPercentiles(samples.map((s) => s.latencyMs));
  console.log(
    `accuracy at ${rate} req/s for ${seconds} s (20 ms, 1 % at 250 ms, one 1 s stall): ${samples.length}/${total} requests`,
  );
  console.log(
    `  truth          p50 ${t50.toFixed(1)} ms  p95 ${t95.toFixed(1)} ms  p99 ${t99.toFixed(1)} ms; ${truth.filter((v) => v > 500).length} requests > 500 ms`,
  );
  console.log(
    `  analyze-release p50 ${m50.toFixed(1)} (${pct(m50, t50)})  p95 ${m95.toFixed(1)} (${pct(m95, t95)})  p99 ${m99.toFixed(1)} (${pct(m99, t99)}); ${samples.filter((s) => s.latencyMs > 500).length} > 500 ms`,
  );
  const ac = await accuracyServer(stallAt);
  const result = await autocannon({
    url: ac.url,
    connections: 10,
    overallRate: rate,
    duration: seconds,
  });
  ac.child.kill();
  const l = result.latency;
  console.log(
    `  autocannon      p50 ${l.p50} (${pct(l.p50 ?? 0, t50)})  p97.5 ${l.p97_5}  p99 ${l.p99} (${pct(l.p99 ?? 0, t99)}); ${result.requests.total} requests sent (10 connections, overallRate ${rate})`,
  );
}

function quickServer(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function capacity(): Promise<void> {
  const server = await quickServer();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let held = 0;
  for (const rate of FULL ? [1000, 2000, 3000, 4000, 6000, 8000, 12000] : [2000, 4000, 8000]) {
    const stats = new TargetStats(1000);
    const sender = createSender({
      url,
      method: 'GET',
      headers: [],
      timeoutMs: 5000,
      clock: systemClock,
    });
    await runLoad(
      { mode: { kind: 'rate', rate }, warmupMs: 200, durationMs: FULL ? 3000 : 1000, bodies: [] },
      {
        clock: systemClock,
        signal: new AbortController().signal,
        targets: [sender],
        record: (s) => stats.add(s),
      },
    );
    sender.close();
    const f = stats.figures(FULL ? 3000 : 1000);
    const ok = f.throughput >= rate * 0.95 && f.latencyMs.p99 < 100;
    console.log(
      `  open loop ${rate}/s: ${f.throughput}/s answered, p99 ${f.latencyMs.p99} ms ${ok ? 'held' : 'not held'}`,
    );
    if (!ok) break;
    held = rate;
  }
  const result = await autocannon({ url, connections: 50, duration: FULL ? 5 : 1 });
  server.close();
  const ac = result.requests.average;
  console.log(
    `capacity: highest rate held ${held}/s vs autocannon ${Math.round(ac)}/s (50 connections, closed loop): ${(held / ac).toFixed(2)}× (target ≥ 0.8×)`,
  );
}

/** A model server for the judgement: delay, errors and flipped predictions by switches. */
async function model(
  delayMs: number,
  failEvery: number,
  flipEvery: number,
  seed: number,
): Promise<Server> {
  let n = 0;
  let x = seed;
  const jitter = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * delayMs * 0.4;
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const k = ++n;
      setTimeout(() => {
        res.writeHead(failEvery && k % failEvery === 0 ? 503 : 200);
        res.end(`{"predictions": [${flipEvery && k % flipEvery === 0 ? 1 : 0}]}`);
      }, delayMs + jitter());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function judge(
  name: string,
  cand: [number, number, number],
  seed: number,
  seconds: number,
): Promise<string> {
  const candidate = await model(...cand, seed);
  const baseline = await model(20, 0, 0, seed + 1);
  const port = (s: Server): number => (s.address() as AddressInfo).port;
  const inputs = getInputs(
    new Inputs(
      mapInputs({
        url: `http://127.0.0.1:${port(candidate)}`,
        'baseline-url': `http://127.0.0.1:${port(baseline)}`,
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
  candidate.close();
  baseline.close();
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
