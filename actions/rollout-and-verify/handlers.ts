/**
 * One handler per kind family, each with the same operations (see KindHandler): workloads
 * (Deployment, StatefulSet, DaemonSet), KServe InferenceServices, and passive objects (applied
 * and left: Services, ConfigMaps, …). A run makes its handlers once (they keep what their
 * snapshot took); `handlerFor(kind)` chooses one per object, so the phases know no kinds.
 */
import type { Deadline } from '../../shared/deadline.ts';
import type { RolloutInputs } from './inputs.ts';
import {
  ISVC_KIND,
  keyOf,
  promoteCanary,
  servingRevision,
  snapshotIsvcs,
  verifyCanaryShare,
  type IsvcSnapshot,
} from './isvc.ts';
import { diagnoseIsvc } from './isvc-diagnose.ts';
import { protocolSmoke } from './isvc-smoke.ts';
import { rollBackIsvc } from './isvc-rollback.ts';
import { follow } from './follow.ts';
import { isvcFollowRules } from './isvc-follow.ts';
import { workloadFollowRules } from './workload-follow.ts';
import { objectOf, revisionOutput } from './result.ts';
import { rollBackWorkloads } from './rollback.ts';
import type {
  Failure,
  FollowAll,
  FollowContext,
  KindHandler,
  RollbackPart,
  Tracked,
} from './types.ts';
import { canaryPercent } from '../../shared/kube/revisions.ts';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

const noFailure = async (): Promise<Failure | undefined> => undefined;
const nothing = async (): Promise<undefined> => undefined;

export function workloadHandler(inputs: Pick<RolloutInputs, 'apply'>): KindHandler {
  return {
    family: 'workloads',
    kinds: WORKLOAD_KINDS,
    followed: true,
    // Their history is in the cluster (ReplicaSets, ControllerRevisions): nothing to keep.
    snapshot: async () => undefined,
    follow: (w, o) => follow(w, workloadFollowRules, o),
    verify: noFailure,
    promote: noFailure,
    async rollBack(list, deadline, ctx, followAll) {
      const r = await rollBackWorkloads(list, { applied: inputs.apply }, ctx, deadline, followAll);
      const undone = !r.note.startsWith('rollback: nothing rolled back');
      return [{ undone, healthy: r.rolledBack, note: r.note }];
    },
    diagnose: nothing,
    // A Deployment's revision is the run's `revision` output before anything else's.
    rank: (kind) => (kind === 'Deployment' ? 0 : 2),
    revision: revisionOutput,
  };
}

/** The InferenceServices that run a canary of a revision that served before this run. */
function canaries(
  list: readonly Tracked[],
  snapshots: ReadonlyMap<string, IsvcSnapshot>,
  applied: boolean,
): Tracked[] {
  if (!applied) return [];
  return list.filter(
    (t) =>
      canaryPercent(t.manifest.object.spec) !== undefined &&
      snapshots.get(keyOf(t.manifest))?.existed === true,
  );
}

/** Promotes (or, with canary: hold, keeps) every verified canary. */
async function promoteAll(
  list: readonly Tracked[],
  inputs: Pick<RolloutInputs, 'canary' | 'runId'>,
  deadline: Deadline,
  ctx: FollowContext,
): Promise<Failure | undefined> {
  for (const t of list) {
    if (inputs.canary === 'hold') {
      const percent = canaryPercent(t.manifest.object.spec) ?? 0;
      const note = `InferenceService ${t.manifest.name}: canary held at ${percent} % (canary: hold)`;
      ctx.record.note(note, 'success');
      continue;
    }
    const promoted = await promoteCanary(t, inputs.runId, deadline.at, ctx);
    if (!promoted.ok) return { reason: 'CanaryPromotionFailed', message: promoted.message };
    if (promoted.object && t.outcome?.state === 'done') {
      t.outcome = { ...t.outcome, object: promoted.object };
    }
    t.row.action = 'promoted';
  }
  return undefined;
}

async function rollBackIsvcs(
  list: readonly Tracked[],
  snapshots: ReadonlyMap<string, IsvcSnapshot>,
  inputs: Pick<RolloutInputs, 'runId' | 'apply' | 'deleteNewOnFailure'>,
  deadline: Deadline,
  ctx: FollowContext,
  followAll: FollowAll,
): Promise<RollbackPart[]> {
  const parts: RollbackPart[] = [];
  const o = { runId: inputs.runId, applied: inputs.apply, deleteNew: inputs.deleteNewOnFailure };
  for (const t of list) {
    const snapshot = snapshots.get(keyOf(t.manifest));
    const r = await rollBackIsvc(t, snapshot, { ...o, deadline }, ctx, followAll);
    if (!r.undone) ctx.record.note(r.note, 'warning');
    parts.push({ ...r, note: `rollback: ${r.note}` });
  }
  return parts;
}

