/**
 * The demo: the example model service from a push to a verified deployment, every step the
 * real bundled action run as the GitHub runner runs it (scripts/demo-job.ts), against local
 * stand-ins the demo starts and stops itself (scripts/demo-standins.ts):
 *
 *   train    kfp-run-and-wait (fake Kubeflow Pipelines) → the training code → the run and the
 *            registered version (alias challenger) in the MLflow stand-in → model-registry
 *            resolve, gated on min-metrics and must-beat champion: passed; the champion's
 *            metrics (resolve alias champion) as the PR comment's baseline
 *   gate-worse  model-registry on an earlier, worse version: passed false, nothing ships
 *   build    build-push-image → the local registry (a real build with buildah or Docker when
 *            this machine has one); again for the same commit: skipped, same digest
 *   release 1  render-manifests → setup-cluster-auth → rollout-and-verify (Kubernetes API
 *            simulator) → pr-deploy-comment (fake GitHub, fake Slack Web API): the built digest
 *            rolls out; the PR comment and one living Slack message say "Deployed", with the
 *            model-registry metrics
 *   analysis  analyze-release: release 1 passes; a slower canary is judged fail, rolled back
 *   promote  release 1 verified → model-registry promote: champion moves to the new version
 *   release 2  the same with a broken image: fails fast on ImagePullBackOff, rolls back,
 *            the same PR comment and the same Slack message (updated, a thread reply) say so
 *   gitops   argocd-bump-image: the built digest into the GitOps repo (real git), Argo CD
 *            (fake) syncs it and reports Healthy
 *
 * `runDemo()` prints each step (inputs, outputs, job summary), checks every outcome against the
 * expected one, and writes the job summaries, the PR comment and the Slack message as one
 * Markdown report; scripts/demo.ts is the CLI, test/demo/demo.test.ts asserts it.
 */
import { analysisStage } from './demo-analysis.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeSim } from '../test/harness/kube-sim/index.ts';
import { loadActionMetadata, repoRoot } from '../test/harness/runner.ts';
import type { Job, JobOptions } from './demo-job.ts';
import { seconds, style, type Out } from './demo-print.ts';
import { writeReport } from './demo-report.ts';
import { ensureDemoPackages } from './demo-setup.ts';
import {
  BAD_IMAGE,
  buildStage,
  containerImage,
  EXAMPLE,
  FAIL_FAST_LIMIT_S,
  gitopsStage,
  NAMESPACE,
  PR_NUMBER,
  releaseStage,
  type Check,
  type Ctx,
  type FailFastTiming,
} from './demo-stages.ts';
import { slackReport, slackTokenNowhere } from './demo-slack.ts';
import { startStandIns, type StandIns } from './demo-standins.ts';
import { gateWorseStage, promoteStage, trainStage } from './demo-train.ts';

export { BAD_IMAGE, NAMESPACE, PR_NUMBER, type Check, type FailFastTiming } from './demo-stages.ts';

const ACTIONS = [
  'kfp-run-and-wait',
  'model-registry',
  'build-push-image',
  'render-manifests',
  'setup-cluster-auth',
  'rollout-and-verify',
  'pr-deploy-comment',
  'argocd-bump-image',
];

export interface DemoOptions {
  /** Simulated seconds per real second in the simulator (default 10). */
  speed?: number;
  /** Where lines go (default console.log). */
  out?: Out;
  /** ANSI bold/colour (default: when stdout is a terminal). */
  color?: boolean;
  /** Cancels the demo as the runner cancels a job (SIGINT to the running step). */
  signal?: AbortSignal;
  /** Kill a step still running after this long (default 120 s). */
  stepTimeoutMs?: number;
  /** Where the Markdown report goes (default demo-report.md in the current directory). */
  reportPath?: string;
  /** Install missing Debian packages (the registry) as root / with sudo -n (default true). */
  install?: boolean;
}

export interface DemoResult {
  ok: boolean;
  checks: Check[];
  /** Outputs of each job's steps, by job and step id. */
  outputs: Record<string, Record<string, Record<string, string>>>;
  failFast: FailFastTiming;
  /** The image reference build-push-image reported (what was deployed). */
  imageRef?: string;
  /** The Markdown report written (job summaries and the PR comment). */
  reportPath?: string;
  durationMs: number;
  /** The secrets the stand-ins issued (tokens a workflow would hold): never in the output. */
  secrets: string[];
  /** Every temp dir the demo made (all removed by the time runDemo returns). */
  tempDirs: string[];
}

