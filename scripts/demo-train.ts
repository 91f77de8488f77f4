/**
 * The model-registry side of the demo, as workflows-examples/continuous-training.yml runs it:
 * - train: kfp-run-and-wait runs the training pipeline; the pipeline logs its run to MLflow and
 *   registers the model as a new version with the alias `challenger` (the fake KFP runs no
 *   containers: the runner runs the same training code, and the demo logs its real metrics to
 *   the MLflow stand-in as the pipeline's register step would); model-registry `resolve`
 *   (`alias: challenger`) gates it on `min-metrics` and `must-beat: champion` → passed; a
 *   second resolve (`alias: champion`) gives the champion's metrics, the comment's baseline;
 * - gate-worse: a version from an earlier, worse run, gated the same way → passed false, nothing
 *   ships, the champion stays;
 * - promote: after release 1 is verified (rolled out, analyze-release passed), model-registry
 *   `promote` moves `champion` to the new version, tagged with the deployed image.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Job } from './demo-job.ts';
import { printLogTail, printPosts, printStep } from './demo-print.ts';
import {
  checkPosts,
  ENVIRONMENT,
  EXAMPLE,
  exitOf,
  newJob,
  runCommand,
  type Built,
  type Ctx,
  type Trained,
} from './demo-stages.ts';

export const MODEL_NAME = 'iris';
/** The gate: thresholds on the run's metrics, and not worse than the champion on each. */
export const MIN_METRICS = 'accuracy>=0.9, train_accuracy>=0.9';
const CHAMPION = 'champion';
const CHALLENGER = 'challenger';
/** The versions in the registry before the pipeline runs: an old one and the champion. */
const OLD_VERSION = '1';
const CHAMPION_VERSION = '2';
/** An MLflow run id (32 hex digits), the same on every demo run. */
const runId = (n: number): string =>
  createHash('sha256').update(`iris-training-run-${n}`).digest('hex').slice(0, 32);
const source = (version: string): string => `gs://octo-ml-models/${MODEL_NAME}/v${version}`;
const SHOWN = { token: '${{ secrets.MLFLOW_TOKEN }}' };

/** The training's metrics, `delta` lower (rounded as train.py rounds). */
function lower(metrics: Record<string, number>, delta: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).map(([k, v]) => [k, Math.round((v - delta) * 10_000) / 10_000]),
  );
}

/**
 * What the pipeline logged and registered, in the MLflow stand-in: the run with train.py's
 * metrics (epochs and row counts as params), version 3 from it with the alias `challenger`;
 * before it, version 1 (a worse, earlier run) and version 2, the champion, slightly lower.
 */
function registerTraining(ctx: Ctx, measured: Record<string, number>): string {
  const { mlflow } = ctx.stand;
  const metrics = {
    accuracy: measured.accuracy ?? 0,
    train_accuracy: measured.train_accuracy ?? 0,
  };
  const params = Object.fromEntries(
    ['epochs', 'train_rows', 'test_rows'].map((k) => [k, String(measured[k] ?? '')]),
  );
  mlflow.runs.set(runId(1), { metrics: lower(metrics, 0.04), params });
  mlflow.runs.set(runId(2), { metrics: lower(metrics, 0.01), params });
  mlflow.runs.set(runId(3), { metrics, params });
  const version = '3';
  mlflow.addModel(
    MODEL_NAME,
    [OLD_VERSION, CHAMPION_VERSION, version].map((v) => ({
      version: v,
      source: source(v),
      run_id: runId(Number(v)),
    })),
    { [CHAMPION]: CHAMPION_VERSION, [CHALLENGER]: version },
  );
  ctx.out(
    `\n${ctx.s.bold('▶ pipeline: log to MLflow, register')}  ${ctx.s.dim('(the stand-in KFP runs no containers: the demo logs what the pipeline would)')}`,
  );
  ctx.out(
    `  run ${runId(3)}: accuracy ${metrics.accuracy}, train_accuracy ${metrics.train_accuracy} → ${MODEL_NAME} version ${version} (${source(version)}), alias ${CHALLENGER}; ${CHAMPION} is version ${CHAMPION_VERSION}`,
  );
  return version;
}

