/**
 * `node scripts/bench-gpu.ts [--full]` (run by `npm run bench`): a GPU pod the cluster autoscaler
 * has said it will not place (NotTriggerScaleUp, max node group size reached). The committed
 * bundle dist/rollout-and-verify, run as the runner runs it, against the Kubernetes API
 * simulator; the figure is the wall time from the autoscaler's event reaching the API server to
 * the step's failure, next to what the step waited before issue 15 for the same pod: the whole
 * unschedulable-grace (its default, 30 s) after the pod became Unschedulable. Printed, not
 * asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startKubeSim } from '../test/harness/kube-sim/index.ts';
import { runAction } from '../test/harness/runner.ts';
import { median, ms, runs, times } from './bench-lib.ts';

/** The action's default unschedulable-grace: what the step used to wait. */
const GRACE_MS = 30_000;
const work = mkdtempSync(path.join(tmpdir(), 'bench-gpu-'));

function gpuDeployment(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}
      annotations: {sim.mlops-actions.io/autoscaler: no-scale-up}
    spec:
      containers:
        - name: llm
          image: "registry.example/llm:v1"
          resources: {limits: {nvidia.com/gpu: 1}}
`;
}

async function main(): Promise<void> {
  const n = runs(3, 10);
  const sim = await startKubeSim({ speed: 20, namespaces: ['bench-gpu'] });
  const figures: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const name = `llm-${i}`;
      writeFileSync(path.join(work, `${name}.yaml`), gpuDeployment(name));
      const event = sim.waitFor(
        () =>
          sim
            .listObjects('Event', 'bench-gpu')
            .some(
              (e) =>
                e.reason === 'NotTriggerScaleUp' &&
                (e.involvedObject as { name?: string } | undefined)?.name?.startsWith(`${name}-`),
            ) && Date.now(),
        60_000,
        'NotTriggerScaleUp',
      );
      const result = await runAction('rollout-and-verify', {
        inputs: { manifests: `${name}.yaml`, namespace: 'bench-gpu' },
        workspace: work,
        env: { KUBECONFIG: sim.kubeconfigPath },
      });
      const failedAt = Date.now();
      const eventAt = await event;
      if (result.exitCode !== 1 || !/Unschedulable/.test(result.outputs['failure-reason'] ?? ''))
        throw new Error(`run ${i}: expected an Unschedulable failure:\n${result.log}`);
      figures.push(failedAt - eventAt);
    }
  } finally {
    await sim.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const m = median(figures);
  console.log('## rollout-and-verify: GPU pod the autoscaler will not place (NotTriggerScaleUp)');
  console.log(
    `NotTriggerScaleUp → step failed: ${ms(m)} (median of ${n}; ${figures.map(ms).join(', ')})`,
  );
  console.log(
    `before (the whole unschedulable-grace, default): ${ms(GRACE_MS)} — ${times(GRACE_MS / m)} longer`,
  );
}

await main();
