import * as core from '@actions/core';
import { systemClock } from '../../shared/clock.ts';
import { errorMessage } from '../../shared/errors.ts';
import { createKubeClient } from '../../shared/kube.ts';
import { coreLogger } from '../../shared/logger.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { RolloutInputs } from './inputs.ts';
import { rolloutAndVerify, type Progress } from './run.ts';
import { failureSummary, rolloutSummary } from './summary.ts';

export const PROGRESS_STATE = 'progress';

/** Runs the logic with the runner's dependencies and maps the result to outputs. */
export async function main(inputs: RolloutInputs): Promise<void> {
  const controller = new AbortController();
  let last: Progress | undefined;
  const saveProgress = (p: Progress): void => {
    last = p;
    core.saveState(PROGRESS_STATE, JSON.stringify(p));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    // The runner cancels with SIGINT then SIGTERM: record where we were for the post step.
    if (last) saveProgress({ ...last, phase: `${last.phase} (cancelled by ${signal})` });
    controller.abort();
    core.error(
      `rollout-and-verify: cancelled (${signal}) during the rollout; the post step reports what was left`,
    );
    process.exit(1);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const result = await rolloutAndVerify(inputs, {
    logger: coreLogger,
    clock: systemClock,
    signal: controller.signal,
    saveProgress,
    createClient: () =>
      createKubeClient({
        kubeconfigPath: inputs.kubeconfig,
        ...(inputs.context ? { context: inputs.context } : {}),
        logger: coreLogger,
        connectTimeoutMs: Math.min(10_000, inputs.timeoutMs),
        userAgent: 'mlops-actions/rollout-and-verify',
      }),
  }).catch(async (error: unknown) => {
    core.setOutput('status', 'failed');
    core.setOutput('failure-reason', errorMessage(error).split('\n')[0] ?? '');
    await writeSummary(failureSummary(errorMessage(error)));
    throw error;
  });
  core.setOutput('status', result.status);
  core.setOutput('endpoint', result.endpoint);
  core.setOutput('revision', result.revision);
  core.setOutput('failure-reason', result.failureReason);
  await writeSummary(rolloutSummary(result));
  if (result.status !== 'succeeded') {
    throw new Error(result.error ?? result.failureReason);
  }
  core.info(`Rollout succeeded${result.endpoint ? `; endpoint ${result.endpoint}` : ''}`);
}
