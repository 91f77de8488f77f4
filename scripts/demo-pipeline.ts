/**
 * The demo: the example model service from git push to a verified deployment, on local
 * stand-ins. Two releases, each one GitHub Actions job of real bundles (scripts/demo-job.ts)
 * against the Kubernetes API simulator (TLS + bearer token):
 *
 *   1. a good image:   render-manifests → setup-cluster-auth → rollout-and-verify  (succeeds)
 *   2. a broken image: the same steps; rollout-and-verify fails fast on ImagePullBackOff
 *      and rolls the Deployment back to release 1.
 *
 * `runDemo()` prints as it goes and returns every outcome checked against the expected one;
 * scripts/demo.ts is the CLI, test/demo.test.ts asserts it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKubeSim, type KObj, type KubeSim } from '../test/harness/kube-sim/index.ts';
import { loadActionMetadata, repoRoot } from '../test/harness/runner.ts';
import { Job, type JobStep } from './demo-job.ts';
import {
  printLogTail,
  printPosts,
  printStep,
  seconds,
  style,
  type Out,
  type Style,
} from './demo-print.ts';

export const NAMESPACE = 'recommender';
export const GOOD_IMAGE = 'ghcr.io/octo-org/recommender@sha256:' + '4f'.repeat(32);
/** The simulator's kubelet fails to pull any `pullfail-*` tag (ErrImagePull → ImagePullBackOff). */
export const BAD_IMAGE = 'ghcr.io/octo-org/recommender:pullfail-2';
const ACTIONS = ['render-manifests', 'setup-cluster-auth', 'rollout-and-verify'];
const EXAMPLE = path.join(repoRoot, 'workflows-examples', 'manifests');
/** The example manifests, checked out into each job's workspace under deploy/. */
const MANIFESTS = ['deploy/base', 'deploy/kserve'];
/** Fail-fast must notice the broken pods within this much simulated time. */
const FAIL_FAST_LIMIT_S = 30;

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
}

export interface Check {
  what: string;
  ok: boolean;
  detail: string;
}

export interface FailFastTiming {
  /** Real ms from the broken Deployment's apply to the first pod error (ErrImagePull…). */
  podErrorMs?: number;
  /** Real ms from the apply to the rollback patch (detection and diagnosis). */
  detectedMs?: number;
  /** The same in simulated seconds. */
  detectedSimS?: number;
  /** The Deployment's progressDeadlineSeconds: when kubectl's rules would have failed it. */
  progressDeadlineS?: number;
}

export interface DemoResult {
  ok: boolean;
  checks: Check[];
  /** Outputs of each job's steps, by job and step id. */
  outputs: Record<string, Record<string, Record<string, string>>>;
  failFast: FailFastTiming;
  durationMs: number;
  /** Every temp dir the demo made (all removed by the time runDemo returns). */
  tempDirs: string[];
}

/** What the demo needs before it starts; each problem says how to fix it. */
export function preflight(): { notes: string[]; problems: string[] } {
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
  // The simulator serves TLS with a CA and certificate it makes with the openssl CLI.
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) {
    problems.push(
      'openssl is not on PATH: the Kubernetes API simulator needs it to make its TLS certificate. Install it (Debian/Ubuntu: `sudo apt-get install openssl`; macOS: `brew install openssl`).',
    );
  } else notes.push('openssl (simulator TLS)');
  // render-manifests runs `kubectl kustomize` only for directories with a kustomization.
  const kustomizations = ['base', 'kserve'].filter((d) =>
    readdirSync(path.join(EXAMPLE, d)).some((f) =>
      /^(kustomization\.ya?ml|Kustomization)$/.test(f),
    ),
  );
  if (kustomizations.length === 0) notes.push('kubectl not needed (no kustomization)');
  else if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0) {
    problems.push(
      `kubectl is not on PATH, and render-manifests builds ${kustomizations.join(', ')} with \`kubectl kustomize\` (or downloads a pinned kubectl, which needs network): install kubectl (https://kubernetes.io/docs/tasks/tools/).`,
    );
  } else notes.push('kubectl (kustomize)');
  return { notes, problems };
}

