/**
 * The one action shape: an action is a list of named phases over a typed report. A phase is a
 * plain function of the action's context (its inputs and injected dependencies: API clients,
 * the clock, a runner, the logger, the job's signal) and the report it fills in; it returns
 * nothing and says what happened by writing the report. `runPhases` is the whole
 * orchestration, so an action's orchestration is unit-tested with fake dependencies and no
 * runner. Outputs, the job summary and the post step's state are derived from the report.
 */
import { cancellation } from './errors.ts';

/** What every report carries: the phases as they ran. */
export interface PhaseReport {
  phases: PhaseRecord[];
}

export interface PhaseRecord {
  name: string;
  outcome: 'done' | 'skipped' | 'failed';
  /** Milliseconds on the context's clock. */
  ms: number;
}

/** The least a phase context holds: the job's signal and a clock (every "now" comes from it). */
export interface PhaseContextBase {
  signal: AbortSignal;
  clock: { now(): number };
}

/** One named step of an action. */
export interface Phase<Ctx extends PhaseContextBase, Report extends PhaseReport> {
  readonly name: string;
  /** The phase runs only when this says so (e.g. `wait: false` skips waiting); default always. */
  readonly when?: (ctx: Ctx, report: Report) => boolean;
  run(ctx: Ctx, report: Report): Promise<void> | void;
}

/** Builds a phase (a name and a function): keeps phase lists readable. */
export function phase<Ctx extends PhaseContextBase, Report extends PhaseReport>(
  name: string,
  run: Phase<Ctx, Report>['run'],
  when?: Phase<Ctx, Report>['when'],
): Phase<Ctx, Report> {
  return when ? { name, run, when } : { name, run };
}

/**
 * Runs `phases` in order over `report`, recording each (name, outcome, time). A phase that
 * throws is recorded as failed and its error rethrown as it was (the report keeps what the
 * earlier phases wrote); a cancelled job stops before the next phase starts.
 */
export async function runPhases<Ctx extends PhaseContextBase, Report extends PhaseReport>(
  phases: readonly Phase<Ctx, Report>[],
  ctx: Ctx,
  report: Report,
): Promise<Report> {
  for (const p of phases) {
    if (ctx.signal.aborted) throw cancellation(ctx.signal, p.name);
    const started = ctx.clock.now();
    if (p.when && !p.when(ctx, report)) {
      report.phases.push({ name: p.name, outcome: 'skipped', ms: 0 });
      continue;
    }
    try {
      await p.run(ctx, report);
    } catch (error) {
      report.phases.push({ name: p.name, outcome: 'failed', ms: ctx.clock.now() - started });
      throw error;
    }
    report.phases.push({ name: p.name, outcome: 'done', ms: ctx.clock.now() - started });
  }
  return report;
}
