import * as core from '@actions/core';
import { mkdtemp, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { systemClock } from '../../shared/clock.ts';
import { CancelledError } from '../../shared/errors.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import { createKfpClient } from './client.ts';
import type { KfpInputs } from './inputs.ts';
import { kfpRunAndWait, PreRunError } from './run.ts';
import { runState } from './state.ts';
import { preRunSummary, runSummary } from './summary.ts';

/** Runs the logic with the runner's dependencies and maps the result to outputs. */
export async function main(inputs: KfpInputs, signal: AbortSignal): Promise<void> {
  // Bounds every request (a server that hangs) by `timeout`, on the real clock; the client's
  // deadline keeps every retry wait (a Retry-After of an hour) inside it too.
  const deadlineSignal = AbortSignal.timeout(inputs.timeoutMs);
  const client = createKfpClient(inputs, {
    logger: coreLogger,
    clock: systemClock,
    signal: AbortSignal.any([signal, deadlineSignal]),
    deadline: systemClock.now() + inputs.timeoutMs,
  });
  const result = await kfpRunAndWait(inputs, {
    client,
    clock: systemClock,
    logger: coreLogger,
    signal,
    deadlineSignal,
    saveRun: (saved) => runState.save(runnerState, saved),
  }).catch(async (error: unknown) => {
    if (error instanceof PreRunError) {
      await writeSummary(preRunSummary(error.message, error.changes));
      throw error.cause;
    }
    throw error;
  });
  // A name this step chose, in a directory of its own: nothing the server sent is in the path.
  const dir = await mkdtemp(path.join(inputs.outputDir, 'kfp-run-and-wait-'));
  const details = path.join(dir, 'run-details.json');
  await writeFile(details, JSON.stringify(result.run, null, 2) + '\n', { flag: 'wx' });
  core.setOutput('run-id', result.runId);
  core.setOutput('state', result.state);
  core.setOutput('run-url', result.runUrl);
  core.setOutput('run-details', details);
  await writeSummary(runSummary(result));
  if (result.outcome === 'cancelled') throw new CancelledError(result.error ?? 'cancelled');
  if (result.outcome !== 'succeeded' && result.outcome !== 'submitted') {
    throw new Error(result.error ?? `run ended ${result.state}`);
  }
  coreLogger.info(`Run ${result.runId} ${result.state}: ${result.runUrl}`);
}
