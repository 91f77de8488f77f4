/** Conformance: @kubernetes/client-node (list, watch with reconnect, informers, server-side apply). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { startKubeSim } from '../harness/kube-sim/index.ts';
import type { KubeSim } from '../harness/kube-sim/index.ts';

let sim: KubeSim;
let kc: k8s.KubeConfig;

beforeAll(async () => {
  sim = await startKubeSim({
    speed: 20,
    tls: true,
    token: 'tok-123',
    bookmarkIntervalMs: 50,
    historySize: 200,
  });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
});

afterAll(async () => {
  await sim.stop();
});

function deploymentSpec(name: string, image: string, replicas = 2): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
  };
}

describe('@kubernetes/client-node against kube-sim (TLS + bearer token)', () => {
  it('rejects a wrong token with 401 and a Status body', async () => {
    const bad = new k8s.KubeConfig();
    bad.loadFromFile(sim.kubeconfigPath);
    bad.users[0] = { name: 'kube-sim', token: 'wrong' } as k8s.User;
    const api = bad.makeApiClient(k8s.CoreV1Api);
    await expect(api.listNamespace()).rejects.toMatchObject({ code: 401 });
  });

  it('server-side apply creates, re-applies idempotently and reports field managers', async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec = deploymentSpec('ssa', 'nginx:1.25');
    const created = await client.patch(
      spec,
      undefined,
      undefined,
      'mlops-test',
      false,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(created.metadata?.uid).toBeTruthy();
    const again = await client.patch(
      spec,
      undefined,
      undefined,
      'mlops-test',
      false,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.generation).toBe(1);
    expect(again.metadata?.managedFields?.[0]?.manager).toBe('mlops-test');
    expect(again.metadata?.managedFields?.[0]?.operation).toBe('Apply');
    const other = deploymentSpec('ssa', 'nginx:1.26');
    await expect(
      client.patch(
        other,
        undefined,
        undefined,
        'someone-else',
        false,
        k8s.PatchStrategy.ServerSideApply,
      ),
    ).rejects.toMatchObject({ code: 409 });
    const forced = await client.patch(
      other,
      undefined,
      undefined,
      'someone-else',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    expect((forced as k8s.V1Deployment).spec?.template.spec?.containers[0]?.image).toBe(
      'nginx:1.26',
    );
    expect((forced as k8s.V1Deployment).metadata?.generation).toBe(2);
  });

  it('lists with label selectors, limit and continue', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deploymentSpec('lister', 'nginx:1.25', 3),
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await sim.waitFor(
      () =>
        sim.listObjects('Pod', 'default').filter((p) => p.metadata.labels?.app === 'lister')
          .length === 3,
      10000,
      'lister pods',
    );
    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app=lister',
    });
    expect(pods.items).toHaveLength(3);
    const page1 = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app=lister',
      limit: 2,
    });
    expect(page1.items).toHaveLength(2);
    expect(page1.metadata?.remainingItemCount).toBe(1);
    const page2 = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app=lister',
      limit: 2,
      _continue: page1.metadata?._continue,
    });
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]!.metadata?.name).not.toBe(page1.items[0]!.metadata?.name);
  });

  it('an informer survives dropped watches and sees later changes', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const path = '/api/v1/namespaces/default/configmaps';
    const informer = k8s.makeInformer(kc, path, () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen = new Set<string>();
    let waiters: (() => void)[] = [];
    informer.on('add', (o) => {
      seen.add(o.metadata!.name!);
      waiters.forEach((w) => w());
    });
    const until = (name: string): Promise<void> =>
      new Promise((resolve, reject) => {
        if (seen.has(name)) return resolve();
        const t = setTimeout(() => reject(new Error(`informer never saw ${name}`)), 10000);
        waiters.push(() => {
          if (seen.has(name)) {
            clearTimeout(t);
            resolve();
          }
        });
      });
    await informer.start();
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cm-1' }, data: { a: '1' } },
    });
    await until('cm-1');
    const watchesBefore = sim.requests().requests[`GET ${path}`] ?? 0;
    await sim.waitFor(
      () => (sim.dropWatches() > 0 ? true : undefined),
      5000,
      'an open watch to drop',
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cm-2' }, data: { a: '2' } },
    });
    await until('cm-2');
    expect(sim.requests().requests[`GET ${path}`]).toBeGreaterThan(watchesBefore);
    await informer.stop();
    waiters = [];
  });

  it('watch streams ADDED/MODIFIED, BOOKMARK events and a 410 Expired error for a stale resourceVersion', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespacedSecret({ namespace: 'default' });
    const staleRv = list.metadata!.resourceVersion!;
    const watch = new k8s.Watch(kc);
    const types: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no bookmark/modified seen')), 10000);
      void watch
        .watch(
          '/api/v1/namespaces/default/secrets',
          { resourceVersion: staleRv, allowWatchBookmarks: true },
          (type) => {
            types.push(type);
            if (types.includes('MODIFIED') && types.includes('BOOKMARK')) {
              clearTimeout(t);
              resolve();
            }
          },
          () => undefined,
        )
        .then((ctl) => done.finally(() => ctl.abort()));
    });
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 's1' }, stringData: { k: 'v' } },
    });
    await core.patchNamespacedSecret(
      { namespace: 'default', name: 's1', body: { metadata: { labels: { x: 'y' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await done;
    expect(types.filter((t) => t !== 'BOOKMARK').slice(0, 2)).toEqual(['ADDED', 'MODIFIED']);
    // Push the stale version out of the bounded history (200 events).
    for (let i = 0; i < 210; i++)
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: `filler-${i}` } },
      });
    const expired = await new Promise<{ type: string; code: number; reason: string }>(
      (resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no 410')), 5000);
        void new k8s.Watch(kc).watch(
          '/api/v1/namespaces/default/secrets',
          { resourceVersion: staleRv },
          (type, obj: { code: number; reason: string }) => {
            clearTimeout(t);
            resolve({ type, code: obj.code, reason: obj.reason });
          },
          () => undefined,
        );
      },
    );
    expect(expired).toEqual({ type: 'ERROR', code: 410, reason: 'Expired' });
  });

  it('honours timeoutSeconds on watches', async () => {
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('watch did not end')), 5000);
      void new k8s.Watch(kc).watch(
        '/api/v1/namespaces/default/services',
        { timeoutSeconds: 1 },
        () => undefined,
        () => {
          clearTimeout(t);
          resolve();
        },
      );
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
