/**
 * KServe's storage-initializer init container, for downloads that fail: a predictor pod whose
 * storage-initializer is given a storageUri containing `fail-download` never starts its
 * containers. The init container exits 1 with KServe's error as its termination message and
 * log, then goes into CrashLoopBackOff (Init:CrashLoopBackOff). Other pods are the kubelet's.
 */
import { R } from './controllers/manager.ts';
import { PodSimulator, type SimulatedPod } from './pod-simulator.ts';
import type { KObj } from './types.ts';
import { isObj, nowIso } from './types.ts';

export const STORAGE_INITIALIZER = 'storage-initializer';

interface InitSim extends SimulatedPod {
  uri: string;
  restarts: number;
  logs: string[];
}

const SEC = 1000;

/** The storageUri a pod's storage-initializer is told to download, when it is one that fails. */
export function failingDownload(pod: KObj): string | undefined {
  const inits = Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : [];
  for (const c of inits) {
    if (!isObj(c) || c.name !== STORAGE_INITIALIZER || !Array.isArray(c.args)) continue;
    const uri = String(c.args[0] ?? '');
    if (uri.includes('fail-download')) return uri;
  }
  return undefined;
}

export class StorageInitializer extends PodSimulator<InitSim> {
  /** Whether this simulator runs the pod (the kubelet then leaves it alone). */
  claims(pod: KObj): boolean {
    return this.pods.has(pod.metadata.uid) || failingDownload(pod) !== undefined;
  }

  logs(ns: string, pod: string, container: string | undefined): string[] | undefined {
    if (container !== STORAGE_INITIALIZER) return undefined;
    for (const p of this.pods.values()) if (p.ns === ns && p.name === pod) return p.logs;
    return undefined;
  }

  onPod(type: string, pod: KObj): void {
    if (type === 'DELETED') {
      this.forget(pod.metadata.uid);
      return;
    }
    const uri = failingDownload(pod);
    if (type !== 'ADDED' || uri === undefined || this.pods.has(pod.metadata.uid)) return;
    const sim: InitSim = {
      ns: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      uri,
      restarts: 0,
      logs: [],
      tasks: [],
    };
    this.pods.set(sim.uid, sim);
    this.at(sim, 0.1 * SEC, () => {
      const p = this.pod(sim);
      if (!p) return;
      this.m.store.update(R.pod, { ...p, spec: { ...p.spec, nodeName: 'kube-sim-node-1' } });
      this.event(
        sim,
        'Normal',
        'Scheduled',
        `Successfully assigned ${sim.ns}/${sim.name} to kube-sim-node-1`,
        'default-scheduler',
      );
      this.at(sim, 0.5 * SEC, () => this.fail(sim));
    });
  }

  private fail(sim: InitSim): void {
    sim.logs = [
      `Initializing, args: src_uri [${sim.uri}] dest_path[ [/mnt/models]`,
      `Copying contents of ${sim.uri} to local`,
      `RuntimeError: Failed to fetch model. No model found in ${sim.uri}.`,
    ];
    this.event(sim, 'Normal', 'Started', `Started container ${STORAGE_INITIALIZER}`);
    const terminated = {
      exitCode: 1,
      reason: 'Error',
      message: sim.logs[sim.logs.length - 1],
      startedAt: nowIso(),
      finishedAt: nowIso(),
    };
    this.flush(sim, { terminated }, {});
    this.at(sim, 1 * SEC, () => {
      sim.restarts++;
      const backoff = Math.min(300, 10 * 2 ** (sim.restarts - 1));
      this.event(
        sim,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${STORAGE_INITIALIZER} in pod ${sim.name}_${sim.ns}(${sim.uid})`,
      );
      this.flush(
        sim,
        {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${backoff}s restarting failed container=${STORAGE_INITIALIZER} pod=${sim.name}_${sim.ns}(${sim.uid})`,
          },
        },
        { terminated },
      );
      this.at(sim, backoff * SEC, () => this.fail(sim));
    });
  }

  private flush(
    sim: InitSim,
    state: Record<string, unknown>,
    lastState: Record<string, unknown>,
  ): void {
    const p = this.pod(sim);
    if (!p) return;
    const now = nowIso();
    const containers = (Array.isArray(p.spec?.containers) ? p.spec.containers : []).filter(isObj);
    const inits = (Array.isArray(p.spec?.initContainers) ? p.spec.initContainers : []).filter(
      isObj,
    );
    const incomplete = `containers with incomplete status: [${STORAGE_INITIALIZER}]`;
    const unready = `containers with unready status: [${containers.map((c) => String(c.name)).join(' ')}]`;
    const cond = (
      type: string,
      ok: boolean,
      reason?: string,
      message?: string,
    ): Record<string, unknown> => ({
      type,
      status: ok ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: now,
      ...(ok ? {} : { reason, message }),
    });
    this.m.writeStatus(R.pod, p, {
      phase: 'Pending',
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', false, 'ContainersNotInitialized', incomplete),
        cond('Ready', false, 'ContainersNotReady', unready),
        cond('ContainersReady', false, 'ContainersNotReady', unready),
        cond('PodScheduled', true),
      ],
      hostIP: '172.18.0.2',
      startTime: now,
      qosClass: 'BestEffort',
      initContainerStatuses: inits.map((c) =>
        c.name === STORAGE_INITIALIZER
          ? {
              name: c.name,
              state,
              lastState,
              ready: false,
              restartCount: sim.restarts,
              image: String(c.image ?? ''),
              imageID: '',
              started: false,
            }
          : {
              name: c.name,
              state: { terminated: { exitCode: 0, reason: 'Completed' } },
              lastState: {},
              ready: true,
              restartCount: 0,
              image: String(c.image ?? ''),
              imageID: '',
            },
      ),
      containerStatuses: containers.map((c) => ({
        name: c.name,
        state: { waiting: { reason: 'PodInitializing' } },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: String(c.image ?? ''),
        imageID: '',
        started: false,
      })),
    });
  }

  private event(
    sim: InitSim,
    type: 'Normal' | 'Warning',
    reason: string,
    msg: string,
    component = 'kubelet',
  ): void {
    const fieldPath =
      component === 'kubelet' ? `spec.initContainers{${STORAGE_INITIALIZER}}` : undefined;
    this.podEvent(sim, type, reason, msg, component, fieldPath);
  }
}
