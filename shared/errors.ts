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

/** Facts about a failed exchange, for callers that decide what to say or whether to retry. */
export interface HttpErrorFacts {
  /** The socket error code (ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED…). */
  code?: string;
  /** No answer within the timeout. */
  timedOut?: boolean;
  /** The TLS handshake failed (certificate, trust). */
  tls?: boolean;
  /** A retryable failure that persisted through every attempt (or past the deadline). */
  retriesExhausted?: boolean;
  /** Why retrying stopped: 'gave up after retries', or the deadline it would have passed. */
  gaveUp?: string;
}

/** A non-2xx answer (after retries) from an HTTP API, or no answer at all (status undefined). */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly body: string;
  /** What went wrong, without the method and URL. */
  readonly detail: string;
  readonly code: string | undefined;
  readonly timedOut: boolean;
  readonly tls: boolean;
  readonly retriesExhausted: boolean;
  readonly gaveUp: string | undefined;
  constructor(
    method: string,
    url: string,
    status: number | undefined,
    detail: string,
    body = '',
    facts: HttpErrorFacts = {},
  ) {
    super(
      `${method} ${url} failed${status === undefined ? '' : ` with HTTP ${status}`}: ${detail}`,
    );
    this.method = method;
    this.url = url;
    this.status = status;
    this.body = body;
    this.detail = detail;
    this.code = facts.code;
    this.timedOut = facts.timedOut ?? false;
    this.tls = facts.tls ?? false;
    this.retriesExhausted = facts.retriesExhausted ?? false;
    this.gaveUp = facts.gaveUp;
  }
}

/** The job was cancelled (SIGINT/SIGTERM from the runner): reported as such, not as a crash. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** The error for an aborted signal: its reason when that is one, else a CancelledError. */
export function cancellation(signal: AbortSignal, during: string): CancelledError {
  const why = typeof signal.reason === 'string' ? ` (${signal.reason})` : '';
  return new CancelledError(`cancelled${why} during ${during}`);
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
