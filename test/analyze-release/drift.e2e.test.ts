/**
 * Prediction drift end to end, with the real peers: two iris services (the Python server of
 * workflows-examples/iris-service), one switched to answer every second request `setosa`
 * (INJECT_SKEW_RATE), scraped by the real Debian Prometheus that also evaluates the shipped
 * drift rules (workflows-examples/drift/rules.yml, its 1 h window cut to 2 min). The real
 * bundle dist/analyze-release, metrics only, judges the drift query drift-check.yml runs:
 * fail on the skewed service naming the figure, pass on the other; and the alerting rule
 * fires. Polled through Prometheus' API, never slept on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { startIris } from '../harness/fakes/model-server.ts';
import { pollUntil, stopProcess } from '../harness/process.ts';
import { startPrometheus, type PrometheusPeer } from '../harness/prometheus.ts';
import { repoRoot, runAction } from '../harness/runner.ts';

const SERVICE = path.join(repoRoot, 'workflows-examples', 'iris-service');
const EXAMPLES = path.join(repoRoot, 'workflows-examples');
const PY_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
const TOKEN = 'prom-drift-token-5b1f0c';
/** One row of each class, sent in turn: an unskewed service predicts a third each. */
const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [7.0, 3.2, 4.7, 1.4],
  [6.3, 3.3, 6.0, 2.5],
];
const REQUESTS = 30;
const procs: ChildProcess[] = [];
let dir: string;
let prom: PrometheusPeer;
let skewed: string;
let steady: string;

async function iris(modelDir: string, env: Record<string, string> = {}): Promise<string> {
  const { url, child } = await startIris(modelDir, env);
  procs.push(child);
  return url;
}

/** drift-check.yml's default drift query, its window and selector set for the test. */
function driftQuery(instance: string): string {
  const workflow = parse(readFileSync(path.join(EXAMPLES, 'drift-check.yml'), 'utf8')) as {
    on: { workflow_call: { inputs: { 'drift-query': { default: string } } } };
  };
  const query = workflow.on.workflow_call.inputs['drift-query'].default;
  expect(query).toContain('iris_predictions_total[1h]');
  return query
    .replaceAll('[1h]', '[2m]')
    .replaceAll('iris_predictions_total[', `iris_predictions_total{instance="${instance}"}[`)
    .replaceAll(
      'max by (class) (iris_training_class_share)',
      `max by (class) (iris_training_class_share{instance="${instance}"})`,
    );
}

/** The shipped rules, evaluated every second over a 2 min window, firing after 1 s. */
function fastRules(): string {
  const text = readFileSync(path.join(EXAMPLES, 'drift', 'rules.yml'), 'utf8');
  const fast = text
    .replace(/interval: 1m\n/, 'interval: 1s\n')
    .replace(/for: 15m\n/, 'for: 1s\n')
    .replaceAll('[1h]', '[2m]');
  expect(fast.match(/interval: 1s\n|for: 1s\n|\[2m\]/g)).toHaveLength(4);
  return fast;
}

async function promQuery(query: string): Promise<{ metric: object; value: [number, string] }[]> {
  const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as {
    data: { result: { metric: object; value: [number, string] }[] };
  };
  return body.data.result;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'iris-drift-'));
  const trained = spawnSync('python3', ['train.py', '--out', dir], {
    cwd: SERVICE,
    env: { ...process.env, ...PY_ENV },
    encoding: 'utf8',
  });
  expect(trained.status).toBe(0);
  [skewed, steady] = await Promise.all([iris(dir, { INJECT_SKEW_RATE: '0.5' }), iris(dir)]);
  const hosts = [new URL(skewed).host, new URL(steady).host];
  prom = await startPrometheus(hosts, { rules: fastRules() });
  // The counters at 0 are scraped before any prediction: the window sees them grow.
  await prom.scraped();
  for (let i = 0; i < REQUESTS; i++) {
    for (const url of [skewed, steady]) {
      const res = await fetch(`${url}/v1/models/iris:predict`, {
        method: 'POST',
        body: JSON.stringify({ instances: [ROWS[i % ROWS.length]] }),
      });
      expect(res.status).toBe(200);
    }
  }
  await pollUntil(
    'prometheus has scraped every prediction',
    async () => {
      const r = await promQuery('sum by (instance) (iris_predictions_total)');
      return r.length === 2 && r.every((s) => Number(s.value[1]) === REQUESTS);
    },
    15_000,
  );
}, 90_000);

afterAll(async () => {
  await prom?.stop();
  await Promise.all(procs.map((p) => stopProcess(p)));
  rmSync(dir, { recursive: true, force: true });
});

function analyzeDrift(url: string, extra: Record<string, string> = {}) {
  return runAction('analyze-release', {
    inputs: {
      'prometheus-url': prom.url,
      'prometheus-token': TOKEN,
      queries: [
        '- name: prediction-drift',
        `  query: ${JSON.stringify(driftQuery(new URL(url).host))}`,
        '  condition: < 0.1',
      ].join('\n'),
      ...extra,
    },
    keep: true,
  });
}

