/**
 * rollout-and-verify's logic, as named phases: load → apply → follow → verify the endpoint →
 * (on failure) roll back. Each phase is a plain function with explicit inputs; this module
 * only orders them and turns their results into the outcome. Dependencies are injected, and
 * so are the phases, so the orchestration is tested with fakes.
 */
import type { Clock } from '../../shared/clock.ts';
import { cancellation, CancelledError } from '../../shared/errors.ts';
import { formatDuration } from '../../shared/inputs.ts';
import type { KubeClient } from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import { applyManifests, PartialApplyError } from './apply.ts';
import { followAll, type FollowAllOptions } from './follow.ts';
import { checkSmokeTarget, type RolloutInputs } from './inputs.ts';
import {
  canaryPercent,
  diagnoseIsvc,
  isIsvc,
  keyOf,
  promoteCanary,
  rollBackIsvc,
  servingRevision,
  snapshotIsvcs,
  verifyCanaryShare,
  type IsvcSnapshot,
} from './isvc.ts';
import { loadManifests, type Manifest } from './manifests.ts';
import { diagnose, formatDiagnosis, type Diagnosis, type PodProblem } from './pods.ts';
import {
  RunRecord,
  type Progress,
  type ResourceRow,
  type TimelineEntry,
  type Tracked,
} from './record.ts';
import { rollBackWorkloads, type RollbackOutcome } from './rollback.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';
import { verifyEndpoint, type Failure } from './verify.ts';

export { FIELD_MANAGER } from './ownership.ts';
export type { Progress, ResourceRow, TimelineEntry } from './record.ts';

export type RolloutStatusOutput = 'succeeded' | 'failed' | 'rolled-back' | 'superseded';

export interface RolloutResult {
  status: RolloutStatusOutput;
  endpoint: string;
  revision: string;
  failureReason: string;
  /** The full failure message (error + diagnosis) when not succeeded. */
  error?: string;
  diagnosis?: string;
  timeline: TimelineEntry[];
  resources: ResourceRow[];
  durationMs: number;
  /** With status superseded: which workloads another release took over, and by whom. */
  supersededBy?: string;
}

export interface RunDeps {
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** The client keeps every request, retry and Retry-After within `deadline()`. */
  createClient(deadline: () => number): Promise<KubeClient>;
  saveProgress(progress: Progress): void;
}

/** What every phase may use. */
export type PhaseContext = FollowAllOptions;

/** The phases, injectable so that the orchestration can be tested on its own. */
export interface Phases {
  load(inputs: RolloutInputs, defaultNamespace: string): Promise<Manifest[]>;
  apply(manifests: Manifest[], inputs: RolloutInputs, ctx: PhaseContext): Promise<Tracked[]>;
  follow(list: Tracked[], deadline: number, ctx: PhaseContext): Promise<void>;
  diagnose(problem: PodProblem, ctx: PhaseContext): Promise<Diagnosis>;
  verify(
    manifests: Manifest[],
    endpoint: string,
    deadline: number,
    inputs: RolloutInputs,
    ctx: PhaseContext,
  ): Promise<{ endpoint: string; failure?: Failure }>;
  rollBack(tracked: Tracked[], inputs: RolloutInputs, ctx: PhaseContext): Promise<RollbackOutcome>;
}

export const rolloutPhases: Phases = {
  load: (inputs, ns) => loadManifests(inputs.manifests, inputs.workspace, ns),
  apply: (manifests, inputs, ctx) => applyManifests(manifests, inputs, ctx),
  follow: (list, deadline, ctx) => followAll(list, deadline, ctx),
  diagnose: (problem, ctx) => diagnose(ctx.client, problem),
  verify: (manifests, endpoint, deadline, inputs, ctx) =>
    verifyEndpoint(manifests, endpoint, deadline, inputs, ctx),
  rollBack: (tracked, inputs, ctx) =>
    rollBackWorkloads(
      tracked,
      { applied: inputs.apply, timeoutMs: inputs.timeoutMs },
      ctx,
      (l, d) => followAll(l, d, ctx),
    ),
};

