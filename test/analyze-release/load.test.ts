/**
 * The load generator: the schedule on a virtual clock (counts, warm-up, bodies in turn,
 * interleaving), coordinated omission against a real server that stalls its process, and the
 * sender's bounds: request-timeout on one timer, the job's signal, at most MAX_CONNECTIONS.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { LoadMode } from '../../actions/analyze-release/inputs.ts';
import { runLoad, type Sample } from '../../actions/analyze-release/load.ts';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import {
  createSender,
  MAX_CONNECTIONS,
  type Sender,
  type Shot,
} from '../../actions/analyze-release/sender.ts';
import { TargetStats } from '../../actions/analyze-release/stats.ts';
import { systemClock } from '../../shared/clock.ts';
import { ManualClock } from '../harness/doubles.ts';
import {
  startModelServer,
  startServerProcess,
  type ServerProcess,
} from '../harness/fakes/model-server.ts';
import { pollUntil } from '../harness/process.ts';

/** Virtual time: sleeping and yielding (a quarter ms each) move it; nothing real waits. */
const virtualClock = (): ManualClock => new ManualClock(0, 0.25);

/** A sender that answers at once, recording which body it was sent and when. */
function fakeSender(log: string[], name: string, clock: { now(): number }): Sender {
  return {
    send: (body) => {
      log.push(`${name}:${String(body)}@${Math.round(clock.now())}`);
      return Promise.resolve<Shot>({ status: 200 });
    },
    close: () => undefined,
  };
}

describe('open loop on a virtual clock', () => {
  it('sends rate × (warm-up + duration) per target, records only the measured window', async () => {
    const clock = virtualClock();
    const log: string[] = [];
    const samples: Sample[] = [];
    await runLoad(
      {
        mode: { kind: 'rate', rate: 10 },
        warmupMs: 1000,
        durationMs: 2000,
        bodies: [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')],
      },
      {
        clock,
        signal: new AbortController().signal,
        targets: [fakeSender(log, 'C', clock), fakeSender(log, 'B', clock)],
        record: (s) => samples.push(s),
      },
    );
    expect(log).toHaveLength(60);
    expect(samples.filter((s) => s.target === 0)).toHaveLength(20);
    expect(samples.filter((s) => s.target === 1)).toHaveLength(20);
    // Same body to both at the same due time, alternating which goes first.
    expect(log.slice(0, 4)).toEqual(['C:a@0', 'B:a@0', 'B:b@100', 'C:b@100']);
    expect(samples[0]).toMatchObject({ target: 0, body: 1, at: 0 });
    expect(Math.max(...samples.map((s) => s.at))).toBeCloseTo(1900, 5);
  });

  it('a cancelled job stops the schedule', async () => {
    const clock = virtualClock();
    const controller = new AbortController();
    const log: string[] = [];
    const sender = fakeSender(log, 'C', clock);
    await runLoad(
      { mode: { kind: 'rate', rate: 10 }, warmupMs: 0, durationMs: 10_000, bodies: [] },
      {
        clock,
        signal: controller.signal,
        targets: [
          {
            send: (b, s) => {
              if (log.length === 4) controller.abort();
              return sender.send(b, s);
            },
            close: () => undefined,
          },
        ],
        record: () => undefined,
      },
    );
    expect(log.length).toBe(5);
  });
});

/** A real sender on `url`, GET without body, no warm-up: what the load measured. */
async function measure(url: string, mode: LoadMode, durationMs: number): Promise<TargetStats> {
  const stats = new TargetStats(1000);
  const sender = createSender({
    url,
    method: 'GET',
    headers: [],
    timeoutMs: 10_000,
    clock: systemClock,
  });
  try {
    await runLoad(
      { mode, warmupMs: 0, durationMs, bodies: [] },
      {
        clock: systemClock,
        signal: new AbortController().signal,
        targets: [sender],
        record: (s) => stats.add(s),
      },
    );
  } finally {
    sender.close();
  }
  return stats;
}

/**
 * A server in its own process that blocks its event loop for 1 s on request 100 (a GC pause,
 * a stuck model): everything sent meanwhile waits. The open loop must count that wait.
 */
const STALLING_SERVER = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    n++;
    if (n === 100) { const until = Date.now() + 1000; while (Date.now() < until); }
    res.end('{}');
  });
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

