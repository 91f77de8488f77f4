import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time, injected so waiting logic can be tested without real waiting. Every "now", sleep and
 * timeout of shipped code goes through one of these.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A signal that aborts (reason: a TimeoutError DOMException) once `ms` have passed on this
   * clock: request timeouts, a kill after a grace period. It does not keep the process alive.
   */
  timeout(ms: number): AbortSignal;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
  // Node's timers overflow past 2^31-1 ms (they would fire at once): clamp to ~24.8 days.
  timeout: (ms) => AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms)))),
};

function timeoutReason(ms: number): DOMException {
  return new DOMException(`timed out after ${ms} ms`, 'TimeoutError');
}

/**
 * A clock whose sleeps complete instantly while advancing its time: for tests. Its timeouts
 * fire when `advance` or a sleep moves the time past them.
 */
export class ManualClock implements Clock {
  private time: number;
  readonly sleeps: number[] = [];
  private pending: { at: number; ms: number; controller: AbortController }[] = [];
  constructor(start = 0) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
    this.fireDue();
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    this.fireDue();
  }
  timeout(ms: number): AbortSignal {
    const controller = new AbortController();
    if (ms <= 0) controller.abort(timeoutReason(ms));
    else this.pending.push({ at: this.time + ms, ms, controller });
    return controller.signal;
  }
  private fireDue(): void {
    const due = this.pending.filter((p) => p.at <= this.time);
    this.pending = this.pending.filter((p) => p.at > this.time);
    for (const p of due) p.controller.abort(timeoutReason(p.ms));
  }
}
