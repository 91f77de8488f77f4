import { systemClock, type Clock } from './clock.ts';

export interface BackoffOptions {
  /** Attempts in total, including the first (default 5). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The least a wait may be (default 10 ms, never above the attempt's ceiling). */
  minDelayMs?: number;
  clock?: Clock;
  /** Returns 0..1; injected for deterministic tests. */
  random?: () => number;
}

/**
 * Capped exponential backoff with full jitter, as AWS's Architecture Blog defines it
 * ("Exponential Backoff And Jitter", 2015): sleep = random_between(0, min(cap, base × 2^n)),
 * with n = attempt − 1 (after attempt 1 → up to base, after 2 → up to 2×base, …). Full
 * jitter spreads clients that failed together over the whole window, which is what
 * de-synchronises them. One departure: a floor (`minDelayMs`, default 10 ms, at most the
 * ceiling), because a 0 ms retry fires in the same tick as the failure and only repeats it
 * (a refused connection, a server still restarting); 10 ms is far below every base we use,
 * so the spread is kept.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 10_000;
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
  const floor = Math.min(ceiling, opts.minDelayMs ?? 10);
  const random = opts.random ?? Math.random;
  return Math.max(floor, Math.round(random() * ceiling));
}

/**
 * Seconds or an HTTP date, as RFC 9110 allows; milliseconds from `now` (the caller's clock),
 * or undefined.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retry `attempt`: the backoff, or the server's ask when longer — capped, since
 * a server asking for more than a minute (or `maxDelayMs`, if larger) is not waited for blindly.
 */
export function retryWait(
  attempt: number,
  askedMs: number | undefined,
  opts: BackoffOptions = {},
): number {
  return Math.min(
    Math.max(askedMs ?? 0, backoffDelay(attempt, opts)),
    Math.max(opts.maxDelayMs ?? 10_000, 60_000),
  );
}

export interface RetryDecision {
  retry: boolean;
  /** A delay the server asked for (Retry-After), used instead of the backoff when larger. */
  delayMs?: number;
}

/** A retry that would end past the caller's deadline: given up at once, saying why. */
export class RetryDeadlineError extends Error {
  override name = 'RetryDeadlineError';
  /** The failure that would have been retried. */
  readonly last: unknown;
  constructor(message: string, last: unknown) {
    super(message);
    this.last = last;
  }
}

/**
 * Calls `fn` until it succeeds, `classify` says not to retry, or attempts run out.
 * The last error is thrown as it is — or, when the next wait would end past `deadline`
 * (on `clock`), a RetryDeadlineError saying so (a server's Retry-After is never waited for
 * beyond the caller's time).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  classify: (error: unknown) => RetryDecision,
  opts: BackoffOptions & {
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
    /** No retry starts after this time (on `clock`). */
    deadline?: number;
    /** Aborts the wait between attempts (a cancelled job): the sleep rejects at once. */
    signal?: AbortSignal;
  } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const clock = opts.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry || attempt >= attempts) throw error;
      const wait = retryWait(attempt, decision.delayMs, opts);
      if (opts.deadline !== undefined) {
        const left = opts.deadline - clock.now();
        if (wait >= left) {
          const asked =
            decision.delayMs !== undefined && decision.delayMs >= left
              ? `the server asked to retry after ${Math.ceil(decision.delayMs / 1000)} s`
              : `the next retry would start in ${wait} ms`;
          throw new RetryDeadlineError(
            `${asked}, past the time left (${Math.max(0, Math.round(left / 1000))} s of the timeout)`,
            error,
          );
        }
      }
      if (opts.signal?.aborted) throw error;
      opts.onRetry?.(error, attempt, wait);
      await clock.sleep(wait, opts.signal);
    }
  }
}
