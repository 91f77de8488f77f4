/** Fault injection and request accounting for the /_sim control endpoints. */
import { ApiError } from './errors.ts';

export interface FailRule {
  count: number;
  status: number;
  retryAfterSeconds?: number;
  method?: string;
  pathPrefix?: string;
  /** Only requests that change something: server-side dry runs (dryRun=All) pass. */
  notDryRun?: boolean;
}

export class Faults {
  private rules: FailRule[] = [];
  latencyMs = 0;
  readonly counts = new Map<string, number>();
  total = 0;

  failNext(rule: FailRule): void {
    if (rule.count > 0) this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
  }

  record(method: string, path: string): void {
    const k = `${method} ${path}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    this.total++;
  }

  resetCounts(): void {
    this.counts.clear();
    this.total = 0;
  }

  snapshot(): { total: number; requests: Record<string, number> } {
    return { total: this.total, requests: Object.fromEntries([...this.counts].sort()) };
  }

  /** Throws the injected error when a rule matches this request. */
  check(method: string, path: string, dryRun = false): void {
    const i = this.rules.findIndex(
      (r) =>
        (!r.method || r.method === method) &&
        (!r.pathPrefix || path.startsWith(r.pathPrefix)) &&
        !(r.notDryRun && dryRun),
    );
    if (i < 0) return;
    const r = this.rules[i]!;
    r.count--;
    if (r.count <= 0) this.rules.splice(i, 1);
    if (r.status === 429) {
      const after = r.retryAfterSeconds ?? 1;
      throw new ApiError(
        429,
        'TooManyRequests',
        'Too many requests, please try again later.',
        { retryAfterSeconds: after },
        { 'Retry-After': String(after) },
      );
    }
    throw new ApiError(
      r.status,
      r.status === 503 ? 'ServiceUnavailable' : 'InternalError',
      'Internal error occurred: injected fault (kube-sim)',
      { causes: [{ message: 'injected fault (kube-sim)' }] },
      r.retryAfterSeconds ? { 'Retry-After': String(r.retryAfterSeconds) } : {},
    );
  }
}
