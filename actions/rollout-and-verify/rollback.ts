/**
 * `kubectl rollout undo` for Deployments (kubectl pkg/polymorphichelpers/rollback.go): find the
 * ReplicaSet of the wanted revision among those the Deployment controls, and JSON-patch the
 * Deployment's pod template (minus pod-template-hash) and annotations back to it.
 */
import { errorMessage } from '../../shared/errors.ts';
import {
  labelSelector,
  resourcePath,
  type KubeClient,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import type { Deadline } from '../../shared/deadline.ts';
import {
  canonical,
  notOursToUndo,
  otherOwner,
  patchIfStillOwned,
  RUN_ANNOTATION,
  templateOf,
} from './ownership.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';
import type {
  FollowAll,
  FollowContext,
  RollbackOutcome,
  RollbackResult,
  Tracked,
} from './types.ts';
import { REVISION_KINDS, undoControllerRevision } from './undo-controller-revision.ts';

const KEPT_ANNOTATIONS = [
  // Which run owns the workload: a rollback by this run keeps it this run's.
  RUN_ANNOTATION,
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

function revisionOf(o: KubeObject): number {
  const n = Number(o.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(n) ? n : 0;
}

function withoutHash(template: unknown): unknown {
  const t = JSON.parse(JSON.stringify(template ?? {})) as {
    metadata?: { labels?: Record<string, string> };
  };
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return t;
}

/**
 * Rolls `name` back to `toRevision` (0: the previous revision, as kubectl's default).
 * Never deletes anything: a Deployment with no earlier revision is reported as skipped.
 * With `ownRun`, only while the Deployment is still that run's (RUN_ANNOTATION): the patch
 * tests the annotation, so a release another run applied meanwhile is never rolled back.
 */
export async function undoDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  toRevision = 0,
  ownRun?: string,
): Promise<RollbackResult> {
  const path = resourcePath('apps/v1', 'deployments', namespace, name);
  const deployment = await client.json<KubeObject>({ method: 'GET', path });
  const other = otherOwner(deployment, ownRun);
  if (other) return { state: 'superseded', message: notOursToUndo(other) };
  if ((deployment.spec as { paused?: boolean } | undefined)?.paused) {
    return {
      state: 'skipped',
      message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`,
    };
  }
  const labels = (deployment.spec?.selector as { matchLabels?: Record<string, string> } | undefined)
    ?.matchLabels;
  const list = await client.json<KubeList>({
    method: 'GET',
    path: resourcePath('apps/v1', 'replicasets', namespace),
    query: { labelSelector: labelSelector(labels) },
  });
  const owned = list.items.filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid),
  );
  let target: KubeObject | undefined;
  if (toRevision > 0) {
    target = owned.find((rs) => revisionOf(rs) === toRevision);
    if (!target)
      return {
        state: 'skipped',
        message: `unable to find specified revision ${toRevision} in history`,
      };
  } else {
    const sorted = [...owned].sort((a, b) => revisionOf(b) - revisionOf(a));
    target = sorted[1];
    if (!target)
      return { state: 'skipped', message: `no rollout history found for deployment "${name}"` };
  }
  const revision = revisionOf(target);
  const template = withoutHash(target.spec?.template);
  if (canonical(template) === canonical(withoutHash(deployment.spec?.template))) {
    return {
      state: 'skipped',
      message: `skipped rollback (current template already matches revision ${revision})`,
    };
  }
  const annotations: Record<string, string> = Object.fromEntries(
    Object.entries(target.metadata.annotations ?? {}).filter(
      ([k]) => !KEPT_ANNOTATIONS.includes(k),
    ),
  );
  for (const k of KEPT_ANNOTATIONS) {
    const v = deployment.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  const result = await patchIfStillOwned(client, path, ownRun, [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ]);
  if ('supersededBy' in result)
    return { state: 'superseded', message: notOursToUndo(result.supersededBy) };
  const { patched } = result;
  return { state: 'rolled-back', toRevision: revision, object: patched };
}

/** Undoes one workload (as `kubectl rollout undo`); a string says why it was not. */
async function undoWorkload(
  t: Tracked,
  applied: boolean,
  deps: FollowContext,
): Promise<string | undefined> {
  const { kind, namespace, name } = t.manifest;
  const what = `${kind} ${namespace}/${name}`;
  if (kind !== 'Deployment' && !REVISION_KINDS.includes(kind)) {
    return `${what}: not rolled back (rollback covers Deployments, StatefulSets and DaemonSets; ${kind} left as applied)`;
  }
  if (t.outcome?.state === 'superseded') return `${what}: not rolled back: ${t.outcome.message}`;
  if (!applied) {
    return `${what}: not rolled back (apply: false — this run did not apply its revision)`;
  }
  if (t.previousRevision === undefined) {
    return `${what}: no previous revision (created by this run); left in place, not deleted`;
  }
  const undo = kind === 'Deployment' ? undoDeployment : undoRevisionKind(kind);
  let r: RollbackResult;
  try {
    r = await undo(
      deps.client,
      namespace ?? 'default',
      name,
      t.previousRevision,
      t.workload.owner?.run,
    );
  } catch (error) {
    return `${what}: rollback failed: ${errorMessage(error)}`;
  }
  if (r.state === 'skipped' || r.state === 'superseded') return `${what}: ${r.message}`;
  deps.record.note(`${kind} ${name}: rolled back to revision ${r.toRevision}`, 'warning');
  if (r.deletedPods?.length) {
    deps.record.note(
      `${kind} ${name}: deleted the broken pod(s) of the failed revision so that they are replaced: ${r.deletedPods.join(', ')}`,
      'warning',
    );
  }
  t.workload = {
    ...t.workload,
    initial: r.object,
    ...(t.workload.owner ? { owner: { ...t.workload.owner, template: templateOf(r.object) } } : {}),
  };
  t.progress.state = 'waiting';
  t.progress.message = `rolling back to revision ${r.toRevision}`;
  return undefined;
}

function undoRevisionKind(kind: string): typeof undoDeployment {
  return (client, namespace, name, toRevision, ownRun) =>
    undoControllerRevision(client, kind, namespace, name, toRevision ?? 0, ownRun);
}

/**
 * Rolls back workloads: every Deployment, StatefulSet and DaemonSet that had a previous
 * revision goes back to it (as `kubectl rollout undo`), then is followed until healthy or
 * `deadline` (the rollback's own time). No workload is ever deleted (a StatefulSet's broken
 * pods are, so that its controller replaces them).
 */
export async function rollBackWorkloads(
  tracked: readonly Tracked[],
  o: { applied: boolean },
  deps: FollowContext,
  deadline: Deadline,
  follow: FollowAll,
): Promise<RollbackOutcome> {
  const { record } = deps;
  const notes: string[] = [];
  const undone: Tracked[] = [];
  for (const t of tracked) {
    const note = await undoWorkload(t, o.applied, deps);
    if (note === undefined) undone.push(t);
    else notes.push(note);
  }
  if (undone.length === 0) {
    for (const n of notes) record.note(n, 'warning');
    return {
      rolledBack: false,
      note: `rollback: nothing rolled back\n${notes.map((n) => `  - ${n}`).join('\n')}`,
    };
  }
  await follow(undone, deadline);
  const healthy = undone.every((t) => t.outcome?.state === 'done');
  for (const t of undone) {
    t.row.action = 'rolled back';
    if (t.outcome?.state === 'done') t.progress.state = 'rolled-back';
  }
  const names = undone.map((t) => t.manifest.name).join(', ');
  if (healthy)
    record.note(`Rollback complete: ${names} healthy on the previous revision`, 'success');
  else record.note('Rollback did not become healthy', 'failure');
  for (const n of notes) record.note(n, 'warning');
  const lines = [
    healthy
      ? `rolled back: ${undone.map((t) => `${t.manifest.kind} ${t.manifest.name}`).join(', ')} healthy on the previous revision`
      : `rollback did not become healthy: ${undone.map((t) => `${t.manifest.name}: ${t.outcome?.message ?? ''}`).join('; ')}`,
    ...notes.map((n) => `  - ${n}`),
  ];
  return { rolledBack: healthy, note: lines.join('\n') };
}
