/**
 * rollout-and-verify with the runner's dependencies, loaded once the inputs are valid: the
 * context, the phases, and the outputs, summary and verdict made from the report.
 */
import * as core from '@actions/core';
import { systemClock } from '../../shared/clock.ts';
import { CancelledError, errorMessage } from '../../shared/errors.ts';
import { createKubeClient } from '../../shared/kube/index.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import type { ActionOutputs } from '../../shared/define-action.ts';
import { rolloutContext } from './context.ts';
import type { RolloutInputs } from './inputs.ts';
import { newReport, rolloutPhases, type RolloutContext, type RolloutReport } from './pipeline.ts';
import { progressState } from './state.ts';
import { withFinishCanary } from './finish-phases.ts';
import { cancelledSummary, rolloutSummary } from './summary.ts';

export function context(inputs: RolloutInputs, signal: AbortSignal): Promise<RolloutContext> {
  return rolloutContext(inputs, {
    logger: coreLogger,
    clock: systemClock,
    signal,
    saveProgress: (p) => progressState.save(runnerState, p),
    createClient: (deadline) =>
      createKubeClient({
        deadline,
        kubeconfigPath: inputs.kubeconfig,
        ...(inputs.context ? { context: inputs.context } : {}),
        logger: coreLogger,
        connectTimeoutMs: 10_000,
        userAgent: 'mlops-actions/rollout-and-verify',
        signal,
      }),
  });
}

export const report = newReport;
export const phases = withFinishCanary(rolloutPhases);

export function outputs(r: RolloutReport, error?: unknown): ActionOutputs {
  if (error !== undefined || !r.result) {
    return { status: 'failed', 'failure-reason': errorMessage(error).split('\n')[0] ?? '' };
  }
  return {
    status: r.result.status,
    endpoint: r.result.endpoint,
    revision: r.result.revision,
    'failure-reason': r.result.failureReason,
  };
}

export function summary(r: RolloutReport, error?: unknown): string | undefined {
  if (error instanceof CancelledError) {
    // The post step finds the progress and warns; this summary says what was left.
    const text = cancelledSummary(r.record.progress);
    r.record.progress.summarized = true;
    r.record.save();
    return text;
  }
  return error === undefined && r.result ? rolloutSummary(r.result) : undefined;
}

export function verdict(r: RolloutReport): void {
  const result = r.result;
  if (!result) throw new Error('the run ended without an outcome');
  if (result.status === 'superseded') {
    // Not a failure of this release: another one replaced it before it could be verified.
    core.warning(`rollout-and-verify: superseded: ${result.supersededBy ?? ''}`);
    return;
  }
  // A canary rolled back as `finish-canary: rollback` asked is this step's success.
  const asked = result.finishedCanary === 'rollback' && result.status === 'rolled-back';
  if (asked) return void coreLogger.info(`Canary rolled back; ${result.revision} serves 100 %`);
  if (result.status !== 'succeeded') throw new Error(result.error ?? result.failureReason);
  coreLogger.info(`Rollout succeeded${result.endpoint ? `; endpoint ${result.endpoint}` : ''}`);
}
