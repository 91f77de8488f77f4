/**
 * How long a writer that lost a push race waits before it fetches again.
 *
 * Every writer that lost fetches, re-applies and pushes again, and an attempt (fetch → push)
 * that overlaps a winner's push is lost, so the writers left must spread their attempts over
 * a window about (writers left) × (one attempt's duration) wide, or N writers cost O(N²)
 * attempts. The window therefore grows exponentially in units of the attempt that just lost
 * (its measured duration: about 0.2 s on an idle runner, seconds on a busy one, where a fixed
 * 200 ms unit made the losers retry at once and collide again), with full jitter (anywhere in
 * [0, window]: writers that lost the same race must not retry together).
 *
 * Measured with scripts/bench-argocd-bump-image.ts (20 writers, 2 cores shared with other
 * builds, load 15–20), same runs interleaved: a fixed 200 ms unit capped at 5 s took ~110–130
 * push attempts for the 20 updates; this, ~80 (and a third less CPU).
 */

/** The smallest unit: a fast attempt still spreads the next ones over at least this. */
export const RETRY_SLOT_MIN_MS = 200;
/** The widest window: wide enough for ~20 writers at ~0.5 s an attempt. */
export const RETRY_CAP_MS = 10_000;

/**
 * The pause before retry `attempt` (1 = after the first lost push), given how long the lost
 * attempt took; `random` in [0, 1).
 */
export function pushRetryDelay(
  attempt: number,
  lostAttemptMs: number,
  random: () => number,
): number {
  const slot = Math.max(RETRY_SLOT_MIN_MS, lostAttemptMs);
  const window = Math.min(RETRY_CAP_MS, slot * 2 ** (attempt - 1));
  return Math.round(random() * window);
}
