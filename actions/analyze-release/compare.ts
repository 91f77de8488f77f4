/**
 * The comparison with the baseline, decided by tests at `confidence`, never by a point
 * estimate alone:
 *
 * - latency `pN:X%`: a one-sided Mann–Whitney U test (normal approximation, tie correction,
 *   continuity correction) of candidate latencies against baseline latencies × (1 + X).
 *   `fail` when the candidate is stochastically larger than the scaled baseline; `pass`
 *   when it is stochastically smaller (the opposite one-sided test — two one-sided tests,
 *   as in equivalence testing); `inconclusive` when neither test decides. The rank test is
 *   about the whole distribution; the reported pN ratio says how large the shift is.
 * - error rate `error-rate:Xpp`: a one-sided two-proportion z-test of
 *   H0: p_candidate − p_baseline ≤ X, with the Agresti–Caffo adjustment (one success and
 *   one failure added to each sample) so zero errors on both sides still has a spread;
 *   `pass` / `fail` / `inconclusive` the same way.
 */
import { errorFunction } from 'simple-statistics';

export type Decision = 'pass' | 'fail' | 'inconclusive';

/** Standard normal upper tail P(Z > z), from simple-statistics' erf (Numerical Recipes erfc). */
export function upperTail(z: number): number {
  return 0.5 * (1 - errorFunction(z / Math.SQRT2));
}

/**
 * Mann–Whitney U: z for "x is stochastically larger than y" (positive when x tends to be
 * larger), normal approximation with tie correction. Undefined when either sample is empty
 * or every value ties.
 */
export function mannWhitneyZ(x: readonly number[], y: readonly number[]): number | undefined {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return undefined;
  const all = new Float64Array(n1 + n2);
  const fromX = new Uint8Array(n1 + n2);
  x.forEach((v, i) => ((all[i] = v), (fromX[i] = 1)));
  y.forEach((v, i) => (all[n1 + i] = v));
  const order = Array.from({ length: n1 + n2 }, (_, i) => i).sort(
    (a, b) => (all[a] as number) - (all[b] as number),
  );
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1] as number] === all[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (fromX[order[k] as number]) rankSumX += rank;
    i = j + 1;
  }
  const n = n1 + n2;
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return undefined;
  const diff = u - mean;
  // Continuity correction toward the mean.
  const corrected = Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5);
  return corrected / Math.sqrt(variance);
}

/**
 * Two one-sided tests on z (positive: the candidate is worse): `fail` when "worse" is
 * significant at `confidence`, `pass` when "not worse" is, `inconclusive` otherwise.
 */
function decide(z: number, confidence: number): { decision: Decision; pValue: number } {
  const alpha = 1 - confidence;
  const worse = upperTail(z);
  if (worse < alpha) return { decision: 'fail', pValue: worse };
  const better = upperTail(-z);
  if (better < alpha) return { decision: 'pass', pValue: better };
  return { decision: 'inconclusive', pValue: Math.min(worse, better) };
}

/** Latency regression: candidate against baseline × maxRatio (see the module comment). */
export function latencyRegression(
  candidate: readonly number[],
  baseline: readonly number[],
  maxRatio: number,
  confidence: number,
): { decision: Decision; pValue?: number } {
  const z = mannWhitneyZ(
    candidate,
    baseline.map((v) => v * maxRatio),
  );
  return z === undefined ? { decision: 'inconclusive' } : decide(z, confidence);
}

/** Error-rate regression by more than `maxPoints` (a fraction: 0.005 for 0.5pp). */
export function errorRateRegression(
  candidate: { errors: number; requests: number },
  baseline: { errors: number; requests: number },
  maxPoints: number,
  confidence: number,
): { decision: Decision; pValue?: number } {
  if (candidate.requests === 0 || baseline.requests === 0) return { decision: 'inconclusive' };
  const pc = (candidate.errors + 1) / (candidate.requests + 2);
  const pb = (baseline.errors + 1) / (baseline.requests + 2);
  const se = Math.sqrt(
    (pc * (1 - pc)) / (candidate.requests + 2) + (pb * (1 - pb)) / (baseline.requests + 2),
  );
  return decide((pc - pb - maxPoints) / se, confidence);
}
