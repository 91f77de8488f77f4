/**
 * kube-sim benchmark: 1,000 Deployments × 3 replicas held at once, then get/list throughput and
 * watch event latency. Run: node scripts/bench-kube-sim.ts
 */
import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { startKubeSim } from '../test/harness/kube-sim/index.ts';

const DEPLOYMENTS = Number(process.env.KUBE_SIM_BENCH_DEPLOYMENTS ?? 1000);
const REPLICAS = 3;
const CONCURRENCY = 16;

interface Resp {
  status: number;
  body: string;
}

function call(
  agent: Agent,
  base: URL,
  method: string,
  path: string,
  body?: unknown,
): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function pool(total: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) await fn(next++);
    }),
  );
  return performance.now() - started;
}

function dep(i: number): unknown {
  const name = `bench-${i}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
    },
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

export async function main(): Promise<Record<string, number>> {
  const sim = await startKubeSim({ speed: 20, historySize: 50000 });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const base = new URL(sim.url);
  const figures: Record<string, number> = {};
  try {
    // Track ready pods incrementally (scanning 3,000 pods on every change would dominate).
    const readyPods = new Set<string>();
    sim.store.onChange((type, r, o) => {
      if (r.kind !== 'Pod') return;
      const ready = ((o.status?.conditions ?? []) as { type: string; status: string }[]).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
      if (type !== 'DELETED' && ready) readyPods.add(o.metadata.uid);
      else readyPods.delete(o.metadata.uid);
    });
    const createMs = await pool(DEPLOYMENTS, async (i) => {
      const res = await call(
        agent,
        base,
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        dep(i),
      );
      if (res.status !== 201) throw new Error(`create bench-${i}: ${res.status} ${res.body}`);
    });
    figures.createPerSec = Math.round((DEPLOYMENTS / createMs) * 1000);
    console.log(
      `kube-sim: create ${figures.createPerSec} deployments/s (${DEPLOYMENTS} in ${Math.round(createMs)} ms)`,
    );
    const t0 = performance.now();
    await sim.waitFor(
      () => readyPods.size >= DEPLOYMENTS * REPLICAS,
      300000,
      `${DEPLOYMENTS * REPLICAS} ready pods`,
    );
    figures.convergeMs = Math.round(performance.now() - t0 + createMs);
    const complete = sim
      .listObjects('Deployment', 'default')
      .filter((d) => d.status?.availableReplicas === REPLICAS).length;
    console.log(
      `kube-sim: ${DEPLOYMENTS} deployments x ${REPLICAS} replicas ready in ${figures.convergeMs} ms (speed 20); ${complete} report available=${REPLICAS}`,
    );
    console.log(
      `kube-sim: holding ${sim.listObjects('Pod').length} pods, ${sim.listObjects('ReplicaSet').length} replicasets, ${sim.listObjects('Event').length} events; heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MiB`,
    );

    const GETS = 5000;
    const getMs = await pool(GETS, async (i) => {
      const res = await call(
        agent,
        base,
        'GET',
        `/apis/apps/v1/namespaces/default/deployments/bench-${i % DEPLOYMENTS}`,
      );
      if (res.status !== 200) throw new Error(`get: ${res.status}`);
    });
    figures.getPerSec = Math.round((GETS / getMs) * 1000);
    console.log(`kube-sim: get ${figures.getPerSec} req/s`);

    const LISTS = 2000;
    const listMs = await pool(LISTS, async (i) => {
      const res = await call(
        agent,
        base,
        'GET',
        `/api/v1/namespaces/default/pods?labelSelector=app%3Dbench-${i % DEPLOYMENTS}`,
      );
      if (res.status !== 200) throw new Error(`list: ${res.status}`);
    });
    figures.listSelectorPerSec = Math.round((LISTS / listMs) * 1000);
    console.log(
      `kube-sim: list ${figures.listSelectorPerSec} req/s (pods by labelSelector, 3 of ${DEPLOYMENTS * REPLICAS})`,
    );

    const FULL = 50;
    const fullMs = await pool(FULL, async () => {
      const res = await call(agent, base, 'GET', '/apis/apps/v1/namespaces/default/deployments');
      if (res.status !== 200) throw new Error(`list all: ${res.status}`);
    });
    figures.listAllPerSec = Math.round((FULL / fullMs) * 1000 * 10) / 10;
    console.log(`kube-sim: list ${figures.listAllPerSec} req/s (all ${DEPLOYMENTS} deployments)`);

    // Watch latency: time from a write being sent to its event arriving on an open watch.
    const latencies: number[] = [];
    const sentAt = new Map<string, number>();
    let onEvent: (() => void) | undefined;
    const watchReq = request({
      host: base.hostname,
      port: base.port,
      path:
        '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=' + sim.store.currentRv(),
    });
    watchReq.on('response', (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
          const t = sentAt.get(ev.object.metadata.name);
          if (ev.type === 'ADDED' && t !== undefined) {
            latencies.push(performance.now() - t);
            onEvent?.();
          }
        }
      });
    });
    watchReq.on('error', () => undefined);
    watchReq.end();
    await new Promise((resolve) => watchReq.once('response', resolve));
    for (let i = 0; i < 300; i++) {
      const name = `lat-${i}`;
      const seen = new Promise<void>((resolve) => (onEvent = resolve));
      sentAt.set(name, performance.now());
      await call(agent, base, 'POST', '/api/v1/namespaces/default/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name },
      });
      await seen;
    }
    watchReq.destroy();
    figures.watchP50Ms = Math.round(pct(latencies, 50) * 100) / 100;
    figures.watchP99Ms = Math.round(pct(latencies, 99) * 100) / 100;
    console.log(
      `kube-sim: watch event latency p50 ${figures.watchP50Ms} ms, p99 ${figures.watchP99Ms} ms (${latencies.length} events)`,
    );
  } finally {
    agent.destroy();
    await sim.stop();
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
