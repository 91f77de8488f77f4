/**
 * The demo's jobs, one function each, in the order the example workflows run them:
 * build (build-push-image, then again: skipped) → release (render-manifests →
 * setup-cluster-auth → rollout-and-verify → pr-deploy-comment, the PR comment and the living
 * Slack message) → gitops (argocd-bump-image, Argo CD sync and wait); the train, gate and
 * promote jobs (model-registry) are in scripts/demo-train.ts, the analysis in
 * scripts/demo-analysis.ts. Each job is real bundles run as the runner runs them
 * (scripts/demo-job.ts); each checks its outcomes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KObj } from '../test/harness/kube-sim/index.ts';
import { history, readAt } from '../test/harness/git-server.ts';
import { registryDigest } from '../test/harness/registry.ts';
import { repoRoot } from '../test/harness/runner.ts';
import { findBuilder } from './demo-build.ts';
import { Job, type JobOptions, type JobStep } from './demo-job.ts';
import { pushModelImage } from './demo-oci.ts';
import {
  printLogTail,
  printPosts,
  printStep,
  seconds,
  type Out,
  type Style,
} from './demo-print.ts';
import { checkSlack, SLACK_SHOWN, slackInputs } from './demo-slack.ts';
import { ARGO_APP, GITOPS_FILE, type StandIns } from './demo-standins.ts';

export const NAMESPACE = 'recommender';
/** The simulator's kubelet fails to pull any `pullfail-*` tag (ErrImagePull → ImagePullBackOff). */
export const BAD_IMAGE = 'ghcr.io/octo-org/recommender:pullfail-2';
/** The image the demo builds, in the local registry (`<host>/` + this). */
export const IMAGE_REPO = 'octo-org/recommender';
/** The pull request the demo deploys as a preview. */
export const PR_NUMBER = 7;
export const ENVIRONMENT = `pr-${PR_NUMBER}`;
/** Fail-fast must notice the broken pods within this much simulated time. */
export const FAIL_FAST_LIMIT_S = 30;
/** The runner's GITHUB_SHA in every job (test/harness/runner.ts): `type=sha` makes sha-0123456. */
const SHA_TAG = 'sha-0123456';

export const EXAMPLE = path.join(repoRoot, 'workflows-examples');
const MANIFESTS = ['deploy/base', 'deploy/kserve'];

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

export interface Ctx {
  out: Out;
  s: Style;
  stand: StandIns;
  jobOptions: JobOptions;
  /** What a repository secret would hold: the cluster's kubeconfig, base64. */
  kubeconfigB64: string;
  jobs: Job[];
  check(what: string, ok: boolean, detail?: string): boolean;
}

export const exitOf = (st: JobStep): string =>
  st.result ? `exit ${st.result.exitCode}` : `skipped (${st.skipped ?? '?'})`;

export function newJob(ctx: Ctx, name: string, options: JobOptions = {}): Job {
  const job = new Job(name, { ...ctx.jobOptions, ...options });
  ctx.jobs.push(job);
  ctx.out(ctx.s.dim(`job ${name}: workspace and RUNNER_TEMP in ${job.dir}`));
  return job;
}

export function checkPosts(ctx: Ctx, job: Job): void {
  const posts = job.steps.filter((st) => st.result?.runPost);
  if (posts.length === 0) return;
  ctx.check(
    `${job.name}: every post step exits 0`,
    posts.every((st) => st.post?.exitCode === 0),
    posts.map((st) => `${st.action} exit ${st.post?.exitCode ?? '(not run)'}`).join(', '),
  );
}

/** A `run:` step of the workflow (the user's own command), printed like an action step. */
export function runCommand(
  ctx: Ctx,
  title: string,
  argv: string[],
  cwd: string,
): { ok: boolean; output: string } {
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', timeout: 60_000 });
  const ok = r.status === 0;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim();
  ctx.out(
    `\n${ctx.s.bold(`▶ run: ${title}`)}  ${ok ? ctx.s.ok('exit 0') : ctx.s.bad(`exit ${r.status ?? r.signal ?? '?'}`)} · ${seconds(performance.now() - started)}`,
  );
  for (const line of output.split('\n').filter(Boolean).slice(-8))
    ctx.out(`  ${ctx.s.dim('│')} ${line}`);
  return { ok, output };
}

