/** API-server defaulting, and the pod-template hash the controllers share. */
import { createHash } from 'node:crypto';
import type { KObj, PodTemplate } from './types.ts';
import { isObj } from './types.ts';

let ipCounter = 10;
let nodePortCounter = 80;

function defaultPodSpec(spec: Record<string, unknown> | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) {
      if (!isObj(c)) continue;
      const image = typeof c.image === 'string' ? c.image : '';
      const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
      c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      c.resources ??= {};
      if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) p.protocol ??= 'TCP';
    }
  }
}

function defaultTemplate(spec: Record<string, unknown>): void {
  const t = spec.template;
  if (isObj(t)) defaultPodSpec(isObj(t.spec) ? t.spec : undefined);
}

export function applyDefaults(obj: KObj): void {
  const spec = obj.spec;
  switch (obj.kind) {
    case 'Deployment':
      if (!spec) return;
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= { type: 'RollingUpdate' };
      if (isObj(spec.strategy)) {
        spec.strategy.type ??= 'RollingUpdate';
        if (spec.strategy.type === 'RollingUpdate') {
          const ru = isObj(spec.strategy.rollingUpdate) ? spec.strategy.rollingUpdate : {};
          ru.maxSurge ??= '25%';
          ru.maxUnavailable ??= '25%';
          spec.strategy.rollingUpdate = ru;
        }
      }
      defaultTemplate(spec);
      break;
    case 'ReplicaSet':
      if (!spec) return;
      spec.replicas ??= 1;
      defaultTemplate(spec);
      break;
    case 'StatefulSet':
      if (!spec) return;
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.revisionHistoryLimit ??= 10;
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (isObj(spec.updateStrategy) && spec.updateStrategy.type === 'RollingUpdate') {
        spec.updateStrategy.rollingUpdate ??= { partition: 0 };
      }
      defaultTemplate(spec);
      break;
    case 'DaemonSet':
      if (!spec) return;
      spec.revisionHistoryLimit ??= 10;
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (isObj(spec.updateStrategy) && spec.updateStrategy.type === 'RollingUpdate') {
        spec.updateStrategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 };
      }
      defaultTemplate(spec);
      break;
    case 'Pod':
      defaultPodSpec(spec);
      obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'Service':
      if (!spec) return;
      spec.type ??= 'ClusterIP';
      if (spec.clusterIP === undefined) {
        const n = ipCounter++;
        spec.clusterIP = `10.96.${(n >> 8) & 255}.${n & 255}`;
        spec.clusterIPs = [spec.clusterIP];
      }
      spec.sessionAffinity ??= 'None';
      if (Array.isArray(spec.ports)) {
        for (const p of spec.ports) {
          if (!isObj(p)) continue;
          p.protocol ??= 'TCP';
          p.targetPort ??= p.port ?? 0;
          if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
            p.nodePort ??= 30000 + (nodePortCounter++ % 2768);
        }
      }
      break;
    case 'Namespace':
      obj.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      break;
    case 'Secret':
      obj.type ??= 'Opaque';
      if (isObj(obj.stringData)) {
        const data = isObj(obj.data) ? obj.data : {};
        for (const [k, v] of Object.entries(obj.stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        obj.data = data;
        delete obj.stringData;
      }
      break;
    default:
  }
}

/** Canonical form: sorted keys, no null / empty values. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isObj(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const c = canonical(v[k]);
    if (c === null || c === undefined) continue;
    if (isObj(c) && Object.keys(c).length === 0) continue;
    if (Array.isArray(c) && c.length === 0) continue;
    out[k] = c;
  }
  return out;
}

/** Template without the pod-template-hash label, canonicalised. */
export function templateKey(t: PodTemplate | undefined): string {
  const copy = structuredClone(t ?? { spec: { containers: [] } }) as PodTemplate & {
    metadata?: Record<string, unknown>;
  };
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  if (copy.metadata) delete copy.metadata.creationTimestamp;
  return JSON.stringify(canonical(copy));
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

export function templateHash(t: PodTemplate | undefined): string {
  const h = createHash('sha256').update(templateKey(t)).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += SAFE[h[i]! % SAFE.length];
  return s;
}
