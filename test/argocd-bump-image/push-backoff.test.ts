import { describe, expect, it } from '@jest/globals';
import {
  pushRetryDelay,
  RETRY_CAP_MS,
  RETRY_SLOT_MIN_MS,
} from '../../actions/argocd-bump-image/push-backoff.ts';

const top = (): number => 1; // the top of the window
const bottom = (): number => 0;

describe('pushRetryDelay: losers spread over windows measured in attempts', () => {
  it('the window is the lost attempt’s duration, doubling with each loss', () => {
    // A busy runner: the attempt that lost took 1.5 s. A fixed 200 ms unit (the old rule)
    // sent every loser back within 200 ms, into the next collision.
    expect(pushRetryDelay(1, 1500, top)).toBe(1500);
    expect(pushRetryDelay(2, 1500, top)).toBe(3000);
    expect(pushRetryDelay(3, 1500, top)).toBe(6000);
    expect(pushRetryDelay(3, 1500, () => 0.5)).toBe(3000);
  });

  it('full jitter: anywhere from 0, so the losers of one race do not retry together', () => {
    expect(pushRetryDelay(4, 1500, bottom)).toBe(0);
    const delays = new Set([0.1, 0.4, 0.7, 0.99].map((r) => pushRetryDelay(2, 1000, () => r)));
    expect(delays.size).toBe(4);
  });

  it('a fast attempt still spreads over at least the minimum slot; no window passes the cap', () => {
    expect(pushRetryDelay(1, 20, top)).toBe(RETRY_SLOT_MIN_MS);
    expect(pushRetryDelay(2, 0, top)).toBe(2 * RETRY_SLOT_MIN_MS);
    expect(pushRetryDelay(30, 4000, top)).toBe(RETRY_CAP_MS);
    expect(pushRetryDelay(3, 60_000, top)).toBe(RETRY_CAP_MS);
  });
});