// ─── train ──────────────────────────────────────────────────────────────────────────────

export interface Trained {
  /** Directory holding the trained model files (model.json, metrics.json). */
  modelDir: string;
  metrics: Record<string, number>;
  /** The model version the pipeline registered and the gate passed, and its source URI. */
  version: string;
  source: string;
  /** The `champion` version the gate compared against (empty: none), for the promotion. */
  championVersion: string;
  /** model-registry's metrics file (JSON), passed on to the release jobs as an artifact. */
  metricsJson: string;
  /** The same for the champion's version: the baseline of the PR comment's metrics. */
  championMetricsJson: string;
}

// ─── build ──────────────────────────────────────────────────────────────────────────────

export interface Built {
  imageRef: string;
  image: string;
  digest: string;
}

/** The files as model.Dockerfile lays them out (/models/iris/model.json), in the job's dir. */
function modelLayout(job: Job, modelDir: string): string {
  const root = path.join(job.dir, 'model-image');
  mkdirSync(path.join(root, 'models', 'iris'), { recursive: true });
  cpSync(path.join(modelDir, 'model.json'), path.join(root, 'models', 'iris', 'model.json'));
  return root;
}

/**
 * The build job: build-push-image builds the model image from iris-service/model.Dockerfile
 * (FROM scratch + the trained model: nothing to pull, so it builds offline) and pushes it to
 * the local registry; a second run of the same commit skips the build (`skip-if-exists`).
 */
export async function buildStage(ctx: Ctx, trained: Trained): Promise<Built | undefined> {
  const { stand, check, out, s } = ctx;
  const job = newJob(ctx, 'build', {
    checkout: { 'iris-service': path.join(EXAMPLE, 'iris-service') },
  });
  // The model files come from the train job, as actions/download-artifact would bring them.
  cpSync(trained.modelDir, path.join(job.workspace, 'model'), { recursive: true });
  const image = `${stand.registry.host}/${IMAGE_REPO}`;
  const builder = findBuilder(path.join(job.dir, 'builder'));
  if (builder) {
    out(s.dim(`builder: ${builder.describe}`));
  } else {
    // No builder here: push the same image the Dockerfile describes, so the step finds it.
    const digest = await pushModelImage({
      registry: stand.registry.url,
      repo: IMAGE_REPO,
      tag: SHA_TAG,
      dir: modelLayout(job, trained.modelDir),
      paths: ['models'],
      labels: { 'org.opencontainers.image.title': 'iris model' },
    });
    out(
      s.dim(
        `builder: none usable here (buildah needs root; no Docker daemon): the demo pushed the model image as an OCI layout (${digest.slice(0, 19)}…); build-push-image finds it (skip-if-exists)`,
      ),
    );
  }
  const inputs = {
    image,
    context: 'model',
    file: 'iris-service/model.Dockerfile',
    tags: 'type=sha\ntype=raw,value=latest',
    'skip-if-exists': 'true',
    builder: builder?.builder ?? 'auto',
  };
  const env = builder?.env ?? {};
  const build = await job.step('build', 'build-push-image', inputs, { env });
  printStep(out, s, build);
  const o = build.result?.outputs ?? {};
  const pushed =
    (await registryDigest(stand.registry, IMAGE_REPO, SHA_TAG)) ?? '(not in the registry)';
  const ok = check(
    `build: build-push-image ${builder ? 'builds and pushes' : 'finds'} ${IMAGE_REPO}:${SHA_TAG}; its digest is the registry's`,
    build.result?.exitCode === 0 &&
      o.digest !== undefined &&
      o.digest === pushed &&
      o['image-ref'] === `${image}@${pushed}` &&
      o.skipped === (builder ? 'false' : 'true'),
    `${exitOf(build)}, digest ${o.digest ?? '(none)'}, registry ${pushed}, skipped ${o.skipped ?? '(none)'}`,
  );
  if (!ok) printLogTail(out, s, build);

  // The same commit again (a re-run, another workflow): nothing to build.
  const again = await job.step('rebuild', 'build-push-image', inputs, { env });
  printStep(out, s, again, { previous: inputs });
  const a = again.result?.outputs ?? {};
  check(
    'build: a second run of the same commit skips the build and reports the same digest',
    again.result?.exitCode === 0 && a.skipped === 'true' && a.digest === o.digest,
    `${exitOf(again)}, skipped ${a.skipped ?? '(none)'}, digest ${a.digest ?? '(none)'}`,
  );
  await job.finish();
  printPosts(out, s, job.steps);
  checkPosts(ctx, job);
  if (!ok || !o.digest || !o['image-ref']) return undefined;
  return { imageRef: o['image-ref'], image: o.image ?? image, digest: o.digest };
}

