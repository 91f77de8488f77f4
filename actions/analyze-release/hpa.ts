/**
 * Autoscaling under the load (`hpa`): the HorizontalPodAutoscaler is read before the load
 * (a missing one fails the step before any load), watched during it (the project's
 * `watchLoop`: a replica change is seen when the API server sends it, and a dropped watch
 * resumes from the last resourceVersion) and read once after; its current and desired
 * replicas make the timeline ("scaled 2 → 5 in 40 s"). Replica counts are server values:
 * only whole numbers 0..100000 are kept.
 */
import type { Clock } from '../../shared/clock.ts';
import { InputError } from '../../shared/errors.ts';
import { DNS_LABEL } from '../../shared/inputs.ts';
import type { Logger } from '../../shared/logger.ts';
import type { KubeClient } from '../../shared/kube/types.ts';
import { watchLoop } from '../../shared/kube/watch.ts';

export interface HpaRef {
  namespace: string | undefined;
  name: string;
}

/** An object name (DNS-1123 subdomain): it goes into the API path and a field selector. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function parseHpa(name: string, value: string): HpaRef {
  const m = /^(?:([a-z0-9-]{1,63})\/)?([a-z0-9.-]{1,253})$/.exec(value);
  if (!m || (m[1] !== undefined && !DNS_LABEL.test(m[1])) || !SUBDOMAIN.test(m[2] ?? '')) {
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
  metadata?: { resourceVersion?: string };
  status?: { currentReplicas?: unknown; desiredReplicas?: unknown };
}

function replicas(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100_000
    ? value
    : 0;
}

export class HpaWatch {
  private readonly client: Pick<KubeClient, 'json' | 'watch'>;
  private readonly namespace: string;
  private readonly name: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private start = 0;
  /** The resourceVersion of the last reading: the watch starts after it. */
  private resourceVersion: string | undefined;
  readonly points: HpaPoint[] = [];

  constructor(
    client: Pick<KubeClient, 'json' | 'watch'>,
    namespace: string,
    name: string,
    clock: Clock,
    logger: Logger,
  ) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.clock = clock;
    this.logger = logger;
  }

  private get collection(): string {
    return `/apis/autoscaling/v2/namespaces/${this.namespace}/horizontalpodautoscalers`;
  }

  /** Reads the HPA once; `atS` relative to the load's start (set by `started`). */
  async read(): Promise<void> {
    const hpa = await this.client.json<HpaObject>({
      method: 'GET',
      path: `${this.collection}/${this.name}`,
    });
    this.record(hpa);
  }

  /** One reading (a GET or a watch event); the timeline keeps the first and each change. */
  private record(hpa: HpaObject): void {
    if (hpa.metadata?.resourceVersion) this.resourceVersion = hpa.metadata.resourceVersion;
    const point = {
      atS: Math.round((this.clock.now() - this.start) / 100) / 10,
      current: replicas(hpa.status?.currentReplicas),
      desired: replicas(hpa.status?.desiredReplicas),
    };
    const last = this.points.at(-1);
    if (!last || last.current !== point.current || last.desired !== point.desired) {
      this.points.push(point);
    }
  }

  started(): void {
    this.start = this.clock.now();
    const first = this.points[0];
    if (first) first.atS = 0;
  }

  /**
   * Watches the HPA until `stop` (or the job) aborts, from the last reading on; an error that
   * ends the watch goes to `onError` (the timeline then has what was seen until then).
   */
  async watch(stop: AbortSignal, job: AbortSignal, onError: (e: unknown) => void): Promise<void> {
    await watchLoop({
      // watchLoop uses only watch and json (the re-list after a 410).
      client: this.client as KubeClient,
      path: this.collection,
      fieldSelector: `metadata.name=${this.name}`,
      ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}),
      onEvent: (e) => {
        if (e.type !== 'DELETED' && e.type !== 'ERROR') this.record(e.object as HpaObject);
      },
      onError,
      signal: AbortSignal.any([stop, job]),
      logger: this.logger,
      clock: this.clock,
      what: `HorizontalPodAutoscaler ${this.label}`,
    });
  }

  private get label(): string {
    return `${this.namespace}/${this.name}`;
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
