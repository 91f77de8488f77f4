/**
 * analyze-release's report: the single source of its outputs, its job summary and the JSON
 * report file. The context carries what the phases need (inputs, the load's senders and
 * clock, the logger, the job's signal).
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PhaseReport } from '../../shared/phases.ts';
import type { Decision } from './compare.ts';
import type { AnalyzeInputs } from './inputs.ts';
import type { HpaTimeline, HpaWatch } from './hpa.ts';
import type { PredictionFigures } from './predictions.ts';
import type { QueryResult, QueryWatch } from './query-watch.ts';
import type { Sender } from './sender.ts';
import type { TargetFigures, TargetStats } from './stats.ts';

export interface AnalyzeContext {
  inputs: AnalyzeInputs;
  /** The step's time; the load is timed by its `monotonic` reading. */
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  /** Candidate first, then the baseline when there is one. */
  senders: Sender[];
  /** The `queries` against Prometheus, when set. */
  queries?: QueryWatch;
  /** The HorizontalPodAutoscaler followed under the load, when `hpa` is set. */
  hpa?: HpaWatch;
  /** Writes the JSON report where the step keeps its files; returns its path. */
  writeReport(json: string): Promise<string>;
  /** How an `inference-service` target was resolved (canary-targets.ts). */
  targetsNote?: string;
  /** A comparison asked for with no canary to compare with: an inconclusive check. */
  missingBaseline?: Check;
}

/** One judged check: a threshold on the candidate or a comparison with the baseline. */
export interface Check {
  /** `p95<300ms`, `error-rate<=1%`, `throughput>=50/s`, `p95:10%`, `error-rate:0.5pp`. */
  name: string;
  kind: 'threshold' | 'regression' | 'metric';
  /** What was measured, as people read it: `212 ms`, `0.4%`, `+12.5% (p=0.003)`. */
  measured: string;
  verdict: Decision;
}

export interface AnalyzeReport extends PhaseReport {
  /** The inputs the step ran with (the summary and the verdict read them). */
  inputs: AnalyzeInputs;
  /** The raw measurements of the load (candidate, baseline): not serialised. */
  measured?: TargetStats[];
  candidate?: TargetFigures;
  baseline?: TargetFigures;
  /** p95 per time bucket, for the chart. */
  series?: { bucketMs: number; candidate: number[]; baseline?: number[] };
  /** Candidate vs baseline predictions on identical inputs (`prediction-path`). */
  predictions?: PredictionFigures;
  /** The replica timeline under the load. */
  hpa?: HpaTimeline;
  /** Each Prometheus query's evaluations and verdict. */
  queries?: QueryResult[];
  checks: Check[];
  verdict?: Decision;
  /** The JSON report file. */
  reportPath?: string;
  /** How an `inference-service` target was resolved: canary vs stable, or why no baseline. */
  targetsNote?: string;
}

export function analyzeReport(ctx: { inputs: AnalyzeInputs }): AnalyzeReport {
  return { phases: [], checks: [], inputs: ctx.inputs };
}

/** Every check's verdict into one: any fail fails; else any inconclusive; else pass. */
export function overallVerdict(checks: readonly Check[]): Decision {
  if (checks.some((c) => c.verdict === 'fail')) return 'fail';
  if (checks.some((c) => c.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

function figuresJson(f: TargetFigures): Record<string, unknown> {
  return {
    requests: f.requests,
    errors: f.errors,
    'error-rate': f.errorRate,
    throughput: f.throughput,
    'latency-p50-ms': f.latencyMs.p50,
    'latency-p90-ms': f.latencyMs.p90,
    'latency-p95-ms': f.latencyMs.p95,
    'latency-p99-ms': f.latencyMs.p99,
    'latency-max-ms': f.latencyMs.max,
    'latency-mean-ms': f.latencyMs.mean,
  };
}

/**
 * The JSON report: a mapping of names to numbers and words (nested mappings, no lists), so
 * pr-deploy-comment's `metrics` renders it as a table as it is (`candidate.latency-p95-ms`…).
 */
export function reportJson(report: AnalyzeReport): string {
  const { inputs } = report;
  const load =
    inputs.load.kind === 'rate' ? { rate: inputs.load.rate } : { concurrency: inputs.load.workers };
  return (
    JSON.stringify(
      {
        verdict: report.verdict ?? 'inconclusive',
        ...(report.candidate ? { candidate: figuresJson(report.candidate) } : {}),
        ...(report.baseline ? { baseline: figuresJson(report.baseline) } : {}),
        ...(report.predictions
          ? {
              predictions: {
                compared: report.predictions.compared,
                changed: report.predictions.changed,
                'changed-share': report.predictions.changedShare,
                ...(report.predictions.psi !== undefined ? { psi: report.predictions.psi } : {}),
              },
            }
          : {}),
        ...(report.hpa
          ? {
              hpa: {
                name: report.hpa.name,
                'replicas-before': report.hpa.from,
                'replicas-max': report.hpa.max,
                ...(report.hpa.secondsToMax !== undefined
                  ? { 'seconds-to-max': report.hpa.secondsToMax }
                  : {}),
              },
            }
          : {}),
        ...(report.queries
          ? { queries: Object.fromEntries(report.queries.map((q) => [q.name, q.verdict])) }
          : {}),
        checks: Object.fromEntries(
          report.checks.map((c) => [c.name, `${c.verdict} (${c.measured})`]),
        ),
        ...(inputs.metricsOnly
          ? {
              'metrics-only': {
                evaluations: inputs.metricsOnly.evaluations,
                'interval-s': (inputs.prometheus?.intervalMs ?? 0) / 1000,
              },
            }
          : {
              load: {
                ...load,
                'duration-s': inputs.durationMs / 1000,
                'warmup-s': inputs.warmupMs / 1000,
              },
            }),
      },
      null,
      2,
    ) + '\n'
  );
}