// ─── release ────────────────────────────────────────────────────────────────────────────

export function containerImage(o: KObj | undefined): string | undefined {
  const spec = (o?.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)
    ?.spec;
  return spec?.containers?.[0]?.image;
}

/** What runs in the namespace now, read from the simulator's store (like kubectl get). */
function printCluster({ out, s, stand }: Ctx): void {
  out(`\n${s.bold('▶ cluster now')} ${s.dim(`(namespace ${NAMESPACE}, from the simulator)`)}`);
  for (const d of stand.sim.listObjects('Deployment', NAMESPACE)) {
    const st = (d.status ?? {}) as { availableReplicas?: number };
    out(
      `  Deployment ${d.metadata.name}  ${st.availableReplicas ?? 0}/${String(d.spec?.replicas ?? '?')} available  revision ${d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}  ${containerImage(d) ?? ''}`,
    );
  }
  for (const i of stand.sim.listObjects('InferenceService', NAMESPACE)) {
    const conditions = (i.status?.conditions ?? []) as { type?: string; status?: string }[];
    const ready = conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    out(`  InferenceService ${i.metadata.name}  Ready=${ready}`);
  }
}

export interface Release {
  name: string;
  /** The image this release deploys. */
  image: string;
  /** The image that must be serving afterwards (the release's, or the last good one). */
  good: string;
  digest: string;
  /** The model the train job gated: model-registry's metrics file and the version's source. */
  trained: Trained;
  /** Which release of the PR this is (1-based): the Slack message is posted by the first. */
  n: number;
  expected: { exitCode: number; status: string; failureReason: RegExp; comment: string };
}

