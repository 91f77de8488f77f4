/**
 * `kubectl rollout undo` for Deployments (kubectl pkg/polymorphichelpers/rollback.go): find the
 * ReplicaSet of the wanted revision among those the Deployment controls, and JSON-patch the
 * Deployment's pod template (minus pod-template-hash) and annotations back to it.
 */
import type { KubeClient, KubeList, KubeObject } from '../../shared/kube.ts';
import { resourcePath } from './manifests.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';

const KEPT_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

export type RollbackResult =
  | { state: 'rolled-back'; toRevision: number; object: KubeObject }
  | { state: 'skipped'; message: string };

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

/** Stable JSON for template comparison (key order independent). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Rolls `name` back to `toRevision` (0: the previous revision, as kubectl's default).
 * Never deletes anything: a Deployment with no earlier revision is reported as skipped.
 */
export async function undoDeployment(
  client: KubeClient,
  namespace: string,
  name: string,
  toRevision = 0,
): Promise<RollbackResult> {
  const path = resourcePath('apps/v1', 'deployments', namespace, name);
  const deployment = await client.json<KubeObject>({ method: 'GET', path });
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
    query: {
      labelSelector: Object.entries(labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
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
  const patched = await client.json<KubeObject>({
    method: 'PATCH',
    path,
    contentType: 'application/json-patch+json',
    body: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  });
  return { state: 'rolled-back', toRevision: revision, object: patched };
}
