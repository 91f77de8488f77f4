/**
 * StatefulSet (ordered, one pod at a time) and DaemonSet (one pod per simulated node), each
 * keeping its history in ControllerRevisions as the real controllers do: one per pod template,
 * owned by the workload, named <workload>-<hash>, `revision` rising with each change (a
 * template that comes back — a rollback — takes the next number), `data` the template patch.
 */
import { templateHash } from '../defaults.ts';
import type { JObj, KObj, PodTemplate } from '../types.ts';
import { clone } from '../types.ts';
import type { Manager } from './manager.ts';
import { controllerOf, ownerRef, R } from './manager.ts';
import { podFromTemplate, podReady } from './replicaset.ts';

const REV_LABEL = 'controller-revision-hash';

/** The ControllerRevisions `owner` controls. */
export function ownedRevisions(m: Manager, owner: KObj): KObj[] {
  return m.store
    .dependents(owner.metadata.uid)
    .filter((x) => x.r === R.cr && controllerOf(x.obj)?.uid === owner.metadata.uid)
    .map((x) => x.obj);
}

/**
 * The ControllerRevision of `owner`'s current template, created (or renumbered, when an older
 * template comes back) as needed; returns its name. `hash` is the controller-revision-hash.
 */
export function syncRevision(m: Manager, owner: KObj, template: PodTemplate, hash: string): string {
  const name = `${owner.metadata.name}-${hash}`;
  const ns = owner.metadata.namespace ?? 'default';
  const revisions = ownedRevisions(m, owner);
  const max = Math.max(0, ...revisions.map((r) => Number(r.revision ?? 0)));
  const existing = revisions.find((r) => r.metadata.name === name);
  if (existing) {
    if (Number(existing.revision ?? 0) < max)
      m.store.update(R.cr, { ...existing, revision: max + 1 });
    return name;
  }
  const labels = {
    ...((owner.spec?.selector as { matchLabels?: Record<string, string> } | undefined)
      ?.matchLabels ?? {}),
    [REV_LABEL]: hash,
  };
  m.store.create(R.cr, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ns,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels,
      ownerReferences: [ownerRef(owner)],
    },
    data: { spec: { template: { ...(clone(template) as unknown as JObj), $patch: 'replace' } } },
    revision: max + 1,
  });
  return name;
}

function owned(m: Manager, owner: KObj): KObj[] {
  return m.store
    .dependents(owner.metadata.uid)
    .filter((x) => x.r === R.pod && controllerOf(x.obj)?.uid === owner.metadata.uid)
    .map((x) => x.obj);
}

export class StatefulSetController {
  private readonly m: Manager;

  constructor(m: Manager) {
    this.m = m;
    m.register('StatefulSet', (ns, name) => this.reconcile(ns!, name));
  }

  reconcile(ns: string, name: string): void {
    const store = this.m.store;
    const sts = store.get(R.sts, ns, name);
    if (!sts) return;
    const replicas = typeof sts.spec?.replicas === 'number' ? sts.spec.replicas : 1;
    const template = sts.spec?.template as PodTemplate;
    const rev = syncRevision(this.m, sts, template, templateHash(template));
    const pods = owned(this.m, sts);
    const byOrdinal = new Map<number, KObj>();
    for (const p of pods) byOrdinal.set(Number(p.metadata.name.slice(name.length + 1)), p);
    let changed = false;
    // Scale down from the highest ordinal.
    const extra = [...byOrdinal.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
    if (extra.length > 0) {
      const p = byOrdinal.get(extra[0]!)!;
      store.delete(R.pod, ns, p.metadata.name);
      this.m.event(
        sts,
        'Normal',
        'SuccessfulDelete',
        `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`,
        'statefulset-controller',
      );
      byOrdinal.delete(extra[0]!);
      changed = true;
    }
    for (let i = 0; i < replicas && !changed; i++) {
      const p = byOrdinal.get(i);
      if (!p) {
        const podName = `${name}-${i}`;
        const pod = podFromTemplate(sts, podName, template, {
          [REV_LABEL]: rev,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        });
        pod.spec = { ...pod.spec, hostname: podName };
        byOrdinal.set(i, store.create(R.pod, pod));
        this.m.event(
          sts,
          'Normal',
          'SuccessfulCreate',
          `create Pod ${podName} in StatefulSet ${name} successful`,
          'statefulset-controller',
        );
        changed = true;
      } else if (!podReady(p)) changed = true;
    }
    const partition = Number(
      (sts.spec?.updateStrategy as { rollingUpdate?: { partition?: number } } | undefined)
        ?.rollingUpdate?.partition ?? 0,
    );
    const strategy =
      (sts.spec?.updateStrategy as { type?: string } | undefined)?.type ?? 'RollingUpdate';
    if (!changed && strategy === 'RollingUpdate') {
      for (let i = replicas - 1; i >= partition; i--) {
        const p = byOrdinal.get(i);
        if (p && p.metadata.labels?.[REV_LABEL] !== rev) {
          store.delete(R.pod, ns, p.metadata.name);
          byOrdinal.delete(i);
          break;
        }
      }
    }
    const live = [...byOrdinal.values()];
    const ready = live.filter(podReady).length;
    const updated = live.filter((p) => p.metadata.labels?.[REV_LABEL] === rev).length;
    const prevCurrent = (sts.status?.currentRevision as string | undefined) ?? rev;
    const currentRevision = updated === replicas ? rev : prevCurrent;
    const current = live.filter((p) => p.metadata.labels?.[REV_LABEL] === currentRevision).length;
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: live.length,
      readyReplicas: ready,
      currentReplicas: current,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision,
      updateRevision: rev,
      collisionCount: 0,
    };
    const fresh = store.get(R.sts, ns, name);
    if (fresh) this.m.writeStatus(R.sts, fresh, status);
  }
}

