/** Deployment controller: ReplicaSets per template, revisions, RollingUpdate/Recreate, conditions. */
import { templateHash, templateKey } from '../defaults.ts';
import type { KObj, LabelSelector, PodTemplate } from '../types.ts';
import { clone, isObj } from '../types.ts';
import type { Cond, Manager } from './manager.ts';
import { controllerOf, ownerRef, R, setCondition } from './manager.ts';

const REV = 'deployment.kubernetes.io/revision';
const REV_HISTORY = 'deployment.kubernetes.io/revision-history';
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REV,
  REV_HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

interface DSpec {
  replicas: number;
  selector: LabelSelector;
  template: PodTemplate;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
  };
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const rev = (o: KObj): number => Number(o.metadata.annotations?.[REV] ?? 0) || 0;
const specReplicas = (o: KObj): number => n(o.spec?.replicas);

export function resolveIntOrPercent(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export class DeploymentController {
  private readonly m: Manager;
  /** uid → simulated ms of the last progress. */
  private readonly progress = new Map<string, number>();
  /** uid → simulated ms of the pending deadline check. */
  private readonly scheduled = new Map<string, number>();

  constructor(m: Manager) {
    this.m = m;
    m.register('Deployment', (ns, name) => this.reconcile(ns!, name));
  }

  private scaleRs(d: KObj, rs: KObj, to: number, desired: number, maxSurge: number): KObj {
    const from = specReplicas(rs);
    const ann = {
      ...(rs.metadata.annotations ?? {}),
      'deployment.kubernetes.io/desired-replicas': String(desired),
      'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
    };
    if (
      from === to &&
      rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] === String(desired)
    )
      return rs;
    const next = clone(rs);
    next.metadata.annotations = ann;
    next.spec = { ...next.spec, replicas: to };
    if (from !== to) next.metadata.generation = (rs.metadata.generation ?? 1) + 1;
    const out = this.m.store.update(R.rs, next);
    if (from !== to) {
      this.m.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
        'deployment-controller',
      );
    }
    return out;
  }

  reconcile(ns: string, name: string): void {
    const store = this.m.store;
    let d = store.get(R.deploy, ns, name);
    if (!d) return;
    const spec = d.spec as unknown as DSpec;
    const desired = spec.replicas ?? 1;
    const owned = store
      .dependents(d.metadata.uid)
      .filter((x) => x.r === R.rs && controllerOf(x.obj)?.uid === d!.metadata.uid)
      .map((x) => x.obj);
    const key = templateKey(spec.template);
    let newRs = owned.find((rs) => templateKey(rs.spec?.template as PodTemplate) === key);
    let olds = owned.filter((rs) => rs !== newRs).sort((a, b) => rev(a) - rev(b));
    const maxOld = olds.reduce((a, rs) => Math.max(a, rev(rs)), 0);
    const strategy = spec.strategy?.type ?? 'RollingUpdate';
    const ru = spec.strategy?.rollingUpdate ?? {};
    const maxSurge =
      strategy === 'RollingUpdate' ? resolveIntOrPercent(ru.maxSurge, desired, true) : 0;
    let maxUnavailable =
      strategy === 'RollingUpdate' ? resolveIntOrPercent(ru.maxUnavailable, desired, false) : 0;
    if (strategy === 'RollingUpdate' && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const generationChanged = (d.metadata.generation ?? 1) > n(d.status?.observedGeneration);
    let conds = ((d.status?.conditions ?? []) as Cond[]).map((c) => ({ ...c }));
    const now = this.m.clock.now();
    if (generationChanged || !this.progress.has(d.metadata.uid))
      this.progress.set(d.metadata.uid, now);
    const rsAnnotations = (): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(d!.metadata.annotations ?? {}))
        if (!SKIP_COPY.has(k)) out[k] = v;
      return out;
    };

    if (!spec.paused) {
      if (!newRs) {
        const hash = templateHash(spec.template);
        const template = clone(spec.template);
        template.metadata = {
          ...(template.metadata ?? {}),
          labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
        };
        const oldPods = olds.reduce((a, rs) => a + n(rs.status?.replicas) + specReplicas(rs), 0);
        let initial = desired;
        if (strategy === 'Recreate') initial = oldPods > 0 ? 0 : desired;
        else {
          const all = olds.reduce((a, rs) => a + specReplicas(rs), 0);
          initial = Math.max(0, Math.min(desired + maxSurge - all, desired));
        }
        const rsName = `${name}-${hash}`;
        newRs = store.create(R.rs, {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rsName,
            namespace: ns,
            uid: '',
            resourceVersion: '',
            creationTimestamp: '',
            labels: { ...(spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash },
            annotations: {
              ...rsAnnotations(),
              [REV]: String(maxOld + 1),
              'deployment.kubernetes.io/desired-replicas': String(desired),
              'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
            },
            ownerReferences: [ownerRef(d)],
          },
          spec: {
            replicas: initial,
            selector: {
              ...spec.selector,
              matchLabels: { ...(spec.selector.matchLabels ?? {}), 'pod-template-hash': hash },
            },
            template,
          },
        });
        if (initial > 0) {
          this.m.event(
            d,
            'Normal',
            'ScalingReplicaSet',
            `Scaled up replica set ${rsName} from 0 to ${initial}`,
            'deployment-controller',
          );
        }
        conds = setCondition(conds, {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetCreated',
          message: `Created new replica set "${rsName}"`,
        });
        this.progress.set(d.metadata.uid, now);
      } else {
        const wantAnn = { ...(newRs.metadata.annotations ?? {}), ...rsAnnotations() };
        if (rev(newRs) <= maxOld) {
          const history = [newRs.metadata.annotations?.[REV_HISTORY], String(rev(newRs))]
            .filter(Boolean)
            .join(',');
          wantAnn[REV] = String(maxOld + 1);
          wantAnn[REV_HISTORY] = history;
        }
        if (JSON.stringify(wantAnn) !== JSON.stringify(newRs.metadata.annotations ?? {})) {
          newRs = store.update(R.rs, {
            ...newRs,
            metadata: { ...newRs.metadata, annotations: wantAnn },
          });
        }
      }
      olds = olds.map((rs) => store.get(R.rs, ns, rs.metadata.name) ?? rs);
      if (strategy === 'Recreate') {
        olds = olds.map((rs) => (specReplicas(rs) > 0 ? this.scaleRs(d!, rs, 0, desired, 0) : rs));
        const oldPods = olds.reduce(
          (a, rs) => a + store.dependents(rs.metadata.uid).filter((x) => x.r === R.pod).length,
          0,
        );
        if (oldPods === 0) newRs = this.scaleRs(d, newRs, desired, desired, 0);
      } else {
        const all = (): number =>
          olds.reduce((a, rs) => a + specReplicas(rs), specReplicas(newRs!));
        const cur = specReplicas(newRs);
        if (cur > desired) newRs = this.scaleRs(d, newRs, desired, desired, maxSurge);
        else if (cur < desired) {
          const room = desired + maxSurge - all();
          if (room > 0)
            newRs = this.scaleRs(d, newRs, cur + Math.min(room, desired - cur), desired, maxSurge);
        } else newRs = this.scaleRs(d, newRs, cur, desired, maxSurge);
        const minAvailable = desired - maxUnavailable;
        const newUnavailable = specReplicas(newRs) - n(newRs.status?.availableReplicas);
        let maxScaledDown = all() - minAvailable - newUnavailable;
        for (let i = 0; i < olds.length && maxScaledDown > 0; i++) {
          const rs = olds[i]!;
          const unhealthy = specReplicas(rs) - n(rs.status?.availableReplicas);
          if (unhealthy <= 0) continue;
          const down = Math.min(maxScaledDown, unhealthy);
          olds[i] = this.scaleRs(d, rs, specReplicas(rs) - down, desired, maxSurge);
          maxScaledDown -= down;
        }
        const available = olds.reduce(
          (a, rs) => a + Math.min(n(rs.status?.availableReplicas), specReplicas(rs)),
          n(newRs.status?.availableReplicas),
        );
        let total = Math.min(available - minAvailable, maxScaledDown);
        for (let i = 0; i < olds.length && total > 0; i++) {
          const rs = olds[i]!;
          if (specReplicas(rs) === 0) continue;
          const down = Math.min(specReplicas(rs), total);
          olds[i] = this.scaleRs(d, rs, specReplicas(rs) - down, desired, maxSurge);
          total -= down;
        }
      }
      const limit = spec.revisionHistoryLimit ?? 10;
      const idle = olds.filter((rs) => specReplicas(rs) === 0 && n(rs.status?.replicas) === 0);
      for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
        store.delete(R.rs, ns, rs.metadata.name);
    }

    // Deployment carries the revision of its new ReplicaSet.
    d = store.get(R.deploy, ns, name)!;
    if (newRs && d.metadata.annotations?.[REV] !== newRs.metadata.annotations?.[REV]) {
      d = store.update(R.deploy, {
        ...d,
        metadata: {
          ...d.metadata,
          annotations: {
            ...(d.metadata.annotations ?? {}),
            [REV]: newRs.metadata.annotations?.[REV] ?? '1',
          },
        },
      });
    }
    this.updateStatus(d, newRs, conds, desired, maxUnavailable);
  }

  private updateStatus(
    d: KObj,
    newRs: KObj | undefined,
    condsIn: Cond[],
    desired: number,
    maxUnavailable: number,
  ): void {
    const store = this.m.store;
    const all = store
      .dependents(d.metadata.uid)
      .filter((x) => x.r === R.rs)
      .map((x) => x.obj);
    const sum = (f: (rs: KObj) => number): number => all.reduce((a, rs) => a + f(rs), 0);
    const fresh = newRs
      ? (store.get(R.rs, newRs.metadata.namespace, newRs.metadata.name) ?? newRs)
      : undefined;
    const status: Record<string, unknown> = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum((rs) => n(rs.status?.replicas)),
      updatedReplicas: fresh ? n(fresh.status?.replicas) : 0,
      readyReplicas: sum((rs) => n(rs.status?.readyReplicas)),
      availableReplicas: sum((rs) => n(rs.status?.availableReplicas)),
      unavailableReplicas: Math.max(
        0,
        sum(specReplicas) - sum((rs) => n(rs.status?.availableReplicas)),
      ),
    };
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ]) {
      if (status[k] === 0) Reflect.deleteProperty(status, k);
    }
    const old = d.status ?? {};
    const oldOld = n(old.replicas) - n(old.updatedReplicas);
    const newOld = n(status.replicas) - n(status.updatedReplicas);
    const progressed =
      n(status.updatedReplicas) > n(old.updatedReplicas) ||
      newOld < oldOld ||
      n(status.readyReplicas) > n(old.readyReplicas) ||
      n(status.availableReplicas) > n(old.availableReplicas);
    const now = this.m.clock.now();
    if (progressed) this.progress.set(d.metadata.uid, now);
    let conds = condsIn;
    const avail = n(status.availableReplicas) >= desired - maxUnavailable;
    conds = setCondition(
      conds,
      avail
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
    );
    const rsName = fresh?.metadata.name ?? '';
    const spec = d.spec as unknown as DSpec;
    const complete =
      n(status.updatedReplicas) === desired &&
      n(status.replicas) === desired &&
      n(status.availableReplicas) === desired;
    const current = conds.find((c) => c.type === 'Progressing');
    if (spec.paused) {
      conds = setCondition(conds, {
        type: 'Progressing',
        status: 'Unknown',
        reason: 'DeploymentPaused',
        message: 'Deployment is paused',
      });
    } else if (complete && fresh) {
      conds = setCondition(conds, {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${rsName}" has successfully progressed.`,
      });
    } else if (
      progressed ||
      current?.reason === 'NewReplicaSetAvailable' ||
      current?.reason === 'DeploymentPaused' ||
      !current
    ) {
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        true,
      );
      if (progressed)
        conds = conds.map((c) =>
          c.type === 'Progressing'
            ? { ...c, lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }
            : c,
        );
    }
    const deadline = spec.progressDeadlineSeconds;
    const last = this.progress.get(d.metadata.uid) ?? now;
    if (!complete && !spec.paused && deadline !== undefined && isFinite(deadline)) {
      const due = last + deadline * 1000;
      if (now >= due) {
        conds = setCondition(conds, {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        });
      } else {
        const uid = d.metadata.uid;
        if (this.scheduled.get(uid) !== due) {
          this.scheduled.set(uid, due);
          this.m.later(due - now + 1, 'Deployment', d.metadata.namespace, d.metadata.name);
        }
      }
    }
    const order = ['Available', 'Progressing'];
    status.conditions = conds.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
    if (isObj(old) && old.collisionCount !== undefined) status.collisionCount = old.collisionCount;
    this.m.writeStatus(R.deploy, d, status);
  }
}
