/** ReplicaSet controller: keeps spec.replicas pods, reports ready/available counts. */
import { applyDefaults } from '../defaults.ts';
import type { KObj, PodTemplate } from '../types.ts';
import { clone, randSuffix } from '../types.ts';
import type { Manager } from './manager.ts';
import { controllerOf, ownerRef, R } from './manager.ts';

export function podReady(p: KObj): boolean {
  const conds = (p.status?.conditions ?? []) as { type: string; status: string }[];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A pod built from a template, owned by `owner`. */
export function podFromTemplate(
  owner: KObj,
  name: string,
  t: PodTemplate,
  extraLabels: Record<string, string> = {},
): KObj {
  const tpl = clone(t);
  const pod: KObj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: { ...(tpl.metadata?.labels ?? {}), ...extraLabels },
      ownerReferences: [ownerRef(owner)],
    },
    spec: tpl.spec as unknown as Record<string, unknown>,
  };
  if (tpl.metadata?.annotations) pod.metadata.annotations = tpl.metadata.annotations;
  applyDefaults(pod);
  return pod;
}

/** Order in which pods are removed: unscheduled, pending, not ready, then newest first. */
function deletionRank(p: KObj): number {
  if (!p.spec?.nodeName) return 0;
  if (p.status?.phase === 'Pending') return 1;
  if (!podReady(p)) return 2;
  return 3;
}

export class ReplicaSetController {
  private readonly m: Manager;

  constructor(m: Manager) {
    this.m = m;
    m.register('ReplicaSet', (ns, name) => this.reconcile(ns!, name));
  }

  reconcile(ns: string, name: string): void {
    const store = this.m.store;
    const rs = store.get(R.rs, ns, name);
    if (!rs) return;
    let pods = store
      .dependents(rs.metadata.uid)
      .filter((x) => x.r === R.pod && controllerOf(x.obj)?.uid === rs.metadata.uid)
      .map((x) => x.obj);
    const desired = typeof rs.spec?.replicas === 'number' ? rs.spec.replicas : 1;
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) {
        const pod = store.create(
          R.pod,
          podFromTemplate(rs, `${name}-${randSuffix()}`, rs.spec?.template as PodTemplate),
        );
        this.m.event(
          rs,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
        pods.push(pod);
      }
    } else if (pods.length > desired) {
      const victims = [...pods]
        .sort(
          (a, b) =>
            deletionRank(a) - deletionRank(b) ||
            (b.metadata.creationTimestamp > a.metadata.creationTimestamp ? 1 : -1),
        )
        .slice(0, pods.length - desired);
      for (const p of victims) {
        store.delete(R.pod, ns, p.metadata.name);
        this.m.event(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${p.metadata.name}`,
          'replicaset-controller',
        );
      }
      const gone = new Set(victims.map((v) => v.metadata.uid));
      pods = pods.filter((p) => !gone.has(p.metadata.uid));
    }
    const ready = pods.filter(podReady).length;
    const status: Record<string, unknown> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])
      if (status[k] === 0) Reflect.deleteProperty(status, k);
    const fresh = store.get(R.rs, ns, name);
    if (fresh) this.m.writeStatus(R.rs, fresh, status);
  }
}
