/**
 * analyze-release's orchestration with fakes: the phases over fake senders on a virtual clock,
 * a fake Prometheus and a fake HPA — checks, verdict, report JSON, summary, outputs — and
 * fail-on, with no network and no waiting.
 */
import { describe, expect, it } from '@jest/globals';
import { runPhases } from '../../shared/phases.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { getInputs } from '../../actions/analyze-release/inputs.ts';
import { ManualClock } from '../harness/doubles.ts';
import { analyzeReport, type AnalyzeContext } from '../../actions/analyze-release/report.ts';
import { analyzePhases } from '../../actions/analyze-release/run.ts';
import type { Sender, Shot } from '../../actions/analyze-release/sender.ts';
import { QueryWatch } from '../../actions/analyze-release/query-watch.ts';
import type { PrometheusApi } from '../../actions/analyze-release/prometheus.ts';
import { analyzeSummary } from '../../actions/analyze-release/summary.ts';
import * as wiring from '../../actions/analyze-release/wiring.ts';

/** Virtual time: a sender's latency is time that passes before its answer. */
function world() {
  // Sleeps and yields (a tenth of a ms each) move it; nothing real waits.
  const clock = new ManualClock(0, 0.1);
  /** Answers with `latency(n)` ms of virtual latency, `status(n)`, prediction `predict(n)`. */
  const sender = (
    latency: (n: number) => number,
    status: (n: number) => number = () => 200,
    predict: (n: number) => number = () => 0,
  ): Sender & { sent: number } => {
    const s = {
      sent: 0,
      send: (): Promise<Shot> => {
        const n = ++s.sent;
        const due = clock.now();
        // The answer "arrives" latency ms after it was sent: the clock is moved past it.
        return Promise.resolve().then(() => {
          const at = due + latency(n);
          if (clock.now() < at) clock.advance(at - clock.now());
          return { status: status(n), body: Buffer.from(`{"predictions": [${predict(n)}]}`) };
        });
      },
      close: () => undefined,
    };
    return s;
  };
  return { clock, sender };
}

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  secret: () => undefined,
  group: <T>(_: string, fn: () => Promise<T>) => fn(),
};

function context(
  values: Record<string, string>,
  senders: Sender[],
  w: ReturnType<typeof world>,
  extra: Partial<AnalyzeContext> = {},
) {
  const inputs = getInputs(new Inputs(mapInputs(values)), { GITHUB_WORKSPACE: '/tmp' });
  const written: string[] = [];
  const ctx: AnalyzeContext = {
    inputs,
    clock: w.clock,
    logger: silent,
    signal: new AbortController().signal,
    senders,
    writeReport: (json) => {
      written.push(json);
      return Promise.resolve('/tmp/report.json');
    },
    ...extra,
  };
  return { ctx, written };
}

const URLS = { url: 'http://127.0.0.1:1', 'baseline-url': 'http://127.0.0.1:2' };

