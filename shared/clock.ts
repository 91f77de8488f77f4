import { setTimeout as delay } from 'node:timers/promises';

/** Time, injected so waiting logic can be tested without real waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
};

/** A clock whose sleeps complete instantly while advancing its time: for tests. */
export class ManualClock implements Clock {
  private time: number;
  readonly sleeps: number[] = [];
  constructor(start = 0) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}