describe('coordinated omission against a stalling server (real HTTP)', () => {
  let server: ServerProcess;
  let url: string;

  // A fresh server per test: each sees its own request 100.
  beforeEach(async () => {
    server = await startServerProcess(STALLING_SERVER);
    url = server.url;
  });

  afterEach(() => server.stop());

  it('open loop at 100 req/s: the requests queued behind the 1 s stall are counted late', async () => {
    const stats = await measure(url, { kind: 'rate', rate: 100 }, 3000);
    const f = stats.figures(3000);
    expect(f.requests).toBe(300);
    expect(f.errors).toBe(0);
    // ~100 requests were due during the stall: latencies spread from ~1000 ms down to 0.
    expect(stats.latencies.filter((ms) => ms > 500).length).toBeGreaterThanOrEqual(40);
    expect(f.latencyMs.max).toBeGreaterThanOrEqual(950);
    expect(f.latencyMs.p90).toBeGreaterThan(200);
  }, 20_000);

  it('a closed loop of 1 sees the stall once (why `rate` is the mode to judge latency)', async () => {
    const stats = await measure(url, { kind: 'concurrency', workers: 1 }, 1500);
    expect(stats.latencies.filter((ms) => ms > 500)).toHaveLength(1);
  }, 20_000);
});

describe('the sender (real HTTP)', () => {
  const sockets = new Set<Socket>();
  let silent: NetServer;
  let silentUrl: string;

  // A server that accepts connections and never answers.
  beforeEach(async () => {
    silent = createNetServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('request-timeout: one timer for all pending requests, each fails as timeout at its bound', async () => {
    const clock = new ManualClock(0);
    const timers: number[] = [];
    const timeout = clock.timeout.bind(clock);
    clock.timeout = (ms) => (timers.push(ms), timeout(ms));
    const sender = createSender({
      url: silentUrl,
      method: 'GET',
      headers: [],
      timeoutMs: 1000,
      clock,
    });
    const signal = new AbortController().signal;
    const shots: Shot[] = [];
    const sent = [0, 1, 2].map(() => sender.send(undefined, signal).then((s) => shots.push(s)));
    await pollUntil('connected', () => Promise.resolve(sockets.size === 3), 5000);
    clock.advance(999);
    await clock.yield();
    expect(shots).toEqual([]);
    clock.advance(1);
    await Promise.all(sent);
    sender.close();
    expect(shots).toEqual([0, 1, 2].map(() => ({ status: 0, error: 'timeout' })));
    // Not a timer per request: the earliest deadline is the one armed.
    expect(timers).toEqual([1000]);
  });

  it("the job's signal fails every request in flight at once", async () => {
    const sender = createSender({
      url: silentUrl,
      method: 'GET',
      headers: [],
      timeoutMs: 60_000,
      clock: systemClock,
    });
    const job = new AbortController();
    const sent = [0, 1].map(() => sender.send(undefined, job.signal));
    await pollUntil('connected', () => Promise.resolve(sockets.size === 2), 5000);
    job.abort();
    expect(await Promise.all(sent)).toEqual([
      { status: 0, error: 'aborted' },
      { status: 0, error: 'aborted' },
    ]);
    expect(await sender.send(undefined, job.signal)).toEqual({ status: 0, error: 'aborted' });
    sender.close();
  });

  it('a burst of requests shares at most MAX_CONNECTIONS connections; the wait counts as latency', async () => {
    // 600 requests in 0.3 s, each answered after 300 ms: all would be in flight at once.
    const model = await startModelServer({ delayMs: 300 });
    const stats = await measure(model.url, { kind: 'rate', rate: 2000 }, 300).finally(() =>
      model.close(),
    );
    const f = stats.figures(300);
    expect(f.requests).toBe(600);
    expect(f.errors).toBe(0);
    // Without a bound a generator that fell behind opened a socket per late request.
    expect(model.connections).toBeLessThanOrEqual(MAX_CONNECTIONS);
    // 600 over 256 connections: three rounds of 300 ms, measured from each due time.
    expect(f.latencyMs.max).toBeGreaterThanOrEqual(600);
  }, 20_000);
});
