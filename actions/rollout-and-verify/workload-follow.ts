/**
 * How a Deployment, StatefulSet or DaemonSet is followed (FollowRules): kubectl's rollout-status
 * rules for the verdict; the new revision's pods by `pod-template-hash` (the ReplicaSet of the
 * Deployment's current revision) or `controller-revision-hash` (the update revision).
 */
import {
  generationObserved,
  labelSelector,
  resourcePath,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { REVISION_ANNOTATION, rolloutStatus, type WorkloadLike } from './rollout-status.ts';
import type { FollowRules, RevisionPodsAnswer, Workload } from './types.ts';

function selectorOf(obj: KubeObject | undefined): string | undefined {
  const sel = obj?.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
  return labelSelector(sel?.matchLabels);
}

const UNKNOWN: RevisionPodsAnswer = { pods: 'unknown' };

/** Pods carrying `key=value`, watched by the workload's selector. */
function labelled(obj: KubeObject, key: string, value: string): RevisionPodsAnswer {
  const selector = selectorOf(obj);
  return {
    pods: (pod) => pod.metadata.labels?.[key] === value,
    ...(selector ? { selector } : {}),
  };
}

/** The Deployment's current ReplicaSet's pods, once the controller has seen this generation. */
async function deploymentPods(
  client: Parameters<FollowRules['revisionPods']>[2],
  w: Workload,
  obj: KubeObject,
): Promise<RevisionPodsAnswer> {
  if (!generationObserved(obj)) return UNKNOWN;
  const revision = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (!revision) return UNKNOWN;
  const list = await client.json<KubeList>({
    method: 'GET',
    path: resourcePath('apps/v1', 'replicasets', w.namespace),
    query: { labelSelector: selectorOf(obj) },
  });
  const rs = list.items.find(
    (r) =>
      r.metadata.annotations?.[REVISION_ANNOTATION] === revision &&
      r.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid),
  );
  const hash = rs?.metadata.labels?.['pod-template-hash'];
  return hash ? labelled(obj, 'pod-template-hash', hash) : UNKNOWN;
}

export const workloadFollowRules: FollowRules = {
  verdict: (w, current) =>
    rolloutStatus(w.kind, current as WorkloadLike) ?? { done: true, message: '' },
  failureReason: (_w, error) =>
    /exceeded its progress deadline/.test(error) ? 'ProgressDeadlineExceeded' : 'RolloutError',
  // kubectl: OnDelete strategies have no rollout status; the apply itself is the result.
  doneOnError: (w) => w.kind !== 'Deployment',
  podSelector: () => undefined,
  revisionKey: (_w, current) =>
    `${current.metadata.generation ?? 0}/${current.metadata.annotations?.[REVISION_ANNOTATION] ?? ''}/${(current.status as { updateRevision?: string } | undefined)?.updateRevision ?? ''}`,
  async revisionPods(w, current, client) {
    if (w.kind === 'Deployment') return deploymentPods(client, w, current);
    const rev = (current.status as { updateRevision?: string } | undefined)?.updateRevision;
    if (rev) return labelled(current, 'controller-revision-hash', rev);
    // No update revision reported: every pod of the workload counts.
    const selector = selectorOf(current);
    return { pods: () => true, ...(selector ? { selector } : {}) };
  },
};
