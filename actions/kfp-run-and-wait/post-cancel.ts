/**
 * The post step: a run the main step created but could not settle (the job was cancelled, or
 * cancelling it in main failed) is cancelled here, with `cancel-on-timeout`, and reported.
 */
import type { Clock } from '../../shared/clock.ts';
import { systemClock } from '../../shared/clock.ts';
import { errorMessage } from '../../shared/errors.ts';
import { Inputs } from '../../shared/inputs.ts';
import { coreLogger, type Logger } from '../../shared/logger.ts';
import { runnerState, type StateStore } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import { TERMINAL_STATES, type KfpClient } from './api.ts';
import { createKfpClient } from './client.ts';
import { getConnectionInputs, type ConnectionInputs } from './inputs.ts';
import { runState } from './state.ts';
import { postSummary } from './summary.ts';

export interface PostDeps {
  store: StateStore;
  logger: Logger;
  clock: Clock;
  connection(): ConnectionInputs;
  client(conn: ConnectionInputs): KfpClient;
  summary(markdown: string): Promise<void>;
}

const runnerDeps: PostDeps = {
  store: runnerState,
  logger: coreLogger,
  clock: systemClock,
  connection: () => getConnectionInputs(new Inputs()),
  client: (conn) => createKfpClient(conn, { logger: coreLogger, clock: systemClock }),
  summary: writeSummary,
};

export async function cancelLeftRun(deps: PostDeps = runnerDeps): Promise<void> {
  const saved = runState.load(deps.store);
  if (!saved || saved.settled) return;
  const conn = deps.connection();
  const { runId, runUrl } = saved;
  if (!conn.cancelOnTimeout) {
    deps.logger.warning(
      `Run ${runId} may still be running in KFP (cancel-on-timeout is false): ${runUrl}`,
    );
    return;
  }
  const client = deps.client(conn);
  let message: string;
  let ok = false;
  try {
    const run = await client.getRun(runId, AbortSignal.timeout(20_000));
    const state = run.state ?? 'RUNTIME_STATE_UNSPECIFIED';
    if (TERMINAL_STATES.has(state)) {
      deps.logger.info(`Run ${runId} already ended ${state}: nothing to cancel.`);
      return;
    }
    await client.terminateRun(runId, AbortSignal.timeout(20_000));
    ok = true;
    message = `Cancelled run ${runId} in KFP (it was ${state}; the main step did not finish): ${runUrl}`;
  } catch (error) {
    message = `Could not cancel run ${runId} in KFP: ${errorMessage(error).replace(/\.$/, '')}. Cancel it in the KFP UI: ${runUrl}`;
  }
  deps.logger.warning(message);
  await deps.summary(postSummary(runId, runUrl, message, ok));
}
