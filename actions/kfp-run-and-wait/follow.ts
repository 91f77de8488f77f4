/**
 * Following a created run: polling it until it ends (an API outage is waited out until the
 * deadline), and what a wait cut short leads to — the run cancelled in KFP, or left and said so.
 */
import { errorMessage } from '../../shared/errors.ts';
import { formatDuration } from '../../shared/inputs.ts';
import { waitFor } from '../../shared/wait.ts';
import { boundFor, KfpError, TERMINAL_STATES, type Run, type TaskDetail } from './api.ts';
import type { KfpInputs } from './inputs.ts';
import type { CancelReport, KfpResult, RunDeps } from './report.ts';

/** The first poll comes this soon after creation; each next one 1.5× later, up to the cap. */
export const FIRST_POLL_MS = 2000;
export const POLL_FACTOR = 1.5;
/** How long main may spend cancelling the run once the job is cancelled (the runner waits ~7 s). */
export const CANCEL_BUDGET_MS = 5000;

/** The KFP UI page of a run (the UI serves the API root's `/#/runs/details/<id>`). */
export function runUrl(host: string, runId: string): string {
  return `${host}/#/runs/details/${encodeURIComponent(runId)}`;
}

export function stateOf(run: Run): string {
  return run.state ?? 'RUNTIME_STATE_UNSPECIFIED';
}

/** Failed tasks with their errors, in KFP's order, as `name: message` lines; then the run's error. */
export function failedTasks(run: Run): string[] {
  const tasks = run.run_details?.task_details ?? [];
  const failed = tasks.filter((t) => t.state === 'FAILED');
  const lines = failed.map(
    (t) => `${taskName(t)}: ${t.error?.message?.trim() || 'failed (KFP gave no message)'}`,
  );
  if (run.error?.message && !lines.some((l) => l.includes(run.error?.message ?? ''))) {
    lines.push(`run: ${run.error.message.trim()}`);
  }
  return lines;
}

export function taskName(t: TaskDetail): string {
  return t.display_name || t.task_id || '(unnamed task)';
}

/** Cancels the run in KFP, bounded by its own time (the step's may be spent). */
async function cancelRun(deps: RunDeps, runId: string, why: string): Promise<CancelReport> {
  try {
    await deps.client.terminateRun(runId, boundFor(deps.clock, CANCEL_BUDGET_MS));
    deps.logger.info(`Cancelled run ${runId} in KFP (${why})`);
    return { ok: true, message: `Cancelled run ${runId} in KFP (${why})` };
  } catch (error) {
    return { ok: false, message: `Could not cancel run ${runId} in KFP: ${errorMessage(error)}` };
  }
}

/** What the wait ended with: the terminal run, or why not (and the cancel it led to). */
export type Waited =
  | { done: true; value: Run }
  | { done: false; reason: 'timeout' | 'aborted' }
  | { done: false; reason: 'error'; error: unknown; cancel: CancelReport | undefined };

/** Polls the run until it ends, the deadline passes or the job is cancelled. */
export async function follow(
  inputs: KfpInputs,
  deps: RunDeps,
  target: { runId: string; url: string; created: Run; startedAt: number; deadline: number },
): Promise<{ waited: Waited; last: Run }> {
  const { runId, url, startedAt, deadline } = target;
  const { client, clock, logger, signal } = deps;
  let last = target.created;
  let reported = '';
  const waited = await waitFor<Run>(
    async () => {
      try {
        const run = await client.getRun(runId);
        last = run;
        const state = stateOf(run);
        if (state !== reported) {
          reported = state;
          logger.info(`Run ${runId}: ${state} after ${formatDuration(clock.now() - startedAt)}`);
        }
        return TERMINAL_STATES.has(state) ? run : undefined;
      } catch (error) {
        // Cancelled or out of time: waitFor reports which.
        if (signal.aborted || deps.deadlineSignal?.aborted) return undefined;
        // An API outage (after the HTTP retries) is waited out until the deadline: the run
        // goes on in the cluster, and giving up would leave it unwatched.
        if (error instanceof KfpError && error.transient) {
          logger.warning(`Polling run ${runId}: ${error.message}; trying again`);
          return undefined;
        }
        throw error;
      }
    },
    {
      clock,
      deadline,
      signal,
      intervalMs: Math.min(FIRST_POLL_MS, inputs.pollIntervalMs),
      factor: POLL_FACTOR,
      maxIntervalMs: inputs.pollIntervalMs,
    },
  ).catch(async (error: unknown) => {
    // Polling failed for good (e.g. the token expired): the run must not be left unwatched.
    const cancel = inputs.cancelOnTimeout
      ? await cancelRun(deps, runId, 'the step could not follow it')
      : undefined;
    if (cancel?.ok) deps.saveRun({ runId, runUrl: url, settled: true });
    return { done: false as const, reason: 'error' as const, error, cancel };
  });
  return { waited, last };
}

/** A wait cut short (timeout, cancelled job): the run is cancelled in KFP, or left and said so. */
export async function endedEarly(
  inputs: KfpInputs,
  deps: RunDeps,
  target: { runId: string; url: string; last: Run },
  reason: 'timeout' | 'aborted',
): Promise<Partial<KfpResult>> {
  const { runId, url, last } = target;
  const why =
    reason === 'timeout'
      ? `timed out after ${formatDuration(inputs.timeoutMs)}`
      : 'the job was cancelled';
  let cancel: CancelReport | undefined;
  if (inputs.cancelOnTimeout) {
    cancel = await cancelRun(deps, runId, why);
    if (cancel.ok) deps.saveRun({ runId, runUrl: url, settled: true });
  } else {
    deps.saveRun({ runId, runUrl: url, settled: true });
  }
  const tail = cancel
    ? cancel.ok
      ? `the run was cancelled in KFP`
      : `${cancel.message}; the post step tries again`
    : 'the run was left running in KFP (cancel-on-timeout is false)';
  const what =
    reason === 'timeout'
      ? `run ${runId} ${why} in state ${stateOf(last)}`
      : `${why} while run ${runId} was ${stateOf(last)}`;
  return { ...(cancel ? { cancel } : {}), error: `${what}; ${tail}\n${url}` };
}
