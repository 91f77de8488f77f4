/**
 * A model server for analyze-release's tests: answers KServe v1 predictions
 * (`{"predictions": [class]}`) after a set latency, with switches that inject latency, errors
 * and changed predictions (so one server serves as candidate and baseline), and a Prometheus
 * `/metrics` endpoint (requests by code, a latency histogram, predictions by class) in the
 * text exposition format. Test code only: the tests, the benchmark and the demo start their
 * model servers here (node ones with startModelServer, one in a process of its own with
 * startServerProcess, the Python iris service with startIris).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollUntil, stopProcess } from '../process.ts';

export interface ModelSwitches {
  /** Answer after this many ms. */
  delayMs: number;
  /** Every n-th request answers 503 (0: never). */
  failEvery: number;
  /** Every n-th prediction is class 1 instead of class 0 (0: never). */
  flipEvery: number;
  /** Each answer waits up to this share of delayMs more, uniformly at random (0: never). */
  jitter: number;
  /** The seed of that jitter (the same seed, the same delays). */
  seed: number;
}

export interface ModelServer {
  url: string;
  switches: ModelSwitches;
  requests: number;
  /** Each request as `METHOD /path body`, once. */
  bodies: Set<string>;
  /** Each Authorization header seen ('' when none). */
  auth: Set<string>;
  /** Connections accepted so far. */
  connections: number;
  /** Resolves once `n` prediction requests have arrived (at once if they already have). */
  afterRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export async function startModelServer(
  switches: Partial<ModelSwitches> = {},
): Promise<ModelServer> {
  const byCode = new Map<number, number>();
  const byClass = new Map<number, number>();
  const buckets = BUCKETS.map(() => 0);
  let sum = 0;
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const model: ModelServer = {
    url: '',
    switches: { delayMs: 1, failEvery: 0, flipEvery: 0, jitter: 0, seed: 1, ...switches },
    requests: 0,
    bodies: new Set(),
    auth: new Set(),
    connections: 0,
    afterRequests: (n) =>
      model.requests >= n
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const metrics = (): string => {
    const lines = ['# TYPE model_requests_total counter'];
    for (const [code, n] of byCode) lines.push(`model_requests_total{code="${code}"} ${n}`);
    lines.push('# TYPE model_request_duration_seconds histogram');
    BUCKETS.forEach((le, i) =>
      lines.push(`model_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`),
    );
    lines.push(`model_request_duration_seconds_bucket{le="+Inf"} ${count}`);
    lines.push(
      `model_request_duration_seconds_sum ${sum}`,
      `model_request_duration_seconds_count ${count}`,
    );
    lines.push('# TYPE model_predictions_total counter');
    for (const [c, n] of byClass) lines.push(`model_predictions_total{class="${c}"} ${n}`);
    return lines.join('\n') + '\n';
  };
  // A linear congruential generator: jitter that repeats with its seed.
  let x = model.switches.seed;
  const jitter = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * model.switches.delayMs * model.switches.jitter;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(metrics());
        return;
      }
      const n = ++model.requests;
      for (const w of waiters.filter((x) => x.n <= n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const s = model.switches;
      model.bodies.add(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
      model.auth.add(req.headers.authorization ?? '');
      const started = process.hrtime.bigint();
      setTimeout(
        () => {
          const code = s.failEvery && n % s.failEvery === 0 ? 503 : 200;
          const cls = s.flipEvery && n % s.flipEvery === 0 ? 1 : 0;
          byCode.set(code, (byCode.get(code) ?? 0) + 1);
          if (code === 200) byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          BUCKETS.forEach((le, i) => {
            if (seconds <= le) buckets[i] = (buckets[i] ?? 0) + 1;
          });
          sum += seconds;
          count++;
          res.writeHead(code, { 'content-type': 'application/json' });
          res.end(code === 200 ? `{"predictions": [${cls}]}` : '{"error": "overloaded"}');
        },
        s.delayMs + (s.jitter ? jitter() : 0),
      );
    });
  });
  server.on('connection', () => model.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  model.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return model;
}

/** A server in a node process of its own (its event loop is not the load's). */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Calls `fn` with each line the server prints after `port N`. */
  onLine(fn: (line: string) => void): void;
  stop(): Promise<void>;
}

/**
 * Runs `source` (CommonJS) with `node -e`, `args` as its process.argv[1…]; it must listen on
 * 127.0.0.1 and print `port N` first.
 */
/** A start that failed (timeout, early exit) stops its process before the error goes on. */
function stopAndRethrow(child: ChildProcess): (error: unknown) => Promise<never> {
  return async (error) => {
    await stopProcess(child);
    throw error;
  };
}

export async function startServerProcess(
  source: string,
  args: readonly string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-e', source, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listeners: ((line: string) => void)[] = [];
  let url = '';
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const port = /^port (\d+)$/.exec(line);
      if (port && !url) url = `http://127.0.0.1:${port[1]}/`;
      else for (const fn of listeners) fn(line);
    }
  });
  await pollUntil('server process', () => Promise.resolve(url !== ''), 10_000, child).catch(
    stopAndRethrow(child),
  );
  return { url, child, onLine: (fn) => listeners.push(fn), stop: () => stopProcess(child) };
}

const IRIS_SERVICE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../workflows-examples/iris-service',
);

/**
 * The example iris service (workflows-examples/iris-service, Python) on a free loopback port,
 * serving the model in `modelDir`; `env` sets its switches (INJECT_LATENCY_MS…). Resolves once
 * /ready_check answers.
 */
export async function startIris(
  modelDir: string,
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('python3', ['-m', 'app.server'], {
    cwd: IRIS_SERVICE,
    env: {
      PATH: process.env.PATH ?? '',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      MODEL_PATH: modelDir,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  let url = '';
  await pollUntil(
    'iris server',
    async () => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (!m) return false;
      url = `http://127.0.0.1:${m[1]}`;
      return (await fetch(`${url}/ready_check`)).ok;
    },
    15_000,
    child,
  ).catch(stopAndRethrow(child));
  return { url, child };
}
