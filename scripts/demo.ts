/**
 * `npm run demo`: the example pipeline on local stand-ins. Runs the bundled actions exactly
 * as a GitHub runner does (test/harness/runner.ts) over workflows-examples/manifests.
 * Steps that need actions still to come are announced and skipped.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
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
    const manifests = readFileSync(render.outputs['manifests-path']!, 'utf8');
    console.log(`\n${path.basename(render.outputs['manifests-path']!)} (first 30 lines):\n`);
    console.log(manifests.split('\n').slice(0, 30).join('\n'));
  } finally {
    render.cleanup();
  }
  heading('next: setup-cluster-auth → rollout-and-verify → pr-deploy-comment');
  console.log('These steps join the demo as their actions land (see README, "Status").');
  return 0;
}

process.exitCode = await main();
