/**
 * What MLflow answers, checked before it reaches an output, a file, the log or the summary
 * (shared/server-values.ts): version numbers, run ids, source URIs (a KServe `storageUri`:
 * one line, no spaces or quotes), metric keys and values, param keys and values.
 */
import { checkedServerString, ServerValueError, shownValue } from '../../shared/server-values.ts';
import { METRIC_KEY } from './gate.ts';

/** A model version number as MLflow writes it (a decimal string, from 1). */
export const VERSION = /^[1-9][0-9]{0,9}$/;
/** MLflow run ids: 32 hex characters in OSS MLflow; letters, digits, `_`, `-` elsewhere. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/**
 * An artifact location: a URI with a scheme (`s3://`, `gs://`, `mlflow-artifacts:/`,
 * `models:/`, `dbfs:/`) or an absolute path; one line without spaces, quotes, backslashes or
 * braces, so it stays one YAML scalar and one shell word. At most 2048 characters.
 */
export const SOURCE_URI = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)[^\s"'`<>\\{}|^\p{Cc}]{0,2047}$/u;
/** Param values: at most 6000 characters (MLflow's limit), no control characters but tab, CR and LF. */
const PARAM_VALUE = /^(?:[^\p{Cc}]|[\t\n\r]){0,6000}$/u;
export const STATUSES = ['READY', 'PENDING_REGISTRATION', 'FAILED_REGISTRATION'] as const;

export function checkedVersion(value: unknown, what: string): string {
  return checkedServerString(value, VERSION, what);
}

export function checkedRunId(value: unknown, what: string): string {
  return checkedServerString(value, RUN_ID, what);
}

export function checkedSource(value: unknown, what: string): string {
  return checkedServerString(value, SOURCE_URI, what);
}

interface KeyValue {
  key?: unknown;
  value?: unknown;
}

/**
 * A run's metrics as a map: keys by METRIC_KEY, values finite numbers. MLflow writes NaN and
 * ±Infinity as strings; those metrics are left out (returned in `skipped`), so a gate on one
 * fails as missing rather than comparing NaN.
 */
export function checkedMetrics(
  list: unknown,
  runId: string,
): { metrics: Record<string, number>; skipped: string[] } {
  const metrics: Record<string, number> = {};
  const skipped: string[] = [];
  for (const m of Array.isArray(list) ? (list as KeyValue[]) : []) {
    const key = checkedServerString(m.key, METRIC_KEY, `MLflow metric key of run ${runId}`);
    if (typeof m.value === 'number' && Number.isFinite(m.value)) metrics[key] = m.value;
    else if (m.value === 'NaN' || m.value === 'Infinity' || m.value === '-Infinity')
      skipped.push(key);
    else
      throw new ServerValueError(
        `MLflow metric ${key} of run ${runId} from the server is not a number (got ${shownValue(m.value)}); refusing to use it`,
      );
  }
  return { metrics: sorted(metrics), skipped };
}

/** A run's params as a map: keys by METRIC_KEY (MLflow's key rule), values by PARAM_VALUE. */
export function checkedParams(list: unknown, runId: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const p of Array.isArray(list) ? (list as KeyValue[]) : []) {
    const key = checkedServerString(p.key, METRIC_KEY, `MLflow param key of run ${runId}`);
    params[key] = checkedServerString(p.value, PARAM_VALUE, `MLflow param ${key} of run ${runId}`);
  }
  return sorted(params);
}

function sorted<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
