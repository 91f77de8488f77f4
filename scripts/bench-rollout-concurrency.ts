/**
 * `node scripts/bench-rollout-concurrency.ts` (run by `npm run bench`): two releases of the same
 * Deployment at once, through the real bundle dist/rollout-and-verify against the Kubernetes
 * API simulator, in each order that matters. Prints each run's outcome and what the cluster
 * ends on, next to what a run that ignores the other (the seeds' `kubectl apply` + `rollout
 * status`) would have reported. Printed, never asserted (the tests assert these outcomes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startKubeSim, type KubeSim } from '../test/harness/kube-sim/index.ts';
import { runAction, type ActionRunResult } from '../test/harness/runner.ts';
import { run } from './bench-lib.ts';

const work = mkdtempSync(path.join(tmpdir(), 'bench-race-'));

const KUBECTL = process.env.KUBECTL ?? 'kubectl';

function manifest(tag: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: model}
spec:
  replicas: 2
  progressDeadlineSeconds: 30
  selector: {matchLabels: {app: model}}
  template:
    metadata: {labels: {app: model}}
    spec: {containers: [{name: model, image: "registry.example/model:${tag}"}]}
`;
}

function release(sim: KubeSim, ns: string, tag: string, run: string): Promise<ActionRunResult> {
  const file = `${ns}-${tag}.yaml`;
  writeFileSync(path.join(work, file), manifest(tag));
  return runAction('rollout-and-verify', {
    workspace: work,
    inputs: { manifests: file, namespace: ns, timeout: '60s' },
    env: { KUBECONFIG: sim.kubeconfigPath, GITHUB_RUN_ID: run },
  });
}

/** The seeds' way: kubectl apply, then kubectl rollout status; resolves with its verdict. */
async function kubectlRelease(
  sim: KubeSim,
  ns: string,
  tag: string,
  onApplied?: () => void,
): Promise<string> {
  const file = path.join(work, `kubectl-${ns}-${tag}.yaml`);
  writeFileSync(file, manifest(tag));
  const base = [
    '--kubeconfig',
    sim.kubeconfigPath,
    '--cache-dir',
    path.join(work, 'cache'),
    '-n',
    ns,
  ];
  await run(KUBECTL, [...base, 'apply', '--server-side', '-f', file], {
    expect: 0,
    timeoutMs: 60_000,
  });
  onApplied?.();
  const status = await run(
    KUBECTL,
    [...base, 'rollout', 'status', 'deployment/model', '--timeout', '60s'],
    {
      timeoutMs: 90_000,
    },
  );
  return status.code === 0 ? 'succeeded (exit 0)' : `failed (exit ${status.code})`;
}

function imageOf(sim: KubeSim, ns: string): string {
  const d = sim.getObject('Deployment', ns, 'model') as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return d?.spec?.template?.spec?.containers?.[0]?.image?.split(':').pop() ?? '?';
}

function outcome(r: ActionRunResult): string {
  return `${r.outputs.status ?? '?'} (exit ${r.exitCode})`;
}

interface Scenario {
  name: string;
  first: string;
  second: string;
  expect: string;
}

const scenarios: Scenario[] = [
  {
    name: 'two good releases',
    first: 'slow-v2',
    second: 'v3',
    expect: 'first superseded, second succeeded, cluster on v3',
  },
  {
    name: 'good, then broken',
    first: 'slow-v2',
    second: 'pullfail-v3',
    expect: 'first superseded, second rolled back to slow-v2',
  },
  {
    name: 'broken (never Ready), then good',
    first: 'unready-v2',
    second: 'v3',
    expect: 'first superseded (nothing rolled back), second succeeded, cluster on v3',
  },
];

const sim = await startKubeSim({
  speed: 20,
  tls: true,
  token: 'bench-race-token',
  namespaces: scenarios.flatMap((_, i) => [`race${i}`, `kubectl${i}`]),
});
try {
  console.log('two runs on one Deployment, the second applied while the first still waits:');
  for (const [i, s] of scenarios.entries()) {
    const ns = `race${i}`;
    await release(sim, ns, 'v1', `${i}00`);
    const first = release(sim, ns, s.first, `${i}01`);
    await sim.waitFor(() => imageOf(sim, ns) === s.first || undefined, 30_000, 'first apply');
    const second = await release(sim, ns, s.second, `${i}02`);
    const a = await first;
    console.log(
      `- ${s.name}: first (${s.first}) ${outcome(a)}; second (${s.second}) ${outcome(second)}; cluster ends on ${imageOf(sim, ns)}  [expected: ${s.expect}]`,
    );
  }
  console.log(
    'baseline, measured the same way: kubectl apply --server-side + kubectl rollout status per release:',
  );
  for (const [i, s] of scenarios.entries()) {
    const ns = `kubectl${i}`;
    await kubectlRelease(sim, ns, 'v1');
    let firstApplied!: () => void;
    const applied = new Promise<void>((resolve) => (firstApplied = resolve));
    const first = kubectlRelease(sim, ns, s.first, firstApplied);
    await applied;
    const second = await kubectlRelease(sim, ns, s.second);
    const a = await first;
    console.log(
      `- ${s.name}: first (${s.first}) ${a}; second (${s.second}) ${second}; cluster ends on ${imageOf(sim, ns)} (nothing is rolled back)`,
    );
  }
} finally {
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
}