/** Time for the diagnosis of a failure found at (or after) the deadline. */
const DIAGNOSIS_MS = 15_000;

export async function rolloutAndVerify(
  inputs: RolloutInputs,
  deps: RunDeps,
  phases: Phases = rolloutPhases,
): Promise<RolloutResult> {
  const record = new RunRecord(deps.clock, deps.logger, deps.saveProgress);
  try {
    return await runPhases(inputs, deps, phases, record);
  } catch (error) {
    // A request the cancellation aborted fails with an AbortError: the cause is the cancellation.
    if (!deps.signal.aborted || error instanceof CancelledError) throw error;
    record.progress.cancelled = true;
    record.save();
    throw cancellation(deps.signal, record.progress.phase);
  }
}

async function runPhases(
  inputs: RolloutInputs,
  deps: RunDeps,
  phases: Phases,
  record: RunRecord,
): Promise<RolloutResult> {
  const { logger, clock, signal } = deps;
  const deadline = record.startedAt + inputs.timeoutMs;
  const checkCancelled = (): void => {
    if (!signal.aborted) return;
    record.progress.cancelled = true;
    record.save();
    throw cancellation(signal, record.progress.phase);
  };
  // Credentials are read (and masked) before the manifests, so nothing can print them.
  const limits = { deadline };
  const client = await deps.createClient(() => limits.deadline);
  const manifests = await phases.load(inputs, inputs.namespace ?? client.namespace ?? 'default');
  checkSmokeTarget(
    inputs,
    manifests.map((m) => m.kind),
  );
  const ctx: PhaseContext = {
    client,
    logger,
    clock,
    signal,
    record,
    failFast: inputs.failFast,
    unschedulableGraceMs: inputs.unschedulableGraceMs,
    limits,
  };

  record.phase('apply');
  // An InferenceService has no revision history to undo to: its live spec is kept instead.
  const snapshots: Map<string, IsvcSnapshot> =
    inputs.apply && inputs.rollback && manifests.some(isIsvc)
      ? await snapshotIsvcs(manifests, client)
      : new Map();
  let tracked: Tracked[];
  let applyFailure: Failure | undefined;
  try {
    tracked = await phases.apply(manifests, inputs, ctx);
  } catch (error) {
    // Objects applied before the failure are not left half-done: they are rolled back below.
    if (!(error instanceof PartialApplyError)) throw error;
    tracked = error.tracked;
    applyFailure = { reason: 'ApplyFailed', message: error.message };
    record.note(error.message, 'failure');
  }
  checkCancelled();
  record.progress.workloads = tracked.map((t) => t.progress);
  if (!applyFailure) {
    record.phase('rollout');
    await logger.group(`Wait for ${tracked.length} workload(s)`, () =>
      phases.follow(tracked, deadline, ctx),
    );
    checkCancelled();
  }

  const judged = applyFailure ? { failure: applyFailure } : judge(tracked, inputs.timeoutMs);
  let failure = judged.failure;
  const problem = judged.problem;
  // The diagnosis (events, logs) may follow a timeout: it gets a short time of its own.
  if (problem) limits.deadline = Math.max(limits.deadline, clock.now() + DIAGNOSIS_MS);
  const diagnosis = problem ? await phases.diagnose(problem, ctx) : undefined;
  let endpoint = endpointOf(tracked);
  const superseded = tracked.filter((t) => t.outcome?.state === 'superseded');
  if (!failure && superseded.length > 0) {
    // Another release replaced this one: nothing of this run's is left to verify or undo.
    record.phase('finished');
    const result = outcome(
      'superseded',
      endpoint,
      tracked,
      record,
      clock,
      undefined,
      undefined,
      undefined,
    );
    result.supersededBy = superseded
      .map((t) => (t.outcome?.state === 'superseded' ? t.outcome.message : ''))
      .join('; ');
    return result;
  }
  // InferenceService canaries (of an InferenceService that served before): the new revision
  // must hold its share before the smoke test, and is promoted (or held) after it.
  const canaries = inputs.apply
    ? tracked.filter(
        (t) =>
          isIsvc(t.manifest) &&
          canaryPercent(t.manifest.object.spec) !== undefined &&
          snapshots.get(keyOf(t.manifest))?.existed === true,
      )
    : [];
  let revisionOverride: string | undefined;
  if (!failure) {
    for (const t of canaries) {
      const share = await verifyCanaryShare(t, deadline, ctx);
      if (!share.ok) failure = { reason: 'CanaryNotHeld', message: share.message };
      if (failure) break;
    }
  }
  if (!failure) {
    record.phase('verify');
    const verified = await phases.verify(manifests, endpoint, deadline, inputs, ctx);
    endpoint = verified.endpoint;
    failure = verified.failure;
    checkCancelled();
  }
  if (!failure) {
    for (const t of canaries) {
      if (inputs.canary === 'hold') {
        const percent = canaryPercent(t.manifest.object.spec) ?? 0;
        record.note(
          `InferenceService ${t.manifest.name}: canary held at ${percent} % (canary: hold)`,
          'success',
        );
        continue;
      }
      const promoted = await promoteCanary(t, inputs.runId, deadline, ctx);
      if (!promoted.ok) {
        failure = { reason: 'CanaryPromotionFailed', message: promoted.message };
        break;
      }
      if (promoted.object && t.outcome?.state === 'done') {
        t.outcome = { ...t.outcome, object: promoted.object };
      }
      t.row.action = 'promoted';
    }
  }

  let status: RolloutStatusOutput = failure ? 'failed' : 'succeeded';
  let rollback: RollbackOutcome | undefined;
  let isvcDiagnosis: string | undefined;
  if (failure) {
    const failedIsvc = tracked.find(
      (t) =>
        isIsvc(t.manifest) && (t.outcome?.state === 'failed' || t.outcome?.state === 'timeout'),
    );
    if (failedIsvc) {
      limits.deadline = Math.max(limits.deadline, clock.now() + DIAGNOSIS_MS);
      isvcDiagnosis = await diagnoseIsvc(failedIsvc.manifest, client);
    }
  }
  if (failure && inputs.rollback) {
    record.phase('rollback');
    const isvcs = tracked.filter((t) => isIsvc(t.manifest));
    const others = tracked.filter((t) => !isIsvc(t.manifest));
    rollback = await logger.group('Roll back', async () => {
      const parts: { undone: boolean; healthy: boolean; note: string }[] = [];
      if (others.length > 0 || isvcs.length === 0) {
        const r = await phases.rollBack(others, inputs, ctx);
        parts.push({
          undone: !r.note.startsWith('rollback: nothing rolled back'),
          healthy: r.rolledBack,
          note: r.note,
        });
      }
      if (isvcs.length > 0) {
        const rollbackDeadline = clock.now() + inputs.timeoutMs;
        limits.deadline = rollbackDeadline;
        for (const t of isvcs) {
          const r = await rollBackIsvc(
            t,
            snapshots.get(keyOf(t.manifest)),
            {
              runId: inputs.runId,
              applied: inputs.apply,
              deleteNew: inputs.deleteNewOnFailure,
              deadline: rollbackDeadline,
            },
            ctx,
            (l, d) => followAll(l, d, ctx),
          );
          if (r.revision !== undefined) revisionOverride = r.revision;
          if (!r.undone) record.note(r.note, 'warning');
          parts.push({ ...r, note: `rollback: ${r.note}` });
        }
      }
      const undone = parts.filter((p) => p.undone);
      return {
        rolledBack: undone.length > 0 && undone.every((p) => p.healthy),
        note: parts.map((p) => p.note).join('\n'),
      };
    });
    if (rollback.rolledBack) status = 'rolled-back';
    checkCancelled();
  }
  record.phase('finished');
  const result = outcome(status, endpoint, tracked, record, clock, failure, diagnosis, rollback);
  if (isvcDiagnosis) {
    result.diagnosis = result.diagnosis ? `${result.diagnosis}\n${isvcDiagnosis}` : isvcDiagnosis;
    result.error = `${result.error ?? ''}\n${isvcDiagnosis}`;
  }
  const isvcMain = tracked.find((t) => isIsvc(t.manifest));
  if (revisionOverride !== undefined) result.revision = revisionOverride;
  else if (isvcMain && !tracked.some((t) => t.manifest.kind === 'Deployment')) {
    const obj =
      isvcMain.outcome && 'object' in isvcMain.outcome ? isvcMain.outcome.object : undefined;
    const serving = servingRevision(obj);
    if (serving) result.revision = serving;
  }
  return result;
}

