/**
 * Simulated scheduler + kubelet. Image tags pick the behaviour: pullfail-*, crash-*, oom-*,
 * unready-*, slow-*, pending-*; anything else is Ready after a short delay. A pod that requests
 * a resource no simulated node has (nvidia.com/gpu) stays Pending; its annotation
 * AUTOSCALER_ANNOTATION says what a simulated cluster autoscaler answers (none without it).
 */
import { R } from './controllers/manager.ts';
import { PodSimulator, type SimulatedPod } from './pod-simulator.ts';
import type { KObj } from './types.ts';
import { nowIso } from './types.ts';

type Behaviour = 'ok' | 'pullfail' | 'crash' | 'oom' | 'unready' | 'slow' | 'pending';

/**
 * `no-scale-up`: the autoscaler says it will not help (NotTriggerScaleUp, max node group size
 * reached); `scale-up`: it starts a scale-up (TriggeredScaleUp) whose node never arrives.
 */
export const AUTOSCALER_ANNOTATION = 'sim.mlops-actions.io/autoscaler';

/** The node group the simulated autoscaler names. */
const NODE_GROUP = 'gpu-pool';

export function behaviourOf(image: string): Behaviour {
  const last = image.split('/').pop() ?? image;
  const [repo, tag = ''] = last.split('@')[0]!.split(':') as [string, string?];
  for (const b of ['pullfail', 'crash', 'oom', 'unready', 'slow', 'pending'] as const) {
    if (tag.startsWith(`${b}-`) || tag === b || repo.startsWith(`${b}-`)) return b;
  }
  return 'ok';
}

interface ContainerSim {
  name: string;
  image: string;
  behaviour: Behaviour;
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
  ready: boolean;
  started: boolean;
  restartCount: number;
  logs: string[];
  previous: string[] | undefined;
}

interface PodSim extends SimulatedPod {
  node: string | undefined;
  ip: string;
  startTime: string | undefined;
  containers: ContainerSim[];
  scheduled: boolean;
  /** Resources the pod requests (requests or limits) that no simulated node has. */
  missing: string[];
  autoscaler: string | undefined;
}

const SEC = 1000;

export class Kubelet extends PodSimulator<PodSim> {
  private nextIp = 1;
  private nextNode = 0;

  logs(
    ns: string,
    pod: string,
    container: string | undefined,
    previous: boolean,
  ): string[] | undefined {
    for (const p of this.pods.values()) {
      if (p.ns !== ns || p.name !== pod) continue;
      const c = p.containers.find((x) => x.name === container) ?? p.containers[0];
      if (!c) return undefined;
      if (previous) return c.previous;
      return c.started || c.restartCount > 0 ? c.logs : undefined;
    }
    return undefined;
  }

  onPod(type: string, pod: KObj): void {
    if (type === 'DELETED') {
      this.forget(pod.metadata.uid);
      return;
    }
    if (type !== 'ADDED' || this.pods.has(pod.metadata.uid)) return;
    const containers = ((pod.spec?.containers ?? []) as { name: string; image: string }[]).map(
      (c) => ({
        name: c.name,
        image: c.image,
        behaviour: behaviourOf(c.image),
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        ready: false,
        started: false,
        restartCount: 0,
        logs: [],
        previous: undefined,
      }),
    );
    const n = this.nextIp++;
    const known = new Set(
      this.m.store
        .list(R.node)
        .flatMap((node) =>
          Object.keys((node.status?.allocatable as Record<string, string> | undefined) ?? {}),
        ),
    );
    const wanted = (
      (pod.spec?.containers ?? []) as {
        resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
      }[]
    ).flatMap((c) => [
      ...Object.keys(c.resources?.requests ?? {}),
      ...Object.keys(c.resources?.limits ?? {}),
    ]);
    const sim: PodSim = {
      ns: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      node: pod.spec?.nodeName as string | undefined,
      ip: `10.244.${(n >> 8) & 255}.${n & 255}`,
      startTime: undefined,
      containers,
      tasks: [],
      scheduled: false,
      missing: [...new Set(wanted.filter((r) => !known.has(r)))].sort(),
      autoscaler: pod.metadata.annotations?.[AUTOSCALER_ANNOTATION],
    };
    this.pods.set(sim.uid, sim);
    this.at(sim, 0.1 * SEC, () => this.schedule(sim));
  }

  private event(
    sim: PodSim,
    type: 'Normal' | 'Warning',
    reason: string,
    msg: string,
    c?: ContainerSim,
    component = 'kubelet',
  ): void {
    this.podEvent(sim, type, reason, msg, component, c ? `spec.containers{${c.name}}` : undefined);
  }

