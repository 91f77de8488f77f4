/** Work queue, event recorder, garbage collection: what every controller shares. */
import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock.ts';
import type { ResourceDef } from '../resources.ts';
import { RESOURCES } from '../resources.ts';
import type { Store } from '../store.ts';
import type { KObj, OwnerRef } from '../types.ts';
import { clone, deepEqual, nowIso } from '../types.ts';
import { ApiError } from '../errors.ts';

export function res(kind: string): ResourceDef {
  const r = RESOURCES.find((x) => x.kind === kind);
  if (!r) throw new Error(`unknown kind ${kind}`);
  return r;
}

export const R = {
  ns: res('Namespace'),
  node: res('Node'),
  pod: res('Pod'),
  svc: res('Service'),
  event: res('Event'),
  deploy: res('Deployment'),
  rs: res('ReplicaSet'),
  sts: res('StatefulSet'),
  ds: res('DaemonSet'),
  cr: res('ControllerRevision'),
  cm: res('ConfigMap'),
  hpa: res('HorizontalPodAutoscaler'),
  isvc: res('InferenceService'),
};

export type Reconciler = (ns: string | undefined, name: string) => void;

export function ownerRef(owner: KObj): OwnerRef {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: KObj): OwnerRef | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.controller);
}

export class Manager {
  readonly store: Store;
  readonly clock: SimClock;
  readonly nodes: number;
  private readonly reconcilers = new Map<string, Reconciler>();
  private queue = new Set<string>();
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  private readonly eventIndex = new Map<string, string>();

  constructor(store: Store, clock: SimClock, nodes: number) {
    this.store = store;
    this.clock = clock;
    this.nodes = nodes;
  }

  register(kind: string, fn: Reconciler): void {
    this.reconcilers.set(kind, fn);
  }

  enqueue(kind: string, ns: string | undefined, name: string): void {
    if (this.stopped) return;
    this.queue.add(`${kind}|${ns ?? ''}|${name}`);
    this.immediate ??= setImmediate(() => this.drain());
  }

  /** Re-run a reconciler after `simMs` of simulated time. */
  later(simMs: number, kind: string, ns: string | undefined, name: string): void {
    this.clock.after(simMs, () => this.enqueue(kind, ns, name));
  }

  private drain(): void {
    this.immediate = undefined;
    const batch = this.queue;
    this.queue = new Set();
    for (const k of batch) {
      if (this.stopped) return;
      const [kind, ns, name] = k.split('|') as [string, string, string];
      try {
        this.reconcilers.get(kind)?.(ns || undefined, name);
      } catch (e) {
        // Conflicts and races (object gone) are retried by the next event; anything else is a
        // simulator bug: report it without taking the test process down.
        if (!(e instanceof ApiError)) {
          process.stderr.write(
            `kube-sim: ${kind} ${ns}/${name} reconcile failed: ${(e as Error).stack ?? String(e)}\n`,
          );
        }
      }
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.queue.clear();
  }

  /** Write status only when it changed. */
  writeStatus(r: ResourceDef, obj: KObj, status: Record<string, unknown>): KObj {
    if (deepEqual(obj.status, status)) return obj;
    return this.store.update(r, { ...obj, status });
  }

  /** Change spec (bumping generation) when it changed. */
  writeSpec(r: ResourceDef, obj: KObj, spec: Record<string, unknown>): KObj {
    if (deepEqual(obj.spec, spec)) return obj;
    const next = clone(obj);
    next.spec = spec;
    if (r.generation) next.metadata.generation = (obj.metadata.generation ?? 1) + 1;
    return this.store.update(r, next);
  }

  /** Record a core/v1 Event, folding repeats into count like the event correlator. */
  event(
    obj: KObj,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    fieldPath?: string,
  ): void {
    if (this.stopped) return;
    const ns = obj.metadata.namespace ?? 'default';
    const key = `${obj.metadata.uid}|${reason}|${message}`;
    const now = nowIso();
    const existingName = this.eventIndex.get(key);
    const existing = existingName ? this.store.get(R.event, ns, existingName) : undefined;
    if (existing) {
      this.store.update(R.event, {
        ...existing,
        count: Number(existing.count ?? 1) + 1,
        lastTimestamp: now,
      });
      return;
    }
    const name = `${obj.metadata.name}.${randomBytes(8).toString('hex')}`;
    this.eventIndex.set(key, name);
    const involved: Record<string, unknown> = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    if (fieldPath) involved.fieldPath = fieldPath;
    const host = component === 'kubelet' ? (obj.spec?.nodeName as string | undefined) : undefined;
    try {
      this.store.create(R.event, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: now },
        involvedObject: involved,
        reason,
        message,
        source: host ? { component, host } : { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: host ?? '',
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  /** Cascade deletions to dependents and namespace contents. */
  collect(r: ResourceDef, obj: KObj): void {
    for (const d of this.store.dependents(obj.metadata.uid)) {
      try {
        this.store.delete(d.r, d.obj.metadata.namespace, d.obj.metadata.name);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
      }
    }
    if (r.kind === 'Namespace') {
      for (const x of RESOURCES) {
        if (!x.namespaced) continue;
        for (const o of this.store.list(x, obj.metadata.name)) {
          try {
            this.store.delete(x, o.metadata.namespace, o.metadata.name);
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
          }
        }
      }
    }
  }
}

export interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  [k: string]: unknown;
}

/** Set a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(conds: Cond[], c: Cond, withUpdateTime = true): Cond[] {
  const now = nowIso();
  const old = conds.find((x) => x.type === c.type);
  const same =
    old && old.status === c.status && old.reason === c.reason && old.message === c.message;
  const next: Cond = { ...c };
  if (withUpdateTime)
    next.lastUpdateTime =
      same && !c.lastUpdateTime ? old.lastUpdateTime : (c.lastUpdateTime ?? now);
  next.lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : now;
  return old ? conds.map((x) => (x.type === c.type ? next : x)) : [...conds, next];
}
