/**
 * A point in time a step must be done by (its `timeout` input), as one immutable value on the
 * injected clock. Passed down instead of a mutable `deadline` number: whoever needs less time
 * (a request, a post step) takes `within(ms)`, which never extends the step's own end.
 */
import type { Clock } from './clock.ts';

export class Deadline {
  /** Milliseconds on `clock` at which the time is up. */
  readonly at: number;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(at: number, clock: Pick<Clock, 'now'>) {
    this.at = at;
    this.clock = clock;
  }

  /** `ms` from now on `clock`. */
  static after(ms: number, clock: Pick<Clock, 'now'>): Deadline {
    return new Deadline(clock.now() + ms, clock);
  }

  /** Milliseconds left (0 once passed). */
  left(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  passed(): boolean {
    return this.clock.now() >= this.at;
  }

  /** The earlier of this deadline and `ms` from now. */
  within(ms: number): Deadline {
    return new Deadline(Math.min(this.at, this.clock.now() + ms), this.clock);
  }
}
