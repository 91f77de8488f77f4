/**
 * The load generator: the schedule on a virtual clock (counts, warm-up, bodies in turn,
 * interleaving), and coordinated omission against a real server that stalls its process.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { runLoad, type Sample } from '../../actions/analyze-release/load.ts';
import { createSender, type Sender, type Shot } from '../../actions/analyze-release/sender.ts';
import { TargetStats } from '../../actions/analyze-release/stats.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';

/** Virtual time: sleeping and yielding move it; nothing real waits. */
function virtualClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    monotonic: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
    yield: () => {
      clock.t += 0.25;
      return Promise.resolve();
    },
    timeout: () => new AbortController().signal,
  };
  return clock;
}

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
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

describe('coordinated omission against a stalling server (real HTTP)', () => {
  let server: ChildProcess;
  let url: string;

  // A fresh server per test: each sees its own request 100.
  beforeEach(async () => {
    server = spawn(process.execPath, ['-e', STALLING_SERVER], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
    url = `http://127.0.0.1:${chunk.toString().trim()}/`;
  });

  afterEach(async () => {
    server.kill();
    await once(server, 'exit');
  });

  it('open loop at 100 req/s: the requests queued behind the 1 s stall are counted late', async () => {
    const stats = new TargetStats(1000);
    const sender = createSender({
      url,
      method: 'GET',
      headers: [],
      timeoutMs: 5000,
      clock: systemClock,
    });
    await runLoad(
      { mode: { kind: 'rate', rate: 100 }, warmupMs: 0, durationMs: 3000, bodies: [] },
      {
        clock: systemClock,
        signal: new AbortController().signal,
        targets: [sender],
        record: (s) => stats.add(s),
      },
    );
    sender.close();
    const f = stats.figures(3000);
    expect(f.requests).toBe(300);
    expect(f.errors).toBe(0);
    // ~100 requests were due during the stall: latencies spread from ~1000 ms down to 0.
    expect(stats.latencies.filter((ms) => ms > 500).length).toBeGreaterThanOrEqual(40);
    expect(f.latencyMs.max).toBeGreaterThanOrEqual(950);
    expect(f.latencyMs.p90).toBeGreaterThan(200);
  }, 20_000);

  it('a closed loop of 1 sees the stall once (why `rate` is the mode to judge latency)', async () => {
    const stats = new TargetStats(1000);
    const sender = createSender({
      url,
      method: 'GET',
      headers: [],
      timeoutMs: 5000,
      clock: systemClock,
    });
    await runLoad(
      { mode: { kind: 'concurrency', workers: 1 }, warmupMs: 0, durationMs: 1500, bodies: [] },
      {
        clock: systemClock,
        signal: new AbortController().signal,
        targets: [sender],
        record: (s) => stats.add(s),
      },
    );
    sender.close();
    expect(stats.latencies.filter((ms) => ms > 500)).toHaveLength(1);
  }, 20_000);
});
