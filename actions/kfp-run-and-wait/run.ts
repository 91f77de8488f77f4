/**
 * kfp-run-and-wait's logic, as named phases: prepare the pipeline (no call) → check the
 * server → resolve the pipeline → experiment → create the run → wait → settle (cancel the run
 * when the wait ended early). Dependencies (API client, clock, logger, signals) are injected.
 */
import type { Clock } from '../../shared/clock.ts';
import { cancellation, errorMessage, InputError } from '../../shared/errors.ts';
import { formatDuration } from '../../shared/inputs.ts';
import type { Logger } from '../../shared/logger.ts';
import { waitFor } from '../../shared/wait.ts';
import {
  boundFor,
  KfpError,
  TERMINAL_STATES,
  type KfpClient,
  type Run,
  type TaskDetail,
} from './api.ts';
import type { KfpInputs } from './inputs.ts';
import { preparePipeline, resolveExperiment, resolvePipeline, type Prepared } from './resolve.ts';
import type { SavedRun } from './state.ts';

/** The first poll comes this soon after creation; each next one 1.5× later, up to the cap. */
export const FIRST_POLL_MS = 2000;
export const POLL_FACTOR = 1.5;
/** How long main may spend cancelling the run once the job is cancelled (the runner waits ~7 s). */
export const CANCEL_BUDGET_MS = 5000;

export type Outcome = 'succeeded' | 'failed' | 'submitted' | 'timeout' | 'cancelled';

export interface CancelReport {
  ok: boolean;
  message: string;
}

export interface KfpResult {
  outcome: Outcome;
  /** The created run's id (checked against its grammar): what outputs and files are named by. */
  runId: string;
  run: Run;
  runUrl: string;
  state: string;
  durationMs: number;
  /** What this step changed in KFP, one line each. */
  changes: string[];
  /** Failed tasks (name: error), for FAILED / CANCELED / SKIPPED runs. */
  failedTasks: string[];
  cancel?: CancelReport;
  /** The failure message when the outcome is not succeeded or submitted. */
  error?: string;
  source: string;
}

export interface RunDeps {
  client: KfpClient;
  clock: Clock;
  logger: Logger;
  /** Aborted when the job is cancelled. */
  signal: AbortSignal;
  /** Aborted when `timeout` has passed on the real clock: bounds requests that hang. */
  deadlineSignal?: AbortSignal;
  /** Saves the run for the post step: as soon as it exists, and once it is settled. */
  saveRun(saved: SavedRun): void;
}

/** The KFP UI page of a run (the UI serves the API root's `/#/runs/details/<id>`). */
export function runUrl(host: string, runId: string): string {
  return `${host}/#/runs/details/${encodeURIComponent(runId)}`;
}

/** A failure before the run exists: `changes` say what was done so far. */
export class PreRunError extends Error {
  override name = 'PreRunError';
  readonly changes: string[];
  override readonly cause: unknown;
  constructor(cause: unknown, changes: string[]) {
    super(errorMessage(cause));
    this.cause = cause;
    this.changes = changes;
  }
}

/** Everything up to the created run; a failure says what was changed on the way. */
async function submit(
  inputs: KfpInputs,
  prepared: Prepared,
  deps: RunDeps,
  changes: string[],
): Promise<{ run: Run; source: string }> {
  const { client, logger } = deps;
  const health = await client.healthz();
  if (health.multi_user && !inputs.namespace) {
    throw new InputError(
      `KFP at ${inputs.host} runs in multi-user mode: set 'namespace' to your Kubeflow profile namespace.`,
    );
  }
  logger.info(
    `KFP ${health.tag_name ?? '(version unknown)'} at ${inputs.host}${health.multi_user ? ' (multi-user)' : ''}`,
  );
  const resolved = await resolvePipeline(inputs, prepared, deps, changes);
  const experimentId = await resolveExperiment(inputs, deps, changes);
  const run = await client.createRun(
    {
      display_name: inputs.runName,
      description: `Started by ${inputs.context.repository || 'GitHub Actions'} run ${inputs.context.runId} (attempt ${inputs.context.runAttempt}) at ${inputs.context.sha}`,
      ...(experimentId ? { experiment_id: experimentId } : {}),
      ...resolved.body,
      runtime_config: { parameters: prepared.parameters },
    },
    { onRetry: (message) => logger.warning(message) },
  );
  return { run, source: resolved.source };
}

function stateOf(run: Run): string {
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
type Waited =
  | { done: true; value: Run }
  | { done: false; reason: 'timeout' | 'aborted' }
  | { done: false; reason: 'error'; error: unknown; cancel: CancelReport | undefined };

/** Polls the run until it ends, the deadline passes or the job is cancelled. */
async function follow(
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
async function endedEarly(
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

export async function kfpRunAndWait(inputs: KfpInputs, deps: RunDeps): Promise<KfpResult> {
  const { clock, logger, signal } = deps;
  const startedAt = clock.now();
  const deadline = startedAt + inputs.timeoutMs;
  const changes: string[] = [];

  const prepared = await preparePipeline(inputs);
  let submitted: { run: Run; source: string };
  try {
    submitted = await submit(inputs, prepared, deps, changes);
  } catch (error) {
    // A request cut short by the step's deadline or the job's cancellation says which.
    const cause = deps.deadlineSignal?.aborted
      ? new Error(
          `timed out after ${formatDuration(inputs.timeoutMs)} before the run was created (${errorMessage(error)})`,
        )
      : signal.aborted
        ? cancellation(signal, 'the submission of the run')
        : error;
    throw changes.length > 0 ? new PreRunError(cause, changes) : cause;
  }
  const created = submitted.run;
  const runId = created.run_id;
  const url = runUrl(inputs.host, runId);
  deps.saveRun({ runId, runUrl: url, settled: !inputs.wait });
  changes.push(`Created run \`${inputs.runName}\` (${runId})`);
  logger.info(`Created run ${runId}: ${url}`);

  const result = (outcome: Outcome, run: Run, extra: Partial<KfpResult> = {}): KfpResult => ({
    outcome,
    runId,
    run,
    runUrl: url,
    state: stateOf(run),
    durationMs: clock.now() - startedAt,
    changes,
    failedTasks: [],
    source: submitted.source,
    ...extra,
  });

  if (!inputs.wait) return result('submitted', created);

  const { waited, last } = await follow(inputs, deps, { runId, url, created, startedAt, deadline });

  if (waited.done) {
    deps.saveRun({ runId, runUrl: url, settled: true });
    const run = waited.value;
    const state = stateOf(run);
    if (state === 'SUCCEEDED') return result('succeeded', run);
    const tasks = failedTasks(run);
    return result('failed', run, {
      failedTasks: tasks,
      error: `run ${runId} ended ${state}${tasks.length ? `:\n${tasks.map((t) => `  - ${t}`).join('\n')}` : ''}\n${url}`,
    });
  }
  if (waited.reason === 'error') {
    const tail = waited.cancel
      ? waited.cancel.message
      : `Run ${runId} was left running in KFP (cancel-on-timeout is false): ${url}`;
    return result('failed', last, {
      ...(waited.cancel ? { cancel: waited.cancel } : {}),
      error: `${errorMessage(waited.error)}\n${tail}`,
    });
  }
  const early = await endedEarly(inputs, deps, { runId, url, last }, waited.reason);
  return result(waited.reason === 'timeout' ? 'timeout' : 'cancelled', last, early);
}