type IsvcInputs = Pick<
  RolloutInputs,
  'apply' | 'rollback' | 'canary' | 'runId' | 'deleteNewOnFailure'
>;

export function inferenceServiceHandler(inputs: IsvcInputs): KindHandler {
  // An InferenceService has no revision history to undo to: its live spec is kept instead.
  let snapshots: ReadonlyMap<string, IsvcSnapshot> = new Map();
  return {
    family: 'inference-services',
    kinds: [ISVC_KIND],
    followed: true,
    async snapshot(manifests, ctx) {
      if (inputs.apply && inputs.rollback && manifests.length > 0) {
        snapshots = await snapshotIsvcs(manifests, ctx.client);
      }
    },
    follow: (w, o) => follow(w, isvcFollowRules, o),
    smokeRequest: protocolSmoke,
    // The new revision must hold its share before the smoke test.
    async verify(list, deadline, ctx) {
      for (const t of canaries(list, snapshots, inputs.apply)) {
        const share = await verifyCanaryShare(t, deadline.at, ctx);
        if (!share.ok) return { reason: 'CanaryNotHeld', message: share.message };
      }
      return undefined;
    },
    promote: (list, deadline, ctx) =>
      promoteAll(canaries(list, snapshots, inputs.apply), inputs, deadline, ctx),
    rollBack: (list, deadline, ctx, followAll) =>
      rollBackIsvcs(list, snapshots, inputs, deadline, ctx, followAll),
    async diagnose(list, ctx) {
      const failed = list.find(
        (t) => t.outcome?.state === 'failed' || t.outcome?.state === 'timeout',
      );
      return failed ? diagnoseIsvc(failed.manifest, ctx.client) : undefined;
    },
    rank: () => 1,
    revision: (t) => servingRevision(objectOf(t)) || revisionOutput(t),
  };
}

/** Objects that are applied and left: nothing to follow, verify or undo. */
export const passiveHandler: KindHandler = {
  family: 'passive',
  kinds: [],
  followed: false,
  snapshot: async () => undefined,
  follow: async (w) => ({
    state: 'done',
    message: `${w.kind} "${w.name}" applied`,
    object: w.initial ?? { metadata: { name: w.name } },
  }),
  verify: noFailure,
  promote: noFailure,
  // Only reached when nothing was followed: says so, as the workloads' rollback would.
  rollBack: async () => [
    { undone: false, healthy: false, note: 'rollback: nothing rolled back\n' },
  ],
  diagnose: nothing,
  rank: () => 3,
  revision: revisionOutput,
};

/** The handlers of one run, and the choice of one per object. */
export class KindHandlers {
  readonly all: readonly KindHandler[];
  /** The handler of every other kind. */
  private readonly fallback: KindHandler;

  constructor(handlers: readonly KindHandler[], fallback = passiveHandler) {
    this.all = handlers;
    this.fallback = fallback;
  }

  handlerFor(kind: string): KindHandler {
    return this.all.find((h) => h.kinds.includes(kind)) ?? this.fallback;
  }

  /** `items` by handler, in handler order (empty groups left out). */
  groups<T extends { kind: string }>(items: readonly T[]): [KindHandler, T[]][] {
    const groups: [KindHandler, T[]][] = [];
    for (const h of [...this.all, this.fallback]) {
      const mine = items.filter((i) => this.handlerFor(i.kind) === h);
      if (mine.length > 0) groups.push([h, mine]);
    }
    return groups;
  }

  /** Tracked objects by handler; with none, the fallback's group (it says why). */
  trackedGroups(tracked: readonly Tracked[]): [KindHandler, Tracked[]][] {
    const groups = this.groups(tracked.map((t) => ({ kind: t.manifest.kind, t })));
    const result = groups.map(([h, items]): [KindHandler, Tracked[]] => [h, items.map((i) => i.t)]);
    return result.length > 0 ? result : [[this.fallback, []]];
  }

  /** The object whose revision is the `revision` output (lowest rank, first of equals). */
  main(tracked: readonly Tracked[]): Tracked | undefined {
    let best: Tracked | undefined;
    let bestRank = Infinity;
    for (const t of tracked) {
      const rank = this.handlerFor(t.manifest.kind).rank(t.manifest.kind);
      if (rank < bestRank) [best, bestRank] = [t, rank];
    }
    return best;
  }
}

/** The handlers of a run with these inputs. */
export function createHandlers(inputs: RolloutInputs): KindHandlers {
  return new KindHandlers([workloadHandler(inputs), inferenceServiceHandler(inputs)]);
}