describe('drift → analyze-release metrics only (bundle, real Prometheus, real iris service)', () => {
  it('the skewed service: fail, the drift figure named (setosa 2/3 against 1/3)', async () => {
    const r = await analyzeDrift(skewed);
    try {
      expect(r.exitCode).toBe(1);
      expect(r.outputs.verdict).toBe('fail');
      expect(r.outputs['latency-p95']).toBeUndefined();
      const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
      expect(error).toMatch(
        /verdict fail: prediction-drift < 0\.1 fail \(last 0\.3333; 1\/1 evaluations failed; 0\.333334 breaks < 0\.1\)/,
      );
      expect(r.summary).toContain('Metrics only: no load was sent');
      expect(r.summary).toMatch(
        /\| prediction-drift \| < 0\.1 \| 0\.3333 \| 1\/1 \| 0 \| ❌ fail \|/,
      );
      const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as Record<string, unknown>;
      expect(report).toMatchObject({
        verdict: 'fail',
        queries: { 'prediction-drift': 'fail' },
        'metrics-only': { evaluations: 1, 'interval-s': 10 },
      });
      expect(report.load).toBeUndefined();
      // The token was masked at once and appears nowhere the runner would show or keep.
      expect(r.masks).toContain(TOKEN);
      for (const text of [
        r.maskedLog,
        r.summary,
        JSON.stringify(r.outputs),
        JSON.stringify(report),
      ])
        expect(text).not.toContain(TOKEN);
    } finally {
      r.cleanup();
    }
  }, 60_000);

  it('the unskewed service: pass, over 2 evaluations 1 s apart', async () => {
    const r = await analyzeDrift(steady, { evaluations: '2', interval: '1s' });
    try {
      expect(r.exitCode).toBe(0);
      expect(r.outputs.verdict).toBe('pass');
      expect(r.summary).toContain('evaluated 2 times, 1 s apart');
      expect(r.summary).toMatch(
        /\| prediction-drift \| < 0\.1 \| [\d.e-]+ \| 0\/2 \| 0 \| ✅ pass \|/,
      );
    } finally {
      r.cleanup();
    }
  }, 60_000);

  it('a service with no predictions in the window: inconclusive, named, not pass', async () => {
    const r = await analyzeDrift('http://127.0.0.1:1', { 'fail-on': 'never' });
    try {
      expect(r.exitCode).toBe(0);
      expect(r.outputs.verdict).toBe('inconclusive');
      expect(r.summary).toContain("query 'prediction-drift' returned no data");
    } finally {
      r.cleanup();
    }
  }, 60_000);

  it("bad PromQL: the step fails on Prometheus' 400 bad_data, naming the query; nothing judged", async () => {
    const r = await runAction('analyze-release', {
      inputs: {
        'prometheus-url': prom.url,
        queries: '- {name: prediction-drift, query: "max(abs(", condition: "< 0.1"}',
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.verdict).toBeUndefined();
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /Prometheus rejected query 'prediction-drift' \(bad_data: /,
    );
  }, 60_000);

  it('an unreachable Prometheus: one clear error naming the address and the query', async () => {
    const r = await runAction('analyze-release', {
      inputs: {
        'prometheus-url': 'http://127.0.0.1:1',
        queries: '- {name: d, query: up, condition: "< 1"}',
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /Prometheus at http:\/\/127\.0\.0\.1:1 is unreachable \(.*\) for query 'd'/,
    );
  }, 60_000);

  it('the shipped alerting rule fires on the two services together (setosa 1/2 against 1/3)', async () => {
    let firing: { labels: Record<string, string>; annotations: Record<string, string> }[] = [];
    await pollUntil(
      'IrisPredictionDrift firing',
      async () => {
        const res = await fetch(`${prom.url}/api/v1/alerts`);
        const body = (await res.json()) as {
          data: {
            alerts: {
              state: string;
              labels: Record<string, string>;
              annotations: Record<string, string>;
            }[];
          };
        };
        firing = body.data.alerts.filter(
          (a) => a.labels.alertname === 'IrisPredictionDrift' && a.state === 'firing',
        );
        return firing.length === 1;
      },
      20_000,
    );
    expect(firing[0]!.labels).toMatchObject({ severity: 'warning', action: 'retrain' });
    // 1/6 exactly in counts; increase() extrapolates each service's series at its own scrape
    // times, so the combined figure is near it, not on it.
    const shown = /share is (0\.\d{3}) away from its training share/.exec(
      firing[0]!.annotations.description ?? '',
    );
    expect(Number(shown?.[1])).toBeGreaterThan(0.1);
    expect(Number(shown?.[1])).toBeLessThan(0.25);
    const [figure] = await promQuery('iris:prediction_drift:max_share_diff_1h');
    expect(Number(figure!.value[1])).toBeGreaterThan(0.1);
    expect(Number(figure!.value[1])).toBeLessThan(0.25);
  }, 30_000);
});
