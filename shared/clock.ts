import { setImmediate as immediate, setTimeout as delay } from 'node:timers/promises';

/**
 * Time, injected so waiting logic can be tested without real waiting. Every "now", sleep and
 * timeout of shipped code goes through one of these.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A signal that aborts (reason: a TimeoutError DOMException) once `ms` have passed on this
   * clock: request timeouts, a kill after a grace period. It does not keep the process alive.
   */
  timeout(ms: number): AbortSignal;
  /**
   * High-resolution monotonic milliseconds, for measuring durations (a load test's request
   * timings): unlike `now()`, it never steps with the wall clock. Only differences mean anything.
   */
  monotonic(): number;
  /** Lets the event loop run what is pending (I/O callbacks) once, then goes on. */
  yield(): Promise<void>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
  // Node's timers overflow past 2^31-1 ms (they would fire at once): clamp to ~24.8 days.
  timeout: (ms) => AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms)))),
  monotonic: () => performance.now(),
  yield: () => immediate(),
};
