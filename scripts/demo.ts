/**
 * `npm run demo`: the example pipeline on local stand-ins. Runs the bundled actions exactly
 * as a GitHub runner does (test/harness/runner.ts) over workflows-examples/manifests.
 * Steps that need actions still to come are announced and skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startKubeSim } from '../test/harness/kube-sim/index.ts';
import { repoRoot, runAction } from '../test/harness/runner.ts';

function heading(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

async function main(): Promise<number> {
  heading('render-manifests: build the manifests of the example model service');
  const image = 'ghcr.io/octo-org/recommender@sha256:' + '4f'.repeat(32);
  const render = await runAction('render-manifests', {
    workspace: repoRoot,
    keep: true,
    inputs: {
      manifests: 'workflows-examples/manifests/base\nworkflows-examples/manifests/kserve',
      'image-placeholder': 'MODEL_SERVER_IMAGE',
      image,
      vars: 'MODEL_URI=gs://octo-ml-models/recommender/2026-11-23',
      namespace: 'recommender',
      labels: 'app.kubernetes.io/part-of=recommender',
      'kubernetes-version': '1.33',
    },
  });
  try {
    console.log(render.maskedLog.trim());
    if (render.exitCode !== 0) {
      console.error(`render-manifests failed (exit ${render.exitCode})`);
      return 1;
    }
    console.log('\noutputs:');
    for (const [k, v] of Object.entries(render.outputs)) console.log(`  ${k}: ${v}`);
    console.log('\njob summary:\n');
    console.log(render.summary.trim());
    const manifestsPath = render.outputs['manifests-path']!;
    const manifests = readFileSync(manifestsPath, 'utf8');
    console.log(`\n${path.basename(manifestsPath)} (first 30 lines):\n`);
    console.log(manifests.split('\n').slice(0, 30).join('\n'));
    return await deploy(manifestsPath);
  } finally {
    render.cleanup();
  }
}

/** Applies the rendered manifests to the Kubernetes API simulator and waits for the rollout. */
async function deploy(manifestsPath: string): Promise<number> {
  heading('cluster: the Kubernetes API simulator (TLS + bearer token), 10× simulated time');
  const sim = await startKubeSim({
    tls: true,
    token: 'demo-token',
    speed: 10,
    namespaces: ['recommender'],
  });
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'demo-kubectl-'));
  // Asynchronous: the simulator serves from this process's event loop.
  const kubectl = (...args: string[]): Promise<number> =>
    new Promise((resolve) => {
      console.log(`$ kubectl ${args.join(' ')}`);
      const child = spawn(
        'kubectl',
        ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDir, ...args],
        {
          stdio: 'inherit',
          timeout: 120_000,
        },
      );
      child.on('close', (code) => resolve(code ?? 1));
    });
  try {
    console.log(`API server ${sim.url}`);
    heading('apply (server-side, strict field validation) and wait for the rollout');
    const steps: string[][] = [
      ['apply', '--server-side', '--field-manager', 'mlops-actions', '-f', manifestsPath],
      ['-n', 'recommender', 'rollout', 'status', 'deployment/recommender', '--timeout', '60s'],
      [
        '-n',
        'recommender',
        'wait',
        '--for=condition=Ready',
        'inferenceservice/recommender',
        '--timeout',
        '60s',
      ],
    ];
    for (const step of steps) if ((await kubectl(...step)) !== 0) return 1;
    await kubectl('-n', 'recommender', 'get', 'deployments,pods,services,inferenceservices');
    heading('next: rollout-and-verify (fail fast, roll back, smoke test) and pr-deploy-comment');
    console.log(
      'These steps replace the kubectl calls above as their actions land (README, "Actions").',
    );
    return 0;
  } finally {
    await sim.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
