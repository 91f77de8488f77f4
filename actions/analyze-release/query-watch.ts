/**
 * Evaluates `queries` before, during (every `interval`) and after the load, and judges each
 * as Argo Rollouts' analysis does (see prometheus.ts).
 */
import type { Clock } from '../../shared/clock.ts';
import type { Decision } from './compare.ts';
import { holds, type PrometheusApi, type Query } from './prometheus.ts';

/** One query's evaluations, as the report, summary and verdict show them. */
export interface QueryResult {
  name: string;
  condition: string;
  evaluations: number;
  /** Evaluations with a value breaking the condition, or an error during the load. */
  failed: number;
  /** Evaluations that returned no data. */
  empty: number;
  /** The values of the last evaluation (empty: no data). */
  last: number[];
  /** Why the last failed evaluation failed (a value, or Prometheus' error). */
  lastFailure?: string;
  verdict: Decision;
}

interface State {
  query: Query;
  evaluations: number;
  failed: number;
  empty: number;
  last: number[];
  lastEmpty: boolean;
  lastFailure?: string;
}

export class QueryWatch {
  private readonly api: PrometheusApi;
  private readonly failureLimit: number;
  private readonly states: State[];

  constructor(api: PrometheusApi, queries: readonly Query[], failureLimit: number) {
    this.api = api;
    this.failureLimit = failureLimit;
    this.states = queries.map((query) => ({
      query,
      evaluations: 0,
      failed: 0,
      empty: 0,
      last: [],
      lastEmpty: false,
    }));
  }

  /** Runs every query once before the load: an error (bad PromQL, unreachable) throws. */
  async check(signal: AbortSignal): Promise<void> {
    for (const s of this.states) await this.api.query(s.query, signal);
  }

  /** One evaluation of every query; an error counts as a failed evaluation. */
  async evaluate(signal: AbortSignal): Promise<void> {
    await Promise.all(
      this.states.map(async (s) => {
        s.evaluations++;
        try {
          const values = await this.api.query(s.query, signal);
          s.last = values;
          s.lastEmpty = values.length === 0;
          if (s.lastEmpty) s.empty++;
          const bad = values.find((v) => !holds(s.query.op, v, s.query.threshold));
          if (bad !== undefined) {
            s.failed++;
            // Six significant digits: enough to read, no float noise (0.33333366666666664).
            s.lastFailure = `${Number(bad.toPrecision(6))} breaks ${s.query.condition}`;
          }
        } catch (error) {
          if (signal.aborted) throw error;
          s.failed++;
          s.last = [];
          s.lastEmpty = false;
          s.lastFailure = (error as Error).message;
        }
      }),
    );
  }

  /** Evaluates every `intervalMs` until `stop` aborts (the load ended) or the job is cancelled. */
  async watch(
    clock: Clock,
    intervalMs: number,
    stop: AbortSignal,
    job: AbortSignal,
  ): Promise<void> {
    const either = AbortSignal.any([stop, job]);
    while (!either.aborted) {
      const slept = await clock.sleep(intervalMs, either).then(
        () => true,
        () => false,
      );
      if (!slept) return;
      await this.evaluate(job);
    }
  }

  results(): QueryResult[] {
    return this.states.map((s): QueryResult => {
      const verdict: Decision =
        s.failed > this.failureLimit
          ? 'fail'
          : s.lastEmpty || s.evaluations === 0
            ? 'inconclusive'
            : 'pass';
      return {
        name: s.query.name,
        condition: s.query.condition,
        evaluations: s.evaluations,
        failed: s.failed,
        empty: s.empty,
        last: s.last,
        ...(s.lastFailure !== undefined ? { lastFailure: s.lastFailure } : {}),
        verdict,
      };
    });
  }
}