/** deploy-gke.yml's job: render → auth → rollout → pr-deploy-comment (`if: always()`). */
export async function releaseStage(ctx: Ctx, r: Release, previous?: Job): Promise<Job> {
  const { out, s, stand } = ctx;
  const job = newJob(ctx, r.name, {
    checkout: { deploy: path.join(EXAMPLE, 'manifests') },
    env: { ...stand.github.env(), GITHUB_EVENT_NAME: 'pull_request' },
  });
  // The pull_request event the workflow runs on (GITHUB_EVENT_PATH), in the job's temp dir.
  const eventPath = path.join(job.dir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PR_NUMBER,
      pull_request: {
        number: PR_NUMBER,
        head: { sha: '0123456789abcdef0123456789abcdef01234567', ref: 'feature/iris-v2' },
      },
    }),
  );
  job.env.GITHUB_EVENT_PATH = eventPath;
  // model-registry's metrics file from the train job, as actions/download-artifact brings it.
  writeFileSync(path.join(job.workspace, 'model-metrics.json'), r.trained.metricsJson);
  writeFileSync(path.join(job.workspace, 'champion-metrics.json'), r.trained.championMetricsJson);

  const render = await job.step('render', 'render-manifests', {
    manifests: MANIFESTS.join('\n'),
    'image-placeholder': 'MODEL_SERVER_IMAGE',
    image: r.image,
    vars: `MODEL_URI=${r.trained.source}`,
    namespace: NAMESPACE,
    labels: 'app.kubernetes.io/part-of=recommender',
    'kubernetes-version': '1.33',
  });
  printStep(out, s, render, {
    shown: {
      image: '${{ needs.build.outputs.image-ref }}',
      vars: 'MODEL_URI=${{ needs.train.outputs.source }}',
    },
    previous: previous?.get('render').inputs,
  });
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
  const status = (): string => {
    const st = job.get('rollout').result?.outputs.status;
    return st === 'succeeded' ? 'success' : st === 'rolled-back' ? 'rolled-back' : 'failure';
  };
  const comment = await job.step(
    'comment',
    'pr-deploy-comment',
    () => ({
      token: stand.secrets.githubToken,
      environment: ENVIRONMENT,
      status: status(),
      image: r.image,
      ...(r.image === r.good ? { digest: r.digest } : {}),
      metrics: 'model-metrics.json',
      'metrics-baseline': 'champion-metrics.json',
      ...slackInputs(stand),
    }),
    { always: true },
  );
  printStep(out, s, comment, {
    shown: {
      token: '${{ github.token }}',
      status: "${{ steps.rollout.outputs.status == 'succeeded' && 'success' || … }}",
      metrics: 'model-metrics.json   (the train job’s model-registry metrics, an artifact)',
      'metrics-baseline': 'champion-metrics.json   (the champion’s, the same way)',
      ...SLACK_SHOWN,
    },
    previous: previous?.get('comment').inputs,
  });
  await job.finish();
  printPosts(out, s, job.steps);
  printCluster(ctx);
  checkRelease(ctx, job, r);
  return job;
}

/**
 * Checks one release: every step's exit code and outputs, the post steps, the kubeconfig
 * removed, the Deployment and InferenceService serving the good image, one PR comment.
 */
function checkRelease(ctx: Ctx, job: Job, r: Release): void {
  const { check, stand } = ctx;
  const n = job.name;
  const suspicious: JobStep[] = [];
  const render = job.get('render');
  const images = render.result?.outputs.images ?? '';
  if (
    !check(
      `${n}: render-manifests renders ${r.image === r.good ? 'the built' : 'the broken'} image`,
      render.result?.exitCode === 0 && images.includes(r.image),
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
      `${n}: rollout-and-verify ${r.expected.exitCode === 0 ? 'succeeds' : `fails the step (exit ${r.expected.exitCode})`} with status ${r.expected.status}`,
      rollout.result?.exitCode === r.expected.exitCode && outputs.status === r.expected.status,
      `${exitOf(rollout)}, status ${outputs.status ?? '(none)'}`,
    )
  )
    suspicious.push(rollout);
  check(
    `${n}: failure-reason ${r.expected.failureReason.source === '^$' ? 'is empty' : `matches /${r.expected.failureReason.source}/`}`,
    r.expected.failureReason.test(outputs['failure-reason'] ?? '(none)'),
    outputs['failure-reason'] || '(empty)',
  );
  checkPosts(ctx, job);
  check(
    `${n}: setup-cluster-auth's post removed the kubeconfig`,
    kubeconfig !== undefined && !existsSync(kubeconfig),
    kubeconfig ?? 'no kubeconfig-path output',
  );
  const d = stand.sim.getObject('Deployment', NAMESPACE, 'recommender');
  const st = (d?.status ?? {}) as { updatedReplicas?: number; availableReplicas?: number };
  const want = d?.spec?.replicas as number | undefined;
  check(
    `${n}: Deployment recommender ${r.image === r.good ? 'serves' : 'is back on'} the built image, all replicas available`,
    containerImage(d) === r.good && st.updatedReplicas === want && st.availableReplicas === want,
    `${containerImage(d) ?? '(no Deployment)'}, ${st.availableReplicas ?? 0}/${want ?? '?'} available, revision ${d?.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}`,
  );
  const isvc = stand.sim.getObject('InferenceService', NAMESPACE, 'recommender');
  const isvcReady =
    ((isvc?.status?.conditions ?? []) as { type?: string; status?: string }[]).find(
      (c) => c.type === 'Ready',
    )?.status ?? 'Unknown';
  const predictor = stand.sim.getObject('Deployment', NAMESPACE, 'recommender-predictor');
  check(
    `${n}: InferenceService recommender ${r.image === r.good ? 'serves' : 'is restored to'} the built image and is Ready`,
    isvcReady === 'True' && containerImage(predictor) === r.good,
    `Ready=${isvcReady}, predictor ${containerImage(predictor) ?? '(none)'}`,
  );
  const comment = job.get('comment');
  const marked = (stand.github.comments.get(PR_NUMBER) ?? []).filter((c) =>
    c.body.startsWith('<!-- mlops-actions/pr-deploy-comment'),
  );
  if (
    !check(
      `${n}: pr-deploy-comment keeps one comment on PR #${PR_NUMBER}, now "${r.expected.comment}"`,
      comment.result?.exitCode === 0 &&
        marked.length === 1 &&
        marked[0]!.body.includes(r.expected.comment),
      `${exitOf(comment)}, ${marked.length} comment(s)${marked[0] ? `, ${marked[0].html_url}` : ''}`,
    ) ||
    !checkSlack(check, stand, { job: n, n: r.n, step: comment, word: r.expected.comment })
  )
    suspicious.push(comment);
  for (const step of suspicious) printLogTail(ctx.out, ctx.s, step);
}