export class DaemonSetController {
  private readonly m: Manager;

  constructor(m: Manager) {
    this.m = m;
    m.register('DaemonSet', (ns, name) => this.reconcile(ns!, name));
  }

  reconcile(ns: string, name: string): void {
    const store = this.m.store;
    const ds = store.get(R.ds, ns, name);
    if (!ds) return;
    const template = ds.spec?.template as PodTemplate;
    const hash = templateHash(template);
    syncRevision(this.m, ds, template, hash);
    const nodes = store.list(R.node).map((n) => n.metadata.name);
    let pods = owned(this.m, ds);
    for (const node of nodes) {
      if (pods.some((p) => p.spec?.nodeName === node)) continue;
      const pod = podFromTemplate(ds, `${name}-${hash.slice(0, 5)}${node.slice(-1)}`, template, {
        [REV_LABEL]: hash,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      });
      pod.metadata.name = `${name}-${Math.random().toString(36).slice(2, 7)}`;
      pod.spec = { ...pod.spec, nodeName: node };
      pods.push(store.create(R.pod, pod));
      this.m.event(
        ds,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${pod.metadata.name}`,
        'daemonset-controller',
      );
    }
    for (const p of pods) {
      if (!nodes.includes(String(p.spec?.nodeName))) store.delete(R.pod, ns, p.metadata.name);
    }
    pods = pods.filter((p) => nodes.includes(String(p.spec?.nodeName)));
    const strategy =
      (ds.spec?.updateStrategy as { type?: string } | undefined)?.type ?? 'RollingUpdate';
    // As the real controller: old pods that are not available go at once (they count against
    // no budget; this is what lets a rollback replace a broken pod), then one old pod at a time.
    if (strategy === 'RollingUpdate') {
      for (const p of pods.filter((x) => x.metadata.labels?.[REV_LABEL] !== hash && !podReady(x)))
        store.delete(R.pod, ns, p.metadata.name);
      pods = pods.filter((x) => x.metadata.labels?.[REV_LABEL] === hash || podReady(x));
    }
    const unavailable = pods.filter((p) => !podReady(p)).length;
    if (strategy === 'RollingUpdate' && unavailable === 0) {
      const old = pods.find((p) => p.metadata.labels?.[REV_LABEL] !== hash);
      if (old) {
        store.delete(R.pod, ns, old.metadata.name);
        this.m.event(
          ds,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${old.metadata.name}`,
          'daemonset-controller',
        );
        pods = pods.filter((p) => p !== old);
      }
    }
    const ready = pods.filter(podReady).length;
    const status: Record<string, unknown> = {
      currentNumberScheduled: pods.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      numberUnavailable: nodes.length - ready,
      updatedNumberScheduled: pods.filter((p) => p.metadata.labels?.[REV_LABEL] === hash).length,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    for (const k of ['numberAvailable', 'numberUnavailable'])
      if (status[k] === 0) Reflect.deleteProperty(status, k);
    const fresh = store.get(R.ds, ns, name);
    if (fresh) this.m.writeStatus(R.ds, fresh, status);
  }
}
