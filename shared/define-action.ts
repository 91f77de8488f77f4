/**
 * The one action shape for a main step (shared/phases.ts has the phases): inputs → context →
 * phases over a typed report → outputs, summary and verdict from the report. Its own module so
 * that post steps (runPost/definePost in shared/action.ts) carry no @actions/core chunk.
 */
import { runAction } from './action.ts';
import { issueCommand } from './commands.ts';
import { runPhases, type Phase, type PhaseContextBase, type PhaseReport } from './phases.ts';
import { writeSummary } from './summary.ts';

/** Outputs as the report gives them: an undefined value is not set. */
export type ActionOutputs = Record<string, string | undefined>;

/** What an action loads once its inputs are valid (its SDKs load here, not before). */
export interface ActionBody<Inputs, Ctx extends PhaseContextBase, Report extends PhaseReport> {
  /** Wires the runner's dependencies: clients, clock, logger, the job's signal. */
  context(inputs: Inputs, signal: AbortSignal): Ctx | Promise<Ctx>;
  /** The report before the first phase. */
  report(ctx: Ctx): Report;
  phases: readonly Phase<Ctx, Report>[];
  /** The report as outputs; also after a failed phase (`error` set). */
  outputs(report: Report, error?: unknown): ActionOutputs;
  /** The job summary (Markdown); also after a failed phase. Undefined: none. */
  summary(report: Report, error?: unknown): string | undefined;
  /** After outputs and summary: throws when the report is a failure the step must show. */
  verdict?(report: Report): void;
  /** The log group the phases run in (the runner folds it): what the step is doing. */
  group?(ctx: Ctx): string;
  /** Removes what the action made for itself (a clone, a temp dir), however the step ends. */
  dispose?(ctx: Ctx): Promise<void> | void;
}

export interface ActionDefinition<
  Inputs,
  Ctx extends PhaseContextBase,
  Report extends PhaseReport,
> {
  name: string;
  /** Parses and validates every input: no side effect, nothing heavy imported. */
  inputs(): Inputs;
  /** The rest of the action (a dynamic import, so a bad input fails in milliseconds). */
  load(): Promise<ActionBody<Inputs, Ctx, Report>>;
}

/**
 * The one action shape: inputs → context → phases over a typed report → outputs, summary and
 * verdict from the report. Returns the entry's `run()`; `runAction` owns failure lines,
 * cancellation and the failure summary when the action wrote none.
 */
export function defineAction<Inputs, Ctx extends PhaseContextBase, Report extends PhaseReport>(
  def: ActionDefinition<Inputs, Ctx, Report>,
): () => Promise<void> {
  return () =>
    runAction(def.name, async (signal) => {
      const inputs = def.inputs();
      // @actions/core's setOutput: GitHub's local-action (and any harness that stubs core)
      // sees the outputs; core is in the main bundle's chunks anyway (the logger uses it).
      const [body, { setOutput }] = await Promise.all([def.load(), import('@actions/core')]);
      const ctx = await body.context(inputs, signal);
      try {
        const report = body.report(ctx);
        let failure: unknown;
        const title = body.group?.(ctx);
        if (title) issueCommand('group', {}, title);
        await runPhases(body.phases, ctx, report).catch((error: unknown) => (failure = error));
        if (title) issueCommand('endgroup', {}, '');
        for (const [name, value] of Object.entries(body.outputs(report, failure))) {
          if (value !== undefined) setOutput(name, value);
        }
        const summary = body.summary(report, failure);
        if (summary !== undefined) await writeSummary(summary);
        if (failure !== undefined) throw failure;
        body.verdict?.(report);
      } finally {
        await body.dispose?.(ctx);
      }
    });
}
