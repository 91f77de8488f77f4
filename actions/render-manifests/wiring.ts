/**
 * render-manifests wired to the runner (loaded once the inputs are valid): the runner's
 * command runner, logger and clock; outputs and the job summary come from the report.
 */
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { processRunner } from '../../shared/exec.ts';
import { coreLogger } from '../../shared/logger.ts';
import { phase } from '../../shared/phases.ts';
import type { RenderInputs } from './inputs.ts';
import {
  emptyRenderReport,
  renderResult,
  type RenderContext,
  type RenderReport,
} from './report.ts';
import { renderPhases } from './run.ts';
import { renderSummary } from './summary.ts';

/** At most this many objects go into the `resources` output (its JSON stays well under 1 MiB). */
export const MAX_RESOURCES_OUTPUT = 1000;

/** Step outputs share the runner's limits: the list is capped, the count is always whole. */
export function renderOutputs(report: RenderReport, error?: unknown): ActionOutputs {
  const result = renderResult(report);
  if (error !== undefined || !result) return {};
  return {
    'manifests-path': result.manifestsPath,
    resources: JSON.stringify(result.resources.slice(0, MAX_RESOURCES_OUTPUT)),
    'resource-count': String(result.resources.length),
    images: JSON.stringify(result.images),
    checksum: result.checksum,
  };
}

/** Warnings of a finished render, and the one line that says what was written. */
function announce(ctx: RenderContext, report: RenderReport): void {
  const result = renderResult(report);
  if (!result) return;
  for (const w of result.warnings) ctx.logger.warning(w);
  if (result.resources.length > MAX_RESOURCES_OUTPUT)
    ctx.logger.warning(
      `render-manifests: output 'resources' lists the first ${MAX_RESOURCES_OUTPUT} of ${result.resources.length} objects (output 'resource-count' has the total; ${result.manifestsPath} holds them all).`,
    );
  ctx.logger.info(`Rendered ${result.resources.length} resources to ${result.manifestsPath}`);
}

/** The body with the runner's dependencies (tests pass fakes). */
export function renderBody(
  deps: Pick<RenderContext, 'runner' | 'logger' | 'clock'> = {
    runner: processRunner,
    logger: coreLogger,
    clock: systemClock,
  },
): ActionBody<RenderInputs, RenderContext, RenderReport> {
  return {
    context: (inputs, signal) => ({ ...deps, inputs, signal }),
    report: (ctx) => emptyRenderReport(ctx.inputs),
    phases: [...renderPhases, phase('announce', announce)],
    group: (_ctx) => 'Render manifests',
    outputs: renderOutputs,
    // A failed render writes no summary of its own: the failure summary says why.
    summary: (report, error) => {
      const result = renderResult(report);
      return error !== undefined || !result ? undefined : renderSummary(result, report.checks);
    },
  };
}

export const { context, report, phases, outputs, summary, group } = renderBody();
