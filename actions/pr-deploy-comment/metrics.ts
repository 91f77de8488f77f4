/**
 * Model metrics (a JSON or YAML mapping) as rows of a table, with a delta column against a
 * baseline. Nested mappings flatten to dotted names (`eval.accuracy`), so the usual outputs
 * of training scripts (flat or grouped by split) render without a schema.
 */
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../shared/errors.ts';
import { markdownTable } from '../../shared/summary.ts';

export interface Metric {
  name: string;
  value: number | string;
}

const MAX_METRICS = 200;

function flatten(prefix: string, value: unknown, out: Metric[]): void {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    out.push({ name: prefix, value: typeof value === 'boolean' ? String(value) : value });
  } else if (value === null || value === undefined) {
    out.push({ name: prefix, value: '' });
  } else if (Array.isArray(value)) {
    out.push({ name: prefix, value: JSON.stringify(value) });
  } else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      flatten(prefix ? `${prefix}.${key}` : key, inner, out);
    }
  }
}

/** Parses JSON or YAML text into metrics; `what` names the input in errors. */
export function parseMetrics(text: string, what: string): Metric[] {
  let data: unknown;
  try {
    // YAML 1.2 is a superset of JSON: one parser reads both.
    data = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? '';
    throw new InputError(`${what} is not valid JSON or YAML: ${reason}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(
      `${what} must be a JSON or YAML mapping of metric names to values, e.g. {"accuracy": 0.94} (got ${Array.isArray(data) ? 'a list' : typeof data === 'string' ? 'plain text' : String(data)}).`,
    );
  }
  const out: Metric[] = [];
  flatten('', data, out);
  if (out.length === 0) throw new InputError(`${what} holds no metrics.`);
  if (out.length > MAX_METRICS) {
    throw new InputError(`${what} holds ${out.length} metrics; at most ${MAX_METRICS} render.`);
  }
  return out;
}

/** A number as people read metrics: at most 4 decimals, no float noise (0.1 + 0.2). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 2 : abs >= 1 ? 3 : 4;
  return String(Number(n.toFixed(digits)));
}

/** `↑ +0.012 (+1.3%)`: arrows say the direction only, without judging it (lower loss is good). */
export function formatDelta(current: number, baseline: number): string {
  const diff = current - baseline;
  const rounded = Number(formatNumber(diff));
  if (rounded === 0) return '= 0';
  const arrow = diff > 0 ? '↑' : '↓';
  const sign = diff > 0 ? '+' : '−';
  const pct =
    baseline === 0 ? '' : ` (${sign}${Number(Math.abs((diff / baseline) * 100).toFixed(1))}%)`;
  return `${arrow} ${sign}${formatNumber(Math.abs(diff))}${pct}`;
}

/**
 * Text from a metrics file in code style, where GitHub renders no Markdown or HTML: an
 * `@mention`, an image `![](https://tracker…)`, `<details>` or an HTML comment stays literal
 * text. A backtick inside would end the code span early, so it becomes a quote. The one
 * escaping for names and values alike.
 */
export function literal(text: string): string {
  if (text === '') return '';
  return `\`${text.replace(/`/g, "'")}\``;
}

function show(value: number | string | undefined): string {
  if (value === undefined) return '—';
  return typeof value === 'number' ? formatNumber(value) : literal(value);
}

/** The metrics table; with a baseline, a Baseline and a Δ column (and rows for removed metrics). */
export function metricsTable(current: readonly Metric[], baseline?: readonly Metric[]): string {
  if (!baseline) {
    return markdownTable(
      ['Metric', 'Value'],
      current.map((m) => [literal(m.name), show(m.value)]),
    );
  }
  const before = new Map(baseline.map((m) => [m.name, m.value]));
  const names = new Set(current.map((m) => m.name));
  const rows = current.map((m) => {
    const base = before.get(m.name);
    let delta = '';
    if (base === undefined) delta = 'new';
    else if (typeof m.value === 'number' && typeof base === 'number')
      delta = formatDelta(m.value, base);
    else delta = String(base) === String(m.value) ? '=' : 'changed';
    return [literal(m.name), show(m.value), show(base), delta];
  });
  for (const m of baseline) {
    if (!names.has(m.name)) rows.push([literal(m.name), '—', show(m.value), 'removed']);
  }
  return markdownTable(['Metric', 'Value', 'Baseline', 'Δ'], rows);
}