  private schedule(sim: PodSim): void {
    const nodes = this.m.nodes;
    if (sim.containers.some((c) => c.behaviour === 'pending')) {
      const msg = `0/${nodes} nodes are available: ${nodes} Insufficient cpu. preemption: 0/${nodes} nodes are available: ${nodes} No preemption victims found for incoming pod.`;
      this.event(sim, 'Warning', 'FailedScheduling', msg, undefined, 'default-scheduler');
      this.flush(sim, { scheduleFailure: msg });
      this.at(sim, 60 * SEC, () => this.schedule(sim));
      return;
    }
    if (sim.missing.length > 0) {
      const msg = `0/${nodes} nodes are available: ${sim.missing.map((r) => `${nodes} Insufficient ${r}`).join(', ')}. preemption: 0/${nodes} nodes are available: ${nodes} No preemption victims found for incoming pod.`;
      this.event(sim, 'Warning', 'FailedScheduling', msg, undefined, 'default-scheduler');
      // The cluster autoscaler answers before the pod's status is written, as if it had been
      // watching for a while: a follower never sees an Unschedulable pod with no answer yet.
      if (sim.autoscaler) this.autoscalerStatus();
      if (sim.autoscaler === 'no-scale-up') {
        this.event(
          sim,
          'Normal',
          'NotTriggerScaleUp',
          `pod didn't trigger scale-up: 1 max node group size reached`,
          undefined,
          'cluster-autoscaler',
        );
      } else if (sim.autoscaler === 'scale-up') {
        this.event(
          sim,
          'Normal',
          'TriggeredScaleUp',
          `pod triggered scale-up: [{${NODE_GROUP} 0->1 (max: 2)}]`,
          undefined,
          'cluster-autoscaler',
        );
      }
      this.flush(sim, { scheduleFailure: msg });
      this.at(sim, 60 * SEC, () => this.schedule(sim));
      return;
    }
    sim.node ??= `kube-sim-node-${(this.nextNode++ % Math.max(1, nodes)) + 1}`;
    sim.scheduled = true;
    sim.startTime = nowIso();
    const p = this.pod(sim);
    if (!p) return;
    if (p.spec?.nodeName !== sim.node)
      this.m.store.update(R.pod, { ...p, spec: { ...p.spec, nodeName: sim.node } });
    this.event(
      sim,
      'Normal',
      'Scheduled',
      `Successfully assigned ${sim.ns}/${sim.name} to ${sim.node}`,
      undefined,
      'default-scheduler',
    );
    this.flush(sim);
    for (const c of sim.containers) this.at(sim, 0.2 * SEC, () => this.pull(sim, c, 0));
  }

