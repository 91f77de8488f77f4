/** A mistake the user can fix in the workflow file: reported as one line, no stack. */
export class InputError extends Error {
  override name = 'InputError';
}

/** An error that carries a source position, reported as a file/line annotation. */
export class LocatedError extends Error {
  override name = 'LocatedError';
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, file: string, line?: number, column?: number) {
    super(message);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** Several located problems found in one pass; each becomes an annotation. */
export class LocatedErrors extends Error {
  override name = 'LocatedErrors';
  readonly errors: LocatedError[];
  constructor(summary: string, errors: LocatedError[]) {
    super(summary);
    this.errors = errors;
  }
}

/** A non-2xx answer (after retries) from an HTTP API. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly body: string;
  constructor(method: string, url: string, status: number | undefined, detail: string, body = '') {
    super(
      `${method} ${url} failed${status === undefined ? '' : ` with HTTP ${status}`}: ${detail}`,
    );
    this.method = method;
    this.url = url;
    this.status = status;
    this.body = body;
  }
}

/** The message of any thrown value, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError) {
    const causes = error.errors.map((e) => `  - ${errorMessage(e)}`).join('\n');
    return `${error.message}\n${causes}`;
  }
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
