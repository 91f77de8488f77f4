/**
 * Kubernetes API simulator for tests and the demo: `startKubeSim(options)` serves the real REST
 * API on loopback (kubectl and @kubernetes/client-node work unmodified) with controllers that
 * run on simulated time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Api } from './api.ts';
import type { DenyRule } from './auth.ts';
import { generateTls } from './auth.ts';
import { SimClock } from './clock.ts';
import { DeploymentController } from './controllers/deployment.ts';
import { controllerOf, Manager, R } from './controllers/manager.ts';
import { InferenceServiceController } from './controllers/inferenceservice.ts';
import { createNodes, HpaController, ServiceController } from './controllers/misc.ts';
import { ReplicaSetController } from './controllers/replicaset.ts';
import { DaemonSetController, StatefulSetController } from './controllers/workloads.ts';
import { Faults } from './faults.ts';
import { Kubelet } from './kubelet.ts';
import { checkSchemaFiles } from './schema.ts';
import { SimServer } from './server.ts';
import { StorageInitializer } from './storage-initializer.ts';
import { Store } from './store.ts';
import type { KObj } from './types.ts';

export type { DenyRule } from './auth.ts';
export type { KObj } from './types.ts';
export { behaviourOf } from './kubelet.ts';

export interface KubeSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Serve HTTPS with a freshly generated CA; the kubeconfig carries certificate-authority-data. */
  tls?: boolean;
  /** Require this bearer token (401 otherwise). */
  token?: string;
  /** RBAC-like denials: 403 for these verb/resource(/namespace) combinations. */
  deny?: DenyRule[];
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  /** Simulated nodes (DaemonSets get one pod per node). Default 1. */
  nodes?: number;
  /** User named in 403 messages. */
  user?: string;
  /** Real milliseconds between watch bookmarks (default 1000). */
  bookmarkIntervalMs?: number;
  /** Watch events kept for resuming watches; older resourceVersions get 410 Gone. */
  historySize?: number;
  /** Extra namespaces to create at start. */
  namespaces?: string[];
}

export interface FailOptions {
  status?: 500 | 503 | 429;
  retryAfterSeconds?: number;
  method?: string;
  pathPrefix?: string;
  /** Let server-side dry runs (dryRun=All) through: fail only requests that change something. */
  notDryRun?: boolean;
}

