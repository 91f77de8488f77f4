/**
 * The deadlines of one run: the step's (made once from `timeout`) and the one the work in
 * progress keeps to. Only two things move the latter, each to a new immutable Deadline: the
 * diagnosis of a failure found at the deadline (a short time of its own) and a rollback (the
 * step's time again). The Kubernetes client reads `current()` for every request.
 */
import { Deadline } from '../../shared/deadline.ts';

/** Time for the diagnosis of a failure found at (or after) the deadline. */
export const DIAGNOSIS_MS = 15_000;

export class RunDeadlines {
  readonly step: Deadline;
  private working: Deadline;

  constructor(step: Deadline) {
    this.step = step;
    this.working = step;
  }

  current(): Deadline {
    return this.working;
  }

  /** The diagnosis gets at least DIAGNOSIS_MS from now (never less than it had). */
  forDiagnosis(clock: { now(): number }): Deadline {
    this.working = new Deadline(Math.max(this.working.at, clock.now() + DIAGNOSIS_MS), clock);
    return this.working;
  }

  /** A rollback gets the step's time again, from now. */
  forRollback(timeoutMs: number, clock: { now(): number }): Deadline {
    this.working = Deadline.after(timeoutMs, clock);
    return this.working;
  }
}