// ─── gitops ─────────────────────────────────────────────────────────────────────────────

/** gitops-kserve.yml's job: argocd-bump-image pins the built digest, Argo CD syncs it. */
export async function gitopsStage(ctx: Ctx, built: Built): Promise<Job> {
  const { stand, out, s, check } = ctx;
  const job = newJob(ctx, 'gitops');
  const bump = await job.step('bump', 'argocd-bump-image', {
    repository: stand.gitopsUrl,
    token: stand.secrets.gitToken,
    files: GITOPS_FILE,
    image: built.imageRef,
    'commit-message': `deploy ${built.imageRef}`,
    'argocd-server': stand.argo.url,
    'argocd-token': stand.secrets.argoToken,
    application: ARGO_APP,
    sync: 'true',
    wait: 'true',
    timeout: '1m',
  });
  printStep(out, s, bump, {
    shown: {
      token: '${{ secrets.GITOPS_TOKEN }}',
      'argocd-token': '${{ secrets.ARGOCD_TOKEN }}',
      image: '${{ needs.build.outputs.image-ref }}',
    },
  });
  const o = bump.result?.outputs ?? {};
  const head = history(stand.gitopsBare)[0];
  const file = head ? readAt(stand.gitopsBare, head.sha, GITOPS_FILE) : '';
  const ok = check(
    'gitops: argocd-bump-image pushes one commit that pins the built digest in the InferenceService',
    bump.result?.exitCode === 0 &&
      o.changed === 'true' &&
      o['commit-sha'] === head?.sha &&
      file.includes(`image: ${built.imageRef}`) &&
      file.startsWith('# Deployed by Argo CD'),
    `${exitOf(bump)}, changed ${o.changed ?? '(none)'}, commit ${o['commit-sha']?.slice(0, 12) ?? '(none)'}`,
  );
  check(
    'gitops: Argo CD synced that commit and reports Synced / Healthy',
    o['sync-status'] === 'Synced' &&
      o['health-status'] === 'Healthy' &&
      stand.argo.apps.get(ARGO_APP)?.revision === head?.sha,
    `${o['sync-status'] ?? '?'} / ${o['health-status'] ?? '?'}, Argo revision ${stand.argo.apps.get(ARGO_APP)?.revision.slice(0, 12) ?? '?'}`,
  );
  if (!ok) printLogTail(out, s, bump);
  await job.finish();
  printPosts(out, s, job.steps);
  checkPosts(ctx, job);
  return job;
}
