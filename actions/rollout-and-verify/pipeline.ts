/**
 * rollout-and-verify as named phases over a typed report: load → snapshot → apply → follow →
 * (diagnose) → verify → promote → (diagnose, roll back) → finish. Each phase is a plain
 * function of the context (inputs, clients, kind handlers, operations) and the report; a
 * phase asks each object's kind handler (chosen once by kind) and knows no kinds itself.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Deadline } from '../../shared/deadline.ts';
import { cancellation, CancelledError } from '../../shared/errors.ts';
import type { KubeClient } from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import { phase, type Phase, type PhaseReport } from '../../shared/phases.ts';
import type { ApplyOptions } from './apply.ts';
import type { RunDeadlines } from './deadlines.ts';
import type { KindHandlers } from './handlers.ts';
import type { RolloutInputs } from './inputs.ts';
import type { Manifest } from './manifests.ts';
import type { RunRecord } from './record.ts';
import { PartialApplyError } from './apply.ts';
import { checkSmokeTarget } from './inputs.ts';
import { failureReasonOutput } from './cluster-values.ts';
import { endpointOf, failureText, judge, revisionOutput } from './result.ts';
import type {
  Diagnosis,
  Failure,
  FollowContext,
  PodProblem,
  RolloutResult,
  Tracked,
} from './types.ts';

/** The operations the phases use that are the same for every kind (injectable for tests). */
export interface RolloutOps {
  load(inputs: RolloutInputs, defaultNamespace: string): Promise<Manifest[]>;
  apply(manifests: Manifest[], o: ApplyOptions, ctx: FollowContext): Promise<Tracked[]>;
  follow(list: Tracked[], deadline: Deadline, ctx: RolloutContext): Promise<void>;
  diagnose(problem: PodProblem, ctx: RolloutContext): Promise<Diagnosis>;
  verify(
    manifests: Manifest[],
    endpoint: string,
    deadline: Deadline,
    inputs: RolloutInputs,
    ctx: RolloutContext,
  ): Promise<{ endpoint: string; failure?: Failure }>;
}

export interface RolloutContext extends FollowContext {
  inputs: RolloutInputs;
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** The step's deadline (from `timeout`) and the one the client keeps to. */
  deadlines: RunDeadlines;
  handlers: KindHandlers;
  ops: RolloutOps;
}

/** What the phases found, in order; the outputs and the summary are made from it. */
export interface RolloutReport extends PhaseReport {
  record: RunRecord;
  manifests: Manifest[];
  tracked: Tracked[];
  failure?: Failure;
  /** The pod problem behind the failure (diagnosed). */
  problem?: PodProblem;
  diagnosis?: Diagnosis;
  /** A kind handler's own account of the failure. */
  kindDiagnosis?: string;
  /** The verified endpoint (unset: the one a ready object reports). */
  endpoint?: string;
  /** Another release took over: which, and by whom. */
  supersededBy?: string;
  rollback?: { rolledBack: boolean; note: string; revision?: string };
  /** `finish-canary`: what it did to the held canary (finish-canary.ts). */
  finished?: {
    action: 'promote' | 'rollback';
    ok: boolean;
    revision: string;
    message: string;
    endpoint?: string;
  };
  result?: RolloutResult;
}

export function newReport(ctx: RolloutContext): RolloutReport {
  return { phases: [], record: ctx.record, manifests: [], tracked: [] };
}

function cancelled(ctx: RolloutContext): CancelledError {
  ctx.record.progress.cancelled = true;
  ctx.record.save();
  return cancellation(ctx.signal, ctx.record.progress.phase);
}

type Run = Phase<RolloutContext, RolloutReport>['run'];
type When = Phase<RolloutContext, RolloutReport>['when'];

/** A phase that stops the run when the job is cancelled, naming where the run was. */
function step(name: string, run: Run, when?: When): Phase<RolloutContext, RolloutReport> {
  const guarded: Run = async (ctx, report) => {
    try {
      await run(ctx, report);
    } catch (error) {
      // A request the cancellation aborted fails with an AbortError: the cause is the cancellation.
      if (!ctx.signal.aborted || error instanceof CancelledError) throw error;
      throw cancelled(ctx);
    }
    if (ctx.signal.aborted) throw cancelled(ctx);
  };
  return phase(name, guarded, when);
}

/** Applies (or, with apply: false, only finds) the objects; a partial apply is a failure. */
async function apply(ctx: RolloutContext, r: RolloutReport): Promise<void> {
  const followed = (kind: string): boolean => ctx.handlers.handlerFor(kind).followed;
  try {
    r.tracked = await ctx.ops.apply(r.manifests, { ...ctx.inputs, followed }, ctx);
  } catch (error) {
    // Objects applied before the failure are not left half-done: they are rolled back.
    if (!(error instanceof PartialApplyError)) throw error;
    r.tracked = error.tracked;
    r.failure = { reason: 'ApplyFailed', message: error.message };
    ctx.record.note(error.message, 'failure');
  }
  ctx.record.progress.workloads = r.tracked.map((t) => t.progress);
}

/** Follows every object to its outcome; the first failure (or the timeout) is the run's. */
async function follow(ctx: RolloutContext, r: RolloutReport): Promise<void> {
  ctx.record.phase('rollout');
  await ctx.logger.group(`Wait for ${r.tracked.length} workload(s)`, () =>
    ctx.ops.follow(r.tracked, ctx.deadlines.step, ctx),
  );
  const judged = judge(r.tracked, ctx.inputs.timeoutMs);
  if (judged.failure) r.failure = judged.failure;
  if (judged.problem) r.problem = judged.problem;
  r.endpoint = endpointOf(r.tracked);
  const superseded = r.tracked.filter((t) => t.outcome?.state === 'superseded');
  if (!r.failure && superseded.length > 0) {
    // Another release replaced this one: nothing of this run's is left to verify or undo.
    r.supersededBy = superseded
      .map((t) => (t.outcome?.state === 'superseded' ? t.outcome.message : ''))
      .join('; ');
  }
}