describe('analyze-release phases (fakes)', () => {
  it('an identical candidate: every check passes, the report and summary say so', async () => {
    const w = world();
    const jitter = (n: number): number => 20 + ((n * 7919) % 10);
    const { ctx, written } = context(
      {
        ...URLS,
        rate: '50',
        duration: '30s',
        warmup: '1s',
        'max-latency': 'p95<100ms',
        'max-regression': 'p95:10%, error-rate:0.5pp',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '1%',
        requests: '{"x": 1}',
      },
      [w.sender(jitter), w.sender(jitter)],
      w,
    );
    const report = analyzeReport(ctx);
    await runPhases(analyzePhases, ctx, report);
    expect(report.checks.map((c) => [c.name, c.verdict])).toEqual([
      ['error-rate<=1%', 'pass'],
      ['p95<100ms', 'pass'],
      ['p95:10%', 'pass'],
      ['error-rate:0.5pp', 'pass'],
      ['predictions-changed<=1%', 'pass'],
    ]);
    expect(report.verdict).toBe('pass');
    expect(report.candidate?.requests).toBe(1500);
    expect(JSON.parse(written[0]!)).toMatchObject({
      verdict: 'pass',
      candidate: { requests: 1500 },
      predictions: { changed: 0 },
    });
    expect(wiring.outputs(report)).toMatchObject({
      verdict: 'pass',
      report: '/tmp/report.json',
      'error-rate': '0',
    });
    expect(() => wiring.verdict!(report)).not.toThrow();
    const md = analyzeSummary(report);
    expect(md).toContain('## analyze-release: ✅ pass');
    expect(md).toContain('0% of predictions changed (0 of 1500)');
  });

  // The latency regression itself (a rank test) is covered by compare.test.ts and, with real
  // servers, action.e2e.test.ts: on this shared virtual clock a slow answer also delays the
  // other target's record of the same tick.
  it('slow, 2 % errors and 5 % changed predictions: each check fails; fail-on decides the step', async () => {
    const w = world();
    const { ctx } = context(
      {
        ...URLS,
        rate: '50',
        duration: '30s',
        warmup: '0s',
        'max-latency': 'p95<30ms',
        'max-regression': 'error-rate:0.5pp',
        'prediction-path': 'predictions[*]',
        'max-prediction-change': '1%',
        requests: '{"x": 1}',
      },
      [
        w.sender(
          (n) => 26 + ((n * 7919) % 13),
          (n) => (n % 50 === 0 ? 503 : 200),
          (n) => (n % 20 === 0 ? 1 : 0),
        ),
        w.sender((n) => 20 + ((n * 7919) % 10)),
      ],
      w,
    );
    const report = analyzeReport(ctx);
    await runPhases(analyzePhases, ctx, report);
    expect(Object.fromEntries(report.checks.map((c) => [c.name, c.verdict]))).toEqual({
      'error-rate<=1%': 'fail',
      'p95<30ms': 'fail',
      'error-rate:0.5pp': 'fail',
      'predictions-changed<=1%': 'fail',
    });
    expect(() => wiring.verdict!(report)).toThrow(
      /^verdict fail: error-rate<=1% fail \(2% \(30\/1500\)\)/,
    );
    report.inputs = { ...report.inputs, failOn: 'never' };
    expect(() => wiring.verdict!(report)).not.toThrow();
  });

  it('queries: evaluated before, during (every interval) and after the load; no data is inconclusive, named', async () => {
    const w = world();
    const calls: string[] = [];
    const api: PrometheusApi = {
      query: (q) => {
        calls.push(q.name);
        return Promise.resolve(q.name === 'empty' ? [] : [0.001]);
      },
    };
    const queries = new QueryWatch(
      api,
      getInputs(
        new Inputs(
          mapInputs({
            url: URLS.url,
            'prometheus-url': 'http://127.0.0.1:9',
            queries:
              '- {name: errors, query: x, condition: "< 0.01"}\n- {name: empty, query: y, condition: "< 1"}',
          }),
        ),
        {},
      ).prometheus!.queries,
      0,
    );
    const { ctx } = context(
      {
        url: URLS.url,
        rate: '10',
        duration: '10s',
        warmup: '0s',
        'prometheus-url': 'http://127.0.0.1:9',
        queries:
          '- {name: errors, query: x, condition: "< 0.01"}\n- {name: empty, query: y, condition: "< 1"}',
        interval: '2s',
      },
      [w.sender(() => 5)],
      w,
      { queries },
    );
    const report = analyzeReport(ctx);
    await runPhases(analyzePhases, ctx, report);
    expect(report.phases.map((p) => [p.name, p.outcome])).toEqual([
      ['check queries and hpa', 'done'],
      ['load', 'done'],
      ['evaluate queries over time (metrics only)', 'skipped'],
      ['evaluate queries and hpa', 'done'],
      ['judge', 'done'],
      ['write report', 'done'],
    ]);
    expect(calls.filter((c) => c === 'errors').length).toBeGreaterThanOrEqual(3);
    expect(report.queries?.map((q) => [q.name, q.verdict])).toEqual([
      ['errors', 'pass'],
      ['empty', 'inconclusive'],
    ]);
    expect(report.verdict).toBe('inconclusive');
    expect(report.checks.at(-1)?.measured).toContain("query 'empty' returned no data");
  });

  it('a bad query fails before any load is sent', async () => {
    const w = world();
    const api: PrometheusApi = {
      query: (q) =>
        Promise.reject(new Error(`Prometheus rejected query '${q.name}' (bad_data: parse error)`)),
    };
    const values = {
      url: URLS.url,
      'prometheus-url': 'http://127.0.0.1:9',
      queries: '- {name: errors, query: "sum(", condition: "< 0.01"}',
    };
    const queries = new QueryWatch(
      api,
      getInputs(new Inputs(mapInputs(values)), {}).prometheus!.queries,
      0,
    );
    const candidate = w.sender(() => 5);
    const { ctx } = context(values, [candidate], w, { queries });
    const report = analyzeReport(ctx);
    await expect(runPhases(analyzePhases, ctx, report)).rejects.toThrow(
      "Prometheus rejected query 'errors'",
    );
    expect(candidate.sent).toBe(0);
    expect(wiring.outputs(report)).toEqual({});
  });

  it('a cancelled job stops the load: cancelled, no figures, no outputs', async () => {
    const w = world();
    const controller = new AbortController();
    const candidate = w.sender(() => 5);
    const { ctx } = context(
      { url: URLS.url, rate: '10', duration: '60s', warmup: '0s' },
      [
        {
          send: (b, s) => {
            if (candidate.sent === 20) controller.abort('SIGINT');
            return candidate.send(b, s);
          },
          close: () => undefined,
        },
      ],
      w,
      { signal: controller.signal },
    );
    const report = analyzeReport(ctx);
    await expect(runPhases(analyzePhases, ctx, report)).rejects.toThrow(/cancelled/);
    expect(candidate.sent).toBeLessThan(25);
    expect(report.candidate).toBeUndefined();
    expect(wiring.outputs(report)).toEqual({});
  });
});
