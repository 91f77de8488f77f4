/**
 * Test doubles of shared/ interfaces: a clock whose time tests move, a logger that records (and
 * masks as the runner would), a state store in memory. Kept out of shipped code.
 */
import type { Clock } from '../../shared/clock.ts';
import type { AnnotationPosition, Logger } from '../../shared/logger.ts';
import type { StateStore } from '../../shared/state.ts';

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
  private readonly yieldMs: number;
  /**
   * `yieldMs`: how far each `yield` moves the time (default 0). A loop that yields until a due
   * time (the load's open loop) needs a step, or it spins with the time standing still.
   */
  constructor(start = 0, yieldMs = 0) {
    this.time = start;
    this.yieldMs = yieldMs;
  }
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
    this.fireDue();
  }
  /** The same time: a test moves both by `advance` and sleeps. */
  monotonic(): number {
    return this.time;
  }
  /** Yields to pending microtasks only; the time moves by `yieldMs` (default: not at all). */
  async yield(): Promise<void> {
    if (this.yieldMs > 0) this.advance(this.yieldMs);
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

export interface LogRecord {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  position?: AnnotationPosition;
}

/** A logger that keeps everything in memory; `text()` masks registered secrets as the runner would. */
export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];
  readonly secrets = new Set<string>();
  debug(message: string): void {
    this.records.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.records.push({ level: 'info', message });
  }
  warning(message: string, position?: AnnotationPosition): void {
    this.records.push({ level: 'warning', message, ...(position ? { position } : {}) });
  }
  error(message: string, position?: AnnotationPosition): void {
    this.records.push({ level: 'error', message, ...(position ? { position } : {}) });
  }
  secret(value: string): void {
    if (value) this.secrets.add(value);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.records.push({ level: 'info', message: `::group::${name}` });
    try {
      return await fn();
    } finally {
      this.records.push({ level: 'info', message: '::endgroup::' });
    }
  }
  /** Everything logged, unmasked: tests assert secrets are absent from this. */
  text(): string {
    return this.records.map((r) => r.message).join('\n');
  }
  messages(level: LogRecord['level']): string[] {
    return this.records.filter((r) => r.level === level).map((r) => r.message);
  }
}

export class MemoryState implements StateStore {
  readonly values = new Map<string, string>();
  save(name: string, value: string): void {
    this.values.set(name, value);
  }
  get(name: string): string {
    return this.values.get(name) ?? '';
  }
}
