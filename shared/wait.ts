/**
 * The one way actions wait: `waitFor` re-checks a condition when something changed (a watch
 * event, through `Changes`) or when an interval passes (adaptive polling: fast at first, then
 * backing off to a cap), until it holds, the deadline passes or the signal aborts. Every wait
 * runs on the injected clock, so tests control time.
 */
import type { Clock } from './clock.ts';

/**
 * Wakes the waiter whenever something changed. A change that happens while nobody waits
 * (e.g. during an API call between two checks) is remembered, so the next wait returns at
 * once: no update is ever lost.
 */
export class Changes {
  private waiters: (() => void)[] = [];
  private pending = false;

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.pending = true;
    for (const wake of waiters) wake();
  }

  /** Resolves at the next change (at once if one came since the last wait), after `ms`, or on abort. */
  async wait(ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    const timer = new AbortController();
    const onAbort = (): void => timer.abort();
    signal?.addEventListener('abort', onAbort);
    let wake: (() => void) | undefined;
    const changed = new Promise<void>((resolve) => {
      wake = resolve;
      this.waiters.push(resolve);
    });
    try {
      await Promise.race([
        changed,
        clock.sleep(Math.max(0, ms), timer.signal).catch(() => undefined),
      ]);
    } finally {
      timer.abort();
      signal?.removeEventListener('abort', onAbort);
      this.waiters = this.waiters.filter((w) => w !== wake);
    }
  }
}

export interface WaitOptions {
  clock: Clock;
  /** When to give up, on `clock`. */
  deadline: number;
  signal?: AbortSignal;
  /** Re-check as soon as this reports a change. */
  changes?: Changes;
  /** Re-check at least this often (default: only on changes, and at the deadline). */
  intervalMs?: number;
  /** The interval grows by `factor` (default 1) up to this cap. */
  maxIntervalMs?: number;
  factor?: number;
  /** A time (on `clock`) by which the condition must be checked again, e.g. a grace that ends. */
  recheckAt?: () => number | undefined;
}

export type WaitResult<T> =
  { done: true; value: T } | { done: false; reason: 'timeout' | 'aborted' };

/** Calls `check` until it returns something other than undefined; see the module comment. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  o: WaitOptions,
): Promise<WaitResult<T>> {
  let interval = o.intervalMs;
  for (;;) {
    if (o.signal?.aborted) return { done: false, reason: 'aborted' };
    const value = await check();
    if (value !== undefined) return { done: true, value };
    if (o.signal?.aborted) return { done: false, reason: 'aborted' };
    const now = o.clock.now();
    const left = o.deadline - now;
    if (left <= 0) return { done: false, reason: 'timeout' };
    const recheck = o.recheckAt?.();
    const ms = Math.min(
      left,
      interval ?? Infinity,
      recheck === undefined ? Infinity : Math.max(1, recheck - now),
    );
    if (o.changes) await o.changes.wait(ms, o.clock, o.signal);
    else await o.clock.sleep(ms, o.signal).catch(() => undefined);
    if (interval !== undefined) {
      interval = Math.min(o.maxIntervalMs ?? interval, Math.round(interval * (o.factor ?? 1)));
    }
  }
}

/** Sleeps `ms` on `clock`; false when the signal aborted the sleep. */
export async function pause(ms: number, clock: Clock, signal?: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return !signal?.aborted;
  } catch {
    return false;
  }
}