  /** The status ConfigMap a running cluster autoscaler keeps in kube-system. */
  private autoscalerStatus(): void {
    if (this.m.store.get(R.cm, 'kube-system', 'cluster-autoscaler-status')) return;
    this.m.store.create(R.cm, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cluster-autoscaler-status',
        namespace: 'kube-system',
        uid: '',
        resourceVersion: '',
        creationTimestamp: '',
      },
      data: {
        status: `Cluster-autoscaler status at ${nowIso()}:\nCluster-wide:\n  Health: Healthy\nNodeGroups:\n  Name: ${NODE_GROUP}\n  Health: Healthy (minSize=0, maxSize=2)\n`,
      },
    });
  }

  private pull(sim: PodSim, c: ContainerSim, attempt: number): void {
    this.event(sim, 'Normal', 'Pulling', `Pulling image "${c.image}"`, c);
    if (c.behaviour === 'pullfail') {
      this.at(sim, 0.8 * SEC, () => {
        this.event(
          sim,
          'Warning',
          'Failed',
          `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
          c,
        );
        this.event(sim, 'Warning', 'Failed', 'Error: ErrImagePull', c);
        c.state = {
          waiting: {
            reason: 'ErrImagePull',
            message: `rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
          },
        };
        this.flush(sim);
        this.at(sim, 1 * SEC, () => {
          this.event(sim, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, c);
          this.event(sim, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
          c.state = {
            waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` },
          };
          this.flush(sim);
          this.at(sim, Math.min(300, 10 * 2 ** attempt) * SEC, () =>
            this.pull(sim, c, attempt + 1),
          );
        });
      });
      return;
    }
    this.at(sim, 0.5 * SEC, () => {
      if (attempt === 0) {
        this.event(
          sim,
          'Normal',
          'Pulled',
          `Successfully pulled image "${c.image}" in 500ms (500ms including waiting). Image size: 52428800 bytes.`,
          c,
        );
      }
      this.start(sim, c);
    });
  }

  private start(sim: PodSim, c: ContainerSim): void {
    this.event(sim, 'Normal', 'Created', `Created container: ${c.name}`, c);
    this.event(sim, 'Normal', 'Started', `Started container ${c.name}`, c);
    c.state = { running: { startedAt: nowIso() } };
    c.started = true;
    c.logs = [
      `starting ${c.image}`,
      `container ${c.name} (restart ${c.restartCount}) listening on :8080`,
    ];
    this.flush(sim);
    switch (c.behaviour) {
      case 'crash':
        c.logs.push(
          'loading model from /mnt/models',
          'fatal: model failed to load (simulated crash)',
        );
        this.at(sim, 1.5 * SEC, () => this.crash(sim, c));
        break;
      case 'oom':
        c.logs.push('loading model weights into memory');
        this.at(sim, 1.5 * SEC, () => this.crash(sim, c, { exitCode: 137, reason: 'OOMKilled' }));
        break;
      case 'unready':
        this.at(sim, 1 * SEC, () => this.probeFail(sim, c));
        break;
      case 'slow':
        this.at(sim, 20 * SEC, () => this.ready(sim, c));
        break;
      default:
        this.at(sim, 1 * SEC, () => this.ready(sim, c));
    }
  }

  private ready(sim: PodSim, c: ContainerSim): void {
    c.ready = true;
    c.logs.push('ready: serving requests');
    this.flush(sim);
  }

  private probeFail(sim: PodSim, c: ContainerSim): void {
    this.event(
      sim,
      'Warning',
      'Unhealthy',
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
      c,
    );
    c.logs.push('GET /ready 503');
    this.at(sim, 10 * SEC, () => this.probeFail(sim, c));
  }

  private crash(
    sim: PodSim,
    c: ContainerSim,
    how: { exitCode: number; reason: string } = { exitCode: 1, reason: 'Error' },
  ): void {
    const finishedAt = nowIso();
    const startedAt =
      (c.state.running as { startedAt?: string } | undefined)?.startedAt ?? finishedAt;
    c.lastState = {
      terminated: {
        exitCode: how.exitCode,
        reason: how.reason,
        startedAt,
        finishedAt,
        containerID: `containerd://${sim.uid.slice(0, 8)}${c.restartCount}`,
      },
    };
    c.previous = [...c.logs];
    c.ready = false;
    c.started = false;
    const backoff = Math.min(300, 10 * 2 ** c.restartCount);
    c.restartCount++;
    c.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${backoff}s restarting failed container=${c.name} pod=${sim.name}_${sim.ns}(${sim.uid})`,
      },
    };
    this.event(
      sim,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${sim.name}_${sim.ns}(${sim.uid})`,
      c,
    );
    this.flush(sim);
    this.at(sim, backoff * SEC, () => this.start(sim, c));
  }

  private flush(sim: PodSim, opts: { scheduleFailure?: string } = {}): void {
    const p = this.pod(sim);
    if (!p) return;
    const now = nowIso();
    const old = (p.status?.conditions ?? []) as {
      type: string;
      status: string;
      lastTransitionTime?: string;
    }[];
    const cond = (
      type: string,
      ok: boolean,
      reason?: string,
      message?: string,
    ): Record<string, unknown> => {
      const prev = old.find((x) => x.type === type);
      const status = ok ? 'True' : 'False';
      const out: Record<string, unknown> = {
        type,
        status,
        lastProbeTime: null,
        lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now,
      };
      if (!ok && reason) out.reason = reason;
      if (!ok && message) out.message = message;
      return out;
    };
    if (opts.scheduleFailure) {
      this.m.writeStatus(R.pod, p, {
        phase: 'Pending',
        qosClass: 'BestEffort',
        conditions: [cond('PodScheduled', false, 'Unschedulable', opts.scheduleFailure)],
      });
      return;
    }
    const unready = sim.containers.filter((c) => !c.ready).map((c) => c.name);
    const allReady = unready.length === 0;
    const running =
      sim.containers.some((c) => 'running' in c.state) ||
      sim.containers.some((c) => c.restartCount > 0);
    const notReadyMsg = `containers with unready status: [${unready.join(' ')}]`;
    const status: Record<string, unknown> = {
      phase: running ? 'Running' : 'Pending',
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', true),
        cond('Ready', allReady, 'ContainersNotReady', notReadyMsg),
        cond('ContainersReady', allReady, 'ContainersNotReady', notReadyMsg),
        cond('PodScheduled', true),
      ],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: sim.ip,
      podIPs: [{ ip: sim.ip }],
      startTime: sim.startTime,
      qosClass: 'BestEffort',
      containerStatuses: sim.containers.map((c) => ({
        name: c.name,
        state: c.state,
        lastState: c.lastState,
        ready: c.ready,
        restartCount: c.restartCount,
        image: c.image,
        imageID:
          c.started || c.restartCount > 0
            ? `docker.io/library/${c.image.split('/').pop()}@sha256:${'0'.repeat(64)}`
            : '',
        started: c.started,
        ...(c.started
          ? { containerID: `containerd://${sim.uid.replace(/-/g, '')}${c.restartCount}` }
          : {}),
      })),
    };
    this.m.writeStatus(R.pod, p, status);
  }
}
