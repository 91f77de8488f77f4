import { systemClock, type Clock } from './clock.ts';

export class PollTimeoutError extends Error {
  override name = 'PollTimeoutError';
}

export interface PollOptions {
  timeoutMs: number;
  /** First interval; grows by `factor` up to `maxIntervalMs` (adaptive polling). */
  intervalMs: number;
  maxIntervalMs?: number;
  factor?: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** Describes what was awaited, for the timeout message. */
  what?: string;
}

/**
 * Calls `check` until it returns a value other than undefined, or the timeout passes.
 * The interval grows geometrically (capped), so short waits are noticed quickly and
 * long ones do not hammer the API.
 */
export async function poll<T>(check: () => Promise<T | undefined>, opts: PollOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const deadline = clock.now() + opts.timeoutMs;
  let interval = opts.intervalMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const result = await check();
    if (result !== undefined) return result;
    const left = deadline - clock.now();
    if (left <= 0) {
      throw new PollTimeoutError(
        `Timed out after ${opts.timeoutMs} ms waiting for ${opts.what ?? 'a result'}`,
      );
    }
    await clock.sleep(Math.min(interval, left), opts.signal);
    interval = Math.min(
      opts.maxIntervalMs ?? interval,
      Math.round(interval * (opts.factor ?? 1.5)),
    );
  }
}
