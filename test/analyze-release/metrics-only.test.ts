/**
 * analyze-release with no load target: a metrics-only analysis. Its inputs (one clear error
 * when there is neither a target nor queries; the load's own inputs refused), and its phases
 * with a fake Prometheus on a manual clock: no load, `evaluations` × `interval`, the verdict
 * from the queries alone (fail names the query and its value, no data is inconclusive), the
 * report, summary and outputs saying metrics only.
 */
import { describe, expect, it } from '@jest/globals';
import { runPhases } from '../../shared/phases.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { getInputs } from '../../actions/analyze-release/inputs.ts';
import { analyzeReport, type AnalyzeContext } from '../../actions/analyze-release/report.ts';
import { analyzePhases } from '../../actions/analyze-release/run.ts';
import { QueryWatch } from '../../actions/analyze-release/query-watch.ts';
import type { PrometheusApi, Query } from '../../actions/analyze-release/prometheus.ts';
import { analyzeSummary } from '../../actions/analyze-release/summary.ts';
import * as wiring from '../../actions/analyze-release/wiring.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const PROM = 'http://127.0.0.1:9090';
const DRIFT_QUERY = '- {name: drift, query: "max(abs(a - b))", condition: "< 0.1"}';
const parse = (values: Record<string, string>) =>
  getInputs(new Inputs(mapInputs(values)), { GITHUB_WORKSPACE: '/tmp' });

describe('metrics-only inputs', () => {
  it('no url, service or inference-service, with prometheus-url and queries: metrics only, once', () => {
    const inputs = parse({ 'prometheus-url': PROM, queries: DRIFT_QUERY });
    expect(inputs.targets).toEqual([]);
    expect(inputs.metricsOnly).toEqual({ evaluations: 1 });
    expect(inputs.prometheus?.queries.map((q) => q.name)).toEqual(['drift']);
  });

  it('evaluations and interval: N evaluations, at most 1 h in all', () => {
    const values = { 'prometheus-url': PROM, queries: DRIFT_QUERY, interval: '30s' };
    expect(parse({ ...values, evaluations: '5' }).metricsOnly).toEqual({ evaluations: 5 });
    expect(() => parse({ ...values, evaluations: '200' })).toThrow(
      /Inputs 'evaluations' × 'interval' must span at most 1h \(got 199 × 30 s\)/,
    );
    expect(() => parse({ ...values, evaluations: '0' })).toThrow(/Input 'evaluations'/);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'neither a target nor queries',
      { rate: '5' },
      /^Set one of the inputs 'url', 'service', 'inference-service' \(the service to load\), or 'prometheus-url' and 'queries' alone for a metrics-only analysis\.$/,
    ],
    [
      'prometheus-url alone',
      { 'prometheus-url': PROM },
      /'prometheus-url' and 'queries' go together/,
    ],
    ['queries alone', { queries: DRIFT_QUERY }, /'prometheus-url' and 'queries' go together/],
    [
      'a load input without a target',
      { 'prometheus-url': PROM, queries: DRIFT_QUERY, rate: '5' },
      /^Input 'rate' needs a service to load: set 'url', 'service' or 'inference-service'/,
    ],
    [
      'a baseline without a candidate',
      { 'prometheus-url': PROM, queries: DRIFT_QUERY, 'baseline-url': 'http://127.0.0.1:1' },
      /^Input 'baseline-url' needs a service to load/,
    ],
    [
      'evaluations with a load',
      { url: 'http://127.0.0.1:1', 'prometheus-url': PROM, queries: DRIFT_QUERY, evaluations: '3' },
      /^Input 'evaluations' is for a metrics-only analysis/,
    ],
  ])('%s: one error naming the input', (_, values, message) => {
    expect(() => parse(values)).toThrow(message);
  });
});

