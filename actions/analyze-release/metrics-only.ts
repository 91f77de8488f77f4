/**
 * A metrics-only analysis: no load target, only `queries`. The verdict comes from Prometheus
 * alone — for a drift check on a schedule, or any figure the service already exports. The
 * queries are evaluated `evaluations` times, `interval` apart; this phase runs all but the
 * last (the phase after it, shared with a load, runs that one and collects the results).
 */
import { cancellation } from '../../shared/errors.ts';
import type { AnalyzeContext } from './report.ts';

export const isMetricsOnly = (ctx: AnalyzeContext): boolean => ctx.inputs.metricsOnly !== undefined;

export async function watchQueriesPhase(ctx: AnalyzeContext): Promise<void> {
  const { inputs, queries } = ctx;
  const evaluations = inputs.metricsOnly?.evaluations ?? 1;
  const intervalMs = inputs.prometheus?.intervalMs ?? 0;
  ctx.logger.info(
    evaluations === 1
      ? 'Metrics only (no load): evaluating the queries once, now'
      : `Metrics only (no load): evaluating the queries ${evaluations} times, ${intervalMs / 1000} s apart`,
  );
  for (let i = 1; i < evaluations; i++) {
    await queries?.evaluate(ctx.signal);
    // The job's signal ends the wait: a cancelled analysis stops at once.
    await ctx.clock.sleep(intervalMs, ctx.signal).catch(() => {
      throw cancellation(ctx.signal, 'metrics-only evaluation');
    });
  }
}
