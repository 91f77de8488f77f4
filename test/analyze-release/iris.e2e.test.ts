/**
 * analyze-release against the real example service (workflows-examples/iris-service, Python)
 * and the real Debian Prometheus scraping its /metrics: one image as candidate and baseline,
 * the candidate switched to answer 30 ms slower and to change 10 % of its predictions.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startIris } from '../harness/fakes/model-server.ts';
import { stopProcess } from '../harness/process.ts';
import { startPrometheus, type PrometheusPeer } from '../harness/prometheus.ts';
import { repoRoot, runAction } from '../harness/runner.ts';

const SERVICE = path.join(repoRoot, 'workflows-examples', 'iris-service');
const PY_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
const procs: ChildProcess[] = [];
let dir: string;
let prom: PrometheusPeer;
let candidate: string;
let baseline: string;

async function iris(env: Record<string, string>): Promise<string> {
  const { url, child } = await startIris(dir, env);
  procs.push(child);
  return url;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iris-analyze-'));
  const trained = spawnSync('python3', ['train.py', '--out', dir], {
    cwd: SERVICE,
    env: { ...process.env, ...PY_ENV },
    encoding: 'utf8',
  });
  expect(trained.status).toBe(0);
  [candidate, baseline] = await Promise.all([
    iris({ INJECT_LATENCY_MS: '30', INJECT_FLIP_RATE: '0.1' }),
    iris({}),
  ]);
  prom = await startPrometheus([new URL(candidate).host, new URL(baseline).host]);
  await prom.scraped();
}, 60_000);

afterAll(async () => {
  await prom?.stop();
  await Promise.all(procs.map((p) => stopProcess(p)));
  rmSync(dir, { recursive: true, force: true });
});

describe('analyze-release on the iris service (bundle, real Prometheus)', () => {
  it('a slower candidate that flips 10 % of predictions: fail on latency, predictions and its metrics', async () => {
    const host = new URL(candidate).host;
    const r = await runAction('analyze-release', {
      inputs: {
        url: candidate,
        'baseline-url': baseline,
        path: '/v1/models/iris:predict',
        requests: [
          '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
          '{"instances": [[7.0, 3.2, 4.7, 1.4]]}',
          '{"instances": [[6.3, 3.3, 6.0, 2.5]]}',
        ].join('\n'),
        rate: '20',
        duration: '5s',
        warmup: '0s',
        'max-regression': 'p95:10%',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '1%',
        'prometheus-url': prom.url,
        interval: '2s',
        queries: [
          '- name: candidate p95',
          `  query: histogram_quantile(0.95, sum(rate(iris_request_duration_seconds_bucket{instance="${host}"}[5s])) by (le))`,
          '  condition: < 0.025',
          '- name: candidate errors',
          `  query: sum(iris_requests_total{instance="${host}",code!="200"}) or vector(0)`,
          '  condition: == 0',
        ].join('\n'),
      },
      keep: true,
    });
    try {
      expect(r.outputs.verdict).toBe('fail');
      expect(Number(r.outputs['latency-p50'])).toBeGreaterThan(30);
      const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
      expect(error).toContain('p95:10% fail');
      expect(error).toMatch(/predictions-changed<=1% fail \(10% \(10\/100\)/);
      expect(error).toMatch(/candidate p95 < 0\.025 fail \(last 0\.0[2-9]/);
      expect(r.summary).toMatch(/\| candidate errors \| == 0 \| 0 \| 0\/\d \| 0 \| ✅ pass \|/);
      const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as Record<string, unknown>;
      expect(report.queries).toEqual({ 'candidate p95': 'fail', 'candidate errors': 'pass' });
    } finally {
      r.cleanup();
    }
  }, 90_000);
});
