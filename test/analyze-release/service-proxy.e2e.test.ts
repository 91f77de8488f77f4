/**
 * analyze-release's in-cluster targets end to end: the real bundle loads `service` /
 * `inference-service` / `baseline-service` through the Kubernetes API simulator's service
 * proxy (TLS, bearer token, the job's kubeconfig), which forwards to local model servers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { startModelServer, type ModelServer } from '../harness/fakes/model-server.ts';
import { lastError, runAction } from '../harness/runner.ts';
import { callSim, createScaledDeployment, createService } from '../harness/kube-sim/call.ts';

const MERGE_PATCH = 'application/merge-patch+json';

let sim: KubeSim;
let candidate: ModelServer;
let stable: ModelServer;
let slowCanary: ModelServer;

beforeAll(async () => {
  // speed 20: the simulator's HPA controller resyncs every 15 simulated seconds (0.75 s).
  sim = await startKubeSim({
    tls: true,
    token: 'sim-token-a81f',
    namespaces: ['models', 'canary'],
    speed: 20,
  });
  candidate = await startModelServer({ delayMs: 2 });
  stable = await startModelServer({ delayMs: 2 });
  slowCanary = await startModelServer({ delayMs: 40, flipEvery: 5 });
  expect(await createService(sim, 'models', 'iris-predictor')).toBe(201);
  expect(await createService(sim, 'models', 'iris-stable')).toBe(201);
  sim.proxyService('models', 'iris-predictor', candidate.url);
  sim.proxyService('models', 'iris-stable', stable.url, '8080');
}, 30_000);

afterAll(async () => {
  await sim?.stop();
  await candidate?.close();
  await stable?.close();
  await slowCanary?.close();
});

describe('analyze-release through the API server service proxy (bundle)', () => {
  it('inference-service vs baseline-service: both loaded through the proxy, the verdict pass', async () => {
    sim.resetRequests();
    const r = await runAction('analyze-release', {
      inputs: {
        'inference-service': 'models/iris',
        'baseline-service': 'models/iris-stable:8080',
        path: '/v1/models/iris:predict',
        requests: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
        rate: '20',
        duration: '2s',
        warmup: '0s',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '0%',
        'max-regression': 'error-rate:10pp', // 40 each: 5pp would be inconclusive
      },
      env: { KUBECONFIG: sim.kubeconfigPath },
    });
    expect(lastError(r)).toBe('');
    expect(r.outputs.verdict).toBe('pass');
    expect(candidate.requests).toBe(40);
    expect(stable.requests).toBe(40);
    const counted = sim.requests().requests;
    expect(
      counted[
        'POST /api/v1/namespaces/models/services/iris-predictor/proxy/v1/models/iris:predict'
      ],
    ).toBe(40);
    expect(
      counted[
        'POST /api/v1/namespaces/models/services/iris-stable:8080/proxy/v1/models/iris:predict'
      ],
    ).toBe(40);
    expect(r.masks).toContain('sim-token-a81f');
    expect(r.maskedLog).not.toContain('sim-token-a81f');
  }, 60_000);

  it('a Service with nothing behind it: every request a 503 from the API server, the verdict fail', async () => {
    expect(await createService(sim, 'models', 'orphan')).toBe(201);
    const r = await runAction('analyze-release', {
      inputs: { service: 'models/orphan', rate: '10', duration: '1s', warmup: '0s' },
      env: { KUBECONFIG: sim.kubeconfigPath },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['error-rate']).toBe('1');
    expect(r.summary).toContain('HTTP 503 × 10');
  }, 60_000);

  it('hpa: the replica timeline under the load, "scaled 2 → 5"', async () => {
    const hpas = '/apis/autoscaling/v2/namespaces/models/horizontalpodautoscalers';
    await createScaledDeployment(sim, {
      namespace: 'models',
      deployment: 'iris-predictor',
      app: 'iris',
      container: 'kserve-container',
      replicas: 2,
      hpa: 'iris',
      minReplicas: 2,
      maxReplicas: 5,
    });
    const replicas = (): unknown =>
      sim.getObject('HorizontalPodAutoscaler', 'models', 'iris')?.status?.currentReplicas;
    await sim.waitFor(() => replicas() === 2);
    // The "load" the autoscaler reacts to: once the candidate has served 40 requests, the
    // HPA's floor goes to 5 and the simulator's controller scales the Deployment up.
    const scaledUp = candidate
      .afterRequests(candidate.requests + 40)
      .then(() => callSim(sim, 'PATCH', `${hpas}/iris`, { spec: { minReplicas: 5 } }, MERGE_PATCH));
    const r = await runAction('analyze-release', {
      inputs: {
        'inference-service': 'models/iris',
        hpa: 'models/iris',
        rate: '20',
        duration: '6s',
        warmup: '0s',
      },
      env: { KUBECONFIG: sim.kubeconfigPath },
      keep: true,
    });
    try {
      expect(lastError(r)).toBe('');
      expect(r.summary).toMatch(/### Autoscaling: models\/iris scaled 2 → 5 in [2-7](\.\d)? s/);
      expect(r.summary).toContain('| 0 | 2 | 2 |');
      const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as {
        hpa: Record<string, unknown>;
      };
      expect(report.hpa).toMatchObject({
        name: 'models/iris',
        'replicas-before': 2,
        'replicas-max': 5,
      });
      // Awaited last: it settles once the load reached 40 requests, which the above implies.
      expect(await scaledUp).toBe(200);
    } finally {
      r.cleanup();
    }
  }, 60_000);

  it('hpa that does not exist: the step fails before any load', async () => {
    const before = candidate.requests;
    const r = await runAction('analyze-release', {
      inputs: {
        'inference-service': 'models/iris',
        hpa: 'models/nope',
        rate: '10',
        duration: '1s',
      },
      env: { KUBECONFIG: sim.kubeconfigPath },
    });
    expect(lastError(r)).toMatch(/horizontalpodautoscalers.*nope.*not found|NotFound/i);
    expect(r.exitCode).toBe(1);
    expect(candidate.requests).toBe(before);
  }, 60_000);
});

const ISVCS = '/apis/serving.kserve.io/v1beta1/namespaces/canary/inferenceservices';

function inferenceService(name: string, storageUri: string, canary?: number): unknown {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: 'canary' },
    spec: {
      predictor: {
        ...(canary !== undefined ? { canaryTrafficPercent: canary } : {}),
        model: { modelFormat: { name: 'sklearn' }, storageUri },
      },
    },
  };
}

interface Traffic {
  revisionName?: string;
  percent?: number;
}
const trafficOf = (name: string): Traffic[] =>
  (
    sim.getObject('InferenceService', 'canary', name)?.status?.components as
      { predictor?: { traffic?: Traffic[] } } | undefined
  )?.predictor?.traffic ?? [];

/** Release 1 rolled out; with `canary`, release 2 held at that share (as canary: hold leaves it). */
async function deployIsvc(name: string, canary?: number): Promise<void> {
  expect(await callSim(sim, 'POST', ISVCS, inferenceService(name, 'gs://m/v1'))).toBe(201);
  await sim.waitFor(() => trafficOf(name)[0]?.percent === 100, 20_000, `${name} rolled out`);
  if (canary === undefined) return;
  const v2 = inferenceService(name, 'gs://m/v2', canary);
  expect(await callSim(sim, 'PATCH', `${ISVCS}/${name}`, v2, MERGE_PATCH)).toBe(200);
  await sim.waitFor(() => trafficOf(name).length === 2, 20_000, `${name} canary split`);
}