/** What the demo needs before it starts; each problem says how to fix it. */
export function preflight(
  install = true,
  log: Out = () => {},
): { notes: string[]; problems: string[] } {
  const notes: string[] = [];
  const problems: string[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    problems.push(
      `Node ${process.version}: the actions run on node24. Run \`npm ci && npm run demo\`: npm scripts use the Node 24 the project installs (node_modules/.bin/node).`,
    );
  } else notes.push(`node ${process.version}`);
  const missing = ACTIONS.flatMap((a) => {
    const runs = loadActionMetadata(a).runs;
    return [runs.main, runs.post]
      .filter((f): f is string => f !== undefined)
      .map((f) => path.resolve(repoRoot, a, f))
      .filter((f) => !existsSync(f));
  });
  if (missing.length > 0) {
    problems.push(
      `the committed bundles are missing (${missing.map((f) => path.relative(repoRoot, f)).join(', ')}): restore dist/ from git (\`git checkout -- dist\`) or rebuild it with \`npm run build\`.`,
    );
  } else notes.push('dist/ bundles');
  const tool = (argv: string[], note: string, problem: string): void => {
    if (spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' }).status === 0) notes.push(note);
    else problems.push(problem);
  };
  // The simulator serves TLS with a CA and certificate it makes with the openssl CLI.
  tool(
    ['openssl', 'version'],
    'openssl (simulator TLS)',
    'openssl is not on PATH: the Kubernetes API simulator needs it to make its TLS certificate. Install it (Debian/Ubuntu: `sudo apt-get install openssl`; macOS: `brew install openssl`).',
  );
  tool(
    ['git', '--version'],
    'git (GitOps repo)',
    'git is not on PATH: the GitOps step pushes to a local Git server. Install git.',
  );
  tool(
    ['python3', '--version'],
    'python3 (training code)',
    "python3 is not on PATH: the train job runs the example service's training code (standard library only). Install Python 3.",
  );
  // render-manifests runs `kubectl kustomize` only for directories with a kustomization.
  const kustomizations = ['base', 'kserve'].filter((d) =>
    readdirSync(path.join(EXAMPLE, 'manifests', d)).some((f) =>
      /^(kustomization\.ya?ml|Kustomization)$/.test(f),
    ),
  );
  if (kustomizations.length === 0) notes.push('kubectl not needed (no kustomization)');
  else
    tool(
      ['kubectl', 'version', '--client'],
      'kubectl (kustomize)',
      `kubectl is not on PATH, and render-manifests builds ${kustomizations.join(', ')} with \`kubectl kustomize\`: install kubectl (https://kubernetes.io/docs/tasks/tools/).`,
    );
  if (install) {
    const setup = ensureDemoPackages(log);
    notes.push(...setup.notes);
    problems.push(...setup.problems);
  }
  return { notes, problems };
}

/** Real and simulated times of the broken release: apply, first pod error, rollback patch. */
function watchFailFast(sim: KubeSim, good: string): { timing: FailFastTiming; stop(): void } {
  const timing: FailFastTiming = {};
  let applied: { real: number; sim: number } | undefined;
  const stop = sim.store.onChange((_type, r, obj) => {
    if (obj.metadata.namespace !== NAMESPACE) return;
    if (r.kind === 'Deployment' && obj.metadata.name === 'recommender') {
      const image = containerImage(obj);
      timing.progressDeadlineS ??= obj.spec?.progressDeadlineSeconds as number | undefined;
      if (!applied && image === BAD_IMAGE) {
        applied = { real: performance.now(), sim: sim.clock.now() };
      } else if (applied && timing.detectedMs === undefined && image === good) {
        timing.detectedMs = performance.now() - applied.real;
        timing.detectedSimS = (sim.clock.now() - applied.sim) / 1000;
      }
    }
    if (r.kind === 'Pod' && applied && timing.podErrorMs === undefined) {
      const statuses = (obj.status?.containerStatuses ?? []) as {
        image?: string;
        state?: { waiting?: { reason?: string } };
      }[];
      const bad = statuses.some(
        (c) =>
          c.image === BAD_IMAGE &&
          /^(ErrImagePull|ImagePullBackOff)$/.test(c.state?.waiting?.reason ?? ''),
      );
      if (bad) timing.podErrorMs = performance.now() - applied.real;
    }
  });
  return { timing, stop };
}

function printFailFast({ out, s }: Ctx, sim: KubeSim, timing: FailFastTiming): void {
  if (timing.detectedMs === undefined || timing.detectedSimS === undefined) {
    out(s.bad('no rollback of the broken Deployment was seen'));
    return;
  }
  out(
    `broken Deployment applied → rollback started (failure detected and diagnosed): ${s.bold(seconds(timing.detectedMs))} real, ${timing.detectedSimS.toFixed(1)} s simulated`,
  );
  if (timing.podErrorMs !== undefined)
    out(
      `  the first pod showed ErrImagePull after ${seconds(timing.podErrorMs)}; rollout-and-verify acted ${seconds(timing.detectedMs - timing.podErrorMs)} later`,
    );
  const deadline = timing.progressDeadlineS;
  out(
    `without fail-fast, kubectl's rules fail it at the progress deadline: ${deadline ?? '?'} s simulated${deadline ? ` (${seconds((deadline * 1000) / sim.speed)} real at ${sim.speed}×)` : ''}`,
  );
}

/** The jobs after the stand-ins are up; every outcome goes through ctx.check. */
async function pipeline(
  ctx: Ctx,
  cancelled: () => boolean,
): Promise<{ timing: FailFastTiming; imageRef?: string }> {
  const { out, s, stand } = ctx;
  const heading = (text: string): void => out(`\n${s.bold(`== ${text}`)}`);
  heading('Train: kfp-run-and-wait, the training code, MLflow, model-registry resolve + gate');
  const trained = await trainStage(ctx);
  if (!trained || cancelled()) return { timing: {} };

  heading('Gate: a worse version than the champion is held back (model-registry, passed false)');
  await gateWorseStage(ctx);
  if (cancelled()) return { timing: {} };

  heading('Build: build-push-image (then the same commit again: skip-if-exists)');
  const built = await buildStage(ctx, trained);
  if (!built || cancelled()) return { timing: {} };

  heading(`Release 1: ${built.imageRef}  (expected: rolled out, status succeeded)`);
  const one = await releaseStage(ctx, {
    name: 'release-1',
    image: built.imageRef,
    good: built.imageRef,
    digest: built.digest,
    trained,
    n: 1,
    expected: { exitCode: 0, status: 'succeeded', failureReason: /^$/, comment: 'Deployed' },
  });
  if (cancelled()) return { timing: {}, imageRef: built.imageRef };

  heading('Analysis: analyze-release loads release 1 (passes) and a slower canary (judged fail)');
  await analysisStage(ctx, trained);
  if (cancelled()) return { timing: {}, imageRef: built.imageRef };

  heading('Promote: release 1 verified → model-registry moves champion to the new version');
  await promoteStage(ctx, trained, built);
  if (cancelled()) return { timing: {}, imageRef: built.imageRef };

  heading(`Release 2: ${BAD_IMAGE}  (expected: fail fast, roll back, status rolled-back)`);
  const watch = watchFailFast(stand.sim, built.imageRef);
  let timing: FailFastTiming;
  try {
    await releaseStage(
      ctx,
      {
        name: 'release-2',
        image: BAD_IMAGE,
        good: built.imageRef,
        digest: built.digest,
        trained,
        n: 2,
        expected: {
          exitCode: 1,
          status: 'rolled-back',
          failureReason: /ImagePullBackOff|ErrImagePull/,
          comment: 'rolled back',
        },
      },
      one,
    );
  } finally {
    watch.stop();
    timing = watch.timing;
  }
  if (cancelled()) return { timing, imageRef: built.imageRef };
  ctx.check(
    `release-2: failed fast (within ${FAIL_FAST_LIMIT_S} simulated s, not at the progress deadline)`,
    timing.detectedSimS !== undefined && timing.detectedSimS < FAIL_FAST_LIMIT_S,
    timing.detectedMs === undefined
      ? 'no rollback was seen'
      : `${seconds(timing.detectedMs)} real = ${timing.detectedSimS!.toFixed(1)} s simulated after the apply; progress deadline ${timing.progressDeadlineS ?? '?'} s`,
  );
  heading('Fail-fast');
  printFailFast(ctx, stand.sim, timing);

  heading('GitOps: argocd-bump-image pins the built digest; Argo CD syncs it');
  await gitopsStage(ctx, built);
  return { timing, imageRef: built.imageRef };
}

/** The demo asserts what the tests assert: the Slack token is nowhere it could leak. */
function checkSlackToken(
  stand: StandIns,
  jobs: Job[],
  check: (what: string, ok: boolean, detail?: string) => boolean,
  texts: string[],
): void {
  const found = slackTokenNowhere(
    stand,
    jobs.flatMap((j) => j.steps),
    texts,
  );
  check(
    'slack: the Slack token is in no step log, output, job summary, Slack message or PR comment',
    found.ok,
    found.ok ? 'masked everywhere' : `found in ${found.where.join(', ')}`,
  );
}

/** A request off the contract (an unknown field, a bad route) is a handler error in a fake. */
function checkContracts(
  stand: StandIns,
  check: (what: string, ok: boolean, detail?: string) => boolean,
): void {
  const offContract = [
    ...stand.mlflow.errors.map((e) => `MLflow: ${e}`),
    ...stand.slack.errors.map((e) => `Slack: ${e}`),
  ];
  check(
    'the MLflow and Slack stand-ins saw every request follow their contracts',
    offContract.length === 0,
    offContract.slice(0, 3).join('; ') || 'no handler errors',
  );
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out: Out = options.out ?? ((line) => console.log(line));
  const s = style(options.color ?? process.stdout.isTTY === true);
  const started = performance.now();
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail = ''): boolean => {
    checks.push({ what, ok, detail });
    return ok;
  };
  const jobs: Job[] = [];
  const tempDirs: string[] = [];
  const cancelled = (): boolean => options.signal?.aborted === true;
  let timing: FailFastTiming = {};
  let imageRef: string | undefined;
  let reportPath: string | undefined;
  const secrets: string[] = [];

  out(`\n${s.bold('== mlops-actions demo: git push → verified deployment, on local stand-ins')}`);
  out(
    'train → gate (model-registry) → build → release (render → auth → rollout → PR comment + Slack) → analysis → promote (model-registry) → broken release rolled back → GitOps bump; every step the real bundle, run as a GitHub runner runs it',
  );
  const pre = preflight(options.install ?? true, out);
  out(`preflight: ${pre.notes.join(' · ') || 'nothing found'}`);
  for (const p of pre.problems) {
    out(s.bad(`✗ ${p}`));
    check('preflight', false, p);
  }

  let stand: StandIns | undefined;
  if (pre.problems.length === 0) {
    try {
      stand = await startStandIns({ speed: options.speed ?? 10, namespace: NAMESPACE });
      secrets.push(...Object.values(stand.secrets));
      tempDirs.push(path.dirname(stand.sim.kubeconfigPath), stand.git.root);
      out(
        `cluster:   Kubernetes API simulator at ${stand.sim.url} (TLS, bearer token), namespace ${NAMESPACE}, ${stand.sim.speed}× simulated time`,
      );
      out(`registry:  docker-registry (distribution) at ${stand.registry.url}`);
      out(`gitops:    ${stand.gitopsUrl} (git http-backend), Argo CD (fake) at ${stand.argo.url}`);
      out(`kfp:       Kubeflow Pipelines API (fake) at ${stand.kfp.url}`);
      out(`mlflow:    MLflow tracking server / model registry (fake) at ${stand.mlflow.url}`);
      out(`github:    GitHub REST API (fake) at ${stand.github.url}, pull request #${PR_NUMBER}`);
      out(`slack:     Slack Web API (fake) at ${stand.slack.apiUrl}`);
      const jobOptions: JobOptions = {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.stepTimeoutMs ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
      };
      const ctx: Ctx = {
        out,
        s,
        stand,
        jobOptions,
        kubeconfigB64: Buffer.from(readFileSync(stand.sim.kubeconfigPath)).toString('base64'),
        jobs,
        check,
      };
      ({ timing, imageRef } = await pipeline(ctx, cancelled));
    } catch (error) {
      check(
        'the demo ran to the end',
        false,
        error instanceof Error ? error.message : String(error),
      );
      out(
        s.bad(
          `demo error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
      );
    } finally {
      for (const job of jobs) tempDirs.push(job.dir);
      const comment = stand?.github.comments.get(PR_NUMBER)?.at(-1)?.body;
      const slack = slackReport(stand);
      if (stand && jobs.length > 0) {
        checkSlackToken(stand, jobs, check, [comment ?? '', slack ?? '']);
        checkContracts(stand, check);
      }
      if (jobs.length > 0) {
        reportPath = path.resolve(options.reportPath ?? 'demo-report.md');
        writeReport(reportPath, { jobs, checks, comment, slack });
        if (stand)
          check(
            'slack: the Slack token is not in demo-report.md',
            !readFileSync(reportPath, 'utf8').includes(stand.secrets.slackToken),
          );
        out(
          `\nreport:    ${reportPath} (job summaries, the PR comment and the Slack message, Markdown)`,
        );
      }
      for (const job of jobs) job.cleanup();
      await stand?.stop();
    }
  }
  if (cancelled()) check('the demo was not cancelled', false, 'cancelled: the jobs stopped early');

  const final: DemoResult = {
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    outputs: Object.fromEntries(
      jobs.map((j) => [
        j.name,
        Object.fromEntries(j.steps.map((st) => [st.id, st.result?.outputs ?? {}])),
      ]),
    ),
    failFast: timing,
    ...(imageRef ? { imageRef } : {}),
    ...(reportPath ? { reportPath } : {}),
    durationMs: performance.now() - started,
    secrets,
    tempDirs,
  };
  out(`\n${s.bold('== Checks')}`);
  for (const c of checks) {
    const mark = c.ok ? s.ok('✓') : s.bad('✗');
    out(`${mark} ${c.what}${c.detail ? s.dim(` — ${c.detail}`) : ''}`);
  }
  const differ = checks.filter((c) => !c.ok).length;
  out(
    `\n${final.ok ? s.ok('demo: every outcome as expected') : s.bad(`demo: ${differ} outcome(s) differ from the expected`)} · ${seconds(final.durationMs)}`,
  );
  return final;
}
