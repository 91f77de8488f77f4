/**
 * The judgement inputs as data: `max-latency` (`p95<300ms, p99<800ms`), `max-error-rate`
 * (`2%` or `0.02`), `min-throughput` (`100` or `100/s`), `max-regression`
 * (`p95:10%, error-rate:0.5pp`). Each parser throws one InputError naming the input.
 */
import { InputError } from '../../shared/errors.ts';
import { parseDuration, splitList } from '../../shared/inputs.ts';

/** A latency percentile bound: `p95<300ms`. */
export interface LatencyLimit {
  percentile: number;
  maxMs: number;
  /** As the user wrote it, normalised: `p95<300ms`. */
  label: string;
}

/** A comparison with the baseline: latency percentiles by %, the error rate by points. */
export type Regression =
  | { kind: 'latency'; percentile: number; maxRatio: number; label: string }
  | { kind: 'error-rate'; maxPoints: number; label: string };

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,3})?|100)$/;

function percentileOf(name: string, text: string, item: string): number {
  const m = PERCENTILE.exec(text.trim());
  const p = m ? Number(m[1]) : NaN;
  if (!(p > 0 && p <= 100)) {
    throw new InputError(
      `Input '${name}': "${item}" must name a percentile such as p50, p95, p99 or p99.9.`,
    );
  }
  return p;
}

/** A share: `2%` or `0.02` (0..1). */
export function parseShare(name: string, text: string): number {
  const value = text.trim();
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value);
  const share = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(share >= 0 && share <= 1)) {
    throw new InputError(
      `Input '${name}' must be a share such as 2% or 0.02, between 0 and 100% (got "${value}").`,
    );
  }
  return share;
}

/** `p95<300ms, p99<800ms` (also `<=`, and a bare number is milliseconds). */
export function parseLatencyLimits(name: string, text: string): LatencyLimit[] {
  return splitList(text).map((item) => {
    const m = /^(p[\d.]+)\s*<=?\s*(\S+)$/.exec(item);
    const ms = m ? parseDuration(/^\d+(\.\d+)?$/.test(m[2] ?? '') ? `${m[2]}ms` : (m[2] ?? '')) : 0;
    if (!m || ms === undefined || !(ms > 0)) {
      throw new InputError(
        `Input '${name}' must list bounds such as "p95<300ms, p99<800ms" (got "${item}").`,
      );
    }
    const percentile = percentileOf(name, m[1] ?? '', item);
    return { percentile, maxMs: ms, label: `p${percentile}<${m[2]}` };
  });
}

/** Requests per second: `100`, `100/s`, `100rps`, `12.5`. */
export function parseRate(name: string, text: string, max = 100_000): number {
  const value = text.trim();
  const m = /^(\d+(?:\.\d+)?)\s*(\/s|rps|req\/s)?$/.exec(value);
  const rate = m ? Number(m[1]) : NaN;
  if (!(rate > 0 && rate <= max)) {
    throw new InputError(
      `Input '${name}' must be requests per second, more than 0 and at most ${max}, such as 50 or 50/s (got "${value}").`,
    );
  }
  return rate;
}

/** `p95:10%, error-rate:0.5pp`. */
export function parseRegressions(name: string, text: string): Regression[] {
  return splitList(text).map((item): Regression => {
    const [what = '', limit = ''] = item.split(':').map((s) => s.trim());
    if (what === 'error-rate') {
      const m = /^(\d+(?:\.\d+)?)pp$/.exec(limit);
      if (!m) {
        throw new InputError(
          `Input '${name}': error-rate takes percentage points, such as error-rate:0.5pp (got "${item}").`,
        );
      }
      return { kind: 'error-rate', maxPoints: Number(m[1]) / 100, label: `error-rate:${limit}` };
    }
    const m = /^(\d+(?:\.\d+)?)%$/.exec(limit);
    if (!what.startsWith('p') || !m) {
      throw new InputError(
        `Input '${name}' must list limits such as "p95:10%, error-rate:0.5pp" (got "${item}").`,
      );
    }
    const percentile = percentileOf(name, what, item);
    return {
      kind: 'latency',
      percentile,
      maxRatio: 1 + Number(m[1]) / 100,
      label: `p${percentile}:${limit}`,
    };
  });
}
