/**
 * kfp-run-and-wait's logic, as named phases over a typed report: prepare the pipeline (no
 * call) → check the server → resolve the pipeline → experiment → create the run → wait (and
 * settle: cancel the run when the wait ended early) → write the run's details. Dependencies
 * (API client, clock, logger, signals, the post step's state) come in the context.
 */
import { Deadline } from '../../shared/deadline.ts';
import { cancellation, errorMessage, InputError } from '../../shared/errors.ts';
import { formatDuration } from '../../shared/inputs.ts';
import { phase, runPhases, type Phase } from '../../shared/phases.ts';
import type { Run } from './api.ts';
import { endedEarly, failedTasks, follow, runUrl, stateOf } from './follow.ts';
import type { KfpInputs } from './inputs.ts';
import type { CreatedRun, KfpContext, KfpReport, KfpResult, Outcome, RunDeps } from './report.ts';
import { preparePipeline, resolveExperiment, resolvePipeline } from './resolve.ts';

export {
  CANCEL_BUDGET_MS,
  FIRST_POLL_MS,
  POLL_FACTOR,
  failedTasks,
  runUrl,
  taskName,
} from './follow.ts';
export type { CancelReport, KfpResult, Outcome, RunDeps } from './report.ts';

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

type KfpPhase = Phase<KfpContext, KfpReport>['run'];

/** A request cut short by the step's deadline or the job's cancellation says which. */
function submitting(run: KfpPhase): KfpPhase {
  return async (ctx, report) => {
    try {
      await run(ctx, report);
    } catch (error) {
      if (ctx.deadlineSignal?.aborted) {
        throw new Error(
          `timed out after ${formatDuration(ctx.inputs.timeoutMs)} before the run was created (${errorMessage(error)})`,
        );
      }
      throw ctx.signal.aborted ? cancellation(ctx.signal, 'the submission of the run') : error;
    }
  };
}

async function checkServer({ client, logger, inputs }: KfpContext): Promise<void> {
  const health = await client.healthz();
  if (health.multi_user && !inputs.namespace) {
    throw new InputError(
      `KFP at ${inputs.host} runs in multi-user mode: set 'namespace' to your Kubeflow profile namespace.`,
    );
  }
  logger.info(
    `KFP ${health.tag_name ?? '(version unknown)'} at ${inputs.host}${health.multi_user ? ' (multi-user)' : ''}`,
  );
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new Error(`kfp-run-and-wait: ${what} is missing (a phase was skipped)`);
  return value;
}

async function createRun(ctx: KfpContext, report: KfpReport): Promise<void> {
  const { inputs, client, logger } = ctx;
  const prepared = required(report.prepared, 'the prepared pipeline');
  const resolved = required(report.resolved, 'the resolved pipeline');
  const experimentId = report.experimentId;
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
  const url = runUrl(inputs.host, run.run_id);
  report.created = { run, runId: run.run_id, runUrl: url, source: resolved.source };
  // Saved for the post step in the same phase: a cancelled job must not leave it unsaved.
  ctx.saveRun({ runId: run.run_id, runUrl: url, settled: !inputs.wait });
  report.changes.push(`Created run \`${inputs.runName}\` (${run.run_id})`);
  logger.info(`Created run ${run.run_id}: ${url}`);
}

function resultOf(
  ctx: KfpContext,
  report: KfpReport,
  created: CreatedRun,
  outcome: Outcome,
  run: Run,
  extra: Partial<KfpResult> = {},
): KfpResult {
  return {
    outcome,
    runId: created.runId,
    run,
    runUrl: created.runUrl,
    state: stateOf(run),
    durationMs: ctx.clock.now() - report.startedAt,
    changes: report.changes,
    failedTasks: [],
    source: created.source,
    ...extra,
  };
}

/**
 * The last phase: the result (the submitted run with `wait: false`, else how it ended) and the
 * run's details file. One phase, so a cancelled job still gets its result, outputs and summary.
 */
