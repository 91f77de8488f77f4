/**
 * analyze-release's inputs: parsed and checked in one step, before any request is sent.
 */
import { InputError } from '../../shared/errors.ts';
import { readConfinedFile, type PathPolicy } from '../../shared/files.ts';
import { Inputs } from '../../shared/inputs.ts';
import {
  parseLatencyLimits,
  parseRate,
  parseRegressions,
  parseShare,
  type LatencyLimit,
  type Regression,
} from './criteria.ts';
import { parsePredictionPath, type PathStep } from './predictions.ts';
import { parseQueries, type Query } from './prometheus.ts';
import { parseHpa, type HpaRef } from './hpa.ts';
import {
  baselineMayCome,
  baselineTarget,
  candidateTarget,
  kubeconfigFor,
  type TargetSpec,
} from './targets.ts';

export const FAIL_ON = ['fail', 'inconclusive', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/** How the load is driven: an open-loop arrival rate, or a closed loop of workers. */
export type LoadMode = { kind: 'rate'; rate: number } | { kind: 'concurrency'; workers: number };

export interface AnalyzeInputs {
  /** The candidate, then the baseline (when set): a URL or a Service via the API server. */
  targets: TargetSpec[];
  /** Appended to each target's URL (`path`). */
  path: string;
  /** For service targets: the kubeconfig file, and the namespace when the target names none. */
  kubeconfig?: string;
  namespace?: string;
  /** The HorizontalPodAutoscaler followed under the load (`hpa`). */
  hpa?: HpaRef;
  method: Method;
  headers: [string, string][];
  /** Request bodies, sent in turn (none: requests without a body). */
  bodies: Buffer[];
  load: LoadMode;
  durationMs: number;
  warmupMs: number;
  requestTimeoutMs: number;
  maxErrorRate?: number;
  maxLatency: LatencyLimit[];
  minThroughput?: number;
  maxRegression: Regression[];
  confidence: number;
  /** Where the prediction sits in a response (`prediction-path`); needs a baseline. */
  predictionPath?: PathStep[];
  maxPredictionChange?: number;
  /** Live metrics: Prometheus and the queries judged during and after the load. */
  prometheus?: {
    url: string;
    token?: string;
    queries: Query[];
    intervalMs: number;
    failureLimit: number;
  };
  /**
   * No load target, only `queries`: the verdict comes from Prometheus alone, evaluated
   * `evaluations` times `interval` apart (`targets` is then empty).
   */
  metricsOnly?: { evaluations: number };
  failOn: FailOn;
  /** Where the JSON report is written (RUNNER_TEMP). */
  outputDir: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_REQUESTS_BYTES = 16 * 1024 * 1024;
const MAX_BODIES = 100_000;

/** Why a malformed line is named by its number only: it would reach the log unmasked. */
const NOT_SHOWN = 'the line is not shown: it may hold a credential';

/**
 * The non-empty lines of a list input with their numbers as written (blank and `#` comment
 * lines counted), so an error can name a line without showing it.
 */
function numberedLines(text: string, comments: boolean): { line: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !(comments && line.startsWith('#')));
}

/**
 * `Name: value` lines. Values are sent as given; CR/LF can never be in one (lines split).
 * A bad line is named by its number, not echoed: the values are masked only once parsed.
 */
function headers(inputs: Inputs): [string, string][] {
  return numberedLines(inputs.optional('headers', ''), true).map(
    ({ line, number }): [string, string] => {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim() : '';
      if (!HEADER_NAME.test(name)) {
        throw new InputError(
          `Input 'headers' line ${number} must be "Name: value" with a header name (letters, digits, -) before the colon; ${NOT_SHOWN}.`,
        );
      }
      return [name, line.slice(colon + 1).trim()];
    },
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // JSON.parse's message quotes the text: never shown, a body may hold a credential.
    return false;
  }
}

/**
 * JSON Lines: each non-empty line one JSON body (checked here, sent as written). A bad line
 * is named by its number only: bodies are not masked. `expected` says what a line must be.
 */
export function parseBodies(what: string, text: string, expected: string): Buffer[] {
  const lines = numberedLines(text, false);
  if (lines.length === 0) throw new InputError(`${what} holds no request bodies.`);
  if (lines.length > MAX_BODIES) {
    throw new InputError(`${what} holds ${lines.length} bodies; at most ${MAX_BODIES}.`);
  }
  return lines.map(({ line, number }) => {
    if (!isJson(line)) {
      throw new InputError(`${what} line ${number} must be ${expected}; ${NOT_SHOWN}.`);
    }
    return Buffer.from(line);
  });
}

const JSON_LINES = 'a JSON request body (JSON Lines: one body per line';

/** `requests`: inline JSON (one body, or JSON Lines) or a JSON Lines file in the workspace. */
function bodies(inputs: Inputs, policy: PathPolicy): Buffer[] {
  const value = inputs.optional('requests');
  if (value === undefined) return [];
  if (/^[[{]/.test(value)) {
    // One pretty-printed JSON body is one body; otherwise JSON Lines.
    if (isJson(value)) return [Buffer.from(value)];
    return parseBodies(
      "Input 'requests'",
      value,
      `${JSON_LINES}; or the whole input one JSON body)`,
    );
  }
  const file = readConfinedFile('requests', value, policy, MAX_REQUESTS_BYTES);
  return parseBodies(`Input 'requests' (file "${value}")`, file.text, `${JSON_LINES})`);
}

function load(inputs: Inputs): LoadMode {
  const which = inputs.atMostOneOf('rate', 'concurrency');
  if (which === 'concurrency') {
    return {
      kind: 'concurrency',
      workers: inputs.int('concurrency', { min: 1, max: 10_000 }) ?? 1,
    };
  }
  return { kind: 'rate', rate: parseRate('rate', inputs.optional('rate', '10')) };
}

function confidence(inputs: Inputs): number {
  const value = inputs.optional('confidence', '0.95');
  const n = /^0\.\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0.5 && n <= 0.9999)) {
    throw new InputError(
      `Input 'confidence' must be a number from 0.5 to 0.9999 (got "${value}").`,
    );
  }
  return n;
}

function predictionInputs(
  inputs: Inputs,
  baseline: boolean,
): Pick<AnalyzeInputs, 'predictionPath' | 'maxPredictionChange'> {
  const text = inputs.optional('prediction-path');
  const max = inputs.optional('max-prediction-change');
  if (max !== undefined && text === undefined) {
    throw new InputError("Input 'max-prediction-change' needs 'prediction-path'.");
  }
  if (text === undefined) return {};
  if (!baseline) {
    throw new InputError(
      "Input 'prediction-path' compares predictions with a baseline: set 'baseline-url' or 'baseline-service'.",
    );
  }
  return {
    predictionPath: parsePredictionPath('prediction-path', text),
    ...(max !== undefined ? { maxPredictionChange: parseShare('max-prediction-change', max) } : {}),
  };
}

function prometheusInputs(inputs: Inputs): Pick<AnalyzeInputs, 'prometheus'> {
  const token = inputs.optional('prometheus-token');
  // A token travels only over https (or plain http on loopback).
  const url = inputs.url('prometheus-url', token ? { loopbackHttp: true } : {});
  const queries = inputs.optional('queries');
  if ((url === undefined) !== (queries === undefined)) {
    throw new InputError("Inputs 'prometheus-url' and 'queries' go together: set both or neither.");
  }
  if (url === undefined || queries === undefined) {
    // `interval` and `failure-limit` have defaults (the runner sets them): only the token.
    if (token !== undefined) {
      throw new InputError("Input 'prometheus-token' needs 'prometheus-url' and 'queries'.");
    }
    return {};
  }
  return {
    prometheus: {
      url,
      ...(token ? { token } : {}),
      queries: parseQueries('queries', queries),
      intervalMs: inputs.duration('interval', '10s', { minMs: 1000, maxMs: 600_000 }),
      failureLimit: inputs.int('failure-limit', { min: 0, max: 1000, fallback: 0 }),
    },
  };
}

const LOAD_TARGETS = ['url', 'service', 'inference-service'] as const;
/** Inputs that only mean something when a service is loaded (their defaults are empty). */
const LOAD_ONLY = [
  'baseline-url',
  'baseline-service',
  'requests',
  'method',
  'path',
  'headers',
  'rate',
  'concurrency',
  'max-latency',
  'min-throughput',
  'max-regression',
  'prediction-path',
  'max-prediction-change',
  'hpa',
  'kubeconfig',
  'namespace',
];
const MAX_WATCH_MS = 3_600_000;

/**
 * Metrics only when no load target is set: then `queries` is required and the load's own
 * inputs are refused (one error naming the first); `evaluations` belongs to this mode.
 */
function metricsOnlyMode(inputs: Inputs): AnalyzeInputs['metricsOnly'] {
  if (LOAD_TARGETS.some((n) => inputs.has(n))) {
    if (inputs.has('evaluations')) {
      throw new InputError(
        "Input 'evaluations' is for a metrics-only analysis (no 'url', 'service' or 'inference-service'); with a load, 'queries' run every 'interval' during it.",
      );
    }
    return undefined;
  }
  if (!inputs.has('queries') && !inputs.has('prometheus-url')) {
    throw new InputError(
      "Set one of the inputs 'url', 'service', 'inference-service' (the service to load), or 'prometheus-url' and 'queries' alone for a metrics-only analysis.",
    );
  }
  const loadOnly = LOAD_ONLY.find((n) => inputs.has(n));
  if (loadOnly !== undefined) {
    throw new InputError(
      `Input '${loadOnly}' needs a service to load: set 'url', 'service' or 'inference-service' (without one the analysis is metrics only).`,
    );
  }
  const evaluations = inputs.int('evaluations', { min: 1, max: 1000, fallback: 1 });
  const intervalMs = inputs.duration('interval', '10s', { minMs: 1000, maxMs: 600_000 });
  if ((evaluations - 1) * intervalMs > MAX_WATCH_MS) {
    throw new InputError(
      `Inputs 'evaluations' × 'interval' must span at most 1h (got ${evaluations - 1} × ${intervalMs / 1000} s).`,
    );
  }
  return { evaluations };
}

/** Parses and validates every input (reading the `requests` file) before any request. */
export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): AnalyzeInputs {
  const path = inputs.optional('path', '');
  if (path !== '' && (!path.startsWith('/') || /[\s#]/.test(path))) {
    throw new InputError(`Input 'path' must start with / and hold no spaces or # (got "${path}").`);
  }
  const metricsOnly = metricsOnlyMode(inputs);
  const candidate = metricsOnly ? undefined : candidateTarget(inputs);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const policy: PathPolicy = {
    workspace,
    roots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [],
    allowOutside: inputs.bool('allow-outside-workspace', false),
    liftWith: 'allow-outside-workspace',
  };
  const sent = bodies(inputs, policy);
  const baseline = baselineTarget(inputs);
  const targets = candidate ? (baseline ? [candidate, baseline] : [candidate]) : [];
  const hpaValue = inputs.optional('hpa');
  const hpa = hpaValue === undefined ? undefined : parseHpa('hpa', hpaValue);
  const maxRegression = parseRegressions('max-regression', inputs.optional('max-regression', ''));
  if (maxRegression.length > 0 && !baselineMayCome(candidate, baseline)) {
    throw new InputError(
      "Input 'max-regression' compares with a baseline: set 'baseline-url' or 'baseline-service'.",
    );
  }
  const errorRate = inputs.optional('max-error-rate', '1%');
  const predictions = predictionInputs(inputs, baselineMayCome(candidate, baseline));
  const minThroughput = inputs.optional('min-throughput');
  return {
    targets,
    path,
    ...(hpa ? { hpa } : {}),
    ...(hpa || targets.some((t) => t.kind === 'service')
      ? {
          kubeconfig: kubeconfigFor(inputs, env, workspace),
          ...(inputs.dnsLabel('namespace') ? { namespace: inputs.dnsLabel('namespace') } : {}),
        }
      : {}),
    method: inputs.oneOf('method', METHODS, sent.length > 0 ? 'POST' : 'GET'),
    headers: headers(inputs),
    bodies: sent,
    load: load(inputs),
    durationMs: inputs.duration('duration', '60s', { minMs: 1000, maxMs: 3_600_000 }),
    warmupMs: inputs.duration('warmup', '5s', { maxMs: 600_000 }),
    requestTimeoutMs: inputs.duration('request-timeout', '10s', { minMs: 1, maxMs: 600_000 }),
    ...(errorRate === 'none' ? {} : { maxErrorRate: parseShare('max-error-rate', errorRate) }),
    maxLatency: parseLatencyLimits('max-latency', inputs.optional('max-latency', '')),
    ...(minThroughput ? { minThroughput: parseRate('min-throughput', minThroughput) } : {}),
    maxRegression,
    confidence: confidence(inputs),
    ...predictions,
    ...prometheusInputs(inputs),
    ...(metricsOnly ? { metricsOnly } : {}),
    failOn: inputs.oneOf('fail-on', FAIL_ON, 'fail'),
    outputDir: env.RUNNER_TEMP || workspace,
  };
}

/** Header values that carry credentials: masked before anything can print them. */
export function secretHeaderValues(parsed: AnalyzeInputs): string[] {
  const token = parsed.prometheus?.token;
  return parsed.headers
    .filter(([name]) => /authorization|cookie|token|key|secret|password/i.test(name))
    .map(([, value]) => value)
    .concat(token ? [token] : [])
    .filter((v) => v !== '');
}
