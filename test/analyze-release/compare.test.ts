/** The baseline comparison's tests: known values, and their error rates on seeded samples. */
import { describe, expect, it } from '@jest/globals';
import {
  errorRateRegression,
  latencyRegression,
  mannWhitneyZ,
  upperTail,
} from '../../actions/analyze-release/compare.ts';

/** mulberry32: a small seeded generator, so every run draws the same samples. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies around `ms` (log-normal-ish, a slow tail), from `random`. */
function latencies(random: () => number, n: number, ms: number): number[] {
  return Array.from(
    { length: n },
    () => ms * Math.exp(0.25 * (random() + random() + random() - 1.5) * 2),
  );
}

describe('normal tail', () => {
  it.each([
    [0, 0.5],
    [1.6448536, 0.05],
    [1.959964, 0.025],
    [-1.959964, 0.975],
    [3.090232, 0.001],
  ])('P(Z > %d) = %d', (z, p) => {
    expect(upperTail(z)).toBeCloseTo(p, 5);
  });
});

describe('Mann–Whitney U', () => {
  it('ranks with ties as by hand: x=[5,6,7,8], y=[1,2,5,6,3,4]', () => {
    // Ranks of x: 5.5, 7.5, 9, 10 → R = 32, U = 32 − 4·5/2 = 22; mean 12; two ties of 2:
    // σ² = 24/12 · (11 − 12/90); z = (22 − 12 − 0.5) / σ (continuity correction).
    const expected = (22 - 12 - 0.5) / Math.sqrt(2 * (11 - 12 / 90));
    expect(mannWhitneyZ([5, 6, 7, 8], [1, 2, 5, 6, 3, 4])).toBeCloseTo(expected, 10);
    expect(expected).toBeCloseTo(2.0378, 4);
  });

  it('is undefined when a sample is empty or all values tie', () => {
    expect(mannWhitneyZ([], [1])).toBeUndefined();
    expect(mannWhitneyZ([2, 2], [2, 2])).toBeUndefined();
  });

  it('sign: positive when the first sample tends to be larger', () => {
    expect(mannWhitneyZ([10, 11, 12, 13], [1, 2, 3, 4])).toBeGreaterThan(2);
    expect(mannWhitneyZ([1, 2, 3, 4], [10, 11, 12, 13])).toBeLessThan(-2);
  });
});

describe('latency regression (p95:10% at 0.95)', () => {
  const n = 1500; // 30 s at 50 req/s

  it('+30% latency fails', () => {
    const r = seeded(1);
    const base = latencies(r, n, 20);
    const cand = latencies(r, n, 26);
    expect(latencyRegression(cand, base, 1.1, 0.95).decision).toBe('fail');
  });

  it('an identical candidate passes in at least 19 of 20 seeded runs', () => {
    let passes = 0;
    for (let seed = 100; seed < 120; seed++) {
      const r = seeded(seed);
      const base = latencies(r, n, 20);
      const cand = latencies(r, n, 20);
      if (latencyRegression(cand, base, 1.1, 0.95).decision === 'pass') passes++;
    }
    expect(passes).toBeGreaterThanOrEqual(19);
  });

  it('exactly +10% is inconclusive rather than a coin flip', () => {
    const base = latencies(seeded(7), 20, 20);
    const cand = base.map((v) => v * 1.1);
    expect(latencyRegression(cand, base, 1.1, 0.95).decision).toBe('inconclusive');
  });
});

describe('error-rate regression (0.5pp at 0.95)', () => {
  it('2% errors against none fails', () => {
    const d = errorRateRegression(
      { errors: 30, requests: 1500 },
      { errors: 0, requests: 1500 },
      0.005,
      0.95,
    );
    expect(d.decision).toBe('fail');
  });

  it('no errors on both sides passes (the adjustment gives zero a spread)', () => {
    const d = errorRateRegression(
      { errors: 0, requests: 1500 },
      { errors: 0, requests: 1500 },
      0.005,
      0.95,
    );
    expect(d.decision).toBe('pass');
  });

  it('equal 5% rates on 500 requests cannot show "≤ +0.5pp": inconclusive', () => {
    const d = errorRateRegression(
      { errors: 25, requests: 500 },
      { errors: 25, requests: 500 },
      0.005,
      0.95,
    );
    expect(d.decision).toBe('inconclusive');
  });

  it('no requests on a side is inconclusive', () => {
    expect(
      errorRateRegression({ errors: 0, requests: 0 }, { errors: 0, requests: 10 }, 0.005, 0.95)
        .decision,
    ).toBe('inconclusive');
  });
});
