/**
 * The gate: `min-metrics` thresholds on the candidate's run, and `must-beat` (the run behind
 * an alias such as `champion`) compared on the same metrics within `tolerance`. Which way is
 * better comes from the threshold's operator: `accuracy>=0.9` says higher is better,
 * `rmse<=0.3` lower; `==` asks for the same value (within the tolerance). Pure functions.
 */
import { InputError } from '../../shared/errors.ts';

export const OPERATORS = ['>=', '<=', '==', '>', '<'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Threshold {
  metric: string;
  op: Operator;
  value: number;
}

/** How far worse than the champion still passes: absolute, or a share of the champion's value. */
export type Tolerance = { kind: 'absolute'; value: number } | { kind: 'relative'; share: number };

/** One row of the gate: a metric, its figures, and what was asked of it. */
export interface GateCheck {
  metric: string;
  candidate?: number;
  champion?: number;
  /** What was asked, as people read it: `>= 0.9`, `>= champion − 0.01`. */
  rule: string;
  verdict: 'pass' | 'fail';
  /** Why, for the failure line and the summary: `0.85 < 0.9`, `missing on the run`. */
  why: string;
}

/** MLflow's metric key characters (alphanumerics, `_ - . / ` and space), at most 250. */
export const METRIC_KEY = /^[A-Za-z0-9_\-. /]{1,250}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TERM = /^\s*([A-Za-z0-9_\-./][A-Za-z0-9_\-. /]*?)\s*(>=|<=|==|>|<)\s*(\S+)\s*$/;

/** `accuracy>=0.9, f1>=0.8` (commas or lines) into thresholds; one error naming the input. */
export function parseThresholds(input: string, text: string): Threshold[] {
  const terms = text
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const seen = new Set<string>();
  return terms.map((term) => {
    const m = TERM.exec(term);
    const [, metric = '', op = '', value = ''] = m ?? [];
    if (!m || !METRIC_KEY.test(metric) || !NUMBER.test(value)) {
      throw new InputError(
        `Input '${input}' must hold terms such as "accuracy>=0.9, rmse<=0.3" (metric, one of ${OPERATORS.join(' ')}, a number); got "${term}".`,
      );
    }
    if (seen.has(metric)) throw new InputError(`Input '${input}' names "${metric}" twice.`);
    seen.add(metric);
    return { metric, op: op as Operator, value: Number(value) };
  });
}

/** `0.01` (absolute) or `1%` (of the champion's value); at least 0. */
export function parseTolerance(input: string, text: string): Tolerance {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!m) {
    throw new InputError(
      `Input '${input}' must be a non-negative number (absolute, e.g. 0.01) or a percentage of the champion's value (e.g. 1%); got "${text}".`,
    );
  }
  const n = Number(m[1]);
  return m[2] ? { kind: 'relative', share: n / 100 } : { kind: 'absolute', value: n };
}

function holds(op: Operator, a: number, b: number): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '==':
      return a === b;
  }
}

const NEGATION: Record<Operator, string> = {
  '>=': '<',
  '>': '<=',
  '<=': '>',
  '<': '>=',
  '==': '!=',
};

/** Each threshold on the candidate's metrics; a metric the run lacks fails, named. */
export function thresholdChecks(
  thresholds: readonly Threshold[],
  metrics: Readonly<Record<string, number>>,
): GateCheck[] {
  return thresholds.map((t) => {
    const value = metrics[t.metric];
    const rule = `${t.op} ${t.value}`;
    if (value === undefined) {
      return { metric: t.metric, rule, verdict: 'fail', why: `${t.metric} is missing on the run` };
    }
    const ok = holds(t.op, value, t.value);
    return {
      metric: t.metric,
      candidate: value,
      rule,
      verdict: ok ? 'pass' : 'fail',
      why: `${t.metric} ${value} ${ok ? t.op : NEGATION[t.op]} ${t.value}`,
    };
  });
}

function allowance(tolerance: Tolerance, champion: number): number {
  return tolerance.kind === 'absolute' ? tolerance.value : Math.abs(champion) * tolerance.share;
}

function toleranceText(tolerance: Tolerance): string {
  return tolerance.kind === 'absolute' ? String(tolerance.value) : `${tolerance.share * 100}%`;
}

/** Float noise (0.1 + 0.2) must not fail a comparison at its exact limit. */
const EPSILON = 1e-12;

/**
 * The candidate against the champion on each gated metric: not worse (by the threshold's
 * direction) by more than the tolerance. A metric the champion's run lacks is not compared
 * (passes, said so); one the candidate lacks fails (already failed by its threshold).
 */
export function championChecks(
  thresholds: readonly Threshold[],
  candidate: Readonly<Record<string, number>>,
  champion: Readonly<Record<string, number>>,
  tolerance: Tolerance,
): GateCheck[] {
  const tol = toleranceText(tolerance);
  return thresholds.map((t): GateCheck => {
    const c = candidate[t.metric];
    const b = champion[t.metric];
    const higher = t.op === '>=' || t.op === '>';
    const rule =
      t.op === '=='
        ? `== champion ± ${tol}`
        : `${higher ? '>=' : '<='} champion ${higher ? '−' : '+'} ${tol}`;
    const base = { metric: t.metric, rule, ...(c !== undefined ? { candidate: c } : {}) };
    if (b === undefined) {
      return {
        ...base,
        verdict: 'pass',
        why: `the champion's run has no ${t.metric}: not compared`,
      };
    }
    if (c === undefined) {
      return { ...base, champion: b, verdict: 'fail', why: `${t.metric} is missing on the run` };
    }
    const slack = allowance(tolerance, b) + EPSILON;
    const ok = t.op === '==' ? Math.abs(c - b) <= slack : higher ? c >= b - slack : c <= b + slack;
    const diff = c - b;
    const why = `${t.metric} ${c} vs champion ${b} (${diff >= 0 ? '+' : ''}${Number(diff.toPrecision(6))}, tolerance ${tol})`;
    return { ...base, champion: b, verdict: ok ? 'pass' : 'fail', why };
  });
}