/** The failure of the follow phase: the first failed workload, else every timed-out one. */
function judge(
  tracked: readonly Tracked[],
  timeoutMs: number,
): { failure?: Failure; problem?: PodProblem } {
  // A superseded workload's pods are another release's: its state says nothing of this one.
  const failed = tracked.find((t) => t.outcome?.state === 'failed');
  if (failed?.outcome?.state === 'failed') {
    const { kind, namespace, name } = failed.manifest;
    return {
      failure: {
        reason: failed.outcome.reason,
        message: `${kind} ${namespace}/${name}: ${failed.outcome.message}`,
      },
      ...(failed.outcome.problem ? { problem: failed.outcome.problem } : {}),
    };
  }
  if (!tracked.some((t) => t.outcome?.state === 'timeout')) return {};
  const states = tracked.map(
    (t) =>
      `  - ${t.manifest.kind} ${t.manifest.namespace}/${t.manifest.name}: ${t.outcome?.state ?? 'waiting'}: ${t.outcome?.message ?? t.progress.message}`,
  );
  const unready = tracked
    .map((t) => (t.outcome?.state === 'timeout' ? t.outcome.problem : undefined))
    .find((p) => p !== undefined);
  return {
    failure: {
      reason: 'Timeout',
      message: `timed out after ${formatDuration(timeoutMs)}; state of every workload:\n${states.join('\n')}`,
    },
    ...(unready ? { problem: unready } : {}),
  };
}

