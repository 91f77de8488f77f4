/**
 * The post step: a run the main step created but could not settle (the job was cancelled, or
 * cancelling it in main failed) is cancelled here, with `cancel-on-timeout`, and reported.
 */
import type { PostBody } from '../../shared/action.ts';
import type { Clock } from '../../shared/clock.ts';
import { systemClock } from '../../shared/clock.ts';
import { errorMessage } from '../../shared/errors.ts';
import { Inputs } from '../../shared/inputs.ts';
import { coreLogger, type Logger } from '../../shared/logger.ts';
import { phase, runPhases, type Phase, type PhaseReport } from '../../shared/phases.ts';
import { runnerState, type StateStore } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import { boundFor, TERMINAL_STATES, type KfpClient } from './api.ts';
import { createKfpClient } from './client.ts';
import { getConnectionInputs, type ConnectionInputs } from './inputs.ts';
import { runState, type SavedRun } from './state.ts';
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

/** What the post step found and did. */
export interface PostReport extends PhaseReport {
  /** The run main left unsettled (none: nothing to do). */
  left?: SavedRun;
  conn?: ConnectionInputs;
  client?: KfpClient;
  /** The run's state, or why it could not be read. */
  read?: { state: string } | { unread: string };
  cancel?: { ok: boolean; message: string };
}

export interface PostContext extends PostDeps {
  signal: AbortSignal;
}

type PostPhase = Phase<PostContext, PostReport>;

const cancelling = (r: PostReport): boolean => r.conn?.cancelOnTimeout === true;
const runOf = (r: PostReport): SavedRun => {
  if (!r.left) throw new Error('kfp-run-and-wait (post): no run left');
  return r.left;
};

/** The phases, in order: each runs only while there is a run left to cancel. */
export const postPhases: readonly PostPhase[] = [
  phase('find run left', (ctx, report) => {
    const saved = runState.load(ctx.store);
    if (!saved || saved.settled) return;
    report.left = saved;
    report.conn = ctx.connection();
  }),
  phase(
    'leave run',
    (ctx, report) => {
      const { runId, runUrl } = runOf(report);
      ctx.logger.warning(
        `Run ${runId} may still be running in KFP (cancel-on-timeout is false): ${runUrl}`,
      );
    },
    (_, r) => r.left !== undefined && !cancelling(r),
  ),
  phase(
    'read state',
    async (ctx, report) => {
      const { runId } = runOf(report);
      const client = ctx.client(report.conn as ConnectionInputs);
      report.client = client;
      report.read = await readState(client, runId, ctx.clock);
      if ('state' in report.read && TERMINAL_STATES.has(report.read.state)) {
        ctx.logger.info(`Run ${runId} already ended ${report.read.state}: nothing to cancel.`);
      }
    },
    (_, r) => r.left !== undefined && cancelling(r),
  ),
  phase(
    'cancel run',
    async (ctx, report) => {
      const { runId, runUrl } = runOf(report);
      report.cancel = await terminate(report, runId, runUrl, ctx.clock);
      ctx.logger.warning(report.cancel.message);
    },
    (_, r) => r.read !== undefined && !('state' in r.read && TERMINAL_STATES.has(r.read.state)),
  ),
  phase(
    'summary',
    async (ctx, report) => {
      const { runId, runUrl } = runOf(report);
      const { message, ok } = report.cancel as { ok: boolean; message: string };
      await ctx.summary(postSummary(runId, runUrl, message, ok));
    },
    (_, r) => r.cancel !== undefined,
  ),
];

async function terminate(
  report: PostReport,
  runId: string,
  runUrl: string,
  clock: Clock,
): Promise<{ ok: boolean; message: string }> {
  const read = report.read as { state: string } | { unread: string };
  const was =
    'state' in read ? `it was ${read.state}` : `its state could not be read: ${read.unread}`;
  try {
    await (report.client as KfpClient).terminateRun(runId, boundFor(clock, POST_CANCEL_MS));
    return {
      ok: true,
      message: `Cancelled run ${runId} in KFP (${was}; the main step did not finish): ${runUrl}`,
    };
  } catch (error) {
    return {
      ok: false,
      message: `Could not cancel run ${runId} in KFP: ${errorMessage(error).replace(/\.$/, '')}. Cancel it in the KFP UI: ${runUrl}`,
    };
  }
}

function postContext(deps: PostDeps = runnerDeps): PostContext {
  return { ...deps, signal: new AbortController().signal };
}

const postReport = (): PostReport => ({ phases: [] });

/** The post step's body for `definePost`. */
export const postBody: PostBody<PostContext, PostReport> = {
  context: () => postContext(),
  report: postReport,
  phases: postPhases,
};

/** The post step over `deps`: cancels (and reports) a run main left unsettled. */
export async function cancelLeftRun(deps: PostDeps = runnerDeps): Promise<PostReport> {
  return runPhases(postPhases, postContext(deps), postReport());
}
