/**
 * shared/kube against the API simulator over TLS with a bearer token: the credentials a
 * kubeconfig can carry (exec plugins with cluster info, a proxy-url CONNECT tunnel,
 * unsupported auth providers), and the failures the client must name.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '../../shared/errors.ts';
import {
  createKubeClient,
  KubeApiError,
  kubeIdempotent,
  watchLoop,
  type KubeList,
  type KubeRequest,
} from '../../shared/kube/index.ts';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const TOKEN = 'kube-client-test-token-9f8e7d';
let sim: KubeSim;
let dir: string;

beforeAll(async () => {
  sim = await startKubeSim({ tls: true, token: TOKEN, namespaces: ['ml'] });
  dir = mkdtempSync(path.join(tmpdir(), 'kube-client-'));
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface KubeconfigDoc {
  clusters: { cluster: Record<string, unknown> }[];
  users: { user: Record<string, unknown> }[];
}

/** The simulator's kubeconfig, edited, written to a new file. */
function kubeconfig(name: string, edit: (doc: KubeconfigDoc) => void): string {
  const doc = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as KubeconfigDoc;
  edit(doc);
  const file = path.join(dir, name);
  writeFileSync(file, stringify(doc));
  return file;
}

async function listNamespaces(kubeconfigPath: string, logger = new RecordingLogger()) {
  const client = await createKubeClient({ kubeconfigPath, logger, attempts: 1 });
  return client.json<KubeList>({ method: 'GET', path: '/api/v1/namespaces' });
}

describe('exec credential plugins', () => {
  it('runs the command relative to the kubeconfig, passes KUBERNETES_EXEC_INFO, and masks the token', async () => {
    const seen = path.join(dir, 'exec-info.json');
    writeFileSync(
      path.join(dir, 'plugin.mjs'),
      `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(seen)}, process.env.KUBERNETES_EXEC_INFO ?? '');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(TOKEN)} } }));\n`,
    );
    writeFileSync(
      path.join(dir, 'plugin.sh'),
      `#!/bin/sh\nexec "${process.execPath}" "$(dirname "$0")/plugin.mjs"\n`,
      {
        mode: 0o755,
      },
    );
    const file = kubeconfig('exec.kubeconfig', (doc) => {
      doc.users[0]!.user = {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: './plugin.sh',
          provideClusterInfo: true,
          interactiveMode: 'Never',
        },
      };
    });
    const logger = new RecordingLogger();
    const list = await listNamespaces(file, logger);
    expect(list.items.map((n) => n.metadata.name)).toContain('ml');
    const info = JSON.parse(readFileSync(seen, 'utf8')) as {
      kind: string;
      spec: { cluster: { server: string } };
    };
    expect(info.kind).toBe('ExecCredential');
    expect(info.spec.cluster.server).toBe(sim.url);
    expect(logger.secrets).toContain(TOKEN);
  });

  it('names the command and its error output when it fails', async () => {
    const file = kubeconfig('exec-fails.kubeconfig', (doc) => {
      doc.users[0]!.user = {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: process.execPath,
          args: ['-e', 'console.error("no credentials in this environment"); process.exit(3)'],
        },
      };
    });
    const error = await listNamespaces(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^the kubeconfig's exec credential command '.*node' failed: no credentials in this environment/,
    );
  });
});

