/**
 * kfp-run-and-wait's body, loaded once the inputs are valid: the runner's dependencies, and
 * outputs, summary and verdict derived from the report the phases filled in.
 */
import { writeStepFile } from '../../shared/step-files.ts';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { CancelledError, errorMessage } from '../../shared/errors.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import { createKfpClient } from './client.ts';
import type { KfpInputs } from './inputs.ts';
import type { KfpContext, KfpReport } from './report.ts';
import { kfpPhases, kfpReport } from './run.ts';
import { runState } from './state.ts';
import { preRunSummary, runSummary } from './summary.ts';

function contextOf(inputs: KfpInputs, signal: AbortSignal): KfpContext {
  // Bounds every request (a server that hangs) by `timeout`, on the real clock; the client's
  // deadline keeps every retry wait (a Retry-After of an hour) inside it too.
  const deadlineSignal = systemClock.timeout(inputs.timeoutMs);
  const deadline = Deadline.after(inputs.timeoutMs, systemClock);
  const client = createKfpClient(inputs, {
    logger: coreLogger,
    clock: systemClock,
    signal: AbortSignal.any([signal, deadlineSignal]),
    deadline: deadline.at,
  });
  return {
    inputs,
    client,
    clock: systemClock,
    logger: coreLogger,
    signal,
    deadlineSignal,
    deadline,
    saveRun: (saved) => runState.save(runnerState, saved),
    writeDetails: (run) =>
      writeStepFile(
        inputs.outputDir,
        'kfp-run-and-wait',
        'run-details.json',
        JSON.stringify(run, null, 2) + '\n',
      ),
  };
}

/** Outputs only once the run is settled and its details written (none after a failure). */
function outputsOf(report: KfpReport, error?: unknown): ActionOutputs {
  const result = report.result;
  if (error !== undefined || !result) return {};
  return {
    'run-id': result.runId,
    state: result.state,
    'run-url': result.runUrl,
    'run-details': report.detailsPath,
  };
}

function summaryOf(report: KfpReport, error?: unknown): string | undefined {
  if (error === undefined && report.result) return runSummary(report.result);
  // A failure before the run existed, after changes in KFP, says what was changed.
  if (error !== undefined && !report.created && report.changes.length > 0) {
    return preRunSummary(errorMessage(error), report.changes);
  }
  return undefined;
}

function verdictOf(report: KfpReport): void {
  const result = report.result;
  if (!result) throw new Error('kfp-run-and-wait: the run has no result');
  if (result.outcome === 'cancelled') throw new CancelledError(result.error ?? 'cancelled');
  if (result.outcome !== 'succeeded' && result.outcome !== 'submitted') {
    throw new Error(result.error ?? `run ended ${result.state}`);
  }
  coreLogger.info(`Run ${result.runId} ${result.state}: ${result.runUrl}`);
}

const body: ActionBody<KfpInputs, KfpContext, KfpReport> = {
  context: contextOf,
  report: kfpReport,
  phases: kfpPhases,
  outputs: outputsOf,
  summary: summaryOf,
  verdict: verdictOf,
};
export const { context, report, phases, outputs, summary, verdict } = body;
