/**
 * The load generator. Open loop (`rate`): request i is due at start + i/rate whatever the
 * server does, and its latency is measured from when it was due, not from when it went out —
 * so a stalled server cannot slow the generator down and hide its own latency (coordinated
 * omission, as wrk2 and Gil Tene describe it). Closed loop (`concurrency`): N workers, each
 * sending its next request when the last one answered; latency from the send.
 *
 * autocannon was the first choice and is the benchmark's yardstick, but its rate options
 * (`overallRate`, `connectionRate`) pace a fixed set of connections that each wait for their
 * answer: a 1 s stall holds its connection's next requests back and they are never counted
 * as late. Hence this small scheduler over a keep-alive pool (sender.ts: at most
 * MAX_CONNECTIONS sockets per target; a request due while all are busy waits in the pool, and
 * that wait counts in its latency).
 *
 * With a baseline, both targets get request i (the same body) at the same due time, in
 * alternating order: the samples are paired in time, so drift on the runner hits both alike.
 */
import type { Clock } from '../../shared/clock.ts';
import type { LoadMode } from './inputs.ts';
import type { Sender, Shot } from './sender.ts';

export interface LoadPlan {
  mode: LoadMode;
  warmupMs: number;
  durationMs: number;
  /** Request bodies, sent in turn; empty: no body. */
  bodies: readonly Buffer[];
}

/** One measured request: `at` is ms after the measurement started (its due time). */
export interface Sample {
  target: number;
  /** The shot's number: candidate and baseline samples of one tick got the same body. */
  tick: number;
  body: number;
  at: number;
  latencyMs: number;
  shot: Shot;
}

export interface LoadDeps {
  /** Its `monotonic` times the load; its `sleep` and `yield` pace the open loop. */
  clock: Clock;
  signal: AbortSignal;
  /** Candidate first, then the baseline when there is one. */
  targets: readonly Sender[];
  record(sample: Sample): void;
}

/** Open loop: how far ahead a due time must be before the generator sleeps instead of yielding. */
const SLEEP_AHEAD_MS = 2;

/** Target `j` of `n` at tick `i`: alternate ticks go in reverse order. */
const nth = (i: number, j: number, n: number): number => (i % 2 === 1 ? n - 1 - j : j);

async function openLoop(rate: number, plan: LoadPlan, deps: LoadDeps): Promise<void> {
  const { clock, signal, targets } = deps;
  const n = targets.length;
  const interval = 1000 / rate;
  const start = clock.monotonic();
  const measured = start + plan.warmupMs;
  const total = Math.floor(((plan.warmupMs + plan.durationMs) * rate) / 1000);
  // In flight: a count, and the wake-up of the final wait once it drops to 0.
  let inflight = 0;
  let drained = (): void => undefined;
  const fire = (i: number, due: number): void => {
    const k = plan.bodies.length > 0 ? i % plan.bodies.length : 0;
    for (let j = 0; j < n; j++) {
      const t = nth(i, j, n);
      inflight++;
      void (targets[t] as Sender).send(plan.bodies[k], signal).then((shot) => {
        if (due >= measured) {
          const latencyMs = clock.monotonic() - due;
          deps.record({ target: t, tick: i, body: k, at: due - measured, latencyMs, shot });
        }
        if (--inflight === 0) drained();
      });
    }
  };
  let i = 0;
  while (i < total && !signal.aborted) {
    const ahead = start + i * interval - clock.monotonic();
    if (ahead > SLEEP_AHEAD_MS) {
      await clock.sleep(ahead - SLEEP_AHEAD_MS / 2, signal).catch(() => undefined);
    } else if (ahead > 0) {
      await clock.yield();
    } else {
      // Every request due by now goes out (a late generator catches up, never skips).
      const now = clock.monotonic();
      while (i < total && start + i * interval <= now) {
        fire(i, start + i * interval);
        i++;
      }
      await clock.yield();
    }
  }
  if (inflight > 0) await new Promise<void>((resolve) => (drained = resolve));
}

async function closedLoop(workers: number, plan: LoadPlan, deps: LoadDeps): Promise<void> {
  const { clock, signal, targets } = deps;
  const start = clock.monotonic();
  const measured = start + plan.warmupMs;
  const end = measured + plan.durationMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!signal.aborted && clock.monotonic() < end) {
      const i = next++;
      const k = plan.bodies.length > 0 ? i % plan.bodies.length : 0;
      for (let j = 0; j < targets.length; j++) {
        const t = nth(i, j, targets.length);
        const sent = clock.monotonic();
        if (sent >= end || signal.aborted) return;
        const shot = await (targets[t] as Sender).send(plan.bodies[k], signal);
        if (sent >= measured) {
          deps.record({
            target: t,
            tick: i,
            body: k,
            at: sent - measured,
            latencyMs: clock.monotonic() - sent,
            shot,
          });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/** Drives the load to its end (or the job's cancellation); every sample goes to `record`. */
export async function runLoad(plan: LoadPlan, deps: LoadDeps): Promise<void> {
  if (plan.mode.kind === 'rate') await openLoop(plan.mode.rate, plan, deps);
  else await closedLoop(plan.mode.workers, plan, deps);
}
