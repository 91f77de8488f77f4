/**
 * `node scripts/bench-kube-sim.ts [--full]` (run by `npm run bench`): the Kubernetes API
 * simulator holding 500 Deployments × 3 replicas (3,000 with --full;
 * KUBE_SIM_BENCH_DEPLOYMENTS overrides), then get/list throughput and watch event latency.
 *
 * Baselines, measured in the same run with the same client: a bare node:http server in this
 * process that answers every request with the bytes the simulator answered the same request
 * with (so the ratio is the simulator's own cost: routing, store, selectors, serialisation),
 * and the convergence of a single Deployment before the bulk.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startKubeSim } from '../test/harness/kube-sim/index.ts';
import { FULL, median, ms, times } from './bench-lib.ts';

const DEPLOYMENTS = Number(process.env.KUBE_SIM_BENCH_DEPLOYMENTS ?? (FULL ? 3000 : 500));
const REPLICAS = 3;
const CONCURRENCY = 16;
const SPEED = 20;

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

/** Runs fn(0 … total-1) with CONCURRENCY requests in flight; returns the elapsed ms. */
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

function dep(name: string): unknown {
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

/**
 * The baseline server: answers with canned bodies (`answers`, by method + path without the
 * query), 201 + the request body for other POSTs, and streams one watch line per POST to every
 * open `?watch=true` request.
 */
async function startBareServer(answers: Map<string, string>): Promise<{
  base: URL;
  stop: () => Promise<void>;
}> {
  const watchers = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path = '', query = ''] = (req.url ?? '').split('?');
      if (query.includes('watch=true')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        watchers.add(res);
        res.on('close', () => watchers.delete(res));
        return;
      }
      const canned = answers.get(`${req.method} ${path}`);
      const body = canned ?? Buffer.concat(chunks).toString('utf8');
      res.writeHead(canned ? 200 : 201, { 'content-type': 'application/json' });
      res.end(body);
      if (req.method === 'POST') {
        const line = `${JSON.stringify({ type: 'ADDED', object: JSON.parse(body) as unknown })}\n`;
        for (const w of watchers) w.write(line);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    base,
    stop: () => {
      for (const w of watchers) w.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Time from each POST being sent to its ADDED event arriving on an open watch. */
async function watchLatencies(agent: Agent, base: URL, watchPath: string): Promise<number[]> {
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  let onEvent: (() => void) | undefined;
  const watchReq = request({ host: base.hostname, port: base.port, path: watchPath });
  const opened = new Promise<void>((resolve, reject) => {
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
      resolve();
    });
    watchReq.on('error', reject);
  });
  watchReq.end();
  await opened;
  watchReq.on('error', () => undefined); // destroyed below
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
  return latencies;
}

function perSec(count: number, elapsedMs: number): number {
  return (count / elapsedMs) * 1000;
}

function rate(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

async function main(): Promise<void> {
  const sim = await startKubeSim({ speed: SPEED, historySize: 50000 });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const simBase = new URL(sim.url);
  const deployPath = '/apis/apps/v1/namespaces/default/deployments';
  // Canned answers for the bare server: what the simulator answered (filled in below).
  const answers = new Map<string, string>();
  const bare = await startBareServer(answers);
  try {
    // Track ready pods and available Deployments incrementally (scanning on every change would
    // dominate).
    const readyPods = new Set<string>();
    const available = new Set<string>();
    sim.store.onChange((type, r, o) => {
      if (r.kind === 'Pod') {
        const ready = ((o.status?.conditions ?? []) as { type: string; status: string }[]).some(
          (c) => c.type === 'Ready' && c.status === 'True',
        );
        if (type !== 'DELETED' && ready) readyPods.add(o.metadata.uid);
        else readyPods.delete(o.metadata.uid);
      } else if (r.kind === 'Deployment') {
        if (type !== 'DELETED' && o.status?.availableReplicas === REPLICAS) {
          available.add(o.metadata.name);
        } else available.delete(o.metadata.name);
      }
    });
    const converge = (deployments: number, what: string): Promise<boolean> =>
      sim.waitFor(
        () => readyPods.size >= deployments * REPLICAS && available.size >= deployments,
        300_000,
        what,
      );

    // Baseline: one Deployment created and rolled out on its own (median of 3; the first
    // also warms up the simulator).
    const singles: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await call(agent, simBase, 'POST', deployPath, dep(`bench-single-${i}`));
      if (res.status !== 201) throw new Error(`create: ${res.status} ${res.body}`);
      await converge(i + 1, 'one Deployment available');
      singles.push(performance.now() - t0);
    }
    const singleMs = median(singles);

    const createBaseMs = await pool(DEPLOYMENTS, async (i) => {
      const res = await call(agent, bare.base, 'POST', deployPath, dep(`bench-${i}`));
      if (res.status !== 201) throw new Error(`bare create: ${res.status}`);
    });
    const t = performance.now();
    const createMs = await pool(DEPLOYMENTS, async (i) => {
      const res = await call(agent, simBase, 'POST', deployPath, dep(`bench-${i}`));
      if (res.status !== 201) throw new Error(`create bench-${i}: ${res.status} ${res.body}`);
    });
    await converge(DEPLOYMENTS + 3, `${DEPLOYMENTS} Deployments available`);
    const convergeMs = performance.now() - t - createMs;
    const create = perSec(DEPLOYMENTS, createMs);
    const createBase = perSec(DEPLOYMENTS, createBaseMs);
    console.log(
      `kube-sim: create ${rate(create)} Deployments/s (${DEPLOYMENTS} in ${ms(createMs)}) = ${times(create / createBase)} bare node:http (${rate(createBase)}/s)`,
    );
    console.log(
      `kube-sim: all ${DEPLOYMENTS} × ${REPLICAS} pods Ready and every Deployment reporting available=${REPLICAS} ${ms(convergeMs)} after the last create = ${times(convergeMs / singleMs)} baseline: one Deployment on its own, create → available ${ms(singleMs)} (speed ${SPEED})`,
    );
    console.log(
      `kube-sim: holding ${sim.listObjects('Pod').length} pods, ${sim.listObjects('ReplicaSet').length} replicasets, ${sim.listObjects('Event').length} events; heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MiB`,
    );

    const throughput = async (
      what: string,
      requests: number,
      path: (i: number) => string,
    ): Promise<void> => {
      // The bare server answers every path of the kind with the simulator's answer to path(0).
      const sample = await call(agent, simBase, 'GET', path(0));
      if (sample.status !== 200) throw new Error(`${path(0)}: ${sample.status}`);
      for (let i = 0; i < Math.min(requests, DEPLOYMENTS); i++) {
        answers.set(`GET ${path(i).split('?')[0]}`, sample.body);
      }
      const get = (base: URL) => async (i: number) => {
        const res = await call(agent, base, 'GET', path(i));
        if (res.status !== 200) throw new Error(`${base.host}${path(i)}: ${res.status}`);
      };
      // A warm-up round of each, then rounds alternating between them: load from other
      // processes and the client's own JIT warm-up fall on both alike.
      const rounds = 8;
      const chunk = Math.ceil(requests / rounds);
      await pool(chunk, get(bare.base));
      await pool(chunk, get(simBase));
      let baseMs = 0;
      let simMs = 0;
      for (let r = 0; r < rounds; r++) {
        baseMs += await pool(chunk, get(bare.base));
        simMs += await pool(chunk, get(simBase));
      }
      const count = chunk * rounds;
      const ours = perSec(count, simMs);
      const base = perSec(count, baseMs);
      console.log(
        `kube-sim: ${what} ${rate(ours)} req/s = ${times(ours / base)} bare node:http (${rate(base)} req/s, same bytes)`,
      );
    };
    await throughput('get one Deployment', FULL ? 40000 : 8000, (i) => {
      return `${deployPath}/bench-${i % DEPLOYMENTS}`;
    });
    await throughput(
      `list pods by labelSelector (3 of ${DEPLOYMENTS * REPLICAS})`,
      FULL ? 5000 : 1000,
      (i) => `/api/v1/namespaces/default/pods?labelSelector=app%3Dbench-${i % DEPLOYMENTS}`,
    );
    await throughput(`list all ${DEPLOYMENTS + 3} Deployments`, FULL ? 100 : 15, () => deployPath);

    const cmPath = '/api/v1/namespaces/default/configmaps';
    const baseLat = await watchLatencies(agent, bare.base, `${cmPath}?watch=true`);
    const simLat = await watchLatencies(
      agent,
      simBase,
      `${cmPath}?watch=true&resourceVersion=${sim.store.currentRv()}`,
    );
    const p = (xs: number[], q: number): string => `${pct(xs, q).toFixed(2)} ms`;
    console.log(
      `kube-sim: watch event latency (POST sent → ADDED event received) p50 ${p(simLat, 50)}, p99 ${p(simLat, 99)} (${simLat.length} events); baseline bare node:http streaming the same line: p50 ${p(baseLat, 50)}, p99 ${p(baseLat, 99)}`,
    );
  } finally {
    agent.destroy();
    await bare.stop();
    await sim.stop();
  }
}

await main();