/** The file a step's output names (model-registry's `metrics`), read; '' when none or gone. */
function outputFile(file: string | undefined): string {
  return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function gateInputs(ctx: Ctx): Record<string, string> {
  return {
    'tracking-uri': ctx.stand.mlflow.url,
    token: ctx.stand.secrets.mlflowToken,
    'model-name': MODEL_NAME,
    'min-metrics': MIN_METRICS,
    'must-beat': CHAMPION,
    'fail-on-gate': 'false',
  };
}

/** The resolve + gate step of the train job; the Trained record when it passed. */
async function gateChallenger(
  ctx: Ctx,
  job: Job,
  modelDir: string,
  metrics: Record<string, number>,
): Promise<Trained | undefined> {
  const version = registerTraining(ctx, metrics);
  const step = await job.step('model', 'model-registry', {
    ...gateInputs(ctx),
    alias: CHALLENGER,
  });
  printStep(ctx.out, ctx.s, step, { shown: SHOWN });
  const o = step.result?.outputs ?? {};
  const metricsJson = outputFile(o.metrics);
  const ok = ctx.check(
    `train: model-registry resolves ${CHALLENGER} (version ${version}) and gates it on ${MIN_METRICS} and must-beat ${CHAMPION}: passed`,
    step.result?.exitCode === 0 &&
      o.version === version &&
      o.source === source(version) &&
      o['run-id'] === runId(3) &&
      o.passed === 'true' &&
      o['champion-version'] === CHAMPION_VERSION &&
      metricsJson.includes(`"accuracy"`),
    `${exitOf(step)}, version ${o.version ?? '(none)'}, passed ${o.passed ?? '(none)'}, champion-version ${o['champion-version'] ?? '(none)'}, source ${o.source ?? '(none)'}`,
  );
  if (!ok) {
    printLogTail(ctx.out, ctx.s, step);
    return undefined;
  }
  return {
    modelDir,
    metrics,
    version,
    source: o.source!,
    championVersion: o['champion-version'] ?? '',
    metricsJson,
    championMetricsJson: await championMetrics(ctx, job),
  };
}

/** The champion's metrics file (model-registry resolve, no gate): the comment's baseline. */
async function championMetrics(ctx: Ctx, job: Job): Promise<string> {
  const step = await job.step('champion', 'model-registry', {
    'tracking-uri': ctx.stand.mlflow.url,
    token: ctx.stand.secrets.mlflowToken,
    'model-name': MODEL_NAME,
    alias: CHAMPION,
  });
  printStep(ctx.out, ctx.s, step, { shown: SHOWN });
  const json = outputFile(step.result?.outputs.metrics);
  if (
    !ctx.check(
      `train: model-registry resolves ${CHAMPION} (version ${CHAMPION_VERSION}): its metrics are the comment's baseline`,
      step.result?.exitCode === 0 &&
        step.result.outputs.version === CHAMPION_VERSION &&
        json.includes('"accuracy"'),
      `${exitOf(step)}, version ${step.result?.outputs.version ?? '(none)'}`,
    )
  )
    printLogTail(ctx.out, ctx.s, step);
  return json;
}

/**
 * continuous-training.yml's train job: the training pipeline on Kubeflow Pipelines
 * (kfp-run-and-wait), the model files (the runner runs the pipeline's training code), the
 * registered version resolved and gated by model-registry.
 */
export async function trainStage(ctx: Ctx): Promise<Trained | undefined> {
  const { stand, check } = ctx;
  const job = newJob(ctx, 'train', {
    checkout: { 'iris-service': path.join(EXAMPLE, 'iris-service') },
  });
  const kfp = await job.step('kfp', 'kfp-run-and-wait', {
    host: stand.kfp.url,
    token: stand.secrets.kfpToken,
    'pipeline-file': 'iris-service/pipeline.yaml',
    'run-name': 'iris-train-demo',
    'experiment-name': 'iris',
    parameters: '{"lr": 0.05, "epochs": 40}',
    'poll-interval': '1s',
    timeout: '2m',
  });
  printStep(ctx.out, ctx.s, kfp, { shown: { token: '${{ secrets.KFP_TOKEN }}' } });
  const outputs = kfp.result?.outputs ?? {};
  if (
    !check(
      'train: kfp-run-and-wait runs the training pipeline to SUCCEEDED',
      kfp.result?.exitCode === 0 &&
        outputs.state === 'SUCCEEDED' &&
        (outputs['run-id'] ?? '') !== '',
      `${exitOf(kfp)}, state ${outputs.state ?? '(none)'}, run ${outputs['run-id'] ?? '(none)'}`,
    )
  ) {
    printLogTail(ctx.out, ctx.s, kfp);
  }

  let trained: Trained | undefined;
  if (!job.failed) {
    const modelDir = path.join(job.workspace, 'iris-service', 'build', 'model');
    const train = runCommand(
      ctx,
      'python3 train.py --out build/model   (the pipeline’s training code)',
      ['python3', 'train.py', '--out', 'build/model'],
      path.join(job.workspace, 'iris-service'),
    );
    const metricsFile = path.join(modelDir, 'metrics.json');
    if (train.ok && existsSync(metricsFile)) {
      const metrics = JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, number>;
      trained = await gateChallenger(ctx, job, modelDir, metrics);
    } else {
      check(
        'train: the training code writes the model and its metrics',
        false,
        train.output.slice(-300),
      );
    }
  }
  await job.finish();
  printPosts(ctx.out, ctx.s, job.steps);
  checkPosts(ctx, job);
  return trained;
}

/** A version from an earlier run, worse than the champion: the same gate says passed false. */
export async function gateWorseStage(ctx: Ctx): Promise<void> {
  const job = newJob(ctx, 'gate-worse');
  const step = await job.step('model', 'model-registry', {
    ...gateInputs(ctx),
    version: OLD_VERSION,
  });
  printStep(ctx.out, ctx.s, step, { shown: SHOWN });
  const o = step.result?.outputs ?? {};
  const champion = ctx.stand.mlflow.models.get(MODEL_NAME)?.aliases.get(CHAMPION);
  const warned = (step.result?.annotations ?? []).some((a) => a.level === 'warning');
  if (
    !ctx.check(
      `gate-worse: version ${OLD_VERSION} (worse than the ${CHAMPION}) fails the gate: passed false, a warning, ${CHAMPION} stays version ${CHAMPION_VERSION}`,
      step.result?.exitCode === 0 &&
        o.version === OLD_VERSION &&
        o.passed === 'false' &&
        warned &&
        champion === CHAMPION_VERSION,
      `${exitOf(step)}, passed ${o.passed ?? '(none)'}, ${warned ? 'warned' : 'no warning'}, ${CHAMPION} → version ${champion ?? '(none)'}`,
    )
  )
    printLogTail(ctx.out, ctx.s, step);
  await job.finish();
}

/**
 * After release 1 is verified (rolled out, and analyze-release passed it): model-registry
 * promote moves `champion` to the gated version, tagged with the deployed image. Not verified:
 * nothing is promoted, and the check says why.
 */
export async function promoteStage(ctx: Ctx, trained: Trained, built: Built): Promise<void> {
  const { check, stand, out, s } = ctx;
  const outputsOf = (jobName: string, stepId: string): Record<string, string> =>
    ctx.jobs.find((j) => j.name === jobName)?.steps.find((st) => st.id === stepId)?.result
      ?.outputs ?? {};
  const rollout = outputsOf('release-1', 'rollout').status;
  const verdict = outputsOf('analyze-1', 'analyze').verdict;
  if (rollout !== 'succeeded' || verdict !== 'pass') {
    check(
      `promote: release 1 is verified before ${CHAMPION} moves`,
      false,
      `rollout ${rollout ?? '(none)'}, analyze-release ${verdict ?? '(none)'}: nothing promoted`,
    );
    return;
  }
  const job = newJob(ctx, 'promote');
  const step = await job.step('promote', 'model-registry', {
    'tracking-uri': stand.mlflow.url,
    token: stand.secrets.mlflowToken,
    'model-name': MODEL_NAME,
    operation: 'promote',
    version: trained.version,
    'promote-to': CHAMPION,
    'expect-alias-version': trained.championVersion || 'none',
    'image-ref': built.imageRef,
    environment: ENVIRONMENT,
  });
  printStep(out, s, step, {
    shown: {
      ...SHOWN,
      version: '${{ needs.train.outputs.version }}',
      'expect-alias-version': "${{ needs.train.outputs.champion-version || 'none' }}",
      'image-ref': '${{ steps.build.outputs.image-ref }}',
    },
  });
  const o = step.result?.outputs ?? {};
  const model = stand.mlflow.models.get(MODEL_NAME);
  const alias = model?.aliases.get(CHAMPION);
  const tags = model?.versions.find((v) => v.version === trained.version)?.tags ?? {};
  out(
    `  ${s.bold(`${CHAMPION}: version ${o['previous-version'] || '(none)'} → version ${alias ?? '(none)'}`)}  ${s.dim(`(MLflow stand-in; tagged deployed.image-ref ${tags['deployed.image-ref'] ?? '(none)'})`)}`,
  );
  if (
    !check(
      `promote: model-registry moves ${CHAMPION} from version ${trained.championVersion} to ${trained.version} (previous-version ${trained.championVersion}), tagged with the deployed image`,
      step.result?.exitCode === 0 &&
        o.version === trained.version &&
        o['previous-version'] === trained.championVersion &&
        alias === trained.version &&
        tags['deployed.image-ref'] === built.imageRef &&
        tags['deployed.environment'] === ENVIRONMENT,
      `${exitOf(step)}, previous-version ${o['previous-version'] ?? '(none)'}, ${CHAMPION} → version ${alias ?? '(none)'}, deployed.image-ref ${tags['deployed.image-ref'] ?? '(none)'}`,
    )
  )
    printLogTail(out, s, step);
  await job.finish();
}
