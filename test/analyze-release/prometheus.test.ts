/**
 * The Prometheus queries against the real Debian `prometheus` (2.42) scraping a model
 * server: values, a bad query (400 bad_data) named, an unreachable Prometheus, an empty
 * result judged inconclusive; and the `queries` input.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InputError } from '../../shared/errors.ts';
import { systemClock } from '../../shared/clock.ts';
import { createHttpClient } from '../../shared/http.ts';
import {
  parseQueries,
  prometheusApi,
  type Query,
} from '../../actions/analyze-release/prometheus.ts';
import { QueryWatch } from '../../actions/analyze-release/query-watch.ts';
import { freePort } from '../harness/process.ts';
import { startModelServer, type ModelServer } from '../harness/fakes/model-server.ts';
import { startPrometheus, type PrometheusPeer } from '../harness/prometheus.ts';

const http = createHttpClient({ clock: systemClock, timeoutMs: 5000, attempts: 1 });
const signal = new AbortController().signal;
const q = (name: string, query: string, condition = '< 1'): Query =>
  parseQueries('queries', JSON.stringify([{ name, query, condition }]))[0]!;

describe('queries input', () => {
  it('a YAML list of name, query, condition', () => {
    expect(
      parseQueries(
        'queries',
        '- name: errors\n  query: sum(rate(x[1m]))\n  condition: "<= 0.01"\n',
      ),
    ).toEqual([
      {
        name: 'errors',
        query: 'sum(rate(x[1m]))',
        op: '<=',
        threshold: 0.01,
        condition: '<= 0.01',
      },
    ]);
  });

  it.each<[string, RegExp]>([
    ['name: x', /must be a YAML list/],
    ['- name: x\n  query: up\n  condition: about 1', /item 1 \(x\): condition must be/],
    ['- name: "|bad|"\n  query: up\n  condition: "< 1"', /item 1: name must be/],
    ['- name: x\n  condition: "< 1"', /item 1 \(x\): query must be PromQL/],
    [
      '- {name: x, query: up, condition: "< 1"}\n- {name: x, query: up, condition: "< 1"}',
      /"x" is used twice/,
    ],
    ['[', /not valid YAML/],
  ])('%j is refused, naming the input', (text, message) => {
    expect(() => parseQueries('queries', text)).toThrow(InputError);
    expect(() => parseQueries('queries', text)).toThrow(message);
  });
});

describe('Prometheus 2.42 (real)', () => {
  let model: ModelServer;
  let prom: PrometheusPeer;

  beforeAll(async () => {
    model = await startModelServer();
    prom = await startPrometheus([new URL(model.url).host]);
    await prom.scraped();
  }, 40_000);

  afterAll(async () => {
    await prom?.stop();
    await model?.close();
  });

  it('an instant vector comes back as its values', async () => {
    const api = prometheusApi(prom.url, undefined, http);
    expect(await api.query(q('up', 'up'), signal)).toEqual([1]);
    expect(await api.query(q('scalar', 'scalar(vector(0.5))'), signal)).toEqual([0.5]);
  });

  it('bad PromQL: Prometheus answers 400 bad_data, the error names the query', async () => {
    const api = prometheusApi(prom.url, undefined, http);
    await expect(
      api.query(q('error ratio', 'sum(rate(model_requests_total[1m]'), signal),
    ).rejects.toThrow(/^Prometheus rejected query 'error ratio' \(bad_data: .*parse error/);
  });

  it('an empty result: the query is inconclusive, named', async () => {
    const watch = new QueryWatch(
      prometheusApi(prom.url, undefined, http),
      [q('nothing', 'model_nonexistent_metric')],
      0,
    );
    await watch.check(signal);
    await watch.evaluate(signal);
    const [result] = watch.results();
    expect(result).toMatchObject({ name: 'nothing', verdict: 'inconclusive', empty: 1, failed: 0 });
  });

  it('a value breaking the condition fails the evaluation; failure-limit tolerates some', async () => {
    const api = prometheusApi(prom.url, undefined, http);
    const strict = new QueryWatch(api, [q('up', 'up', '< 1')], 0);
    const lenient = new QueryWatch(api, [q('up', 'up', '< 1')], 1);
    for (const w of [strict, lenient]) await w.evaluate(signal);
    expect(strict.results()[0]).toMatchObject({
      verdict: 'fail',
      failed: 1,
      lastFailure: '1 breaks < 1',
    });
    expect(lenient.results()[0]).toMatchObject({ verdict: 'pass', failed: 1 });
  });
});

describe('unreachable Prometheus', () => {
  it('a clear error naming the address and the query', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await expect(prometheusApi(url, undefined, http).query(q('up', 'up'), signal)).rejects.toThrow(
      new RegExp(`^Prometheus at ${url} is unreachable \\(.*ECONNREFUSED.*\\) for query 'up'`),
    );
  });
});