/** The URL a ready workload reports (a KServe InferenceService's status.url). */
function endpointOf(tracked: readonly Tracked[]): string {
  for (const t of tracked) {
    const url =
      t.outcome?.state === 'done'
        ? (t.outcome.object.status as { url?: string } | undefined)?.url
        : undefined;
    if (url) return url;
  }
  return '';
}

function outcome(
  status: RolloutStatusOutput,
  endpoint: string,
  tracked: readonly Tracked[],
  record: RunRecord,
  clock: Clock,
  failure: Failure | undefined,
  diagnosis: Diagnosis | undefined,
  rollback: RollbackOutcome | undefined,
): RolloutResult {
  const main =
    tracked.find((t) => t.manifest.kind === 'Deployment') ??
    tracked.find((t) => t.manifest.kind === 'InferenceService') ??
    tracked[0];
  const result: RolloutResult = {
    status,
    endpoint,
    revision: revisionOutput(main),
    failureReason: failure ? `${failure.reason}: ${failure.message.split('\n')[0] ?? ''}` : '',
    timeline: record.timeline,
    resources: record.rows,
    durationMs: clock.now() - record.startedAt,
  };
  if (failure) {
    const parts = [failure.message];
    if (diagnosis) {
      result.diagnosis = formatDiagnosis(diagnosis);
      parts.push(result.diagnosis);
    }
    if (rollback?.note) parts.push(rollback.note);
    result.error = parts.join('\n');
  }
  return result;
}

function revisionOutput(t: Tracked | undefined): string {
  const obj = t?.outcome && 'object' in t.outcome ? t.outcome.object : t?.workload.initial;
  if (!obj) return '';
  const rev = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (rev) return rev;
  const status = (obj.status ?? {}) as {
    updateRevision?: string;
    components?: { predictor?: { latestReadyRevision?: string } };
  };
  return (
    status.components?.predictor?.latestReadyRevision ??
    status.updateRevision ??
    String(obj.metadata.generation ?? '')
  );
}
