/**
 * Autoscaling under the load (`hpa`): the HorizontalPodAutoscaler is read before the load
 * (a missing one fails the step before any load), every HPA_POLL_MS during it and once after;
 * its current and desired replicas make the timeline ("scaled 2 → 5 in 40 s"). Replica
 * counts are server values: only whole numbers 0..100000 are kept.
 */
import type { Clock } from '../../shared/clock.ts';
import { InputError } from '../../shared/errors.ts';
import { DNS_LABEL } from '../../shared/inputs.ts';
import type { KubeRequest } from '../../shared/kube/types.ts';

export const HPA_POLL_MS = 2000;

export interface HpaRef {
  namespace: string | undefined;
  name: string;
}

export function parseHpa(name: string, value: string): HpaRef {
  const m = /^(?:([a-z0-9-]{1,63})\/)?([a-z0-9.-]{1,253})$/.exec(value);
  if (!m || (m[1] !== undefined && !DNS_LABEL.test(m[1]))) {
    throw new InputError(
      `Input '${name}' must be [namespace/]name of a HorizontalPodAutoscaler (got "${value}").`,
    );
  }
  return { namespace: m[1], name: m[2] ?? '' };
}

/** One reading: seconds after the load started (negative: before it). */
export interface HpaPoint {
  atS: number;
  current: number;
  desired: number;
}

export interface HpaTimeline {
  name: string;
  points: HpaPoint[];
  from: number;
  max: number;
  /** Seconds from the load's start until `max` was first reached (undefined: never scaled). */
  secondsToMax?: number;
  /** "scaled 2 → 5 in 40 s" or "stayed at 2 replicas". */
  text: string;
}

interface HpaObject {
  status?: { currentReplicas?: unknown; desiredReplicas?: unknown };
}

function replicas(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100_000
    ? value
    : 0;
}

export class HpaWatch {
  private readonly client: { json<T>(req: KubeRequest): Promise<T> };
  private readonly path: string;
  private readonly label: string;
  private readonly clock: Clock;
  private start = 0;
  readonly points: HpaPoint[] = [];

  constructor(
    client: { json<T>(req: KubeRequest): Promise<T> },
    namespace: string,
    name: string,
    clock: Clock,
  ) {
    this.client = client;
    this.path = `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${name}`;
    this.label = `${namespace}/${name}`;
    this.clock = clock;
  }

  /** Reads the HPA once; `atS` relative to the load's start (set by `started`). */
  async read(): Promise<void> {
    const hpa = await this.client.json<HpaObject>({ method: 'GET', path: this.path });
    const point = {
      atS: Math.round((this.clock.now() - this.start) / 100) / 10,
      current: replicas(hpa.status?.currentReplicas),
      desired: replicas(hpa.status?.desiredReplicas),
    };
    const last = this.points.at(-1);
    // The timeline keeps the first reading and each change, at the time it was first seen.
    if (!last || last.current !== point.current || last.desired !== point.desired) {
      this.points.push(point);
    }
  }

  started(): void {
    this.start = this.clock.now();
    const first = this.points[0];
    if (first) first.atS = 0;
  }

  /** Reads every HPA_POLL_MS until `stop` aborts; a failed read is skipped (logged by the caller). */
  async watch(stop: AbortSignal, job: AbortSignal, onError: (e: unknown) => void): Promise<void> {
    const either = AbortSignal.any([stop, job]);
    while (!either.aborted) {
      const slept = await this.clock.sleep(HPA_POLL_MS, either).then(
        () => true,
        () => false,
      );
      if (!slept) return;
      await this.read().catch(onError);
    }
  }

  timeline(): HpaTimeline {
    const from = this.points[0]?.current ?? 0;
    const max = Math.max(from, ...this.points.map((p) => p.current));
    const reached = this.points.find((p) => p.current === max);
    const scaled = max !== from && reached !== undefined;
    return {
      name: this.label,
      points: this.points,
      from,
      max,
      ...(scaled ? { secondsToMax: reached.atS } : {}),
      text: scaled ? `scaled ${from} → ${max} in ${reached.atS} s` : `stayed at ${from} replicas`,
    };
  }
}
