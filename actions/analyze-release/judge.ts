/**
 * The judgement: thresholds on the candidate's figures (`max-error-rate`, `max-latency`,
 * `min-throughput`) and comparisons with the baseline (`max-regression`, by the tests in
 * compare.ts at `confidence`). A check with nothing measured is `inconclusive`, never a pass.
 */
import { errorRateRegression, latencyRegression } from './compare.ts';
import type { AnalyzeInputs } from './inputs.ts';
import type { PredictionFigures } from './predictions.ts';
import type { QueryResult } from './query-watch.ts';
import type { Check } from './report.ts';
import type { TargetFigures, TargetStats } from './stats.ts';

export function percent(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}

export function thresholdChecks(
  inputs: AnalyzeInputs,
  stats: TargetStats,
  f: TargetFigures,
): Check[] {
  const none = f.requests === 0;
  const checks: Check[] = [];
  if (inputs.maxErrorRate !== undefined) {
    checks.push({
      name: `error-rate<=${percent(inputs.maxErrorRate)}`,
      kind: 'threshold',
      measured: `${percent(f.errorRate)} (${f.errors}/${f.requests})`,
      verdict: none ? 'inconclusive' : f.errorRate <= inputs.maxErrorRate ? 'pass' : 'fail',
    });
  }
  for (const limit of inputs.maxLatency) {
    const value = stats.percentile(limit.percentile);
    checks.push({
      name: limit.label,
      kind: 'threshold',
      measured: `${Number(value.toFixed(1))} ms`,
      verdict: none ? 'inconclusive' : value < limit.maxMs ? 'pass' : 'fail',
    });
  }
  if (inputs.minThroughput !== undefined) {
    checks.push({
      name: `throughput>=${inputs.minThroughput}/s`,
      kind: 'threshold',
      measured: `${f.throughput}/s`,
      verdict: none ? 'inconclusive' : f.throughput >= inputs.minThroughput ? 'pass' : 'fail',
    });
  }
  return checks;
}

function pValue(p: number | undefined): string {
  if (p === undefined) return 'no samples to rank';
  return p < 0.0001 ? 'p<0.0001' : `p=${Number(p.toFixed(4))}`;
}

function signedPercent(ratio: number): string {
  const pct = (ratio - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${Number(Math.abs(pct).toFixed(1))}%`;
}

export function regressionChecks(
  inputs: AnalyzeInputs,
  candidate: TargetStats,
  baseline: TargetStats,
  figures: { candidate: TargetFigures; baseline: TargetFigures },
): Check[] {
  return inputs.maxRegression.map((r): Check => {
    if (r.kind === 'latency') {
      const c = candidate.percentile(r.percentile);
      const b = baseline.percentile(r.percentile);
      const test = latencyRegression(
        candidate.latencies,
        baseline.latencies,
        r.maxRatio,
        inputs.confidence,
      );
      const shift = b > 0 ? signedPercent(c / b) : 'n/a';
      return {
        name: r.label,
        kind: 'regression',
        measured: `p${r.percentile} ${shift} (${pValue(test.pValue)})`,
        verdict: test.decision,
      };
    }
    const test = errorRateRegression(
      figures.candidate,
      figures.baseline,
      r.maxPoints,
      inputs.confidence,
    );
    const points = (figures.candidate.errorRate - figures.baseline.errorRate) * 100;
    return {
      name: r.label,
      kind: 'regression',
      measured: `${points >= 0 ? '+' : '−'}${Number(Math.abs(points).toFixed(2))}pp (${pValue(test.pValue)})`,
      verdict: test.decision,
    };
  });
}

/** `max-prediction-change`: the changed share on identical inputs (a model is deterministic). */
export function predictionChecks(
  inputs: AnalyzeInputs,
  p: PredictionFigures | undefined,
): Check | undefined {
  if (inputs.maxPredictionChange === undefined || !p) return undefined;
  const psi = p.psi === undefined ? '' : `, PSI ${p.psi}`;
  return {
    name: `predictions-changed<=${percent(inputs.maxPredictionChange)}`,
    kind: 'regression',
    measured: `${percent(p.changedShare)} (${p.changed}/${p.compared})${psi}`,
    verdict:
      p.compared === 0
        ? 'inconclusive'
        : p.changedShare <= inputs.maxPredictionChange
          ? 'pass'
          : 'fail',
  };
}

/** Each Prometheus query as a check: `error-rate < 0.01`, with its last values. */
export function queryChecks(results: readonly QueryResult[]): Check[] {
  return results.map((q) => {
    const last =
      q.last.length === 0
        ? 'no data'
        : q.last
            .slice(0, 3)
            .map((v) => Number(v.toPrecision(4)))
            .join(', ');
    const failure = q.verdict === 'fail' && q.lastFailure ? `; ${q.lastFailure}` : '';
    const empty = q.verdict === 'inconclusive' ? `; query '${q.name}' returned no data` : '';
    return {
      name: `${q.name} ${q.condition}`,
      kind: 'metric',
      measured: `last ${last}; ${q.failed}/${q.evaluations} evaluations failed${failure}${empty}`,
      verdict: q.verdict,
    };
  });
}