function containerImage(o: KObj | undefined): string | undefined {
  const spec = (o?.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)
    ?.spec;
  return spec?.containers?.[0]?.image;
}

/** Real and simulated times of the broken release: apply, first pod error, rollback patch. */
function watchFailFast(sim: KubeSim): { timing: FailFastTiming; stop(): void } {
  const timing: FailFastTiming = {};
  let applied: { real: number; sim: number } | undefined;
  const stop = sim.store.onChange((_type, r, obj) => {
    if (obj.metadata.namespace !== NAMESPACE) return;
    if (r.kind === 'Deployment' && obj.metadata.name === 'recommender') {
      const image = containerImage(obj);
      timing.progressDeadlineS ??= obj.spec?.progressDeadlineSeconds as number | undefined;
      if (!applied && image === BAD_IMAGE) {
        applied = { real: performance.now(), sim: sim.clock.now() };
      } else if (applied && timing.detectedMs === undefined && image === GOOD_IMAGE) {
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

interface Ctx {
  out: Out;
  s: Style;
  sim: KubeSim;
  options: DemoOptions;
  /** What a repository secret would hold: the cluster's kubeconfig, base64. */
  kubeconfigB64: string;
  jobs: Job[];
  tempDirs: string[];
  check(what: string, ok: boolean, detail?: string): boolean;
}

/** One release = one job: render → auth → rollout, then the post steps. */
async function release(ctx: Ctx, name: string, image: string, previous?: Job): Promise<Job> {
  const { out, s, options } = ctx;
  const job = new Job(name, {
    checkout: { deploy: EXAMPLE },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.stepTimeoutMs ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
  });
  ctx.jobs.push(job);
  ctx.tempDirs.push(job.dir);
  out(
    s.dim(
      `job ${name}: workspace (the example manifests under deploy/) and RUNNER_TEMP in ${job.dir}`,
    ),
  );
  const render = await job.step('render', 'render-manifests', {
    manifests: MANIFESTS.join('\n'),
    'image-placeholder': 'MODEL_SERVER_IMAGE',
    image,
    vars: 'MODEL_URI=gs://octo-ml-models/recommender/2026-11-23',
    namespace: NAMESPACE,
    labels: 'app.kubernetes.io/part-of=recommender',
    'kubernetes-version': '1.33',
  });
  printStep(out, s, render, { previous: previous?.get('render').inputs });
  const auth = await job.step('auth', 'setup-cluster-auth', {
    provider: 'kubeconfig',
    kubeconfig: ctx.kubeconfigB64,
    namespace: NAMESPACE,
  });
  printStep(out, s, auth, {
    shown: { kubeconfig: '${{ secrets.KUBECONFIG_B64 }}' },
    previous: previous?.get('auth').inputs,
  });
  // No kubeconfig input: KUBECONFIG comes from setup-cluster-auth through the job env.
  const rollout = await job.step('rollout', 'rollout-and-verify', () => ({
    manifests: job.get('render').result!.outputs['manifests-path'] ?? '',
    timeout: '10m',
  }));
  printStep(out, s, rollout, {
    shown: { manifests: '${{ steps.render.outputs.manifests-path }}' },
    previous: previous?.get('rollout').inputs,
  });
  await job.finish();
  printPosts(out, s, job.steps);
  printCluster(ctx);
  return job;
}

/** What runs in the namespace now, read from the simulator's store (like kubectl get). */
function printCluster({ out, s, sim }: Ctx): void {
  out(`\n${s.bold('▶ cluster now')} ${s.dim(`(namespace ${NAMESPACE}, from the simulator)`)}`);
  for (const d of sim.listObjects('Deployment', NAMESPACE)) {
    const st = (d.status ?? {}) as { availableReplicas?: number };
    out(
      `  Deployment ${d.metadata.name}  ${st.availableReplicas ?? 0}/${String(d.spec?.replicas ?? '?')} available  revision ${d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}  ${containerImage(d) ?? ''}`,
    );
  }
  for (const i of sim.listObjects('InferenceService', NAMESPACE)) {
    const conditions = (i.status?.conditions ?? []) as { type?: string; status?: string }[];
    const ready = conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    out(`  InferenceService ${i.metadata.name}  Ready=${ready}`);
  }
}

interface Expected {
  image: string;
  /** rollout-and-verify's exit code and `status` output. */
  exitCode: number;
  status: string;
  /** Matches the `failure-reason` output. */
  failureReason: RegExp;
}

/**
 * Checks one release against what is expected: every step's exit code and outputs, the post
 * steps, the kubeconfig removed, and the Deployment serving the good image. Prints the log of
 * a step that did not do what was expected.
 */
function checkRelease(ctx: Ctx, job: Job, expected: Expected): void {
  const { check, sim } = ctx;
  const n = job.name;
  const suspicious: JobStep[] = [];
  const exitOf = (st: JobStep): string =>
    st.result ? `exit ${st.result.exitCode}` : `skipped (${st.skipped ?? '?'})`;
  const render = job.get('render');
  const images = render.result?.outputs.images ?? '';
  if (
    !check(
      `${n}: render-manifests renders ${expected.image === GOOD_IMAGE ? 'the good' : 'the broken'} image`,
      render.result?.exitCode === 0 && images.includes(expected.image),
      `${exitOf(render)}, images ${images || '(none)'}`,
    )
  )
    suspicious.push(render);
  const auth = job.get('auth');
  const kubeconfig = auth.result?.outputs['kubeconfig-path'];
  if (
    !check(
      `${n}: setup-cluster-auth writes the kubeconfig and exports KUBECONFIG`,
      auth.result?.exitCode === 0 &&
        kubeconfig !== undefined &&
        auth.result.env.KUBECONFIG === kubeconfig,
      `${exitOf(auth)}, KUBECONFIG=${auth.result?.env.KUBECONFIG ?? '(not exported)'}`,
    )
  )
    suspicious.push(auth);
  const rollout = job.get('rollout');
  const outputs = rollout.result?.outputs ?? {};
  if (
    !check(
      `${n}: rollout-and-verify ${expected.exitCode === 0 ? 'succeeds' : `fails the step (exit ${expected.exitCode})`} with status ${expected.status}`,
      rollout.result?.exitCode === expected.exitCode && outputs.status === expected.status,
      `${exitOf(rollout)}, status ${outputs.status ?? '(none)'}`,
    )
  )
    suspicious.push(rollout);
  check(
    `${n}: failure-reason ${expected.failureReason.source === '^$' ? 'is empty' : `matches /${expected.failureReason.source}/`}`,
    expected.failureReason.test(outputs['failure-reason'] ?? '(none)'),
    outputs['failure-reason'] || '(empty)',
  );
  const posts = job.steps.filter((st) => st.result?.runPost);
  check(
    `${n}: every post step exits 0`,
    posts.length > 0 && posts.every((st) => st.post?.exitCode === 0),
    posts.map((st) => `${st.action} exit ${st.post?.exitCode ?? '(not run)'}`).join(', '),
  );
  check(
    `${n}: setup-cluster-auth's post removed the kubeconfig`,
    kubeconfig !== undefined && !existsSync(kubeconfig),
    kubeconfig ?? 'no kubeconfig-path output',
  );
  const d = sim.getObject('Deployment', NAMESPACE, 'recommender');
  const st = (d?.status ?? {}) as { updatedReplicas?: number; availableReplicas?: number };
  const want = d?.spec?.replicas as number | undefined;
  check(
    `${n}: Deployment recommender ${expected.image === GOOD_IMAGE ? 'serves' : 'is back on'} the good image, all replicas available`,
    containerImage(d) === GOOD_IMAGE &&
      st.updatedReplicas === want &&
      st.availableReplicas === want,
    `${containerImage(d) ?? '(no Deployment)'}, ${st.availableReplicas ?? 0}/${want ?? '?'} available, revision ${d?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}`,
  );
  const isvc = sim.getObject('InferenceService', NAMESPACE, 'recommender');
  const isvcReady =
    ((isvc?.status?.conditions ?? []) as { type?: string; status?: string }[]).find(
      (c) => c.type === 'Ready',
    )?.status ?? 'Unknown';
  const predictor = sim.getObject('Deployment', NAMESPACE, 'recommender-predictor');
  check(
    `${n}: InferenceService recommender ${expected.image === GOOD_IMAGE ? 'serves' : 'is restored to'} the good image and is Ready`,
    isvcReady === 'True' && containerImage(predictor) === GOOD_IMAGE,
    `Ready=${isvcReady}, predictor ${containerImage(predictor) ?? '(none)'}`,
  );
  for (const step of suspicious) printLogTail(ctx.out, ctx.s, step);
}

function printFailFast({ out, s, sim }: Ctx, timing: FailFastTiming): void {
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

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out: Out = options.out ?? ((line) => console.log(line));
  const s = style(options.color ?? process.stdout.isTTY === true);
  const started = performance.now();
  const checks: Check[] = [];
  const check = (what: string, ok: boolean, detail = ''): boolean => {
    checks.push({ what, ok, detail });
    return ok;
  };
  const heading = (text: string): void => out(`\n${s.bold(`== ${text}`)}`);
  const jobs: Job[] = [];
  const tempDirs: string[] = [];
  const cancelled = (): boolean => options.signal?.aborted === true;
  let timing: FailFastTiming = {};

  heading('mlops-actions demo: git push → verified deployment, on local stand-ins');
  out(
    'render-manifests → setup-cluster-auth → rollout-and-verify, the real bundles run as a GitHub runner runs them',
  );
  const pre = preflight();
  out(`preflight: ${pre.notes.join(' · ') || 'nothing found'}`);
  for (const p of pre.problems) {
    out(s.bad(`✗ ${p}`));
    check('preflight', false, p);
  }

  let sim: KubeSim | undefined;
  let watch: ReturnType<typeof watchFailFast> | undefined;
  if (pre.problems.length === 0) {
    try {
      sim = await startKubeSim({
        tls: true,
        token: 'demo-token',
        speed: options.speed ?? 10,
        namespaces: [NAMESPACE],
      });
      tempDirs.push(path.dirname(sim.kubeconfigPath));
      out(
        `cluster:   Kubernetes API simulator at ${sim.url} (TLS, bearer token), namespace ${NAMESPACE}, ${sim.speed}× simulated time`,
      );
      const ctx: Ctx = {
        out,
        s,
        sim,
        options,
        kubeconfigB64: Buffer.from(readFileSync(sim.kubeconfigPath)).toString('base64'),
        jobs,
        tempDirs,
        check,
      };

      heading(`Release 1: ${GOOD_IMAGE}  (expected: rolled out, status succeeded)`);
      const one = await release(ctx, 'release-1', GOOD_IMAGE);
      if (!cancelled()) {
        checkRelease(ctx, one, {
          image: GOOD_IMAGE,
          exitCode: 0,
          status: 'succeeded',
          failureReason: /^$/,
        });
      }

      if (!cancelled()) {
        heading(`Release 2: ${BAD_IMAGE}  (expected: fail fast, roll back, status rolled-back)`);
        watch = watchFailFast(sim);
        const two = await release(ctx, 'release-2', BAD_IMAGE, one);
        watch.stop();
        timing = watch.timing;
        if (!cancelled()) {
          checkRelease(ctx, two, {
            image: BAD_IMAGE,
            exitCode: 1,
            status: 'rolled-back',
            failureReason: /ImagePullBackOff|ErrImagePull/,
          });
          check(
            `release-2: failed fast (within ${FAIL_FAST_LIMIT_S} simulated s, not at the progress deadline)`,
            timing.detectedSimS !== undefined && timing.detectedSimS < FAIL_FAST_LIMIT_S,
            timing.detectedMs === undefined
              ? 'no rollback was seen'
              : `${seconds(timing.detectedMs)} real = ${timing.detectedSimS!.toFixed(1)} s simulated after the apply; progress deadline ${timing.progressDeadlineS ?? '?'} s`,
          );
          heading('Fail-fast');
          printFailFast(ctx, timing);
        }
      }
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
      watch?.stop();
      for (const job of jobs) job.cleanup();
      await sim?.stop();
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
    durationMs: performance.now() - started,
    tempDirs,
  };
  heading('Checks');
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
