/**
 * `kubectl rollout undo` for StatefulSets and DaemonSets (kubectl
 * pkg/polymorphichelpers/rollback.go, StatefulSetRollbacker/DaemonSetRollbacker): their history
 * is kept in ControllerRevisions the workload controls; `data` holds the pod template patch of
 * each revision. Rolling back writes that template back (a JSON patch that first tests this
 * run's annotation, so a release another run applied since is never rolled back).
 */
import { errorMessage } from '../../shared/errors.ts';
import {
  labelSelector,
  resourcePath,
  type KubeClient,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import type { Manifest } from './manifests.ts';
import { canonical, notOursToUndo, otherOwner, patchIfStillOwned } from './ownership.ts';
import type { RollbackResult } from './types.ts';

/** Kinds whose history is ControllerRevisions. */
export const REVISION_KINDS = ['StatefulSet', 'DaemonSet'];

const PLURALS: Record<string, string> = {
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

function revisionNumber(cr: KubeObject): number {
  const n = Number((cr as { revision?: unknown }).revision ?? 0);
  return Number.isInteger(n) ? n : 0;
}

function matchLabels(obj: KubeObject): Record<string, string> | undefined {
  return (obj.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
}

/** The pod template a ControllerRevision records (its `data` patch, minus the directive). */
export function revisionTemplate(cr: KubeObject): unknown {
  const data = (cr as { data?: { spec?: { template?: Record<string, unknown> } } }).data;
  const template = { ...(data?.spec?.template ?? {}) };
  delete template.$patch;
  return template;
}

/** The ControllerRevisions `kind`/`name` controls (by uid when known), oldest first. */
export async function controlledRevisions(
  client: KubeClient,
  kind: string,
  namespace: string,
  name: string,
  labels: Record<string, string> | undefined,
  uid?: string,
): Promise<KubeObject[]> {
  const list = await client.json<KubeList>({
    method: 'GET',
    path: resourcePath('apps/v1', 'controllerrevisions', namespace),
    query: { labelSelector: labelSelector(labels) },
  });
  return list.items
    .filter((cr) =>
      cr.metadata.ownerReferences?.some(
        (o) =>
          o.controller &&
          o.kind === kind &&
          o.name === name &&
          (uid === undefined || o.uid === uid),
      ),
    )
    .sort((a, b) => revisionNumber(a) - revisionNumber(b));
}

/**
 * Before the apply: the revision the workload is on (the highest ControllerRevision it controls,
 * which the controllers keep for the live template), or undefined when it has none (new).
 */
export async function currentControllerRevision(
  client: KubeClient,
  m: Manifest,
): Promise<number | undefined> {
  const revisions = await controlledRevisions(
    client,
    m.kind,
    m.namespace ?? 'default',
    m.name,
    matchLabels(m.object),
  );
  const last = revisions.at(-1);
  return last ? revisionNumber(last) : undefined;
}

function podReady(pod: KubeObject): boolean {
  const conds = (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)
    ?.conditions;
  return conds?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Rolls a StatefulSet or DaemonSet back to `toRevision` (0: the previous revision). With
 * `ownRun`, only while the workload is still that run's (RUN_ANNOTATION). A StatefulSet's pods
 * of the failed revision that are not Ready are deleted afterwards: its controller replaces a
 * pod only once it is Ready, so a broken pod would hold the rollback forever (the step the
 * Kubernetes documentation asks for after reverting a StatefulSet's template).
 */
export async function undoControllerRevision(
  client: KubeClient,
  kind: string,
  namespace: string,
  name: string,
  toRevision = 0,
  ownRun?: string,
): Promise<RollbackResult> {
  const plural = PLURALS[kind];
  if (!plural) return { state: 'skipped', message: `no rollbacker for ${kind}` };
  const path = resourcePath('apps/v1', plural, namespace, name);
  const workload = await client.json<KubeObject>({ method: 'GET', path });
  const other = otherOwner(workload, ownRun);
  if (other) return { state: 'superseded', message: notOursToUndo(other) };
  const history = await controlledRevisions(
    client,
    kind,
    namespace,
    name,
    matchLabels(workload),
    workload.metadata.uid,
  );
  let target: KubeObject | undefined;
  if (toRevision > 0) {
    target = history.find((cr) => revisionNumber(cr) === toRevision);
    if (!target)
      return {
        state: 'skipped',
        message: `unable to find specified revision ${toRevision} in history`,
      };
  } else {
    target = history.at(-2);
    if (!target) return { state: 'skipped', message: 'no last revision to roll back to' };
  }
  const revision = revisionNumber(target);
  const template = revisionTemplate(target);
  if (canonical(template) === canonical(workload.spec?.template ?? {})) {
    return {
      state: 'skipped',
      message: `skipped rollback (current template already matches revision ${revision})`,
    };
  }
  const result = await patchIfStillOwned(client, path, ownRun, [
    { op: 'replace', path: '/spec/template', value: template },
  ]);
  if ('supersededBy' in result)
    return { state: 'superseded', message: notOursToUndo(result.supersededBy) };
  const { patched } = result;
  const deletedPods: string[] = [];
  if (kind === 'StatefulSet') {
    try {
      const pods = await client.json<KubeList>({
        method: 'GET',
        path: resourcePath('v1', 'pods', namespace),
        query: { labelSelector: labelSelector(matchLabels(workload)) },
      });
      for (const pod of pods.items) {
        const owned = pod.metadata.ownerReferences?.some(
          (o) => o.controller && o.uid === workload.metadata.uid,
        );
        const rev = pod.metadata.labels?.['controller-revision-hash'];
        if (!owned || rev === target.metadata.name || podReady(pod)) continue;
        await client.request({
          method: 'DELETE',
          path: resourcePath('v1', 'pods', namespace, pod.metadata.name),
          okStatuses: [404],
        });
        deletedPods.push(pod.metadata.name);
      }
    } catch (error) {
      throw new Error(
        `rolled back the template to revision ${revision}, but could not replace the broken pods: ${errorMessage(error)}`,
      );
    }
  }
  return { state: 'rolled-back', toRevision: revision, object: patched, deletedPods };
}