/** A fake Prometheus answering each query from `answers` in turn (the last one repeats). */
function fakePrometheus(answers: (number[] | Error)[]): PrometheusApi & { asked: Query[] } {
  const asked: Query[] = [];
  return {
    asked,
    query: (q) => {
      const answer = answers[Math.min(asked.length, answers.length - 1)]!;
      asked.push(q);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

async function analyze(values: Record<string, string>, api: PrometheusApi) {
  const inputs = parse({ 'prometheus-url': PROM, queries: DRIFT_QUERY, ...values });
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const written: string[] = [];
  const ctx: AnalyzeContext = {
    inputs,
    // The load's readings (monotonic, yield) fail: a metrics-only analysis sends no load.
    clock: {
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms),
      timeout: (ms) => clock.timeout(ms),
      monotonic: () => {
        throw new Error('no load in a metrics-only analysis');
      },
      yield: () => Promise.reject(new Error('no load in a metrics-only analysis')),
    },
    logger,
    signal: new AbortController().signal,
    senders: [],
    queries: new QueryWatch(api, inputs.prometheus!.queries, inputs.prometheus!.failureLimit),
    writeReport: (json) => {
      written.push(json);
      return Promise.resolve('/tmp/report.json');
    },
  };
  const report = analyzeReport(ctx);
  await runPhases(analyzePhases, ctx, report);
  return { report, clock, logger, written };
}

describe('metrics-only analysis (fake Prometheus, manual clock)', () => {
  it('drift above the threshold: fail, naming the query and its value; no load phase ran', async () => {
    const api = fakePrometheus([[0.02], [0.3333]]);
    const { report, clock, written } = await analyze({}, api);
    expect(report.phases.map((p) => [p.name, p.outcome])).toEqual([
      ['check queries and hpa', 'done'],
      ['load', 'skipped'],
      ['evaluate queries over time (metrics only)', 'done'],
      ['evaluate queries and hpa', 'done'],
      ['judge', 'done'],
      ['write report', 'done'],
    ]);
    expect(api.asked).toHaveLength(2); // the check, then the one evaluation
    expect(clock.sleeps).toEqual([]);
    expect(report.checks).toEqual([
      {
        name: 'drift < 0.1',
        kind: 'metric',
        measured: 'last 0.3333; 1/1 evaluations failed; 0.3333 breaks < 0.1',
        verdict: 'fail',
      },
    ]);
    expect(report.verdict).toBe('fail');
    const json = JSON.parse(written[0]!) as Record<string, unknown>;
    expect(json).toEqual({
      verdict: 'fail',
      queries: { drift: 'fail' },
      checks: { 'drift < 0.1': 'fail (last 0.3333; 1/1 evaluations failed; 0.3333 breaks < 0.1)' },
      'metrics-only': { evaluations: 1, 'interval-s': 10 },
    });
    expect(wiring.outputs(report)).toEqual({ verdict: 'fail', report: '/tmp/report.json' });
    const summary = analyzeSummary(report);
    expect(summary).toContain('## analyze-release: ❌ fail');
    expect(summary).toContain(
      'Metrics only: no load was sent; the verdict comes from the Prometheus queries, evaluated once.',
    );
    expect(summary).not.toContain('| requests |');
    expect(() => wiring.verdict?.(report)).toThrow(
      /verdict fail: drift < 0\.1 fail \(last 0\.3333/,
    );
  });

  it('no drift: pass, and the outputs carry no load figures', async () => {
    const { report } = await analyze({}, fakePrometheus([[0.01]]));
    expect(report.verdict).toBe('pass');
    expect(wiring.outputs(report)).toEqual({ verdict: 'pass', report: '/tmp/report.json' });
  });

  it('no predictions in the window (no data): inconclusive, named, never pass', async () => {
    const { report } = await analyze({}, fakePrometheus([[]]));
    expect(report.verdict).toBe('inconclusive');
    expect(report.checks[0]!.measured).toContain("query 'drift' returned no data");
  });

  it('evaluations × interval on the clock, judged with failure-limit', async () => {
    const api = fakePrometheus([[0], [0.2], [0.05], [0.2], [0.05]]);
    const values = { evaluations: '4', interval: '1m', 'failure-limit': '1' };
    const { report, clock, written } = await analyze(values, api);
    expect(api.asked).toHaveLength(5); // the check and 4 evaluations
    expect(clock.sleeps).toEqual([60_000, 60_000, 60_000]);
    expect(report.queries?.[0]).toMatchObject({ evaluations: 4, failed: 2, verdict: 'fail' });
    expect(JSON.parse(written[0]!)['metrics-only']).toEqual({ evaluations: 4, 'interval-s': 60 });
    const within = await analyze(
      { ...values, 'failure-limit': '2' },
      fakePrometheus([[0], [0.2], [0.05]]),
    );
    expect(within.report.verdict).toBe('pass');
    expect(analyzeSummary(within.report)).toContain('evaluated 4 times, 60 s apart');
  });

  it('a cancelled job ends the wait between evaluations at once: cancelled, no verdict', async () => {
    const controller = new AbortController();
    const inputs = parse({
      'prometheus-url': PROM,
      queries: DRIFT_QUERY,
      evaluations: '10',
      interval: '5m',
    });
    const api = fakePrometheus([[0.01]]);
    const clock = new ManualClock();
    const ctx: AnalyzeContext = {
      inputs,
      // A sleep that only the job's signal ends (as the system clock's does).
      clock: {
        now: () => clock.now(),
        timeout: (ms) => clock.timeout(ms),
        monotonic: () => clock.monotonic(),
        yield: () => clock.yield(),
        sleep: (_ms, signal) =>
          new Promise((_, reject) => {
            signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
            controller.abort('SIGINT');
          }),
      },
      logger: new RecordingLogger(),
      signal: controller.signal,
      senders: [],
      queries: new QueryWatch(api, inputs.prometheus!.queries, 0),
      writeReport: () => Promise.reject(new Error('no report after a cancel')),
    };
    const report = analyzeReport(ctx);
    await expect(runPhases(analyzePhases, ctx, report)).rejects.toThrow(
      'cancelled (SIGINT) during metrics-only evaluation',
    );
    expect(api.asked).toHaveLength(2); // the check and the first evaluation
    expect(report.verdict).toBeUndefined();
    expect(wiring.outputs(report)).toEqual({});
  });

  it('a query Prometheus rejects fails the step before any evaluation, naming it', async () => {
    const api = fakePrometheus([
      new Error("Prometheus rejected query 'drift' (bad_data: 1:5: parse error)"),
    ]);
    const inputs = parse({ 'prometheus-url': PROM, queries: DRIFT_QUERY });
    await expect(analyze({}, api)).rejects.toThrow("Prometheus rejected query 'drift' (bad_data");
    expect(api.asked).toHaveLength(1);
    expect(inputs.metricsOnly).toBeDefined();
  });
});
