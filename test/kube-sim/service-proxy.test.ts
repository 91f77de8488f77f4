/**
 * The kube-sim's service proxy (test/harness/kube-sim/service-proxy.ts) as the real API server
 * forwards: the caller's bearer token (for the API server) never reaches the backend, the
 * backend sees its own Host, and the rest of the request (method, path, query, body, other
 * headers) and the answer pass through.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { json, startFake, type FakeServer } from '../harness/fakes/http-fake.ts';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';

const TOKEN = 'sim-bearer-token-0123456789';

let sim: KubeSim;
let backend: FakeServer;

beforeAll(async () => {
  sim = await startKubeSim({ token: TOKEN });
  // The backend records every request it receives (headers included) and answers 200.
  backend = await startFake('backend', () =>
    json(200, { predictions: [1] }, { 'x-backend': 'iris' }),
  );
  const created = await fetch(`${sim.url}/api/v1/namespaces/default/services`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'iris' },
      spec: { ports: [{ name: 'http', port: 80 }] },
    }),
  });
  expect(created.status).toBe(201);
  await created.text();
  sim.proxyService('default', 'iris', backend.url);
});

afterAll(async () => {
  await backend?.stop();
  await sim?.stop();
});

describe('kube-sim service proxy', () => {
  it("does not pass the caller's Authorization to the backend; the backend sees its own Host", async () => {
    const body = JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] });
    const r = await fetch(
      `${sim.url}/api/v1/namespaces/default/services/iris:http/proxy/v1/models/iris:predict?trace=1`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          'x-request-id': 'req-42',
        },
        body,
      },
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('x-backend')).toBe('iris');
    expect(await r.json()).toEqual({ predictions: [1] });

    expect(backend.requests).toHaveLength(1);
    const seen = backend.requests[0]!;
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(TOKEN);
    expect(seen.headers.host).toBe(new URL(backend.url).host);
    // The rest passes through unchanged.
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/models/iris:predict?trace=1');
    expect(seen.body).toBe(body);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-request-id']).toBe('req-42');
    expect(backend.errors).toEqual([]);
  });

  it('the API server still requires the token: without it the proxy answers 401, the backend is not reached', async () => {
    const before = backend.requests.length;
    const r = await fetch(`${sim.url}/api/v1/namespaces/default/services/iris/proxy/`);
    expect(r.status).toBe(401);
    await r.text();
    expect(backend.requests).toHaveLength(before);
  });
});
