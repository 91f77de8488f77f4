/**
 * The demo's analysis stage (analyze-release): the example iris service runs twice on the
 * runner — the stable release, and a candidate switched to answer 60 ms slower and to change
 * 10 % of its predictions (INJECT_LATENCY_MS, INJECT_FLIP_RATE) — behind the simulator's
 * service proxy as Services `recommender` and `recommender-canary`. Release 1 is loaded alone
 * through the API server and passes its SLO; the canary is loaded against the stable release
 * with the same requests, interleaved, and is judged `fail` (the step fails, which is what a
 * canary workflow rolls back on).
 */
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { startIris } from '../test/harness/fakes/model-server.ts';
import { stopProcess } from '../test/harness/process.ts';
import { NAMESPACE, newJob, type Ctx, type Trained } from './demo-stages.ts';

const ROW =
  '{"instances": [[5.1, 3.5, 1.4, 0.2]]}\n{"instances": [[6.3, 3.3, 6.0, 2.5]]}\n{"instances": [[5.7, 2.8, 4.1, 1.3]]}';

/** A Service through the simulator's API (TLS, token), as kubectl would create it. */
function createService(ctx: Ctx, name: string): Promise<number> {
  const { sim } = ctx.stand;
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ports: [{ port: 8080 }] },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}/api/v1/namespaces/${NAMESPACE}/services`,
      {
        method: 'POST',
        ...(sim.caData ? { ca: Buffer.from(sim.caData, 'base64') } : {}),
        headers: { authorization: `Bearer ${sim.token ?? ''}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Both judgements; every outcome goes through ctx.check. */
export async function analysisStage(ctx: Ctx, trained: Trained): Promise<void> {
  const { out, s, stand } = ctx;
  const servers: ChildProcess[] = [];
  try {
    const stable = await startIris(trained.modelDir, {});
    servers.push(stable.child);
    const canary = await startIris(trained.modelDir, {
      INJECT_LATENCY_MS: '60',
      INJECT_FLIP_RATE: '0.1',
    });
    servers.push(canary.child);
    stand.sim.proxyService(NAMESPACE, 'recommender', stable.url);
    stand.sim.proxyService(NAMESPACE, 'recommender-canary', canary.url);
    const env = { KUBECONFIG: stand.sim.kubeconfigPath };
    const common = {
      path: '/v1/models/iris:predict',
      requests: ROW,
      rate: '20',
      duration: '4s',
      warmup: '0s',
    };

    const one = newJob(ctx, 'analyze-1', { env });
    const a = await one.step('analyze', 'analyze-release', {
      ...common,
      service: `${NAMESPACE}/recommender`,
      'max-latency': 'p95<300ms',
    });
    const r1 = a.result;
    out(
      `analyze-1: verdict ${r1?.outputs.verdict ?? 'none'}, p95 ${r1?.outputs['latency-p95'] ?? '?'} ms, ${r1?.outputs.throughput ?? '?'}/s`,
    );
    ctx.check(
      'analyze-1: release 1 under load passes (through the API server service proxy)',
      r1?.exitCode === 0 && r1.outputs.verdict === 'pass',
      `verdict ${r1?.outputs.verdict ?? 'none'}`,
    );

    // The Service of the canary: created like any other object, backed by the slow iris.
    const created = await createService(ctx, 'recommender-canary');
    if (created !== 201) throw new Error(`creating the canary Service: HTTP ${created}`);

    const two = newJob(ctx, 'analyze-canary', { env });
    const b = await two.step('analyze', 'analyze-release', {
      ...common,
      service: `${NAMESPACE}/recommender-canary`,
      'baseline-service': `${NAMESPACE}/recommender`,
      'max-regression': 'p95:10%',
      'prediction-path': 'predictions[*]',
      'max-prediction-change': '1%',
    });
    const r2 = b.result;
    const why = r2?.annotations.find((x) => x.level === 'error')?.message ?? '';
    out(`analyze-canary: verdict ${r2?.outputs.verdict ?? 'none'} — ${s.dim(why)}`);
    ctx.check(
      'analyze-canary: a slower candidate that changes predictions is judged fail (to roll back)',
      r2?.exitCode === 1 &&
        r2.outputs.verdict === 'fail' &&
        /p95:10% fail/.test(why) &&
        /predictions-changed<=1% fail/.test(why),
      why,
    );
  } finally {
    await Promise.all(servers.map((c) => stopProcess(c)));
  }
}