describe('proxy-url', () => {
  let proxy: Server;
  let proxyUrl: string;
  const tunnels: string[] = [];
  const sockets: Socket[] = [];
  beforeAll(async () => {
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client: Socket) => {
      tunnels.push(req.url ?? '');
      if (
        req.headers['proxy-authorization'] === `Basic ${Buffer.from('u:wrong').toString('base64')}`
      ) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
        return;
      }
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.push(client, upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('reaches the API server through an HTTP CONNECT tunnel', async () => {
    const file = kubeconfig('proxy.kubeconfig', (doc) => {
      doc.clusters[0]!.cluster['proxy-url'] = proxyUrl;
    });
    const list = await listNamespaces(file);
    expect(list.items.length).toBeGreaterThan(0);
    expect(tunnels).toContain(new URL(sim.url).host);
  });

  it('says so when the proxy refuses the tunnel', async () => {
    const file = kubeconfig('proxy-407.kubeconfig', (doc) => {
      doc.clusters[0]!.cluster['proxy-url'] = proxyUrl.replace('http://', 'http://u:wrong@');
    });
    const error = await listNamespaces(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toContain('answered 407 to CONNECT');
  });

  it('rejects a SOCKS proxy with a clear error', async () => {
    const file = kubeconfig('socks.kubeconfig', (doc) => {
      doc.clusters[0]!.cluster['proxy-url'] = 'socks5://127.0.0.1:1080';
    });
    await expect(listNamespaces(file)).rejects.toThrow(
      "the kubeconfig's proxy-url must be an http:// or https:// proxy URL",
    );
  });
});

describe('credentials', () => {
  it('rejects an auth-provider kubectl no longer supports, naming the fix', async () => {
    const file = kubeconfig('gcp.kubeconfig', (doc) => {
      doc.users[0]!.user = { 'auth-provider': { name: 'gcp', config: {} } };
    });
    await expect(listNamespaces(file)).rejects.toThrow(
      /uses the auth-provider 'gcp', which kubectl no longer supports; use an exec credential plugin/,
    );
  });

  it('uses an OIDC auth-provider id-token as the bearer token', async () => {
    const file = kubeconfig('oidc.kubeconfig', (doc) => {
      doc.users[0]!.user = { 'auth-provider': { name: 'oidc', config: { 'id-token': TOKEN } } };
    });
    const logger = new RecordingLogger();
    await expect(listNamespaces(file, logger)).resolves.toBeDefined();
    expect(logger.secrets).toContain(TOKEN);
  });

  it('reads tokenFile relative to the kubeconfig', async () => {
    writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`);
    const file = kubeconfig('token-file.kubeconfig', (doc) => {
      doc.users[0]!.user = { tokenFile: 'token' };
    });
    await expect(listNamespaces(file)).resolves.toBeDefined();
  });

  it('fails with a TLS error naming the CA when the server certificate is not trusted', async () => {
    const file = kubeconfig('no-ca.kubeconfig', (doc) => {
      delete doc.clusters[0]!.cluster['certificate-authority-data'];
    });
    const error = await listNamespaces(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toMatch(
      /^TLS connection to https:\/\/127\.0\.0\.1:\d+ failed \(.+\) while trying to list namespaces: check the kubeconfig's certificate-authority-data$/,
    );
  });
});

describe('watches', () => {
  it('honour a 429 Retry-After before watching again, then deliver events', async () => {
    const client = await createKubeClient({
      kubeconfigPath: sim.kubeconfigPath,
      logger: new RecordingLogger(),
    });
    sim.failNext(1, {
      status: 429,
      retryAfterSeconds: 2,
      method: 'GET',
      pathPrefix: '/api/v1/namespaces/ml/configmaps',
    });
    const clock = new ManualClock();
    const controller = new AbortController();
    const seen: string[] = [];
    const loop = watchLoop({
      client,
      path: '/api/v1/namespaces/ml/configmaps',
      onEvent: (e) => {
        seen.push(e.object.metadata.name);
        controller.abort();
      },
      onError: (e) => {
        throw e;
      },
      signal: controller.signal,
      logger: new RecordingLogger(),
      clock,
      what: 'configmaps',
    });
    await client.request({
      method: 'POST',
      path: '/api/v1/namespaces/ml/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-429' } },
    });
    await loop;
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(seen).toContain('after-429');
  });
});

describe('which requests are repeated after a 500', () => {
  const cases: [string, Pick<KubeRequest, 'method' | 'contentType'>, boolean][] = [
    ['a read', { method: 'GET' }, true],
    ['a delete', { method: 'DELETE' }, true],
    ['a replace', { method: 'PUT' }, true],
    ['a server-side apply', { method: 'PATCH', contentType: 'application/apply-patch+yaml' }, true],
    ['a merge patch', { method: 'PATCH', contentType: 'application/merge-patch+json' }, true],
    [
      'a JSON patch (its add may append)',
      { method: 'PATCH', contentType: 'application/json-patch+json' },
      false,
    ],
    ['a create', { method: 'POST' }, false],
  ];
  it.each(cases)('%s', (_name, req, idempotent) => {
    expect(kubeIdempotent(req)).toBe(idempotent);
  });

  it('a create that got a 500 is not sent again (it may have been created); an apply is', async () => {
    const client = await createKubeClient({
      kubeconfigPath: sim.kubeconfigPath,
      logger: new RecordingLogger(),
      clock: new ManualClock(),
      attempts: 3,
    });
    const configmaps = '/api/v1/namespaces/ml/configmaps';
    sim.resetRequests();
    sim.failNext(1, { status: 500, method: 'POST', pathPrefix: configmaps });
    const created = await client
      .request({
        method: 'POST',
        path: configmaps,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'create-once' } },
      })
      .catch((e: unknown) => e);
    expect(created).toBeInstanceOf(KubeApiError);
    expect((created as KubeApiError).status).toBe(500);
    expect(sim.requests().requests[`POST ${configmaps}`]).toBe(1);
    sim.failNext(1, { status: 500, method: 'PATCH', pathPrefix: configmaps });
    const applied = await client.request({
      method: 'PATCH',
      path: `${configmaps}/apply-twice`,
      query: { fieldManager: 'test' },
      contentType: 'application/apply-patch+yaml',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'apply-twice' } },
    });
    expect(applied.status).toBeLessThan(300);
    expect(sim.requests().requests[`PATCH ${configmaps}/apply-twice`]).toBe(2);
  });
});

describe('a refused watch', () => {
  it('reads an HTTP-date Retry-After against the injected clock, not real time', async () => {
    const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    const refusing = createServer((_req, res) =>
      res.writeHead(429, { 'retry-after': 'Tue, 01 Jan 2030 00:00:09 GMT' }).end('{}'),
    );
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    try {
      const port = (refusing.address() as AddressInfo).port;
      const plain = kubeconfig('plain-http.yaml', (doc) => {
        doc.clusters[0]!.cluster = { server: `http://127.0.0.1:${port}` };
      });
      const refused = await createKubeClient({
        kubeconfigPath: plain,
        logger: new RecordingLogger(),
        clock,
      });
      const end = await refused.watch(
        '/api/v1/namespaces',
        {},
        () => undefined,
        new AbortController().signal,
      );
      expect(end.reason).toBe('error');
      expect(end.transient).toBe(true);
      expect(end.retryAfterMs).toBe(9000);
    } finally {
      await new Promise((r) => refusing.close(r));
    }
  });
});
