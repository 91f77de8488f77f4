import * as core from '@actions/core';
import { systemClock } from '../../shared/clock.ts';
import { CancelledError, errorMessage } from '../../shared/errors.ts';
import { createKubeClient } from '../../shared/kube/index.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { RolloutInputs } from './inputs.ts';
import { rolloutAndVerify, type Progress } from './run.ts';
import { progressState } from './state.ts';
import { cancelledSummary, rolloutSummary } from './summary.ts';

/** Runs the logic with the runner's dependencies and maps the result to outputs. */
export async function main(inputs: RolloutInputs, signal: AbortSignal): Promise<void> {
  let last: Progress | undefined;
  const saveProgress = (p: Progress): void => {
    last = p;
    progressState.save(runnerState, p);
  };
  const result = await rolloutAndVerify(inputs, {
    logger: coreLogger,
    clock: systemClock,
    signal,
    saveProgress,
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
  }).catch(async (error: unknown) => {
    core.setOutput('status', 'failed');
    core.setOutput('failure-reason', errorMessage(error).split('\n')[0] ?? '');
    if (error instanceof CancelledError && last) {
      // The post step finds this state and warns; the summary says what was left.
      await writeSummary(cancelledSummary(last));
      saveProgress({ ...last, summarized: true });
    }
    throw error;
  });
  core.setOutput('status', result.status);
  core.setOutput('endpoint', result.endpoint);
  core.setOutput('revision', result.revision);
  core.setOutput('failure-reason', result.failureReason);
  await writeSummary(rolloutSummary(result));
  if (result.status === 'superseded') {
    // Not a failure of this release: another one replaced it before it could be verified.
    core.warning(`rollout-and-verify: superseded: ${result.supersededBy ?? ''}`);
    return;
  }
  if (result.status !== 'succeeded') {
    throw new Error(result.error ?? result.failureReason);
  }
  coreLogger.info(`Rollout succeeded${result.endpoint ? `; endpoint ${result.endpoint}` : ''}`);
}
