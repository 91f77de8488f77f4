/**
 * analyze-release end to end: the real bundle (dist/) run as the GitHub runner runs it,
 * loading loopback model servers whose latency and errors the test sets.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseMetrics } from '../../actions/pr-deploy-comment/metrics.ts';
import { lastError, runAction } from '../harness/runner.ts';
import { startModelServer, type ModelServer } from '../harness/fakes/model-server.ts';
import { startPrometheus } from '../harness/prometheus.ts';

const servers: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A model server (closed after each test): see startModelServer's switches. */
async function model(delayMs: number, failEvery = 0, flipEvery = 0): Promise<ModelServer> {
  const server = await startModelServer({ delayMs, failEvery, flipEvery });
  servers.push(server);
  return server;
}

const LOAD = { rate: '50', duration: '4s', warmup: '500ms' };

describe('analyze-release (bundle)', () => {
  it('an identical candidate passes against its baseline: outputs, JSON report, summary, chart', async () => {
    const candidate = await model(5);
    const baseline = await model(5);
    const r = await runAction('analyze-release', {
      inputs: {
        ...LOAD,
        url: candidate.url,
        'baseline-url': baseline.url,
        path: '/v1/models/iris:predict',
        requests: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}\n{"instances": [[6.3, 3.3, 6.0, 2.5]]}',
        headers: 'Authorization: Bearer e2e-secret-7f3a9c',
        'max-latency': 'p95<500ms',
        'max-regression': 'p95:50%, error-rate:5pp',
      },
      keep: true,
    });
    try {
      expect(lastError(r)).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.outputs.verdict).toBe('pass');
      expect(Number(r.outputs['latency-p50'])).toBeGreaterThanOrEqual(5);
      expect(Number(r.outputs['latency-p95'])).toBeLessThan(500);
      expect(r.outputs['error-rate']).toBe('0');
      expect(Number(r.outputs.throughput)).toBeGreaterThan(40);
      // 50/s for 4.5 s to each, the same bodies in turn, POST on the path.
      expect(candidate.requests).toBe(225);
      expect(baseline.requests).toBe(225);
      expect([...candidate.bodies].sort()).toEqual([...baseline.bodies].sort());
      expect(candidate.bodies).toEqual(
        new Set([
          'POST /v1/models/iris:predict {"instances": [[5.1, 3.5, 1.4, 0.2]]}',
          'POST /v1/models/iris:predict {"instances": [[6.3, 3.3, 6.0, 2.5]]}',
        ]),
      );
      expect(candidate.auth).toEqual(new Set(['Bearer e2e-secret-7f3a9c']));
      expect(r.masks).toContain('Bearer e2e-secret-7f3a9c');
      expect(r.maskedLog).not.toContain('e2e-secret-7f3a9c');
      expect(r.summary).not.toContain('e2e-secret-7f3a9c');
      // The report is a mapping pr-deploy-comment's `metrics` renders as it is.
      const text = readFileSync(r.outputs.report!, 'utf8');
      const metrics = parseMetrics(text, 'report');
      expect(metrics).toEqual(
        expect.arrayContaining([
          { name: 'verdict', value: 'pass' },
          { name: 'candidate.requests', value: 200 },
          { name: 'baseline.requests', value: 200 },
        ]),
      );
      expect(r.summary).toContain('analyze-release: ✅ pass');
      expect(r.summary).toMatch(/\| latency p95 \| [\d.]+ ms \| [\d.]+ ms \|/);
      expect(r.summary).toContain('```mermaid\nxychart-beta');
      expect(r.summary).toMatch(/\| p95:50% \| p95 [+−][\d.]+% \(p[<=][\d.]+\) \| ✅ pass \|/);
    } finally {
      r.cleanup();
    }
  }, 60_000);

  it('a slower candidate with errors fails: the step fails naming each failed check', async () => {
    const candidate = await model(40, 20);
    const baseline = await model(5);
    const r = await runAction('analyze-release', {
      inputs: {
        ...LOAD,
        url: candidate.url,
        'baseline-url': baseline.url,
        'max-latency': 'p95<30ms',
        'max-regression': 'p95:10%, error-rate:0.5pp',
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(Number(r.outputs['error-rate'])).toBeCloseTo(0.05, 2);
    expect(lastError(r)).toMatch(/^analyze-release: verdict fail: error-rate<=1% fail \(5%/);
    expect(lastError(r)).toContain('p95<30ms fail');
    expect(lastError(r)).toContain('p95:10% fail');
    expect(lastError(r)).toContain('error-rate:0.5pp fail');
    expect(r.summary).toContain('analyze-release: ❌ fail');
    expect(r.summary).toContain('Candidate failures: HTTP 503 × 10');
  }, 60_000);

  it('a candidate that changes 10% of predictions fails max-prediction-change: 5%', async () => {
    const candidate = await model(2, 0, 10);
    const baseline = await model(2);
    const r = await runAction('analyze-release', {
      inputs: {
        rate: '50',
        duration: '2s',
        warmup: '0s',
        url: candidate.url,
        'baseline-url': baseline.url,
        requests: '{"instances": [[5.1, 3.5, 1.4, 0.2]]}',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '5%',
      },
      keep: true,
    });
    try {
      expect(r.exitCode).toBe(1);
      expect(r.outputs.verdict).toBe('fail');
      expect(lastError(r)).toMatch(/predictions-changed<=5% fail \(10% \(10\/100\), PSI 0\.\d+\)/);
      expect(r.summary).toContain('10% of predictions changed (10 of 100)');
      const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as {
        predictions: Record<string, number>;
      };
      expect(report.predictions).toMatchObject({
        compared: 100,
        changed: 10,
        'changed-share': 0.1,
      });
    } finally {
      r.cleanup();
    }
  }, 60_000);

  it('fail-on: never reports the fail verdict without failing the step', async () => {
    const candidate = await model(1, 2);
    const r = await runAction('analyze-release', {
      inputs: { rate: '20', duration: '1s', warmup: '0s', url: candidate.url, 'fail-on': 'never' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.verdict).toBe('fail');
  }, 60_000);

  it('an unreachable candidate: every request an error, the verdict fail', async () => {
    const gone = await model(1);
    const url = gone.url;
    await servers.pop()!.close();
    const r = await runAction('analyze-release', {
      inputs: { rate: '10', duration: '1s', warmup: '0s', url, 'fail-on': 'inconclusive' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['error-rate']).toBe('1');
    expect(r.summary).toContain('ECONNREFUSED × 10');
  }, 60_000);

  it('Prometheus (real) scrapes the candidate: a 10% error ratio fails its query, the token never shows', async () => {
    const candidate = await startModelServer({ delayMs: 2, failEvery: 10 });
    const prom = await startPrometheus([new URL(candidate.url).host]);
    const token = 'prom-e2e-token-5d2c81';
    try {
      await prom.scraped();
      const r = await runAction('analyze-release', {
        inputs: {
          rate: '50',
          duration: '4s',
          warmup: '0s',
          url: candidate.url,
          'max-error-rate': 'none',
          'prometheus-url': prom.url,
          'prometheus-token': token,
          interval: '1s',
          'failure-limit': '0',
          queries: [
            '- name: error-ratio',
            '  query: sum(rate(model_requests_total{code="503"}[3s])) / sum(rate(model_requests_total[3s]))',
            '  condition: < 0.01',
            '- name: served',
            '  query: sum(model_requests_total)',
            '  condition: ">= 0"',
            '- name: gpu-memory',
            '  query: model_gpu_memory_bytes',
            '  condition: < 1e9',
          ].join('\n'),
        },
        keep: true,
      });
      try {
        expect(r.outputs.verdict).toBe('fail');
        expect(r.exitCode).toBe(1);
        // Every 10th request fails: the ratio over the last scrapes is about 0.1 (not exact:
        // the 3 s window may cut a scrape interval).
        expect(lastError(r)).toMatch(/error-ratio < 0\.01 fail \(last 0\.(0[5-9]|1)/);
        expect(lastError(r)).toMatch(
          /gpu-memory < 1e9 inconclusive \(last no data; .*query 'gpu-memory' returned no data\)/,
        );
        expect(r.summary).toContain('### Live metrics (Prometheus)');
        expect(r.summary).toMatch(/\| served \| >= 0 \| \d+ \| 0\/\d+ \| 0 \| ✅ pass \|/);
        expect(r.masks).toContain(token);
        for (const text of [
          r.maskedLog,
          r.summary,
          JSON.stringify(r.outputs),
          readFileSync(r.outputs.report!, 'utf8'),
        ])
          expect(text).not.toContain(token);
      } finally {
        r.cleanup();
      }
    } finally {
      await prom.stop();
      await candidate.close();
    }
  }, 90_000);

  it('bad PromQL fails the step before any load, naming the query', async () => {
    const candidate = await startModelServer();
    const prom = await startPrometheus([new URL(candidate.url).host]);
    try {
      const r = await runAction('analyze-release', {
        inputs: {
          url: candidate.url,
          'prometheus-url': prom.url,
          queries:
            '- {name: latency, query: "histogram_quantile(0.95, sum(rate(x[1m])) by (le)", condition: "< 0.3"}',
        },
      });
      expect(r.exitCode).toBe(1);
      expect(lastError(r)).toMatch(
        /^analyze-release: Prometheus rejected query 'latency' \(bad_data: /,
      );
      expect(candidate.requests).toBe(0);
    } finally {
      await prom.stop();
      await candidate.close();
    }
  }, 60_000);
});
