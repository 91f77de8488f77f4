/**
 * The demo's analysis stage, the canary flow of workflows-examples/canary-kserve.yml: the
 * example iris service runs twice on the runner — the stable release, and a candidate
 * switched to answer 60 ms slower and to change 10 % of its predictions (INJECT_LATENCY_MS,
 * INJECT_FLIP_RATE) — behind the simulator's service proxy as the InferenceService's Services
 * (its predictor Service, and Knative's `<revision>-private` of each revision).
 * - analyze-1: release 1 (the InferenceService release 1 rolled out) is loaded alone through
 *   the API server and passes its SLO;
 * - canary: rollout-and-verify applies the slower release with `canaryTrafficPercent: 20` and
 *   `canary: hold`; analyze-release judges the canary revision against the stable one (found
 *   from the InferenceService's traffic split, no Service names given) — `fail`; and
 *   rollout-and-verify's `finish-canary: rollback` sets the canary to 0 % and waits until the
 *   stable revision serves 100 % again (promote on pass, as the workflow does).
 */
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startIris } from '../test/harness/fakes/model-server.ts';
import { stopProcess } from '../test/harness/process.ts';
import type { KObj } from '../test/harness/kube-sim/types.ts';
import { NAMESPACE, newJob, type Ctx, type Trained } from './demo-stages.ts';

const ISVC = 'recommender';
const ROW =
  '{"instances": [[5.1, 3.5, 1.4, 0.2]]}\n{"instances": [[6.3, 3.3, 6.0, 2.5]]}\n{"instances": [[5.7, 2.8, 4.1, 1.3]]}';

interface Predictor {
  latestReadyRevision?: string;
  traffic?: { revisionName?: string; percent?: number; latestRevision?: boolean }[];
}

function predictorOf(ctx: Ctx): Predictor {
  const isvc = ctx.stand.sim.getObject('InferenceService', NAMESPACE, ISVC);
  return ((isvc?.status?.components as { predictor?: Predictor } | undefined)?.predictor ??
    {}) as Predictor;
}

/** Release 1's InferenceService as it runs, made the slower canary at 20 % (a manifest file). */
function canaryManifest(ctx: Ctx, dir: string): string {
  const live = ctx.stand.sim.getObject('InferenceService', NAMESPACE, ISVC) as KObj;
  const predictor = structuredClone(live.spec?.predictor ?? {}) as {
    canaryTrafficPercent?: number;
    containers?: { env?: { name: string; value: string }[] }[];
  };
  predictor.canaryTrafficPercent = 20;
  const container = predictor.containers?.[0];
  if (!container) throw new Error('release 1 InferenceService has no container');
  container.env = [
    ...(container.env ?? []),
    { name: 'INJECT_LATENCY_MS', value: '60' },
    { name: 'INJECT_FLIP_RATE', value: '0.1' },
  ];
  const manifest = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: ISVC, namespace: NAMESPACE, annotations: live.metadata.annotations ?? {} },
    spec: { ...live.spec, predictor },
  };
  const file = path.join(dir, 'canary-inferenceservice.yaml');
  writeFileSync(file, JSON.stringify(manifest, null, 2)); // JSON is YAML
  return path.basename(file);
}

const COMMON = {
  path: '/v1/models/iris:predict',
  requests: ROW,
  rate: '25',
  duration: '2s',
  warmup: '0s',
};

/** analyze-1: release 1 alone, through its predictor Service; no canary, so no baseline. */
async function analyzeRelease1(ctx: Ctx, stableUrl: string, env: Record<string, string>) {
  ctx.stand.sim.proxyService(NAMESPACE, `${ISVC}-predictor`, stableUrl);
  const one = newJob(ctx, 'analyze-1', { env });
  const a = await one.step('analyze', 'analyze-release', {
    ...COMMON,
    'inference-service': `${NAMESPACE}/${ISVC}`,
    'max-latency': 'p95<300ms',
  });
  const r1 = a.result;
  ctx.out(
    `analyze-1: verdict ${r1?.outputs.verdict ?? 'none'}, p95 ${r1?.outputs['latency-p95'] ?? '?'} ms, ${r1?.outputs.throughput ?? '?'}/s`,
  );
  ctx.check(
    'analyze-1: release 1 under load passes (through the API server service proxy)',
    r1?.exitCode === 0 && r1.outputs.verdict === 'pass',
    `verdict ${r1?.outputs.verdict ?? 'none'}`,
  );
}

