/**
 * A watch that never misses an update: it resumes from the last resourceVersion it saw when the
 * stream ends (server timeout, dropped connection), re-lists when the server answers 410 Gone,
 * and backs off on transient errors. Every event (and every re-listed object) goes to `onEvent`.
 */
import type { Clock } from '../../shared/clock.ts';
import { isTransient, type KubeClient, type KubeList, type WatchEvent } from '../../shared/kube.ts';
import type { Logger } from '../../shared/logger.ts';
import { backoffDelay } from '../../shared/retry.ts';

export interface WatchLoopOptions {
  client: KubeClient;
  /** Collection path, e.g. /apis/apps/v1/namespaces/ml/deployments. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** Start here (e.g. the resourceVersion an apply returned); unset = current state first. */
  resourceVersion?: string;
  onEvent: (event: WatchEvent) => void;
  /** Called when an error ends the loop (e.g. 403). */
  onError: (error: Error) => void;
  signal: AbortSignal;
  logger: Logger;
  clock: Clock;
  what: string;
}

/** Runs until `signal` aborts or a non-transient error happens. */
export async function watchLoop(o: WatchLoopOptions): Promise<void> {
  let rv = o.resourceVersion;
  let failures = 0;
  const selectors = {
    ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
    ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
  };
  while (!o.signal.aborted) {
    let gotEvent = false;
    const end = await o.client.watch(
      o.path,
      { ...selectors, ...(rv ? { resourceVersion: rv } : {}) },
      (event) => {
        gotEvent = true;
        const v = event.object.metadata.resourceVersion;
        if (v) rv = v;
        if (event.type !== 'BOOKMARK') o.onEvent(event);
      },
      o.signal,
    );
    if (end.reason === 'aborted' || o.signal.aborted) return;
    if (gotEvent) failures = 0;
    if (end.reason === 'closed') {
      o.logger.info(`Watch of ${o.what} ended; resuming from resourceVersion ${rv ?? '(current)'}`);
      continue;
    }
    if (end.reason === 'gone') {
      o.logger.info(`Watch of ${o.what}: resourceVersion ${rv} expired (410); re-listing`);
      try {
        const list = await o.client.json<KubeList>({
          method: 'GET',
          path: o.path,
          query: selectors,
        });
        for (const object of list.items) o.onEvent({ type: 'MODIFIED', object });
        rv = list.metadata.resourceVersion;
      } catch (error) {
        o.onError(error as Error);
        return;
      }
      continue;
    }
    if (!isTransient(end.error)) {
      o.onError(end.error ?? new Error(`watch of ${o.what} failed`));
      return;
    }
    failures++;
    if (failures > 8) {
      o.onError(end.error ?? new Error(`watch of ${o.what} failed`));
      return;
    }
    const delay = backoffDelay(failures, { baseDelayMs: 200, maxDelayMs: 5000 });
    o.logger.info(`Watch of ${o.what} failed (${end.error?.message}); retrying in ${delay} ms`);
    try {
      await o.clock.sleep(delay, o.signal);
    } catch {
      return;
    }
  }
}

/**
 * Wakes the waiter whenever something changed. A change that happens while nobody waits
 * (e.g. during an API call between two evaluations) is remembered, so the next wait returns
 * at once: no update is ever lost.
 */
export class Notifier {
  private waiters: (() => void)[] = [];
  private pending = false;
  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    if (w.length === 0) this.pending = true;
    for (const f of w) f();
  }
  /** Resolves at the next notify (or at once if one came since the last wait), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((f) => f !== done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.push(done);
    });
  }
}
