/**
 * rollout-and-verify end to end: the real bundle, run as the runner does, against the
 * Kubernetes API simulator (TLS + token). Each test uses its own namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertNoSecret, deployment, hpa, rollout, service, simulatedCluster } from './helpers.ts';

const TOKEN = 'rv-e2e-token-5f2c9a';
const cluster = simulatedCluster({
  speed: 20,
  tls: true,
  token: TOKEN,
  namespaces: [
    'ok',
    'pull',
    'crash',
    'fresh',
    'verify',
    'kserve',
    'smoke',
    'smokefail',
    'pending',
    'sets',
  ],
});
let http: Server;
let httpUrl: string;
const hits: string[] = [];

beforeAll(async () => {
  http = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.statusCode = req.url === '/healthz' ? 200 : 503;
    res.end(req.url === '/healthz' ? 'ok' : 'not ready');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});

function image(ns: string, name: string): string | undefined {
  const d = cluster.sim.getObject('Deployment', ns, name) as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return d?.spec?.template?.spec?.containers?.[0]?.image;
}

describe('rollout-and-verify', () => {
  it('applies Deployment + Service + HPA in order, follows the rollout, and succeeds within the request budget', async () => {
    cluster.ws.write(
      'ok.yaml',
      [hpa('web'), service('web'), deployment('web', 'registry.example/model:v1')].join('---\n'),
    );
    cluster.sim.resetRequests();
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'ok.yaml', namespace: 'ok' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({
      status: 'succeeded',
      endpoint: '',
      revision: '1',
      'failure-reason': '',
    });
    const applied = [...r.log.matchAll(/^(\w+) ok\/web created$/gm)].map((m) => m[1]);
    expect(applied).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    const requests = cluster.sim.requests();
    // Per object one server-side dry run and one apply; then the watches' few GETs.
    expect(requests.total).toBeLessThanOrEqual(15);
    expect(requests.requests['PATCH /apis/apps/v1/namespaces/ok/deployments/web']).toBe(2);
    expect(r.summary).toContain('rollout-and-verify: succeeded');
    expect(r.summary).toContain('### Timeline');
    expect(r.summary).toMatch(/\| ✅ \| Deployment \| ok \| web \| created \|/);
    const managers = (
      cluster.sim.getObject('Deployment', 'ok', 'web')?.metadata as {
        managedFields?: { manager?: string }[];
      }
    ).managedFields;
    expect(managers?.some((m) => m.manager === 'mlops-actions')).toBe(true);
    assertNoSecret(r, TOKEN);
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.log).not.toContain('did not finish');
  });

  it('fails fast on ImagePullBackOff of the new revision, diagnoses it, and rolls back to the previous revision', async () => {
    cluster.ws.write('pull-v1.yaml', deployment('api', 'registry.example/model:v1'));
    expect(
      (await rollout(cluster.sim, cluster.ws, { manifests: 'pull-v1.yaml', namespace: 'pull' }))
        .exitCode,
    ).toBe(0);
    cluster.ws.write('pull-v2.yaml', deployment('api', 'registry.example/model:pullfail-v2'));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'pull-v2.yaml',
      namespace: 'pull',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^(ErrImagePull|ImagePullBackOff): Deployment pull\/api: pod api-/,
    );
    expect(r.outputs.revision).toBe('3');
    const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toContain('container model');
    expect(error).toContain('pullfail-v2');
    expect(error).toContain('recent events:');
    expect(error).toContain('rolled back: Deployment api healthy on the previous revision');
    expect(r.summary).toContain('### Diagnosis');
    expect(r.summary).toContain('failed and rolled back');
    expect(image('pull', 'api')).toBe('registry.example/model:v1');
    // Well before the progress deadline (600 s simulated = 30 s real at speed 20).
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('fails fast on CrashLoopBackOff with the last log lines; rollback: false leaves it as applied', async () => {
    cluster.ws.write('crash-v1.yaml', deployment('svc', 'registry.example/model:v1', 1));
    expect(
      (await rollout(cluster.sim, cluster.ws, { manifests: 'crash-v1.yaml', namespace: 'crash' }))
        .exitCode,
    ).toBe(0);
    cluster.ws.write('crash-v2.yaml', deployment('svc', 'registry.example/model:crash-v2', 1));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'crash-v2.yaml',
      namespace: 'crash',
      rollback: 'false',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs['failure-reason']).toMatch(/^CrashLoopBackOff: /);
    const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toContain('last log lines:');
    expect(r.summary).toContain('last log lines:');
    expect(image('crash', 'svc')).toBe('registry.example/model:crash-v2');
  });

  it('reports, never deletes, a failing Deployment that has no previous revision', async () => {
    cluster.ws.write('fresh.yaml', deployment('new', 'registry.example/model:pullfail-v1', 1));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'fresh.yaml',
      namespace: 'fresh',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.annotations.find((a) => a.level === 'error')?.message).toContain(
      'no previous revision (created by this run); left in place, not deleted',
    );
    expect(cluster.sim.getObject('Deployment', 'fresh', 'new')).toBeDefined();
  });

  it('apply: false only verifies what is in the cluster', async () => {
    cluster.ws.write('verify.yaml', deployment('m', 'registry.example/model:v1', 1));
    expect(
      (await rollout(cluster.sim, cluster.ws, { manifests: 'verify.yaml', namespace: 'verify' }))
        .exitCode,
    ).toBe(0);
    cluster.ws.write('verify-other.yaml', deployment('m', 'registry.example/model:v9', 1));
    cluster.sim.resetRequests();
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'verify-other.yaml',
      namespace: 'verify',
      apply: 'false',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(Object.keys(cluster.sim.requests().requests).some((k) => k.startsWith('PATCH'))).toBe(
      false,
    );
    expect(image('verify', 'm')).toBe('registry.example/model:v1');
  });

  it('waits for an InferenceService to be Ready and outputs its URL as the endpoint', async () => {
    cluster.ws.write(
      'isvc.yaml',
      `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://models/iris
`,
    );
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'isvc.yaml',
      namespace: 'kserve',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.outputs.endpoint).toBe('http://iris-kserve.example.com');
    expect(r.log).toContain('inference service "iris" is ready');
  });

  it('smoke-tests smoke-url + smoke-path after the rollout', async () => {
    cluster.ws.write('smoke.yaml', deployment('s', 'registry.example/model:v1', 1));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'smoke.yaml',
      namespace: 'smoke',
      'smoke-url': httpUrl,
      'smoke-path': '/healthz',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.endpoint).toBe(httpUrl);
    expect(hits).toContain('GET /healthz');
    expect(r.summary).toContain('Smoke test GET');
  });

  it('a failing smoke test is a failed rollout and is rolled back', async () => {
    cluster.ws.write('sf-v1.yaml', deployment('sf', 'registry.example/model:v1', 1));
    expect(
      (await rollout(cluster.sim, cluster.ws, { manifests: 'sf-v1.yaml', namespace: 'smokefail' }))
        .exitCode,
    ).toBe(0);
    cluster.ws.write('sf-v2.yaml', deployment('sf', 'registry.example/model:v2', 1));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'sf-v2.yaml',
      namespace: 'smokefail',
      'smoke-url': httpUrl,
      'smoke-path': '/predict',
      'smoke-method': 'POST',
      'smoke-body': '{"instances":[[1,2,3,4]]}',
      timeout: '4s',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(
      /^SmokeTestFailed: smoke test POST .*\/predict failed after \d+ attempt\(s\): HTTP 503/,
    );
    expect(hits.filter((h) => h === 'POST /predict').length).toBeGreaterThan(1);
    expect(image('smokefail', 'sf')).toBe('registry.example/model:v1');
  });

  it('fails fast on a pod that stays Unschedulable past the grace', async () => {
    cluster.ws.write('pending.yaml', deployment('p', 'registry.example/model:pending-v1', 1));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'pending.yaml',
      namespace: 'pending',
      'unschedulable-grace': '1s',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['failure-reason']).toMatch(/^Unschedulable: /);
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('follows a StatefulSet and a DaemonSet with the rules of kubectl', async () => {
    cluster.ws.write(
      'sets.yaml',
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "registry.example/db:v1"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "registry.example/agent:v1"}]}
`,
    );
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'sets.yaml', namespace: 'sets' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.log).toMatch(
      /StatefulSet db: (partitioned roll out complete: 2 new pods have been updated|statefulset rolling update complete 2 pods)/,
    );
    expect(r.log).toContain('DaemonSet agent: daemon set "agent" successfully rolled out');
  });
});