export interface KubeSim {
  url: string;
  kubeconfigPath: string;
  token: string | undefined;
  caData: string | undefined;
  speed: number;
  store: Store;
  clock: SimClock;
  /** Fail the next `count` API requests with 500 (default) or 429 + Retry-After. */
  failNext(count: number, opts?: FailOptions): void;
  setLatency(ms: number): void;
  /**
   * Serve the API server's service proxy for `namespace/name` (`port` as the proxy path names
   * it; omitted: any port) from a local server at `url`.
   */
  proxyService(namespace: string, name: string, url: string, port?: string): void;
  clearFaults(): void;
  /** Close every open watch stream; returns how many were open. */
  dropWatches(): number;
  /** API request counts by "METHOD /path" (watch events are not requests). */
  requests(): { total: number; requests: Record<string, number> };
  resetRequests(): void;
  /** Jump simulated time forward. */
  advance(seconds: number): void;
  /** Read an object directly from the store (no HTTP). */
  getObject(kind: string, namespace: string | undefined, name: string): KObj | undefined;
  /** List objects of a kind directly from the store (no HTTP). */
  listObjects(kind: string, namespace?: string): KObj[];
  /**
   * Resolve when `check` returns a value (evaluated now and after every store change), reject
   * after `timeoutMs` real milliseconds.
   */
  waitFor<T>(check: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  checkSchemaFiles();
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-'));
  const tls = options.tls ? await generateTls(dir) : undefined;
  const store = new Store(options.historySize ?? 10000);
  const clock = new SimClock(options.speed ?? 1);
  const nodes = options.nodes ?? 1;
  const m = new Manager(store, clock, nodes);
  const kubelet = new Kubelet(m);
  const storageInit = new StorageInitializer(m);
  new DeploymentController(m);
  new ReplicaSetController(m);
  new StatefulSetController(m);
  new DaemonSetController(m);
  new HpaController(m);
  new ServiceController(m);
  new InferenceServiceController(m);
  store.onChange((type, r, obj) => {
    const ns = obj.metadata.namespace;
    const owner = controllerOf(obj);
    switch (r.kind) {
      case 'Pod': {
        // A predictor pod whose model download fails is the storage-initializer simulator's.
        if (storageInit.claims(obj)) storageInit.onPod(type, obj);
        else kubelet.onPod(type, obj);
        if (owner) m.enqueue(owner.kind, ns, owner.name);
        const isvc = obj.metadata.labels?.['serving.kserve.io/inferenceservice'];
        if (isvc) m.enqueue('InferenceService', ns, isvc);
        break;
      }
      case 'ReplicaSet':
      case 'Deployment':
        m.enqueue(r.kind, ns, obj.metadata.name);
        if (owner) m.enqueue(owner.kind, ns, owner.name);
        break;
      case 'Node':
        for (const ds of store.list(R.ds))
          m.enqueue('DaemonSet', ds.metadata.namespace, ds.metadata.name);
        break;
      case 'Event':
      case 'Namespace':
      case 'ConfigMap':
      case 'Secret':
        break;
      default:
        if (type !== 'DELETED') m.enqueue(r.kind, ns, obj.metadata.name);
    }
    if (type === 'DELETED') m.collect(r, obj);
  });
  for (const ns of [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
    ...(options.namespaces ?? []),
  ]) {
    store.create(R.ns, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        uid: '',
        resourceVersion: '',
        creationTimestamp: '',
        labels: { 'kubernetes.io/metadata.name': ns },
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  createNodes(m, nodes);
  const faults = new Faults();
  const api = new Api(store, {
    logs: (ns, pod, c, prev) => storageInit.logs(ns, pod, c) ?? kubelet.logs(ns, pod, c, prev),
  });
  let server: SimServer | undefined = undefined;
  const control = (method: string, path: string, body: unknown): unknown => {
    const b = (body ?? {}) as Record<string, unknown>;
    switch (`${method} ${path}`) {
      case 'GET /requests':
        return faults.snapshot();
      case 'DELETE /requests':
        faults.resetCounts();
        return { ok: true };
      case 'POST /fail':
        faults.failNext({
          count: Number(b.count ?? 1),
          status: Number(b.status ?? 500),
          ...(b.retryAfterSeconds !== undefined
            ? { retryAfterSeconds: Number(b.retryAfterSeconds) }
            : {}),
          ...(typeof b.method === 'string' ? { method: b.method } : {}),
          ...(typeof b.pathPrefix === 'string' ? { pathPrefix: b.pathPrefix } : {}),
        });
        return { ok: true };
      case 'POST /latency':
        faults.latencyMs = Number(b.ms ?? 0);
        return { ok: true, ms: faults.latencyMs };
      case 'POST /clear':
        faults.clear();
        return { ok: true };
      case 'POST /drop-watches':
        return { dropped: server?.dropWatches() ?? 0 };
      case 'GET /watches':
        return { open: server?.watches.size ?? 0 };
      case 'POST /advance':
        clock.advance(Number(b.seconds ?? 0) * 1000);
        return { now: new Date(clock.now()).toISOString() };
      case 'GET /time':
        return { now: new Date(clock.now()).toISOString(), speed: clock.speed };
      default:
        return undefined;
    }
  };
  const backends = new Map<string, string>();
  server = new SimServer(api, faults, {
    tls,
    token: options.token,
    deny: options.deny ?? [],
    user: options.user ?? 'kube-sim-user',
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    control,
    proxy: {
      backend: (ns, name, port) =>
        backends.get(`${ns}/${name}:${port}`) ?? backends.get(`${ns}/${name}:`),
      exists: (ns, name) => store.get(R.svc, ns, name) !== undefined,
    },
  });
  const port = await server.listen(options.port ?? 0);
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  server.address = `127.0.0.1:${port}`;
  const caData = tls ? Buffer.from(tls.caPem).toString('base64') : undefined;
  const kubeconfigPath = join(dir, 'kubeconfig');
  const cluster: Record<string, unknown> = { server: url };
  if (caData) cluster['certificate-authority-data'] = caData;
  await writeFile(
    kubeconfigPath,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kube-sim', cluster }],
      users: [{ name: 'kube-sim', user: options.token ? { token: options.token } : {} }],
      contexts: [
        {
          name: 'kube-sim',
          context: { cluster: 'kube-sim', user: 'kube-sim', namespace: 'default' },
        },
      ],
      'current-context': 'kube-sim',
      preferences: {},
    }),
    { mode: 0o600 },
  );
  let stopped = false;
  return {
    url,
    kubeconfigPath,
    token: options.token,
    caData,
    speed: clock.speed,
    store,
    clock,
    failNext: (count, opts = {}) => faults.failNext({ count, status: opts.status ?? 500, ...opts }),
    setLatency: (ms) => {
      faults.latencyMs = ms;
    },
    proxyService: (ns, name, url, port = '') => {
      backends.set(`${ns}/${name}:${port}`, url);
    },
    clearFaults: () => faults.clear(),
    dropWatches: () => server.dropWatches(),
    requests: () => faults.snapshot(),
    resetRequests: () => faults.resetCounts(),
    advance: (seconds) => clock.advance(seconds * 1000),
    getObject: (kind, ns, name) => {
      const r = Object.values(R).find((x) => x.kind === kind);
      return r ? store.get(r, ns, name) : undefined;
    },
    listObjects: (kind, ns) => {
      const r = Object.values(R).find((x) => x.kind === kind);
      return r ? store.list(r, ns) : [];
    },
    waitFor: <T>(check: () => T | undefined | false, timeoutMs = 10000, what = 'condition') =>
      new Promise<T>((resolve, reject) => {
        const first = check();
        if (first !== undefined && first !== false) {
          resolve(first);
          return;
        }
        let unsubscribe: () => void = () => undefined;
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`kube-sim: timed out after ${timeoutMs}ms waiting for ${what}`));
        }, timeoutMs);
        unsubscribe = store.onChange(() => {
          let v: T | undefined | false;
          try {
            v = check();
          } catch (e) {
            clearTimeout(timer);
            unsubscribe();
            reject(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          if (v === undefined || v === false) return;
          clearTimeout(timer);
          unsubscribe();
          resolve(v);
        });
      }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      m.stop();
      kubelet.stop();
      storageInit.stop();
      clock.stop();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
