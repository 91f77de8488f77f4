/** analyze-release's inputs: parsed as the design says; every mistake one InputError naming the input. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import {
  parseLatencyLimits,
  parseRegressions,
  parseShare,
} from '../../actions/analyze-release/criteria.ts';
import { getInputs, secretHeaderValues } from '../../actions/analyze-release/inputs.ts';

const url = 'http://127.0.0.1:8080';
const parse = (values: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  getInputs(new Inputs(mapInputs(values)), { GITHUB_WORKSPACE: tmpdir(), ...env });

/** The message of the InputError `values` must raise. */
function inputErrorOf(values: Record<string, string>): string {
  let caught: unknown;
  try {
    parse(values);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  return (caught as Error).message;
}

describe('criteria', () => {
  it.each([
    ['2%', 0.02],
    ['0.02', 0.02],
    ['0', 0],
    ['100%', 1],
  ])('share %s is %d', (text, share) => {
    expect(parseShare('max-error-rate', text)).toBeCloseTo(share, 10);
  });

  it.each(['2', '-1%', '2 %', 'abc', '101%'])('share %s is refused', (text) => {
    expect(() => parseShare('max-error-rate', text)).toThrow(/Input 'max-error-rate'/);
  });

  it('max-latency: percentiles and durations, `<` or `<=`, a bare number is ms', () => {
    expect(parseLatencyLimits('max-latency', 'p95<300ms, p99<=1s, p99.9<1500')).toEqual([
      { percentile: 95, maxMs: 300, label: 'p95<300ms' },
      { percentile: 99, maxMs: 1000, label: 'p99<1s' },
      { percentile: 99.9, maxMs: 1500, label: 'p99.9<1500' },
    ]);
  });

  it.each(['p95>300ms', 'p0<1s', 'p101<1s', 'q95<1s', 'p95<fast', 'p95'])(
    'max-latency %s is refused, naming the input',
    (text) => {
      expect(() => parseLatencyLimits('max-latency', text)).toThrow(/Input 'max-latency'/);
    },
  );

  it('max-regression: latency by %, error rate by percentage points', () => {
    expect(parseRegressions('max-regression', 'p95:10%, error-rate:0.5pp')).toEqual([
      { kind: 'latency', percentile: 95, maxRatio: 1.1, label: 'p95:10%' },
      { kind: 'error-rate', maxPoints: 0.005, label: 'error-rate:0.5pp' },
    ]);
  });

  it.each(['p95:10', 'error-rate:1%', 'latency:10%', 'p95'])(
    'max-regression %s is refused',
    (t) => {
      expect(() => parseRegressions('max-regression', t)).toThrow(/Input 'max-regression'/);
    },
  );
});

describe('getInputs', () => {
  it('defaults: GET at 10 req/s for 60 s after 5 s, 1% errors, fail on fail', () => {
    const inputs = parse({ url: `${url}/`, path: '/v1/models/iris:predict' });
    expect(inputs).toMatchObject({
      targets: [{ kind: 'url', url: `${url}/` }],
      path: '/v1/models/iris:predict',
      method: 'GET',
      bodies: [],
      load: { kind: 'rate', rate: 10 },
      durationMs: 60_000,
      warmupMs: 5000,
      requestTimeoutMs: 10_000,
      maxErrorRate: 0.01,
      confidence: 0.95,
      failOn: 'fail',
    });
  });

  it('an inline body makes the method POST; inline JSON Lines are several bodies', () => {
    expect(parse({ url, requests: '{"instances": [[1, 2]]}' })).toMatchObject({
      method: 'POST',
      bodies: [Buffer.from('{"instances": [[1, 2]]}')],
    });
    expect(parse({ url, requests: '{"a": 1}\n{"a": 2}\n' }).bodies).toHaveLength(2);
  });

  it('a JSON Lines file in the workspace is read; a bad line is named', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'analyze-inputs-'));
    try {
      writeFileSync(path.join(dir, 'r.jsonl'), '{"a": 1}\n\n{"a": 2}\n');
      writeFileSync(path.join(dir, 'bad.jsonl'), '{"a": 1}\nnot json\n');
      const env = { GITHUB_WORKSPACE: dir };
      expect(parse({ url, requests: 'r.jsonl' }, env).bodies.map(String)).toEqual([
        '{"a": 1}',
        '{"a": 2}',
      ]);
      expect(() => parse({ url, requests: 'bad.jsonl' }, env)).toThrow(
        /^Input 'requests' \(file "bad\.jsonl"\) line 2 must be a JSON request body/,
      );
      expect(() => parse({ url, requests: '/etc/hostname' }, env)).toThrow(
        /Input 'requests'.*outside the workspace/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('service targets: namespace/name:port, KServe predictor, kubeconfig from KUBECONFIG', () => {
    const inputs = parse(
      {
        'inference-service': 'models/iris',
        'baseline-service': 'iris-stable:8080',
        namespace: 'ml',
      },
      { KUBECONFIG: '/tmp/kc:/tmp/other' },
    );
    expect(inputs.targets).toEqual([
      {
        kind: 'service',
        namespace: 'models',
        name: 'iris-predictor',
        port: undefined,
        label: 'inference-service models/iris',
      },
      {
        kind: 'service',
        namespace: undefined,
        name: 'iris-stable',
        port: '8080',
        label: 'baseline-service iris-stable:8080',
      },
    ]);
    expect(inputs.kubeconfig).toBe('/tmp/kc');
    expect(inputs.namespace).toBe('ml');
  });

  it('concurrency is a closed loop', () => {
    expect(parse({ url, concurrency: '8' }).load).toEqual({ kind: 'concurrency', workers: 8 });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no target', {}, /Set one of the inputs 'url', 'service', 'inference-service'/],
    ['url and service', { url, service: 'iris' }, /'url' and 'service' cannot be used together/],
    [
      'service with a bad name',
      { service: 'Iris_1' },
      /Input 'service' must be \[namespace\/\]name\[:port\]/,
    ],
    [
      'inference-service with a port',
      { 'inference-service': 'm/iris:80' },
      /Input 'inference-service' must be \[namespace\/\]name,/,
    ],
    ['service without a kubeconfig', { service: 'iris' }, /No kubeconfig for 'service'/],
    [
      'two baselines',
      { url, 'baseline-url': url, 'baseline-service': 'iris' },
      /'baseline-url' and 'baseline-service' cannot be used together/,
    ],
    ['url not http', { url: 'ftp://x' }, /Input 'url'/],
    ['rate and concurrency', { url, rate: '5', concurrency: '2' }, /'rate' and 'concurrency'/],
    ['rate zero', { url, rate: '0' }, /Input 'rate'/],
    ['concurrency zero', { url, concurrency: '0' }, /Input 'concurrency'/],
    ['duration', { url, duration: 'forever' }, /Input 'duration'/],
    ['duration too short', { url, duration: '500ms' }, /Input 'duration' must be at least 1s/],
    ['path without /', { url, path: 'v1' }, /Input 'path'/],
    ['method', { url, method: 'TRACE' }, /Input 'method'/],
    ['headers', { url, headers: 'no colon here' }, /Input 'headers'/],
    ['regression without baseline', { url, 'max-regression': 'p95:10%' }, /'baseline-url'/],
    ['confidence', { url, confidence: '1.5' }, /Input 'confidence'/],
    ['fail-on', { url, 'fail-on': 'maybe' }, /Input 'fail-on'/],
    ['requests not JSON', { url, requests: '{nope' }, /Input 'requests' line 1 must be a JSON/],
    ['min-throughput', { url, 'min-throughput': 'lots' }, /Input 'min-throughput'/],
    [
      'prometheus-url without queries',
      { url, 'prometheus-url': 'http://127.0.0.1:9090' },
      /'prometheus-url' and 'queries' go together/,
    ],
    ['token without prometheus', { url, 'prometheus-token': 't' }, /'prometheus-token' needs/],
    [
      'a token to plain-http Prometheus off loopback',
      {
        url,
        'prometheus-url': 'http://prometheus.example.com',
        'prometheus-token': 't',
        queries: '[{name: a, query: up, condition: "> 0"}]',
      },
      /Input 'prometheus-url': .* must use https/,
    ],
    [
      'failure-limit negative',
      {
        url,
        'prometheus-url': 'http://127.0.0.1:9090',
        queries: '[{name: a, query: up, condition: "> 0"}]',
        'failure-limit': '-1',
      },
      /Input 'failure-limit'/,
    ],
    [
      'prediction-path without a baseline',
      { url, 'prediction-path': 'predictions[*]' },
      /Input 'prediction-path' compares .* set 'baseline-url'/,
    ],
    [
      'max-prediction-change without prediction-path',
      { url, 'baseline-url': url, 'max-prediction-change': '5%' },
      /'max-prediction-change' needs 'prediction-path'/,
    ],
    [
      'max-prediction-change not a share',
      { url, 'baseline-url': url, 'prediction-path': 'p', 'max-prediction-change': 'some' },
      /Input 'max-prediction-change' must be a share/,
    ],
  ])('%s: an InputError naming the input', (_, values, message) => {
    expect(inputErrorOf(values)).toMatch(message);
  });

  it('hpa: [namespace/]name, needs a kubeconfig', () => {
    expect(parse({ url, hpa: 'models/iris' }, { KUBECONFIG: '/tmp/kc' })).toMatchObject({
      hpa: { namespace: 'models', name: 'iris' },
      kubeconfig: '/tmp/kc',
    });
    expect(() => parse({ url, hpa: 'iris' })).toThrow(/No kubeconfig for .*'hpa'/);
    expect(() => parse({ url, hpa: 'Models/iris' }, { KUBECONFIG: '/tmp/kc' })).toThrow(
      /Input 'hpa' must be \[namespace\/\]name/,
    );
  });

  it('a malformed header line is named by its number, never echoed (it may hold a credential)', () => {
    // The values are masked only once parsed: the error would reach the log unmasked.
    for (const bad of ['Authorization Bearer s3cret-leak', 'Bearer s3cret-leak: x']) {
      const message = inputErrorOf({ url, headers: `Accept: application/json\n${bad}` });
      expect(message).toMatch(/Input 'headers' line 2 must be "Name: value"/);
      expect(message).not.toContain('s3cret-leak');
    }
  });

  it('a request line that is not JSON is named by its number, never quoted (a body may hold a credential)', () => {
    // JSON.parse's own message quotes the start of the line: it must not reach the error.
    const bad = '{"token": sk-live-7f3a9c}';
    const inline = inputErrorOf({ url, requests: `{"a": 1}\n${bad}` });
    expect(inline).toBe(
      `Input 'requests' line 2 must be a JSON request body (JSON Lines: one body per line; or the whole input one JSON body); the line is not shown: it may hold a credential.`,
    );
    expect(inline).not.toContain('sk-live');
    const dir = mkdtempSync(path.join(tmpdir(), 'analyze-inputs-'));
    try {
      // The number is the line's own in the file, blank lines counted.
      writeFileSync(path.join(dir, 'r.jsonl'), `{"a": 1}\n\n${bad}\n`);
      let caught: unknown;
      try {
        parse({ url, requests: 'r.jsonl' }, { GITHUB_WORKSPACE: dir });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as Error).message).toBe(
        `Input 'requests' (file "r.jsonl") line 3 must be a JSON request body (JSON Lines: one body per line); the line is not shown: it may hold a credential.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a malformed header line is numbered as written, comments and blank lines counted', () => {
    const message = inputErrorOf({
      url,
      headers: '# auth\nAccept: application/json\n\nBearer s3cret-leak',
    });
    expect(message).toMatch(/^Input 'headers' line 4 must be "Name: value"/);
    expect(message).not.toContain('s3cret-leak');
  });

  it('credential-looking header values are to be masked, others not', () => {
    const inputs = parse({
      url,
      headers: 'Authorization: Bearer s3cret\nX-Api-Key: k3y\nAccept: application/json',
    });
    expect(secretHeaderValues(inputs)).toEqual(['Bearer s3cret', 'k3y']);
  });

  it('prometheus: url, token (masked with the header secrets), queries, interval, limit', () => {
    const inputs = parse({
      url,
      'prometheus-url': 'https://prom.example.com/',
      'prometheus-token': 'prom-t0ken',
      queries: '- {name: up, query: up, condition: "== 1"}',
      interval: '2s',
      'failure-limit': '2',
    });
    expect(inputs.prometheus).toMatchObject({
      url: 'https://prom.example.com/',
      token: 'prom-t0ken',
      intervalMs: 2000,
      failureLimit: 2,
      queries: [{ name: 'up', op: '==', threshold: 1 }],
    });
    expect(secretHeaderValues(inputs)).toEqual(['prom-t0ken']);
  });
});

describe('targetUrl', () => {
  it('a URL gets the path; a Service goes through the API server proxy', async () => {
    const { targetUrl } = await import('../../actions/analyze-release/targets.ts');
    expect(targetUrl({ kind: 'url', url: 'http://h:1/' }, '/p')).toBe('http://h:1/p');
    const svc = {
      kind: 'service',
      namespace: undefined,
      name: 'iris',
      port: '8080',
      label: 's',
    } as const;
    expect(
      targetUrl(svc, '/v1/models/iris:predict', { server: 'https://k:6443', namespace: 'ml' }),
    ).toBe('https://k:6443/api/v1/namespaces/ml/services/iris:8080/proxy/v1/models/iris:predict');
    expect(
      targetUrl({ ...svc, namespace: 'x', port: undefined }, '', {
        server: 'https://k',
        namespace: undefined,
      }),
    ).toBe('https://k/api/v1/namespaces/x/services/iris/proxy');
  });
});
