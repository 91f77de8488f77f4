/**
 * Undoing this run's apply of an InferenceService: a canary goes back to 0 % (KServe's own
 * rollback); otherwise the snapshot taken before the apply is applied back and followed until
 * its revision is the latest ready one. A new InferenceService is deleted only with
 * `deleteNew`. Never touches an InferenceService that another run applied since.
 */
import type { Deadline } from '../../shared/deadline.ts';
import { errorMessage } from '../../shared/errors.ts';
import { KubeApiError, type KubeObject } from '../../shared/kube/index.ts';
import { applySpec, isvcPath, keyOf, waitIsvc, withCanary, type IsvcSnapshot } from './isvc.ts';
import {
  checkedRevision,
  shownRevision,
  shownTraffic,
  canaryPercent,
  predictorStatus,
} from '../../shared/kube/revisions.ts';
import { notOursToUndo, otherOwner } from './ownership.ts';
import type { FollowAll, FollowContext, RollbackPart, Tracked } from './types.ts';
import { withRetry } from '../../shared/retry.ts';

export type IsvcRollback = RollbackPart;

export interface IsvcRollbackOptions {
  runId: string;
  applied: boolean;
  deleteNew: boolean;
  deadline: Deadline;
}

interface Attempt {
  t: Tracked;
  snapshot: IsvcSnapshot;
  o: IsvcRollbackOptions;
  ctx: FollowContext;
  follow: FollowAll;
  what: string;
  live: KubeObject;
}

/** Created by this run: deleted (on the version just read) with `deleteNew`, else left. */
async function deleteCreated(a: Attempt): Promise<IsvcRollback> {
  const { t, o, ctx, what, live } = a;
  if (!o.deleteNew) {
    return {
      undone: false,
      healthy: false,
      note: `${what}: created by this run, no earlier spec: left applied, not deleted (delete-new-on-failure: true deletes it)`,
    };
  }
  await ctx.client.request({
    method: 'DELETE',
    path: isvcPath(t.manifest),
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      preconditions: { uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion },
    },
    contentType: 'application/json',
  });
  t.row.action = 'deleted';
  const note = `${what}: created by this run; deleted (delete-new-on-failure)`;
  ctx.record.note(note, 'warning');
  return { undone: true, healthy: true, note, revision: '' };
}

/** KServe's own rollback of a canary: 0 %, until an earlier revision takes 100 %. */
async function canaryToZero(a: Attempt): Promise<IsvcRollback> {
  const { t, o, ctx, what, live } = a;
  const m = t.manifest;
  const failedName = predictorStatus(live).latestCreatedRevision;
  const failed = failedName === undefined ? '?' : shownRevision(failedName);
  await applySpec(m, withCanary(m, 0), o.runId, ctx.client, live.metadata.resourceVersion);
  const r = await waitIsvc(
    m,
    (obj) => {
      const full = predictorStatus(obj).traffic?.find((x) => x.percent === 100);
      return full?.revisionName && full.revisionName !== failedName ? full.revisionName : undefined;
    },
    o.deadline.at,
    ctx,
  );
  t.row.action = 'rolled back';
  if (!r.value) {
    return {
      undone: true,
      healthy: false,
      note: `${what}: canary ${failed} set to 0 %, but no earlier revision took 100 % of the traffic (traffic: ${shownTraffic(predictorStatus(r.last)) || 'none'})`,
    };
  }
  const note = `${what}: canary set back to 0 %: revision ${failed} (failed) gets 0 %, revision ${shownRevision(r.value)} serves 100 %`;
  ctx.record.note(note, 'warning');
  t.progress.state = 'rolled-back';
  return { undone: true, healthy: true, note, revision: checkedRevision(r.value) };
}

/** The snapshot applied back, then followed until ready. */
async function restoreSnapshot(a: Attempt): Promise<IsvcRollback> {
  const { t, snapshot, o, ctx, what, live } = a;
  const restored = await applySpec(
    t.manifest,
    snapshot.spec ?? {},
    o.runId,
    ctx.client,
    live.metadata.resourceVersion,
  );
  ctx.record.note(`${what}: earlier spec applied back`, 'warning');
  t.workload = { ...t.workload, initial: restored, owner: { run: o.runId, template: undefined } };
  t.progress.state = 'waiting';
  t.progress.message = 'restoring the earlier spec';
  await a.follow([t], o.deadline);
  t.row.action = 'rolled back';
  const object = t.outcome && 'object' in t.outcome ? t.outcome.object : undefined;
  if (t.outcome?.state !== 'done') {
    return {
      undone: true,
      healthy: false,
      note: `${what}: the restored spec did not become ready: ${t.outcome?.message ?? ''}`,
    };
  }
  t.progress.state = 'rolled-back';
  const ready = predictorStatus(object).latestReadyRevision;
  const revision = checkedRevision(ready);
  const note = `${what}: earlier spec restored; revision ${shownRevision(ready)} is the latest ready one${snapshot.revision ? ` (before this run: ${snapshot.revision})` : ''}`;
  ctx.record.note(note, 'success');
  return { undone: true, healthy: true, note, revision };
}

/**
 * Undoes this run's apply of one InferenceService (see the module comment). The undo applies
 * on the version the ownership check read (its resourceVersion): a 409 means it changed since,
 * and the check runs again (a status write), or the run stops (another release: never
 * overwritten).
 */
export async function rollBackIsvc(
  t: Tracked,
  snapshot: IsvcSnapshot | undefined,
  o: IsvcRollbackOptions,
  ctx: FollowContext,
  follow: FollowAll,
): Promise<IsvcRollback> {
  const what = `InferenceService ${keyOf(t.manifest)}`;
  const none = (note: string): IsvcRollback => ({
    undone: false,
    healthy: false,
    note: `${what}: ${note}`,
  });
  if (t.outcome?.state === 'superseded') return none(`not rolled back: ${t.outcome.message}`);
  if (!o.applied)
    return none('not rolled back (apply: false — this run did not apply its revision)');
  if (!snapshot) return none('not rolled back (no snapshot was taken before the apply)');
  const once = async (): Promise<IsvcRollback> => {
    const live = await ctx.client.json<KubeObject>({ method: 'GET', path: isvcPath(t.manifest) });
    const other = otherOwner(live, o.runId);
    if (other) return none(notOursToUndo(other));
    const a: Attempt = { t, snapshot, o, ctx, follow, what, live };
    if (!snapshot.existed) return deleteCreated(a);
    if (canaryPercent(t.manifest.object.spec) !== undefined) return canaryToZero(a);
    return restoreSnapshot(a);
  };
  // A 409 means someone wrote the object between our read and our write: read it again and
  // retry at once (optimistic concurrency), by the one retry policy, at most 5 times.
  try {
    return await withRetry(
      once,
      (error) => ({
        retry: error instanceof KubeApiError && error.status === 409,
      }),
      { attempts: 5, baseDelayMs: 1, minDelayMs: 0, clock: ctx.clock, signal: ctx.signal },
    );
  } catch (error) {
    return {
      undone: true,
      healthy: false,
      note: `${what}: rollback failed: ${errorMessage(error)}`,
    };
  }
}
