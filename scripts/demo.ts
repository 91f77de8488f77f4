/**
 * `npm run demo`: the example model service from git push to a verified deployment, on local
 * stand-ins — train (kfp-run-and-wait, the run and version in MLflow, model-registry resolve
 * gated against the champion; a worse version held back) → build (build-push-image) → release
 * (render-manifests → setup-cluster-auth → rollout-and-verify → pr-deploy-comment: the PR
 * comment and one living Slack message) → analysis under load (analyze-release: release 1
 * passes, a slower canary is judged fail) → promote (model-registry moves `champion`) → a
 * broken release that fails fast and rolls back (the comment and the Slack message say so) →
 * GitOps (argocd-bump-image, Argo CD), the real bundles run as a GitHub runner runs them
 * (scripts/demo-pipeline.ts). Writes demo-report.md; exits non-zero when any outcome differs
 * from the expected one.
 */
import { runDemo } from './demo-pipeline.ts';

// Ctrl-C cancels like the runner cancels a job: the running step gets SIGINT, the post steps
// still run, temp dirs and the simulator are removed. A second Ctrl-C exits at once.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cancelling the demo (again to exit at once)`);
    controller.abort();
  });
}

const result = await runDemo({ signal: controller.signal });
process.exitCode = result.ok ? 0 : 1;
