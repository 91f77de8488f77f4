/**
 * analyze-release's phases: load the candidate (and the baseline, interleaved) → judge →
 * write the JSON report. Plain functions over the context, unit-tested with fake senders.
 */
import { cancellation, errorMessage } from '../../shared/errors.ts';
import { phase, type Phase } from '../../shared/phases.ts';
import { runLoad } from './load.ts';
import {
  percent,
  predictionChecks,
  queryChecks,
  regressionChecks,
  thresholdChecks,
} from './judge.ts';
import { overallVerdict, reportJson, type AnalyzeContext, type AnalyzeReport } from './report.ts';
import { PredictionTracker } from './predictions.ts';
import { bucketMsFor, isError, TargetStats } from './stats.ts';
import { isMetricsOnly, watchQueriesPhase } from './metrics-only.ts';

function describeLoad(ctx: AnalyzeContext): string {
  const { inputs } = ctx;
  const how =
    inputs.load.kind === 'rate'
      ? `${inputs.load.rate} req/s (open loop)`
      : `${inputs.load.workers} concurrent (closed loop)`;
  const targets =
    inputs.targets.length > 1 ? 'candidate and baseline, interleaved' : 'the candidate';
  return `Loading ${targets} at ${how} for ${inputs.durationMs / 1000} s after ${inputs.warmupMs / 1000} s of warm-up`;
}

export async function loadPhase(ctx: AnalyzeContext, report: AnalyzeReport): Promise<void> {
  const { inputs } = ctx;
  ctx.logger.info(describeLoad(ctx));
  const bucketMs = bucketMsFor(inputs.durationMs);
  const stats = ctx.senders.map(() => new TargetStats(bucketMs));
  const tracker = inputs.predictionPath && new PredictionTracker(inputs.predictionPath);
  // Live metrics every `interval` while the load runs (stopped when it ends).
  const stop = new AbortController();
  const watching = ctx.queries?.watch(
    ctx.clock,
    inputs.prometheus?.intervalMs ?? 0,
    stop.signal,
    ctx.signal,
  );
  // The HPA watched under the load: the replica timeline.
  ctx.hpa?.started();
  const following = ctx.hpa?.watch(stop.signal, ctx.signal, (e) =>
    ctx.logger.warning(`Reading the HorizontalPodAutoscaler failed: ${errorMessage(e)}`),
  );
  try {
    await runLoad(
      {
        mode: inputs.load,
        warmupMs: inputs.warmupMs,
        durationMs: inputs.durationMs,
        bodies: inputs.bodies,
      },
      {
        clock: ctx.clock,
        signal: ctx.signal,
        targets: ctx.senders,
        record: (sample) => {
          stats[sample.target]?.add(sample);
          if (tracker && !isError(sample))
            tracker.add(sample.target, sample.tick, sample.shot.body);
        },
      },
    );
  } finally {
    for (const sender of ctx.senders) sender.close();
    stop.abort();
    await Promise.all([watching, following]);
  }
  // A cancelled load measured part of the window: no figures, outputs or verdict from it.
  if (ctx.signal.aborted) throw cancellation(ctx.signal, 'load');
  report.measured = stats;
  const [candidate, baseline] = stats;
  if (candidate) report.candidate = candidate.figures(inputs.durationMs);
  if (baseline) report.baseline = baseline.figures(inputs.durationMs);
  if (tracker) report.predictions = tracker.figures();
  report.series = {
    bucketMs,
    candidate: candidate?.series(95, inputs.durationMs) ?? [],
    ...(baseline ? { baseline: baseline.series(95, inputs.durationMs) } : {}),
  };
  const c = report.candidate;
  if (c) {
    ctx.logger.info(
      `Candidate: ${c.requests} requests, ${percent(c.errorRate)} errors, p50 ${c.latencyMs.p50} ms, p95 ${c.latencyMs.p95} ms, p99 ${c.latencyMs.p99} ms, ${c.throughput}/s`,
    );
  }
}

/** The load's checks: thresholds on the candidate, comparisons with the baseline. */
function loadChecks(ctx: AnalyzeContext, report: AnalyzeReport): void {
  const [candidate, baseline] = report.measured ?? [];
  if (!candidate || !report.candidate) throw new Error('the load measured nothing');
  report.checks.push(...thresholdChecks(ctx.inputs, candidate, report.candidate));
  if (baseline && report.baseline) {
    report.checks.push(
      ...regressionChecks(ctx.inputs, candidate, baseline, {
        candidate: report.candidate,
        baseline: report.baseline,
      }),
    );
  }
  const predictionCheck = predictionChecks(ctx.inputs, report.predictions);
  if (predictionCheck) report.checks.push(predictionCheck);
}

export function judgePhase(ctx: AnalyzeContext, report: AnalyzeReport): void {
  if (!isMetricsOnly(ctx)) loadChecks(ctx, report);
  if (report.queries) report.checks.push(...queryChecks(report.queries));
  report.verdict = overallVerdict(report.checks);
  for (const check of report.checks) {
    ctx.logger.info(`${check.verdict.padEnd(12)} ${check.name}: ${check.measured}`);
  }
}

export async function writeReportPhase(ctx: AnalyzeContext, report: AnalyzeReport): Promise<void> {
  report.reportPath = await ctx.writeReport(reportJson(report));
}

/**
 * Before any load: every query once, so a bad query or an unreachable Prometheus fails now;
 * the HPA once, so a missing one does too.
 */
export async function checkQueriesPhase(ctx: AnalyzeContext): Promise<void> {
  await ctx.queries?.check(ctx.signal);
  await ctx.hpa?.read();
}

/** After the load: one more evaluation (what the load left behind), then the results. */
export async function evaluateQueriesPhase(
  ctx: AnalyzeContext,
  report: AnalyzeReport,
): Promise<void> {
  if (ctx.queries) {
    await ctx.queries.evaluate(ctx.signal);
    report.queries = ctx.queries.results();
  }
  if (ctx.hpa) {
    await ctx.hpa.read();
    report.hpa = ctx.hpa.timeline();
    ctx.logger.info(`HorizontalPodAutoscaler ${report.hpa.name}: ${report.hpa.text}`);
  }
}

const withQueries = (ctx: AnalyzeContext): boolean =>
  ctx.queries !== undefined || ctx.hpa !== undefined;

export const analyzePhases: readonly Phase<AnalyzeContext, AnalyzeReport>[] = [
  phase('check queries and hpa', checkQueriesPhase, withQueries),
  phase('load', loadPhase, (ctx) => !isMetricsOnly(ctx)),
  phase('evaluate queries over time (metrics only)', watchQueriesPhase, isMetricsOnly),
  phase('evaluate queries and hpa', evaluateQueriesPhase, withQueries),
  phase('judge', judgePhase),
  phase('write report', writeReportPhase),
];