async function settle(ctx: KfpContext, report: KfpReport): Promise<void> {
  const created = required(report.created, 'the created run');
  if (ctx.inputs.wait) await waitAndSettle(ctx, report, created);
  else report.result = resultOf(ctx, report, created, 'submitted', created.run);
  if (ctx.writeDetails)
    report.detailsPath = await ctx.writeDetails(required(report.result, 'the result').run);
}

/** Waits for the run to end and settles it: the result says how it ended. */
async function waitAndSettle(
  ctx: KfpContext,
  report: KfpReport,
  created: CreatedRun,
): Promise<void> {
  const { runId, runUrl: url } = created;
  const target = {
    runId,
    url,
    created: created.run,
    startedAt: report.startedAt,
    deadline: ctx.deadline.at,
  };
  const { waited, last } = await follow(ctx.inputs, ctx, target);
  const result = resultOf.bind(undefined, ctx, report, created);
  if (waited.done) {
    ctx.saveRun({ runId, runUrl: url, settled: true });
    const run = waited.value;
    const state = stateOf(run);
    if (state === 'SUCCEEDED') {
      report.result = result('succeeded', run);
      return;
    }
    const tasks = failedTasks(run);
    report.result = result('failed', run, {
      failedTasks: tasks,
      error: `run ${runId} ended ${state}${tasks.length ? `:\n${tasks.map((t) => `  - ${t}`).join('\n')}` : ''}\n${url}`,
    });
    return;
  }
  if (waited.reason === 'error') {
    const tail = waited.cancel
      ? waited.cancel.message
      : `Run ${runId} was left running in KFP (cancel-on-timeout is false): ${url}`;
    report.result = result('failed', last, {
      ...(waited.cancel ? { cancel: waited.cancel } : {}),
      error: `${errorMessage(waited.error)}\n${tail}`,
    });
    return;
  }
  const early = await endedEarly(ctx.inputs, ctx, { runId, url, last }, waited.reason);
  report.result = result(waited.reason === 'timeout' ? 'timeout' : 'cancelled', last, early);
}

/** The phases, in order: the whole orchestration is `runPhases` over these. */
export const kfpPhases: readonly Phase<KfpContext, KfpReport>[] = [
  phase('prepare', async ({ inputs }, report) => {
    report.prepared = await preparePipeline(inputs);
  }),
  phase('check server', submitting(checkServer)),
  phase(
    'resolve pipeline',
    submitting(async (ctx, report) => {
      const prepared = required(report.prepared, 'the prepared pipeline');
      report.resolved = await resolvePipeline(ctx.inputs, prepared, ctx, report.changes);
    }),
  ),
  phase(
    'experiment',
    submitting(async (ctx, report) => {
      report.experimentId = await resolveExperiment(ctx.inputs, ctx, report.changes);
    }),
  ),
  phase('create run', submitting(createRun)),
  phase('settle', settle),
];

/** The report before the first phase. */
export function kfpReport(ctx: KfpContext): KfpReport {
  return { phases: [], startedAt: ctx.clock.now(), changes: [] };
}

/** The context of `deps`: the step's deadline is `timeout` from now. */
export function kfpContext(inputs: KfpInputs, deps: RunDeps): KfpContext {
  return { ...deps, inputs, deadline: Deadline.after(inputs.timeoutMs, deps.clock) };
}

/**
 * The phases run over `deps` to the result (no details file): a failure before the run exists
 * after something was changed in KFP is a PreRunError that says what.
 */
export async function kfpRunAndWait(inputs: KfpInputs, deps: RunDeps): Promise<KfpResult> {
  const ctx = kfpContext(inputs, deps);
  const report = kfpReport(ctx);
  try {
    await runPhases(kfpPhases, ctx, report);
  } catch (error) {
    throw report.created === undefined && report.changes.length > 0
      ? new PreRunError(error, report.changes)
      : error;
  }
  return required(report.result, 'the result');
}
