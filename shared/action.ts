/**
 * The entry points of every action: `runAction` for the main step, `runPost` for the post
 * step. They own what every action does the same way: one failure line (annotations at file
 * and line for located errors), a failure summary when the action wrote none, and
 * cancellation — SIGINT/SIGTERM from the runner abort the signal handed to the action, which
 * winds down (saving what its post step needs) instead of the process exiting mid-flight.
 */
import { CancelledError, errorMessage, InputError, LocatedError, LocatedErrors } from './errors.ts';
import { issueCommand, setFailed } from './commands.ts';
import { failureSummary, summaryWritten, writeSummary } from './summary.ts';
import { runPhases, type Phase, type PhaseContextBase, type PhaseReport } from './phases.ts';

function annotate(error: LocatedError): void {
  issueCommand(
    'error',
    { title: 'mlops-actions', file: error.file, line: error.line, col: error.column },
    error.message,
  );
}

function report(name: string, error: unknown): string {
  if (error instanceof LocatedErrors) error.errors.forEach(annotate);
  else if (error instanceof LocatedError) annotate(error);
  const userMistake =
    error instanceof InputError ||
    error instanceof LocatedError ||
    error instanceof LocatedErrors ||
    error instanceof CancelledError;
  if (!userMistake && error instanceof Error && error.stack) {
    issueCommand('debug', {}, error.stack);
  }
  return `${name}: ${errorMessage(error)}`;
}

/**
 * Runs a main step: any thrown value (not only Error) becomes one failure line, so a step can
 * never end green after a failure. `fn` gets the signal that a cancelled job aborts.
 */
export async function runAction(
  name: string,
  fn: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    issueCommand('warning', {}, `${name}: received ${signal}; stopping`);
    controller.abort(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await fn(controller.signal);
    if (controller.signal.aborted)
      throw new CancelledError(`cancelled (${String(controller.signal.reason)})`);
  } catch (caught) {
    // Whatever failed after the job was cancelled (an aborted request, say) failed because of it.
    const error =
      controller.signal.aborted && !(caught instanceof CancelledError)
        ? new CancelledError(`cancelled (${String(controller.signal.reason)})`)
        : caught;
    const message = report(name, error);
    setFailed(message);
    if (!summaryWritten()) {
      await writeSummary(
        failureSummary(name, errorMessage(error), error instanceof CancelledError),
      ).catch(() => undefined);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Runs a post step: cleanup problems warn, they never fail the job. */
export async function runPost(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    issueCommand('warning', {}, `${name} (post): ${errorMessage(error)}`);
  }
}

/** A post step in the same shape: phases over a report, each cleanup problem a warning. */
export interface PostBody<Ctx extends PhaseContextBase, Report extends PhaseReport> {
  context(): Ctx | Promise<Ctx>;
  report(ctx: Ctx): Report;
  phases: readonly Phase<Ctx, Report>[];
}

export function definePost<Ctx extends PhaseContextBase, Report extends PhaseReport>(def: {
  name: string;
  load(): Promise<PostBody<Ctx, Report>>;
}): () => Promise<void> {
  return () =>
    runPost(def.name, async () => {
      const body = await def.load();
      const ctx = await body.context();
      await runPhases(body.phases, ctx, body.report(ctx));
    });
}
