/**
 * analyze-release's in-cluster targets end to end: the real bundle loads `service` /
 * `inference-service` / `baseline-service` through the Kubernetes API simulator's service
 * proxy (TLS, bearer token, the job's kubeconfig), which forwards to local model servers.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:https';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { startModelServer, type ModelServer } from '../harness/fakes/model-server.ts';
import { runAction, type ActionRunResult } from '../harness/runner.ts';

let sim: KubeSim;
let candidate: ModelServer;
let stable: ModelServer;

/** Creates a Service through the simulator's API, as kubectl would. */
function createService(namespace: string, name: string): Promise<number> {
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}/api/v1/namespaces/${namespace}/services`,
      {
        method: 'POST',
        ca: Buffer.from(sim.caData!, 'base64'),
        headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
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

beforeAll(async () => {
  sim = await startKubeSim({ tls: true, token: 'sim-token-a81f', namespaces: ['models'] });
  candidate = await startModelServer({ delayMs: 2 });
  stable = await startModelServer({ delayMs: 2 });
  expect(await createService('models', 'iris-predictor')).toBe(201);
  expect(await createService('models', 'iris-stable')).toBe(201);
  sim.proxyService('models', 'iris-predictor', candidate.url);
  sim.proxyService('models', 'iris-stable', stable.url, '8080');
}, 30_000);

afterAll(async () => {
  await sim?.stop();
  await candidate?.close();
  await stable?.close();
});

const errorOf = (r: ActionRunResult): string =>
  r.annotations.find((a) => a.level === 'error')?.message ?? '';

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
    expect(errorOf(r)).toBe('');
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
    expect(await createService('models', 'orphan')).toBe(201);
    const r = await runAction('analyze-release', {
      inputs: { service: 'models/orphan', rate: '10', duration: '1s', warmup: '0s' },
      env: { KUBECONFIG: sim.kubeconfigPath },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['error-rate']).toBe('1');
    expect(r.summary).toContain('HTTP 503 × 10');
  }, 60_000);
});
