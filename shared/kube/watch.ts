/**
 * A watch that never misses an update: it resumes from the last resourceVersion it saw when the
 * stream ends (server timeout, dropped connection), re-lists when the server answers 410 Gone,
 * and backs off on transient errors. Every event (and every re-listed object) goes to `onEvent`.
 */
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { retryWait, type BackoffOptions } from '../retry.ts';
import { pause } from '../wait.ts';
import type { KubeClient, KubeList, WatchEvent } from './types.ts';

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
  /** What is watched, for messages. */
  what: string;
  /** Transient failures in a row before giving up (default 8). */
  maxFailures?: number;
}

/** Reconnecting quickly matters more than for one request: a watch feeds a live wait. */
const WATCH_BACKOFF: BackoffOptions = { baseDelayMs: 200, maxDelayMs: 5000 };

/** Runs until `signal` aborts or a non-transient error happens; never rejects. */
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
    const error = end.error ?? new Error(`watch of ${o.what} failed`);
    failures++;
    if (!end.transient || failures > (o.maxFailures ?? 8)) {
      o.onError(error);
      return;
    }
    // The one retry policy; a 429's Retry-After is honoured up to its cap (the loop ends anyway
    // when its owner's deadline aborts it).
    const delay = retryWait(failures, end.retryAfterMs, WATCH_BACKOFF);
    o.logger.info(`Watch of ${o.what} failed (${error.message}); retrying in ${delay} ms`);
    if (!(await pause(delay, o.clock, o.signal))) return;
  }
}