/** canary: hold → analyze against the stable revision → finish (roll back on fail). */
async function canaryJob(
  ctx: Ctx,
  urls: { stable: string; slow: string },
  env: Record<string, string>,
) {
  const { out, s, stand, check } = ctx;
  const stableRev = predictorOf(ctx).latestReadyRevision ?? '';
  const job = newJob(ctx, 'analyze-canary', { env });
  const manifests = canaryManifest(ctx, job.workspace);
  const hold = await job.step('hold', 'rollout-and-verify', {
    manifests,
    namespace: NAMESPACE,
    canary: 'hold',
    timeout: '1m',
  });
  const canaryRev = predictorOf(ctx).latestReadyRevision ?? '';
  check(
    `canary: rollout-and-verify holds the slower release ${canaryRev} at 20 % beside ${stableRev}`,
    hold.result?.outputs.status === 'succeeded' &&
      canaryRev !== stableRev &&
      predictorOf(ctx).traffic?.find((t) => t.revisionName === canaryRev)?.percent === 20,
    `status ${hold.result?.outputs.status ?? 'none'}; traffic ${JSON.stringify(predictorOf(ctx).traffic ?? [])}`,
  );
  // Knative's Service of each revision, backed by the iris server that revision runs.
  stand.sim.proxyService(NAMESPACE, `${stableRev}-private`, urls.stable, 'http');
  stand.sim.proxyService(NAMESPACE, `${canaryRev}-private`, urls.slow, 'http');
  const b = await job.step('analyze', 'analyze-release', {
    ...COMMON,
    'inference-service': `${NAMESPACE}/${ISVC}`,
    'max-regression': 'p95:10%',
    'prediction-path': 'predictions[*]',
    'max-prediction-change': '1%',
    // The next step decides, as the workflow: promote on pass, roll back otherwise.
    'fail-on': 'never',
  });
  const r2 = b.result;
  const verdict = r2?.outputs.verdict ?? 'none';
  const judged = (r2?.summary ?? '')
    .split('\n')
    .filter((l) => /p95:10%|predictions-changed/.test(l));
  out(`analyze-canary: verdict ${verdict} — ${s.dim(judged.join(' ').replace(/\s+/g, ' '))}`);
  check(
    'analyze-canary: the slower canary that changes predictions is judged fail against the stable revision',
    verdict === 'fail' &&
      (r2?.summary ?? '').includes(
        `the candidate is the canary revision ${canaryRev}, the baseline the stable revision ${stableRev}`,
      ),
    `verdict ${verdict}`,
  );
  const finish = await job.step('finish', 'rollout-and-verify', {
    'finish-canary': verdict === 'pass' ? 'promote' : 'rollback',
    'inference-service': `${NAMESPACE}/${ISVC}`,
    timeout: '1m',
  });
  const f = finish.result?.outputs ?? {};
  const full = predictorOf(ctx).traffic?.find((t) => t.percent === 100)?.revisionName;
  check(
    `canary: rollout-and-verify finish-canary: rollback — ${stableRev} serves 100 % again, status rolled-back`,
    finish.result?.exitCode === 0 &&
      f.status === 'rolled-back' &&
      f.revision === stableRev &&
      full === stableRev,
    `exit ${finish.result?.exitCode ?? '?'}, status ${f.status ?? 'none'}, revision ${f.revision ?? '?'}; 100 % on ${full ?? 'none'}`,
  );
  await job.finish();
}

/** Both judgements and the canary's end; every outcome goes through ctx.check. */
export async function analysisStage(ctx: Ctx, trained: Trained): Promise<void> {
  const servers: ChildProcess[] = [];
  try {
    const started = await Promise.allSettled([
      startIris(trained.modelDir, {}),
      startIris(trained.modelDir, { INJECT_LATENCY_MS: '60', INJECT_FLIP_RATE: '0.1' }),
    ]);
    // Both are stopped below, also when the other one did not start.
    for (const r of started) if (r.status === 'fulfilled') servers.push(r.value.child);
    const [stable, slow] = started.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    if (!stable || !slow) throw new Error('the iris servers did not start');
    const env = { KUBECONFIG: ctx.stand.sim.kubeconfigPath };
    await analyzeRelease1(ctx, stable.url, env);
    await canaryJob(ctx, { stable: stable.url, slow: slow.url }, env);
  } finally {
    await Promise.all(servers.map((c) => stopProcess(c)));
  }
}
