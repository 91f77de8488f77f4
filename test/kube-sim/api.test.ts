/** REST details over plain HTTP: discovery, OpenAPI, errors, patches, selectors, faults, auth. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startKubeSim } from '../harness/kube-sim/index.ts';
import type { KubeSim } from '../harness/kube-sim/index.ts';
import { kubectl, Workdir } from './helpers.ts';

let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 20,
    deny: [{ verb: 'delete', resource: 'secrets', namespace: 'default' }],
  });
});

afterAll(async () => {
  await sim.stop();
});

type J = Record<string, unknown> & { items?: J[]; metadata?: Record<string, unknown> };

async function req(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: J; headers: Headers; text: string }> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: J = {};
  try {
    json = JSON.parse(text) as J;
  } catch {
    // plain text (logs, healthz)
  }
  return { status: res.status, json, headers: res.headers, text };
}

const cm = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { k: name },
});

describe('kube-sim REST API', () => {
  it('serves /version 1.32 and aggregated discovery v2, v2beta1 and the legacy documents', async () => {
    expect((await req('GET', '/version')).json).toMatchObject({ major: '1', minor: '32' });
    const v2 = await req('GET', '/apis', undefined, {
      accept:
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(v2.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(v2.json.kind).toBe('APIGroupDiscoveryList');
    const names = (v2.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'autoscaling', 'serving.kserve.io']));
    const beta = await req('GET', '/api', undefined, {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
    });
    expect(beta.json.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    const legacy = await req('GET', '/api');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await req('GET', '/apis');
    expect(groups.json.kind).toBe('APIGroupList');
    const apps = await req('GET', '/apis/apps/v1');
    const resources = apps.json.resources as { name: string; kind: string; group?: string }[];
    expect(resources.find((r) => r.name === 'deployments/scale')).toMatchObject({
      kind: 'Scale',
      group: 'autoscaling',
    });
  });

  it('publishes OpenAPI v3 group documents whose PATCH operations take fieldValidation, and v2', async () => {
    const root = await req('GET', '/openapi/v3');
    const paths = root.json.paths as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/serving.kserve.io/v1beta1']),
    );
    const doc = await req('GET', paths['apis/apps/v1']!.serverRelativeURL);
    const op = (
      doc.json.paths as Record<
        string,
        {
          patch?: {
            parameters: { name: string; in: string }[];
            'x-kubernetes-group-version-kind': unknown;
          };
        }
      >
    )['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    expect(op['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(op.parameters).toContainEqual(
      expect.objectContaining({ name: 'fieldValidation', in: 'query' }),
    );
    const schemas = (
      doc.json.components as { schemas: Record<string, { properties?: Record<string, unknown> }> }
    ).schemas;
    expect(Object.keys(schemas.V1DeploymentSpec?.properties ?? {})).toContain(
      'progressDeadlineSeconds',
    );
    const v2 = await req('GET', '/openapi/v2', undefined, { accept: 'application/json' });
    expect(v2.json.swagger).toBe('2.0');
  });

  it('returns Status objects for 404, 409 AlreadyExists and 409 Conflict', async () => {
    const nf = await req('GET', '/apis/apps/v1/namespaces/default/deployments/nope');
    expect(nf.status).toBe(404);
    expect(nf.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'deployments.apps "nope" not found',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
    });
    expect((await req('POST', '/api/v1/namespaces/default/configmaps', cm('dup'))).status).toBe(
      201,
    );
    const dup = await req('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    expect(dup.json).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
      message: 'configmaps "dup" already exists',
    });
    const stale = await req('PUT', '/api/v1/namespaces/default/configmaps/dup', {
      ...cm('dup'),
      metadata: { name: 'dup', resourceVersion: '1' },
    });
    expect(stale.json).toMatchObject({ reason: 'Conflict', code: 409 });
    expect(String(stale.json.message)).toContain('the object has been modified');
    const ns = await req('POST', '/api/v1/namespaces/ghost/configmaps', cm('x'));
    expect(ns.json).toMatchObject({ code: 404, message: 'namespaces "ghost" not found' });
  });

  it('filters lists by label and field selectors', async () => {
    await req(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      cm('sel-a', { tier: 'web', env: 'prod' }),
    );
    await req(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      cm('sel-b', { tier: 'db', env: 'prod' }),
    );
    const names = async (q: string) =>
      ((await req('GET', `/api/v1/namespaces/default/configmaps?${q}`)).json.items ?? []).map(
        (i) => (i.metadata as { name: string }).name,
      );
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['sel-a']);
    expect(await names('labelSelector=env%3Dprod,tier%20in%20(db)')).toEqual(['sel-b']);
    expect(await names('labelSelector=env,tier!%3Dweb')).toEqual(['sel-b']);
    expect(await names('fieldSelector=metadata.name%3Dsel-a')).toEqual(['sel-a']);
  });

  it('applies JSON, merge and strategic merge patches; generation follows spec changes', async () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'p' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'p' } },
        template: {
          metadata: { labels: { app: 'p' } },
          spec: {
            containers: [
              { name: 'a', image: 'x:1' },
              { name: 'b', image: 'y:1' },
            ],
          },
        },
      },
    };
    expect((await req('POST', '/apis/apps/v1/namespaces/default/deployments', dep)).status).toBe(
      201,
    );
    const base = '/apis/apps/v1/namespaces/default/deployments/p';
    const smp = await req(
      'PATCH',
      base,
      { spec: { template: { spec: { containers: [{ name: 'b', image: 'y:2' }] } } } },
      { 'content-type': 'application/strategic-merge-patch+json' },
    );
    const containers = (
      (smp.json.spec as J).template as { spec: { containers: { name: string; image: string }[] } }
    ).spec.containers;
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['a=x:1', 'b=y:2']);
    expect((smp.json.metadata as { generation: number }).generation).toBe(2);
    const merge = await req(
      'PATCH',
      base,
      { metadata: { labels: { team: 'ml' } } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(
      merge.json.metadata as { generation: number; labels: Record<string, string> },
    ).toMatchObject({ generation: 2, labels: { team: 'ml' } });
    const jp = await req('PATCH', base, [{ op: 'replace', path: '/spec/replicas', value: 2 }], {
      'content-type': 'application/json-patch+json',
    });
    expect((jp.json.spec as { replicas: number }).replicas).toBe(2);
    const scale = await req('GET', `${base}/scale`);
    expect(scale.json).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
    });
    const strict = await req(
      'PATCH',
      `${base}?fieldValidation=Strict`,
      { spec: { replicaz: 3 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe('strict decoding error: unknown field "spec.replicaz"');
    const warn = await req(
      'PATCH',
      `${base}?fieldValidation=Warn`,
      { spec: { replicaz: 3 } },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(warn.status).toBe(200);
    expect(warn.headers.get('warning')).toContain('unknown field \\"spec.replicaz\\"');
  });

  it('validates InferenceServices against the KServe CRD (test/contracts/kubernetes)', async () => {
    const isvc = (predictor: Record<string, unknown>) => ({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'strict-isvc' },
      spec: { predictor },
    });
    const base = '/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices';
    // `containers` is one of the subtrees the in-repo CRD copy writes once and aliases.
    const bad = await req(
      'POST',
      `${base}?fieldValidation=Strict`,
      isvc({ minReplicas: 1, containers: [{ name: 'kserve-container', imagez: 'x' }] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe(
      'InferenceService in version "v1beta1" cannot be handled as a InferenceService: ' +
        'strict decoding error: unknown field "spec.predictor.containers[0].imagez"',
    );
    const good = await req(
      'POST',
      `${base}?fieldValidation=Strict`,
      isvc({ model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m/1' } }),
    );
    expect(good.status).toBe(201);
  });

  it('denies configured verbs with the RBAC message shape', async () => {
    await req('POST', '/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'keep' },
    });
    const d = await req('DELETE', '/api/v1/namespaces/default/secrets/keep');
    expect(d.status).toBe(403);
    expect(d.json.message).toBe(
      'secrets "keep" is forbidden: User "kube-sim-user" cannot delete resource "secrets" in API group "" in the namespace "default"',
    );
    const work = new Workdir();
    try {
      const r = await kubectl(sim, work, ['delete', 'secret', 'keep']);
      expect(r.stderr).toContain('Error from server (Forbidden): secrets "keep" is forbidden');
    } finally {
      work.cleanup();
    }
  });

  it('injects 500s, 429 with Retry-After and latency; counts requests', async () => {
    sim.resetRequests();
    sim.failNext(1);
    const a = await req('GET', '/api/v1/namespaces');
    expect(a.status).toBe(500);
    expect(a.json).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect((await req('GET', '/api/v1/namespaces')).status).toBe(200);
    const ctl = await fetch(`${sim.url}/_sim/fail`, {
      method: 'POST',
      body: JSON.stringify({ count: 2, status: 429, retryAfterSeconds: 3 }),
    });
    expect(ctl.status).toBe(200);
    const b = await req('GET', '/api/v1/namespaces');
    expect(b.status).toBe(429);
    expect(b.headers.get('retry-after')).toBe('3');
    expect(b.json).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
    expect((await req('GET', '/api/v1/namespaces')).status).toBe(429);
    expect((await req('GET', '/api/v1/namespaces')).status).toBe(200);
    sim.setLatency(150);
    const t0 = Date.now();
    await req('GET', '/version');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sim.setLatency(0);
    const counts = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as {
      total: number;
      requests: Record<string, number>;
    };
    expect(counts.requests['GET /api/v1/namespaces']).toBe(5);
    expect(counts.total).toBe(6);
  });

  it('serves pod logs and 404s unknown paths', async () => {
    await req('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'solo' },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
    });
    await sim.waitFor(
      () => sim.getObject('Pod', 'default', 'solo')?.status?.phase === 'Running',
      10000,
      'solo running',
    );
    const logs = await req('GET', '/api/v1/namespaces/default/pods/solo/log');
    expect(logs.text).toContain('starting busybox:1.36');
    expect((await req('GET', '/apis/nope.io/v1')).status).toBe(404);
  });
});
