/**
 * The example model service (workflows-examples/iris-service) works as its workflows and
 * manifests assume: train.py writes model.json and metrics.json; the server (standard-library
 * Python) answers /live_check at once, /ready_check only once the model is loaded, predicts
 * the right classes on /predict and the KServe v1 path, and serves every probe path the
 * example manifests use, on the port they use.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { pollUntil, stopProcess } from '../harness/process.ts';
import { repoRoot } from '../harness/runner.ts';

const SERVICE = path.join(repoRoot, 'workflows-examples', 'iris-service');
const MANIFESTS = path.join(repoRoot, 'workflows-examples', 'manifests');
/** No __pycache__ left in the repository by the tests. */
const PY_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

const KNOWN_ROWS: { row: number[]; species: string }[] = [
  { row: [5.1, 3.5, 1.4, 0.2], species: 'setosa' },
  { row: [4.9, 3.0, 1.4, 0.2], species: 'setosa' },
  { row: [7.0, 3.2, 4.7, 1.4], species: 'versicolor' },
  { row: [5.7, 2.8, 4.1, 1.3], species: 'versicolor' },
  { row: [6.3, 3.3, 6.0, 2.5], species: 'virginica' },
  { row: [7.7, 3.8, 6.7, 2.2], species: 'virginica' },
];

const temps: string[] = [];
const procs: ChildProcess[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iris-service-'));
  temps.push(dir);
  return dir;
}

function train(out: string): void {
  const r = spawnSync('python3', ['train.py', '--out', out], {
    cwd: SERVICE,
    env: { ...process.env, ...PY_ENV },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(`${r.status} ${r.stderr}`).toBe('0 ');
}

/** Starts the server on a free loopback port (PORT=0; it logs the port it got). */
async function startServer(
  env: Record<string, string>,
): Promise<{ url: string; log: () => string }> {
  const child = spawn('python3', ['-m', 'app.server'], {
    cwd: SERVICE,
    env: { PATH: process.env.PATH ?? '', ...PY_ENV, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(child);
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 15 s:\n${log}`)),
      15_000,
    );
    const look = (): void => {
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stderr.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${log}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, log: () => log };
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls until /ready_check answers 200 (bounded); the server's log on failure. */
async function waitReady(url: string, log: () => string, limitMs = 15_000): Promise<void> {
  try {
    await pollUntil(
      `${url}/ready_check`,
      async () => (await get(`${url}/ready_check`)).status === 200,
      limitMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${log()}`);
  }
}

afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => stopProcess(p)));
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  const r = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('python3 is not on PATH: the iris service tests need it');
});

describe('iris-service: train.py', () => {
  it('writes model.json and metrics.json with the held-out accuracy', () => {
    const out = path.join(tempDir(), 'model');
    train(out);
    const model = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as {
      format: string;
      classes: string[];
    };
    expect(model.format).toBe('iris-softmax/v1');
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')) as Record<
      string,
      number
    >;
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(metrics.test_rows).toBe(30);
    expect(metrics.train_rows).toBe(120);
  });

  it('passes its own unit tests (python -m unittest, what ci.yml runs)', () => {
    const r = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: SERVICE,
      env: { ...process.env, ...PY_ENV },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(`${r.status}\n${r.stderr}`).toMatch(/^0\n[\s\S]*\nOK\s*$/);
  });
});

