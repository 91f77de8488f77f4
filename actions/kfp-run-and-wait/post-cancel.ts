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
import { boundFor, TERMINAL_STATES, type KfpClient } from './api.ts';
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

/** Time for the post step to read the run's state: a refusal or a hang must not stop the cancel. */
export const POST_READ_MS = 5_000;
/** Time for the post step's `:terminate` (with its retries): the post step ends within both. */
export const POST_CANCEL_MS = 10_000;

/** The run's state, or why it could not be read (the cancel is tried all the same). */
async function readState(
  client: KfpClient,
  runId: string,
  clock: Clock,
): Promise<{ state: string } | { unread: string }> {
  try {
    const run = await client.getRun(runId, boundFor(clock, POST_READ_MS));
    return { state: run.state ?? 'RUNTIME_STATE_UNSPECIFIED' };
  } catch (error) {
    return { unread: errorMessage(error).replace(/\.$/, '') };
  }
}

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
  const read = await readState(client, runId, deps.clock);
  if ('state' in read && TERMINAL_STATES.has(read.state)) {
    deps.logger.info(`Run ${runId} already ended ${read.state}: nothing to cancel.`);
    return;
  }
  const was =
    'state' in read ? `it was ${read.state}` : `its state could not be read: ${read.unread}`;
  let message: string;
  let ok = false;
  try {
    await client.terminateRun(runId, boundFor(deps.clock, POST_CANCEL_MS));
    ok = true;
    message = `Cancelled run ${runId} in KFP (${was}; the main step did not finish): ${runUrl}`;
  } catch (error) {
    message = `Could not cancel run ${runId} in KFP: ${errorMessage(error).replace(/\.$/, '')}. Cancel it in the KFP UI: ${runUrl}`;
  }
  deps.logger.warning(message);
  await deps.summary(postSummary(runId, runUrl, message, ok));
}
