/**
 * What the simulated kubelet and KServe's storage-initializer share: per pod (by uid) a
 * simulation whose steps are tasks on the simulated clock, dropped when the pod is replaced or
 * the simulator stops, and events recorded on the pod.
 */
import type { TaskHandle } from './clock.ts';
import type { Manager } from './controllers/manager.ts';
import { R } from './controllers/manager.ts';
import type { KObj } from './types.ts';

export interface SimulatedPod {
  ns: string;
  name: string;
  uid: string;
  tasks: TaskHandle[];
}

export abstract class PodSimulator<S extends SimulatedPod> {
  protected readonly m: Manager;
  protected readonly pods = new Map<string, S>();

  constructor(m: Manager) {
    this.m = m;
  }

  /** Runs `fn` after `ms` simulated ms, if the pod is still this simulation's. */
  protected at(sim: S, ms: number, fn: () => void): void {
    sim.tasks = sim.tasks.slice(-8);
    sim.tasks.push(
      this.m.clock.after(ms, () => {
        if (this.pods.get(sim.uid) === sim) fn();
      }),
    );
  }

  /** The pod object, while it is the one simulated (same uid). */
  protected pod(sim: S): KObj | undefined {
    const p = this.m.store.get(R.pod, sim.ns, sim.name);
    return p && p.metadata.uid === sim.uid ? p : undefined;
  }

  /** An event on the pod (`fieldPath`: the container it is about). */
  protected podEvent(
    sim: S,
    type: 'Normal' | 'Warning',
    reason: string,
    msg: string,
    component: string,
    fieldPath?: string,
  ): void {
    const p = this.pod(sim);
    if (p) this.m.event(p, type, reason, msg, component, fieldPath);
  }

  /** The pod is gone: its pending steps are dropped. */
  protected forget(uid: string): void {
    for (const t of this.pods.get(uid)?.tasks ?? []) t.cancel();
    this.pods.delete(uid);
  }

  stop(): void {
    for (const uid of [...this.pods.keys()]) this.forget(uid);
  }
}
