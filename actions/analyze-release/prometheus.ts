/**
 * Live metrics: `queries` (name, PromQL, condition) run as instant queries against
 * `prometheus-url` through shared/http.ts — once before the load (a bad query or an
 * unreachable Prometheus fails the step before any load is sent), every `interval` during it
 * and once after. As Argo Rollouts' analysis: an evaluation fails when any returned value
 * breaks the condition; a query fails when more than `failure-limit` evaluations failed; a
 * query whose last evaluation returned no data is `inconclusive`, named.
 *
 * Prometheus' answers are server values: only numbers (parsed, finite) and its errorType (a
 * lower-case word) are kept; its error text is cut to 200 characters of a plain set (no
 * Markdown, HTML or control characters).
 */
import { parse as parseYaml } from 'yaml';
import { HttpError, InputError } from '../../shared/errors.ts';
import { redactUrl, type HttpClient } from '../../shared/http.ts';

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Query {
  name: string;
  query: string;
  op: Operator;
  threshold: number;
  /** `< 0.01`, as shown. */
  condition: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/;
const CONDITION = /^(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/;

function item(name: string, raw: unknown, i: number): Query {
  const where = `Input '${name}': item ${i + 1}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${where} must be a mapping with name, query and condition.`);
  }
  const { name: n, query, condition } = raw as Record<string, unknown>;
  if (typeof n !== 'string' || !NAME.test(n)) {
    throw new InputError(
      `${where}: name must be 1-64 letters, digits, spaces or _.:- (got ${JSON.stringify(n)}).`,
    );
  }
  if (typeof query !== 'string' || query.trim() === '' || query.length > 4000) {
    throw new InputError(`${where} (${n}): query must be PromQL text, at most 4000 characters.`);
  }
  const m = typeof condition === 'string' ? CONDITION.exec(condition.trim()) : null;
  if (!m) {
    throw new InputError(
      `${where} (${n}): condition must be an operator and a number, such as "< 0.01" or ">= 2" (got ${JSON.stringify(condition)}).`,
    );
  }
  return {
    name: n,
    query: query.trim(),
    op: m[1] as Operator,
    threshold: Number(m[2]),
    condition: `${m[1]} ${m[2]}`,
  };
}

/** `queries`: a YAML list of {name, query, condition}; names unique. */
export function parseQueries(name: string, text: string): Query[] {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    throw new InputError(
      `Input '${name}' is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`,
    );
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new InputError(`Input '${name}' must be a YAML list of {name, query, condition}.`);
  }
  const queries = data.map((raw, i) => item(name, raw, i));
  const seen = new Set<string>();
  for (const q of queries) {
    if (seen.has(q.name))
      throw new InputError(`Input '${name}': the name "${q.name}" is used twice.`);
    seen.add(q.name);
  }
  return queries;
}

export function holds(op: Operator, value: number, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** What Prometheus answered to one instant query: finite values (empty: no data). */
export interface PrometheusApi {
  query(q: Query, signal: AbortSignal): Promise<number[]>;
}

function shortText(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  // Only characters that cannot start Markdown, HTML or a workflow command reach the summary.
  return text
    .replace(/[^A-Za-z0-9 .,:;'"=+\-/{}~()]+/g, ' ')
    .trim()
    .slice(0, 200);
}

function valuesOf(data: unknown): number[] {
  const d = data as { resultType?: unknown; result?: unknown };
  const sample = (pair: unknown): number => Number(Array.isArray(pair) ? pair[1] : NaN);
  let values: number[] = [];
  if (d.resultType === 'vector' && Array.isArray(d.result)) {
    values = d.result.map((r) => sample((r as { value?: unknown }).value));
  } else if (d.resultType === 'scalar') {
    values = [sample(d.result)];
  } else {
    throw new Error(
      `answered a ${shortText(d.resultType) || 'malformed'} result; use a query that returns an instant vector or a scalar`,
    );
  }
  // NaN (0/0 with no traffic) and ±Inf say nothing about the release.
  return values.filter((v) => Number.isFinite(v));
}

/** The Prometheus HTTP API (GET /api/v1/query) on the one HTTP client. */
export function prometheusApi(
  baseUrl: string,
  token: string | undefined,
  http: HttpClient,
): PrometheusApi {
  const base = baseUrl.replace(/\/+$/, '');
  const shown = redactUrl(base).replace(/\/$/, '');
  return {
    async query(q, signal) {
      const url = `${base}/api/v1/query?query=${encodeURIComponent(q.query)}`;
      let body: string;
      try {
        const res = await http.request({
          url,
          signal,
          okStatuses: [200, 400, 422, 503],
          label: `Prometheus query '${q.name}'`,
          ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
        });
        body = res.body;
      } catch (error) {
        if (error instanceof HttpError && error.status === undefined) {
          throw new Error(
            `Prometheus at ${shown} is unreachable (${error.detail}) for query '${q.name}'`,
          );
        }
        if (error instanceof HttpError) {
          throw new Error(
            `Prometheus at ${shown} answered HTTP ${error.status} to query '${q.name}'`,
          );
        }
        throw error;
      }
      let answer: { status?: unknown; errorType?: unknown; error?: unknown; data?: unknown };
      try {
        answer = JSON.parse(body) as typeof answer;
      } catch {
        throw new Error(
          `Prometheus at ${shown} answered query '${q.name}' with something other than JSON`,
        );
      }
      if (answer.status !== 'success') {
        const type = /^[a-z_]{1,40}$/.test(String(answer.errorType))
          ? String(answer.errorType)
          : 'error';
        throw new Error(
          `Prometheus rejected query '${q.name}' (${type}: ${shortText(answer.error)})`,
        );
      }
      try {
        return valuesOf(answer.data);
      } catch (error) {
        throw new Error(`Prometheus query '${q.name}' ${(error as Error).message}`);
      }
    },
  };
}