describe('analyze-release: inference-service with a held canary (bundle)', () => {
  it('judges the canary revision against the stable one, each through its <revision>-private Service', async () => {
    await deployIsvc('iris', 30);
    sim.proxyService('canary', 'iris-predictor-00001-private', stable.url, 'http');
    sim.proxyService('canary', 'iris-predictor-00002-private', slowCanary.url, 'http');
    sim.resetRequests();
    const r = await runAction('analyze-release', {
      inputs: {
        'inference-service': 'canary/iris',
        path: '/v1/models/iris:predict',
        requests: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
        rate: '25',
        duration: '2s',
        warmup: '0s',
        'max-regression': 'p95:10%',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '1%',
      },
      env: { KUBECONFIG: sim.kubeconfigPath },
    });
    expect(r.outputs.verdict).toBe('fail');
    expect(lastError(r)).toMatch(/p95:10% fail/);
    expect(lastError(r)).toMatch(/predictions-changed<=1% fail/);
    const counted = sim.requests().requests;
    const proxied = (rev: string): number | undefined =>
      counted[
        `POST /api/v1/namespaces/canary/services/iris-predictor-${rev}-private:http/proxy/v1/models/iris:predict`
      ];
    expect(proxied('00002')).toBe(50);
    expect(proxied('00001')).toBe(50);
    expect(r.summary).toContain(
      'InferenceService canary/iris holds a canary at 30 %: the candidate is the canary revision iris-predictor-00002, the baseline the stable revision iris-predictor-00001',
    );
  }, 60_000);

  it('no canary split: no baseline, the summary says why, and an asked-for comparison is inconclusive', async () => {
    await deployIsvc('plain');
    sim.proxyService('canary', 'plain-predictor', stable.url);
    const r = await runAction('analyze-release', {
      inputs: {
        'inference-service': 'canary/plain',
        path: '/v1/models/iris:predict',
        requests: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
        rate: '20',
        duration: '1s',
        warmup: '0s',
        'max-regression': 'p95:10%',
        'fail-on': 'never',
      },
      env: { KUBECONFIG: sim.kubeconfigPath },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('inconclusive');
    expect(r.summary).toContain(
      'No baseline: InferenceService canary/plain holds no canary: spec.predictor.canaryTrafficPercent is not set (traffic: plain-predictor-00001 100 %)',
    );
    expect(r.summary).toMatch(/baseline.*none: InferenceService canary\/plain holds no canary/);
  }, 60_000);
});
