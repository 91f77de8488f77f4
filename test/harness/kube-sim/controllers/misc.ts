/** Service load balancers, HorizontalPodAutoscalers, simulated nodes. */
import { isObj, nowIso } from '../types.ts';
import type { Cond, Manager } from './manager.ts';
import { R, setCondition } from './manager.ts';

let lbCounter = 10;

export class ServiceController {
  private readonly m: Manager;

  constructor(m: Manager) {
    this.m = m;
    m.register('Service', (ns, name) => this.reconcile(ns!, name));
  }

  reconcile(ns: string, name: string): void {
    const svc = this.m.store.get(R.svc, ns, name);
    if (!svc || svc.spec?.type !== 'LoadBalancer') return;
    const ing = (svc.status?.loadBalancer as { ingress?: unknown[] } | undefined)?.ingress;
    if (Array.isArray(ing) && ing.length > 0) return;
    if (svc.metadata.annotations?.['kube-sim/lb-pending'] === 'true') return;
    this.m.event(
      svc,
      'Normal',
      'EnsuringLoadBalancer',
      'Ensuring load balancer',
      'service-controller',
    );
    this.m.clock.after(2000, () => {
      const s = this.m.store.get(R.svc, ns, name);
      if (!s || s.metadata.uid !== svc.metadata.uid) return;
      const ip = `192.0.2.${lbCounter++ % 250}`;
      this.m.writeStatus(R.svc, s, { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } });
      this.m.event(
        s,
        'Normal',
        'EnsuredLoadBalancer',
        'Ensured load balancer',
        'service-controller',
      );
    });
  }
}

export class HpaController {
  private readonly m: Manager;

  constructor(m: Manager) {
    this.m = m;
    m.register('HorizontalPodAutoscaler', (ns, name) => this.reconcile(ns!, name));
  }

  reconcile(ns: string, name: string): void {
    const store = this.m.store;
    const hpa = store.get(R.hpa, ns, name);
    if (!hpa) return;
    const spec = hpa.spec as {
      scaleTargetRef?: { kind?: string; name?: string };
      minReplicas?: number;
      maxReplicas?: number;
      metrics?: unknown[];
    };
    const kind = spec.scaleTargetRef?.kind ?? 'Deployment';
    const r = kind === 'StatefulSet' ? R.sts : kind === 'ReplicaSet' ? R.rs : R.deploy;
    const target = store.get(r, ns, spec.scaleTargetRef?.name ?? '');
    let conds = ((hpa.status?.conditions ?? []) as Cond[]).map((c) => ({ ...c }));
    const status: Record<string, unknown> = { ...(hpa.status ?? {}) };
    if (!target) {
      conds = setCondition(
        conds,
        {
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedGetScale',
          message: `the HPA controller was unable to get the target's current scale: ${r.plural}.${r.group} "${spec.scaleTargetRef?.name}" not found`,
        },
        false,
      );
      this.m.writeStatus(R.hpa, hpa, {
        ...status,
        currentReplicas: 0,
        desiredReplicas: 0,
        conditions: conds,
      });
      this.m.later(15000, 'HorizontalPodAutoscaler', ns, name);
      return;
    }
    const current = typeof target.spec?.replicas === 'number' ? target.spec.replicas : 1;
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas ?? current;
    const desired = Math.min(max, Math.max(min, current));
    if (desired !== current) {
      this.m.writeSpec(r, target, { ...target.spec, replicas: desired });
      status.lastScaleTime = nowIso();
      this.m.event(
        hpa,
        'Normal',
        'SuccessfulRescale',
        `New size: ${desired}; reason: ${desired > current ? 'Current number of replicas below Spec.MinReplicas' : 'Current number of replicas above Spec.MaxReplicas'}`,
        'horizontal-pod-autoscaler',
      );
    }
    const metrics = (spec.metrics ?? []).filter(isObj).map((mt) => {
      const res = isObj(mt.resource) ? mt.resource : {};
      return {
        type: 'Resource',
        resource: {
          name: res.name ?? 'cpu',
          current: { averageUtilization: 42, averageValue: '42m' },
        },
      };
    });
    conds = setCondition(
      conds,
      {
        type: 'AbleToScale',
        status: 'True',
        reason: 'ReadyForNewScale',
        message: 'recommended size matches current size',
      },
      false,
    );
    conds = setCondition(
      conds,
      {
        type: 'ScalingActive',
        status: 'True',
        reason: 'ValidMetricFound',
        message:
          'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      },
      false,
    );
    conds = setCondition(
      conds,
      desired !== current
        ? {
            type: 'ScalingLimited',
            status: 'True',
            reason: desired > current ? 'TooFewReplicas' : 'TooManyReplicas',
            message: 'the desired replica count is outside the allowed range',
          }
        : {
            type: 'ScalingLimited',
            status: 'False',
            reason: 'DesiredWithinRange',
            message: 'the desired count is within the acceptable range',
          },
      false,
    );
    this.m.writeStatus(R.hpa, hpa, {
      ...status,
      observedGeneration: hpa.metadata.generation ?? 1,
      currentReplicas: typeof target.status?.replicas === 'number' ? target.status.replicas : 0,
      desiredReplicas: desired,
      currentMetrics: metrics,
      conditions: conds,
    });
    this.m.later(15000, 'HorizontalPodAutoscaler', ns, name);
  }
}

export function createNodes(m: Manager, count: number): void {
  for (let i = 1; i <= count; i++) {
    m.store.create(R.node, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: `kube-sim-node-${i}`,
        uid: '',
        resourceVersion: '',
        creationTimestamp: '',
        labels: { 'kubernetes.io/hostname': `kube-sim-node-${i}`, 'kubernetes.io/os': 'linux' },
      },
      spec: { podCIDR: `10.244.${i}.0/24` },
      status: {
        capacity: { cpu: '4', memory: '16Gi', pods: '110' },
        allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
            lastHeartbeatTime: nowIso(),
            lastTransitionTime: nowIso(),
          },
        ],
        addresses: [
          { type: 'InternalIP', address: `172.18.0.${i + 1}` },
          { type: 'Hostname', address: `kube-sim-node-${i}` },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.9',
          containerRuntimeVersion: 'containerd://1.7.0',
          osImage: 'kube-sim',
          architecture: 'amd64',
          operatingSystem: 'linux',
        },
      },
    });
  }
}
