/**
 * What the load measured, per target: an HDR histogram of every request's latency (3
 * significant digits, microseconds, 1 µs .. 1 h), one per time bucket for the chart, the raw
 * latencies for the rank test, and the error count. A request counts as an error when no
 * response came (connection error, `request-timeout`) or its status is not 2xx/3xx; its
 * latency is recorded all the same (a timed-out request at its timeout), so a stall is never
 * left out of the percentiles.
 */
import { build, type Histogram } from 'hdr-histogram-js';
import type { Sample } from './load.ts';

const US_PER_MS = 1000;
const HIGHEST_US = 3_600_000_000;

function histogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** The figures of one target, as the report, outputs and summary show them. */
export interface TargetFigures {
  requests: number;
  errors: number;
  errorRate: number;
  /** Successful responses per second of the measured window. */
  throughput: number;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number; mean: number };
  /** Failures by kind: `HTTP 503`, `timeout`, `ECONNREFUSED`. */
  failures: Record<string, number>;
}

export function isError(sample: Sample): boolean {
  const { status } = sample.shot;
  return status < 200 || status >= 400;
}

export class TargetStats {
  readonly all = histogram();
  readonly buckets = new Map<number, Histogram>();
  /** Every latency in ms, in arrival order (the rank test reads them). */
  readonly latencies: number[] = [];
  errors = 0;
  readonly failures = new Map<string, number>();
  readonly bucketMs: number;

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs;
  }

  add(sample: Sample): void {
    const us = Math.min(HIGHEST_US, Math.max(1, Math.round(sample.latencyMs * US_PER_MS)));
    this.all.recordValue(us);
    const b = Math.floor(sample.at / this.bucketMs);
    let bucket = this.buckets.get(b);
    if (!bucket) this.buckets.set(b, (bucket = histogram()));
    bucket.recordValue(us);
    this.latencies.push(sample.latencyMs);
    if (isError(sample)) {
      this.errors++;
      const kind =
        sample.shot.status === 0 ? (sample.shot.error ?? 'error') : `HTTP ${sample.shot.status}`;
      this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
    }
  }

  /** The latency at percentile `p` in ms (HDR's value at percentile; 0 when nothing came). */
  percentile(p: number): number {
    return this.all.totalCount === 0 ? 0 : this.all.getValueAtPercentile(p) / US_PER_MS;
  }

  figures(durationMs: number): TargetFigures {
    const requests = this.all.totalCount;
    const ms = (p: number): number => round(this.percentile(p));
    return {
      requests,
      errors: this.errors,
      errorRate: requests === 0 ? 0 : this.errors / requests,
      throughput: round(((requests - this.errors) * 1000) / durationMs),
      latencyMs: {
        p50: ms(50),
        p90: ms(90),
        p95: ms(95),
        p99: ms(99),
        max: round(requests === 0 ? 0 : this.all.maxValue / US_PER_MS),
        mean: round(requests === 0 ? 0 : this.all.mean / US_PER_MS),
      },
      failures: Object.fromEntries(this.failures),
    };
  }

  /** Percentile `p` per time bucket (ms), for the chart; a bucket without samples is 0. */
  series(p: number, durationMs: number): number[] {
    const n = Math.max(1, Math.ceil(durationMs / this.bucketMs));
    return Array.from({ length: n }, (_, b) => {
      const h = this.buckets.get(b);
      return h && h.totalCount > 0 ? round(h.getValueAtPercentile(p) / US_PER_MS) : 0;
    });
  }
}

/** Milliseconds and rates as reports show them: 3 decimals at most. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** About 30 points on the chart, whole seconds. */
export function bucketMsFor(durationMs: number): number {
  return Math.max(1000, Math.ceil(durationMs / 30 / 1000) * 1000);
}
