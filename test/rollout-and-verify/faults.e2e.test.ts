/**
 * rollout-and-verify under bad input and faults, through the runner harness: every case
 * ends with one clear error (or recovers), and no kubeconfig secret reaches the log.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { startKubeSim } from '../harness/kube-sim/index.ts';
import { lastError } from '../harness/runner.ts';
import { assertNoSecret, deployment, rollout, simulatedCluster } from './helpers.ts';

const TOKEN = 'rv-faults-token-9d41e7';
const cluster = simulatedCluster({
  speed: 20,
  tls: true,
  token: TOKEN,
  deny: [{ verb: 'patch', resource: 'deployments', namespace: 'locked' }],
  namespaces: ['retry', 'drop', 'slow', 'cancel', 'locked', 'auth'],
});

beforeAll(async () => {
  cluster.ws.write('web.yaml', deployment('web', 'registry.example/model:v1', 1));
});

describe('rollout-and-verify: bad input', () => {
  it('fails when the manifests match nothing', async () => {
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'missing/*.yaml' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toBe(
      `rollout-and-verify: Input 'manifests': nothing matched "missing/*.yaml" (relative to ${cluster.ws.dir}).`,
    );
  });

  it('annotates a document that is not a Kubernetes object at its file and line', async () => {
    cluster.ws.write(
      'notk8s.yaml',
      `${deployment('a', 'x:v1')}---\n# a comment\nfoo: bar\nlist: [1, 2]\n`,
    );
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'notk8s.yaml' });
    expect(r.exitCode).toBe(1);
    const located = r.annotations.find((a) => a.properties.file === 'notk8s.yaml');
    expect(located?.message).toMatch(
      /document 2 is not a Kubernetes object \(apiVersion, kind, metadata.name missing\)/,
    );
    expect(Number(located?.properties.line)).toBeGreaterThan(15);
    expect(cluster.sim.getObject('Deployment', 'default', 'a')).toBeUndefined();
  });

  it('fails without a kubeconfig, naming the fix', async () => {
    const r = await rollout(undefined, cluster.ws, { manifests: 'web.yaml' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain("No kubeconfig: set input 'kubeconfig'");
    expect(lastError(r)).toContain('setup-cluster-auth');
  });

  it('fails clearly when the kubeconfig file does not exist', async () => {
    const r = await rollout(undefined, cluster.ws, {
      manifests: 'web.yaml',
      kubeconfig: 'nope/config',
    });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toBe(
      `rollout-and-verify: cannot read the kubeconfig ${path.join(cluster.ws.dir, 'nope/config')}: ENOENT`,
    );
  });

  it('rejects an invalid input before any side effect', async () => {
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'web.yaml', timeout: 'soon' });
    expect(lastError(r)).toBe(
      `rollout-and-verify: Input 'timeout' must be a duration such as 90s, 10m or 1h (got "soon").`,
    );
  });
});

describe('rollout-and-verify: API faults', () => {
  it('gives a clear error within the connect timeout when the API server does not answer', async () => {
    // Accepts TCP connections, never answers (not even the TLS handshake).
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const kc = path.join(cluster.ws.dir, 'silent.kubeconfig');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
        users: [{ name: 'u', user: { token: 'silent-token-123456' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    try {
      const r = await rollout(undefined, cluster.ws, {
        manifests: 'web.yaml',
        kubeconfig: kc,
        timeout: '3s',
      });
      expect(r.exitCode).toBe(1);
      // The connect timeout (10 s) is cut to the time left of `timeout: 3s`.
      expect(lastError(r)).toMatch(
        new RegExp(
          `no answer from https://127\\.0\\.0\\.1:${port} within \\d+ ms \\(the time left before the deadline\\): is the API server reachable from this runner\\?`,
        ),
      );
      expect(r.durationMs).toBeLessThan(8000);
      assertNoSecret(r, 'silent-token-123456');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('401: says the credentials were rejected, and never prints them', async () => {
    const doc = parse(readFileSync(cluster.sim.kubeconfigPath, 'utf8')) as {
      users: { user: { token?: string } }[];
    };
    const wrong = 'wrong-token-0a1b2c3d';
    const first = doc.users[0];
    if (first) first.user.token = wrong;
    const kc = path.join(cluster.ws.dir, 'wrong.kubeconfig');
    writeFileSync(kc, stringify(doc));
    const r = await rollout(undefined, cluster.ws, {
      manifests: 'web.yaml',
      kubeconfig: kc,
      namespace: 'auth',
    });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(
      'rejected the credentials (401 Unauthorized) while trying to patch deployments.apps "web" in namespace "auth"',
    );
    assertNoSecret(r, wrong);
  });

  it('masks the token and the client key of the kubeconfig before anything is logged', async () => {
    const dir = path.join(cluster.ws.dir, 'pki');
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=ci',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const keyData = readFileSync(path.join(dir, 'key.pem')).toString('base64');
    const certData = readFileSync(path.join(dir, 'cert.pem')).toString('base64');
    const doc = parse(readFileSync(cluster.sim.kubeconfigPath, 'utf8')) as {
      users: { user: Record<string, string> }[];
    };
    const user = doc.users[0];
    if (user)
      Object.assign(user.user, { 'client-key-data': keyData, 'client-certificate-data': certData });
    const kc = path.join(cluster.ws.dir, 'certs.kubeconfig');
    writeFileSync(kc, stringify(doc));
    // A failing rollout: the error path (diagnosis, rollback notes) must not leak either.
    cluster.ws.write('leak.yaml', deployment('leak', 'registry.example/model:pullfail-v1', 1));
    const r = await rollout(undefined, cluster.ws, {
      manifests: 'leak.yaml',
      kubeconfig: kc,
      namespace: 'auth',
    });
    expect(r.outputs.status).toBe('failed');
    assertNoSecret(r, TOKEN);
    assertNoSecret(r, keyData);
  });

  it('authenticates through an exec credential plugin (client-node ExecAuth, loaded alone)', async () => {
    const plugin = path.join(cluster.ws.dir, 'cred.mjs');
    writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(TOKEN)} } }));\n`,
    );
    const doc = parse(readFileSync(cluster.sim.kubeconfigPath, 'utf8')) as {
      users: { user: Record<string, unknown> }[];
    };
    const user = doc.users[0];
    if (user) {
      user.user = {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: process.execPath,
          args: [plugin],
          interactiveMode: 'Never',
        },
      };
    }
    const kc = path.join(cluster.ws.dir, 'exec.kubeconfig');
    writeFileSync(kc, stringify(doc));
    const r = await rollout(undefined, cluster.ws, {
      manifests: 'web.yaml',
      kubeconfig: kc,
      namespace: 'auth',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
  });

  it('403: names the verb, resource and namespace', async () => {
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'web.yaml',
      namespace: 'locked',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(lastError(r)).toContain(
      'permission denied (403 Forbidden): cannot patch deployments.apps "web" in namespace "locked"',
    );
    assertNoSecret(r, TOKEN);
  });

  it('retries 500s and 429s, honouring Retry-After', async () => {
    cluster.sim.failNext(2, { status: 500 });
    cluster.sim.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'web.yaml', namespace: 'retry' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.log).toMatch(/HTTP 500.*retry 1 in/);
    expect(r.log).toMatch(/HTTP 429.*retry 3 in (\d{4,}) ms/);
    expect(r.durationMs).toBeGreaterThan(1000);
  });

  it('resumes a dropped watch from the last resourceVersion and still sees completion', async () => {
    cluster.ws.write('slow.yaml', deployment('web', 'registry.example/model:slow-v1', 1));
    let dropped = 0;
    let dropping: Promise<unknown> | undefined;
    const r = await rollout(
      cluster.sim,
      cluster.ws,
      { manifests: 'slow.yaml', namespace: 'drop' },
      {
        onStart: () => {
          // Drop every open watch once the new pod exists (the action is waiting on it).
          dropping = cluster.sim.waitFor(
            () => {
              const pods = cluster.sim.listObjects('Pod', 'drop');
              if (pods.length === 0) return undefined;
              dropped += cluster.sim.dropWatches();
              return dropped > 0 ? dropped : undefined;
            },
            20_000,
            'a watch to drop',
          );
        },
      },
    );
    await dropping;
    expect(dropped).toBeGreaterThan(0);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.log).toMatch(
      /Watch of (Deployment|pods of Deployment) drop\/web ended; resuming from resourceVersion \d+/,
    );
  });

  it('re-lists when the resourceVersion to resume from has expired (410 Gone)', async () => {
    // A watch history of one event: every resume finds its resourceVersion compacted.
    const forgetful = await startKubeSim({
      speed: 20,
      tls: true,
      token: TOKEN,
      historySize: 1,
      namespaces: ['gone'],
    });
    try {
      cluster.ws.write('gone.yaml', deployment('web', 'registry.example/model:slow-v1', 2));
      const r = await rollout(forgetful, cluster.ws, { manifests: 'gone.yaml', namespace: 'gone' });
      expect(r.exitCode).toBe(0);
      expect(r.outputs.status).toBe('succeeded');
      expect(r.log).toMatch(
        /Watch of Deployment gone\/web: resourceVersion \d+ expired \(410\); re-listing/,
      );
      expect(
        forgetful.requests().requests['GET /apis/apps/v1/namespaces/gone/deployments'],
      ).toBeGreaterThan(1);
    } finally {
      await forgetful.stop();
    }
  });

  it('on timeout, fails with the current state of every workload', async () => {
    cluster.ws.write(
      'unready.yaml',
      [
        deployment('a', 'registry.example/model:unready-v1', 1),
        deployment('b', 'registry.example/model:v1', 1),
      ].join('---\n'),
    );
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'unready.yaml',
      namespace: 'slow',
      timeout: '3s',
      rollback: 'false',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['failure-reason']).toBe(
      'Timeout: timed out after 3s; state of every workload:',
    );
    const error = lastError(r);
    expect(error).toContain(
      '- Deployment slow/a: timeout: Waiting for deployment "a" rollout to finish: 0 of 1 updated replicas are available...',
    );
    expect(error).toContain('- Deployment slow/b: done: deployment "b" successfully rolled out');
  });

  it('when cancelled mid-rollout, the post step reports what was left', async () => {
    cluster.ws.write('cancel.yaml', deployment('c', 'registry.example/model:unready-v1', 1));
    let cancelled: Promise<unknown> | undefined;
    const r = await rollout(
      cluster.sim,
      cluster.ws,
      { manifests: 'cancel.yaml', namespace: 'cancel', timeout: '30s' },
      {
        onStart: (child) => {
          cancelled = cluster.sim.waitFor(
            () => {
              const pod = cluster.sim.listObjects('Pod', 'cancel')[0];
              // Cancel once the pod runs (the action has reported progress by then).
              const running = (pod?.status as { phase?: string } | undefined)?.phase === 'Running';
              return running ? child.kill('SIGINT') : undefined;
            },
            20_000,
            'the pod to run',
          );
        },
      },
    );
    await cancelled;
    expect(r.exitCode).not.toBe(0);
    expect(r.durationMs).toBeLessThan(20_000);
    const warning = r.post?.annotations.find((a) => a.level === 'warning')?.message ?? '';
    expect(warning).toContain('rollout-and-verify did not finish');
    expect(warning).toContain('Deployment cancel/c: waiting:');
    // The main step took the AbortSignal path: it said why it failed and wrote the summary.
    expect(lastError(r)).toBe('rollout-and-verify: cancelled (SIGINT) during rollout');
    expect(r.summary).toContain('rollout-and-verify: cancelled during rollout');
    expect(r.post?.exitCode).toBe(0);
    assertNoSecret(r, TOKEN);
  });
});