describe('iris-service: the server', () => {
  it('is live at once, ready once the model loads, and predicts the known rows', async () => {
    const dir = tempDir();
    train(path.join(dir, 'trained'));
    const modelPath = path.join(dir, 'serve', 'model.json');
    // MODEL_URI as a file:// URI to a model that is not there yet: live, not ready.
    const { url, log } = await startServer({ MODEL_URI: `file://${path.dirname(modelPath)}` });

    expect(await get(`${url}/live_check`)).toMatchObject({ status: 200 });
    const early = await get(`${url}/ready_check`);
    expect(early.status).toBe(503);
    expect(String(early.body.detail)).toContain('not found');
    expect((await post(`${url}/predict`, { instances: [KNOWN_ROWS[0]!.row] })).status).toBe(503);

    // The model arrives (as a storage initializer would put it): ready, then it predicts.
    mkdirSync(path.dirname(modelPath), { recursive: true });
    copyFileSync(path.join(dir, 'trained', 'model.json'), modelPath);
    await waitReady(url, log);
    expect(await get(`${url}/live_check`)).toEqual({ status: 200, body: { status: 'alive' } });

    const r = await post(`${url}/predict`, { instances: KNOWN_ROWS.map((k) => k.row) });
    expect(r).toEqual({ status: 200, body: { predictions: KNOWN_ROWS.map((k) => k.species) } });
  });

  it('speaks KServe v1: model readiness, :predict, instances as maps by feature name', async () => {
    const dir = tempDir();
    train(dir);
    const { url, log } = await startServer({ MODEL_PATH: path.join(dir, 'model.json') });
    await waitReady(url, log);
    expect(await get(`${url}/v1/models/iris`)).toEqual({
      status: 200,
      body: { name: 'iris', ready: true },
    });
    const features = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
    const instances = KNOWN_ROWS.map((k) =>
      Object.fromEntries(features.map((f, i) => [f, k.row[i]])),
    );
    expect(await post(`${url}/v1/models/iris:predict`, { instances })).toEqual({
      status: 200,
      body: { predictions: KNOWN_ROWS.map((k) => k.species) },
    });
  });

  it('answers bad requests with 400/404/405 and a message, and keeps serving', async () => {
    const dir = tempDir();
    train(dir);
    const { url, log } = await startServer({ MODEL_PATH: dir }); // a directory holding model.json
    await waitReady(url, log);
    const cases: { name: string; body: unknown; message: RegExp }[] = [
      { name: 'not JSON', body: '{nope', message: /not JSON/ },
      { name: 'no instances', body: { inputs: [] }, message: /instances/ },
      { name: 'empty list', body: { instances: [] }, message: /non-empty/ },
      { name: 'three numbers', body: { instances: [[1, 2, 3]] }, message: /4 numbers/ },
      { name: 'a string value', body: { instances: [['a', 1, 2, 3]] }, message: /finite number/ },
      { name: 'a missing feature', body: { instances: [{ sepal_length: 1 }] }, message: /missing/ },
    ];
    for (const c of cases) {
      const r = await post(`${url}/predict`, c.body);
      expect({ name: c.name, status: r.status }).toEqual({ name: c.name, status: 400 });
      expect(String(r.body.error)).toMatch(c.message);
    }
    expect((await get(`${url}/nope`)).status).toBe(404);
    expect((await get(`${url}/predict`)).status).toBe(405);
    expect((await post(`${url}/predict`, { instances: [KNOWN_ROWS[4]!.row] })).body).toEqual({
      predictions: ['virginica'],
    });
  });

  it('serves every probe path of the example manifests, on their container port', async () => {
    const probes = new Set<string>();
    const ports = new Set<number>();
    const walk = (v: unknown, key?: string): void => {
      if (Array.isArray(v)) return v.forEach((x) => walk(x));
      if (typeof v !== 'object' || v === null) return;
      const o = v as { httpGet?: { path?: unknown }; containerPort?: unknown };
      if (key?.endsWith('Probe') && typeof o.httpGet?.path === 'string') probes.add(o.httpGet.path);
      if (typeof o.containerPort === 'number') ports.add(o.containerPort);
      for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    for (const sub of ['base', 'kserve'])
      for (const f of readdirSync(path.join(MANIFESTS, sub)).filter((n) => /\.ya?ml$/.test(n)))
        for (const doc of parseAllDocuments(readFileSync(path.join(MANIFESTS, sub, f), 'utf8')))
          walk(doc.toJS());
    expect([...probes].sort()).toEqual(['/live_check', '/ready_check']);
    expect([...ports]).toEqual([8080]);
    expect(readFileSync(path.join(SERVICE, 'Dockerfile'), 'utf8')).toMatch(/^EXPOSE 8080$/m);

    const dir = tempDir();
    train(dir);
    const { url, log } = await startServer({ MODEL_PATH: path.join(dir, 'model.json') });
    await waitReady(url, log);
    for (const p of probes)
      expect({ p, status: (await get(`${url}${p}`)).status }).toEqual({ p, status: 200 });
  });

  it('has images as the workflows expect: non-root server, FROM scratch model image', () => {
    const server = readFileSync(path.join(SERVICE, 'Dockerfile'), 'utf8');
    expect(server).toMatch(/^FROM python:3\.12-slim$/m);
    expect(server).toMatch(/^USER 10001$/m);
    const model = readFileSync(path.join(SERVICE, 'model.Dockerfile'), 'utf8');
    expect(model.split('\n').filter((l) => /^[A-Z]/.test(l))).toEqual([
      'FROM scratch',
      'COPY model.json /models/iris/',
    ]);
    expect(existsSync(path.join(SERVICE, 'models', '.gitkeep'))).toBe(true);
  });
});
