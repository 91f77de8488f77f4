/** Shared pieces of the rollout-and-verify tests (end-to-end, and phase tests with fakes). */
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startKubeSim, type KubeSim, type KubeSimOptions } from '../harness/kube-sim/index.ts';
import { runAction, type ActionRunResult, type RunActionOptions } from '../harness/runner.ts';
import type { Manifest } from '../../actions/rollout-and-verify/manifests.ts';
import type { Tracked } from '../../actions/rollout-and-verify/types.ts';

export function deployment(name: string, image: string, replicas = 2): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: model
          image: "${image}"
`;
}

export function service(name: string, type = 'ClusterIP'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: ${type}
  selector: {app: ${name}}
  ports: [{port: 8080}]
`;
}

export function hpa(name: string): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 2
  maxReplicas: 4
`;
}

/** A workspace with manifest files; `cleanup()` removes it. */
export class Workspace {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'rv-ws-'));
  write(file: string, content: string): this {
    writeFileSync(path.join(this.dir, file), content);
    return this;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The simulator and a workspace for one test file: started before its tests, stopped and
 * removed after them (jest hooks registered by the call). Read `sim`/`ws` inside tests.
 */
export function simulatedCluster(options: KubeSimOptions): {
  readonly sim: KubeSim;
  readonly ws: Workspace;
} {
  let sim: KubeSim | undefined;
  let ws: Workspace | undefined;
  beforeAll(async () => {
    sim = await startKubeSim(options);
    ws = new Workspace();
  });
  afterAll(async () => {
    await sim?.stop();
    ws?.cleanup();
  });
  return {
    get sim(): KubeSim {
      if (!sim) throw new Error('the simulator is not started yet (use it inside a test or hook)');
      return sim;
    },
    get ws(): Workspace {
      if (!ws) throw new Error('the workspace is not made yet (use it inside a test or hook)');
      return ws;
    },
  };
}

export function rollout(
  sim: KubeSim | undefined,
  ws: Workspace,
  inputs: Record<string, string>,
  options: Omit<RunActionOptions, 'inputs' | 'workspace'> = {},
): Promise<ActionRunResult> {
  return runAction('rollout-and-verify', {
    inputs,
    workspace: ws.dir,
    ...options,
    env: { ...(sim ? { KUBECONFIG: sim.kubeconfigPath } : {}), ...options.env },
  });
}

/** The log as the runner shows it, without the add-mask commands that carry the secrets. */
export function assertNoSecret(result: ActionRunResult, secret: string): void {
  const visible = result.log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  if (visible.includes(secret)) throw new Error('a kubeconfig secret appeared in the log');
  if (!result.masks.includes(secret)) throw new Error('the kubeconfig secret was not masked');
  if (result.post && result.post.log.includes(secret)) {
    throw new Error('a kubeconfig secret appeared in the post log');
  }
}

/**
 * A Tracked as the apply phase returns it (namespace ml), its row pushed to the record: for
 * phase-level tests that fake the apply.
 */
export function appliedTracked(
  m: Manifest,
  ctx: { record: { rows: unknown[] } },
  options: { message?: string; previousRevision?: number } = {},
): Tracked {
  const row = {
    kind: m.kind,
    namespace: 'ml',
    name: m.name,
    action: 'applied',
    state: '',
    ok: true,
  };
  ctx.record.rows.push(row);
  const { kind, name, apiVersion, plural } = m;
  return {
    manifest: m,
    workload: { apiVersion, kind, plural, name, namespace: 'ml' },
    row,
    progress: { kind, namespace: 'ml', name, state: 'waiting', message: options.message ?? '' },
    ...(options.previousRevision === undefined
      ? {}
      : { previousRevision: options.previousRevision }),
  };
}
