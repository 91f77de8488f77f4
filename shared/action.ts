import { errorMessage, InputError, LocatedError, LocatedErrors } from './errors.ts';
import { issueCommand, setFailed } from './commands.ts';

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
    error instanceof InputError || error instanceof LocatedError || error instanceof LocatedErrors;
  if (!userMistake && error instanceof Error && error.stack) {
    issueCommand('debug', {}, error.stack);
  }
  return `${name}: ${errorMessage(error)}`;
}

/**
 * The entry point of every action's main step: any thrown value (not only Error)
 * becomes one failure line, so a step can never end green after a failure.
 */
export async function runAction(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    setFailed(report(name, error));
  }
}

/** The entry point of a post step: cleanup problems warn, they never fail the job. */
export async function runPost(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    issueCommand('warning', {}, `${name} (post): ${errorMessage(error)}`);
  }
}
