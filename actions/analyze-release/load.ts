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
 * as late. Hence this small scheduler over a keep-alive pool with no socket limit.
 *
 * With a baseline, both targets get request i (the same body) at the same due time, in
 * alternating order: the samples are paired in time, so drift on the runner hits both alike.
 */
import type { LoadMode } from './inputs.ts';
import type { Sender, Shot } from './sender.ts';

/** The load's time: monotonic milliseconds with sub-millisecond resolution. */
export interface LoadTimer {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Yields to the event loop once. */
  yield(): Promise<void>;
}

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
  timer: LoadTimer;
  signal: AbortSignal;
  /** Candidate first, then the baseline when there is one. */
  targets: readonly Sender[];
  record(sample: Sample): void;
}

/** Open loop: how far ahead a due time must be before the generator sleeps instead of yielding. */
const SLEEP_AHEAD_MS = 2;

function orderOf(i: number, n: number): number[] {
  const order = Array.from({ length: n }, (_, t) => t);
  return i % 2 === 1 ? order.reverse() : order;
}

async function openLoop(rate: number, plan: LoadPlan, deps: LoadDeps): Promise<void> {
  const { timer, signal, targets } = deps;
  const interval = 1000 / rate;
  const start = timer.now();
  const measured = start + plan.warmupMs;
  const total = Math.floor(((plan.warmupMs + plan.durationMs) * rate) / 1000);
  const inflight = new Set<Promise<void>>();
  const fire = (i: number, due: number): void => {
    const k = plan.bodies.length > 0 ? i % plan.bodies.length : 0;
    for (const t of orderOf(i, targets.length)) {
      const p = (targets[t] as Sender).send(plan.bodies[k], signal).then((shot) => {
        if (due >= measured) {
          deps.record({
            target: t,
            tick: i,
            body: k,
            at: due - measured,
            latencyMs: timer.now() - due,
            shot,
          });
        }
      });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  };
  let i = 0;
  while (i < total && !signal.aborted) {
    const ahead = start + i * interval - timer.now();
    if (ahead > SLEEP_AHEAD_MS) {
      await timer.sleep(ahead - SLEEP_AHEAD_MS / 2, signal).catch(() => undefined);
    } else if (ahead > 0) {
      await timer.yield();
    } else {
      // Every request due by now goes out (a late generator catches up, never skips).
      const now = timer.now();
      while (i < total && start + i * interval <= now) {
        fire(i, start + i * interval);
        i++;
      }
      await timer.yield();
    }
  }
  await Promise.all(inflight);
}

async function closedLoop(workers: number, plan: LoadPlan, deps: LoadDeps): Promise<void> {
  const { timer, signal, targets } = deps;
  const start = timer.now();
  const measured = start + plan.warmupMs;
  const end = measured + plan.durationMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!signal.aborted && timer.now() < end) {
      const i = next++;
      const k = plan.bodies.length > 0 ? i % plan.bodies.length : 0;
      for (const t of orderOf(i, targets.length)) {
        const sent = timer.now();
        if (sent >= end || signal.aborted) return;
        const shot = await (targets[t] as Sender).send(plan.bodies[k], signal);
        if (sent >= measured) {
          deps.record({
            target: t,
            tick: i,
            body: k,
            at: sent - measured,
            latencyMs: timer.now() - sent,
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