/** Each kind family undoes its part (with the step's time again); one outcome of them all. */
async function rollBack(ctx: RolloutContext, r: RolloutReport): Promise<void> {
  ctx.record.phase('rollback');
  const followAll = (list: Tracked[], deadline: Deadline): Promise<void> =>
    ctx.ops.follow(list, deadline, ctx);
  r.rollback = await ctx.logger.group('Roll back', async () => {
    const parts: { undone: boolean; healthy: boolean; note: string; revision?: string }[] = [];
    for (const [handler, list] of ctx.handlers.trackedGroups(r.tracked)) {
      const deadline = ctx.deadlines.forRollback(ctx.inputs.timeoutMs, ctx.clock);
      parts.push(...(await handler.rollBack(list, deadline, ctx, followAll)));
    }
    const undone = parts.filter((p) => p.undone);
    const revision = parts.filter((p) => p.revision !== undefined).pop()?.revision;
    return {
      rolledBack: undone.length > 0 && undone.every((p) => p.healthy),
      note: parts.map((p) => p.note).join('\n'),
      ...(revision !== undefined ? { revision } : {}),
    };
  });
}

/** The outcome, from everything the phases found. */
function finish(ctx: RolloutContext, r: RolloutReport): void {
  ctx.record.phase('finished');
  const main = ctx.handlers.main(r.tracked);
  const failure = r.supersededBy === undefined ? r.failure : undefined;
  const status =
    r.supersededBy !== undefined
      ? 'superseded'
      : !failure
        ? 'succeeded'
        : r.rollback?.rolledBack
          ? 'rolled-back'
          : 'failed';
  const revision =
    r.supersededBy !== undefined || !main
      ? revisionOutput(main)
      : (r.rollback?.revision ?? ctx.handlers.handlerFor(main.manifest.kind).revision(main));
  r.result = {
    status,
    endpoint: r.endpoint ?? endpointOf(r.tracked),
    revision,
    failureReason: failure ? failureReasonOutput(failure) : '',
    timeline: ctx.record.timeline,
    resources: ctx.record.rows,
    durationMs: ctx.clock.now() - ctx.record.startedAt,
    ...(failure ? failureText(failure, r.diagnosis, r.kindDiagnosis, r.rollback?.note) : {}),
    ...(r.supersededBy !== undefined ? { supersededBy: r.supersededBy } : {}),
  };
}

/** The smoke inputs need a target among the manifests. */
function checkTarget(ctx: RolloutContext, r: RolloutReport): void {
  checkSmokeTarget(
    ctx.inputs,
    r.manifests.map((m) => m.kind),
  );
}

const proceeding: When = (_ctx, r) => !r.failure && r.supersededBy === undefined;

export const rolloutPhases: readonly Phase<RolloutContext, RolloutReport>[] = [
  step('load', async (ctx, r) => {
    const ns = ctx.inputs.namespace ?? ctx.client.namespace ?? 'default';
    r.manifests = await ctx.ops.load(ctx.inputs, ns);
    checkTarget(ctx, r);
  }),
  step('snapshot', async (ctx, r) => {
    ctx.record.phase('apply');
    for (const [handler, manifests] of ctx.handlers.groups(r.manifests)) {
      await handler.snapshot(manifests, ctx);
    }
  }),
  step('apply', apply),
  step('follow', follow, (_ctx, r) => !r.failure),
  step(
    'diagnose pods',
    async (ctx, r) => {
      // The diagnosis (events, logs) may follow a timeout: it gets a short time of its own.
      ctx.deadlines.forDiagnosis(ctx.clock);
      if (r.problem) r.diagnosis = await ctx.ops.diagnose(r.problem, ctx);
    },
    (_ctx, r) => r.problem !== undefined,
  ),
  step(
    'verify kinds',
    async (ctx, r) => {
      for (const [handler, list] of ctx.handlers.trackedGroups(r.tracked)) {
        const failure = await handler.verify(list, ctx.deadlines.step, ctx);
        if (failure) return void (r.failure = failure);
      }
    },
    proceeding,
  ),
  step(
    'verify endpoint',
    async (ctx, r) => {
      ctx.record.phase('verify');
      const found = r.endpoint ?? '';
      const v = await ctx.ops.verify(r.manifests, found, ctx.deadlines.step, ctx.inputs, ctx);
      r.endpoint = v.endpoint;
      if (v.failure) r.failure = v.failure;
    },
    proceeding,
  ),
  step(
    'promote',
    async (ctx, r) => {
      for (const [handler, list] of ctx.handlers.trackedGroups(r.tracked)) {
        const failure = await handler.promote(list, ctx.deadlines.step, ctx);
        if (failure) return void (r.failure = failure);
      }
    },
    proceeding,
  ),
  step(
    'diagnose kinds',
    async (ctx, r) => {
      ctx.deadlines.forDiagnosis(ctx.clock);
      for (const [handler, list] of ctx.handlers.trackedGroups(r.tracked)) {
        r.kindDiagnosis ??= await handler.diagnose(list, ctx);
      }
    },
    (_ctx, r) => r.failure !== undefined,
  ),
  step('roll back', rollBack, (ctx, r) => r.failure !== undefined && ctx.inputs.rollback),
  step('finish', finish),
];
