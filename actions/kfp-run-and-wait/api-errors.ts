/** KFP's errors, rephrased so the user knows what to fix (auth, wrong host, transient). */
import { HttpError } from '../../shared/errors.ts';
import { RETRYABLE_STATUSES } from '../../shared/http.ts';

/** KFP's message from an error body: google.rpc.Status, or the upload endpoints' error_message. */
export function kfpMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as {
      message?: unknown;
      error_message?: unknown;
      error?: unknown;
    };
    for (const m of [parsed.message, parsed.error_message, parsed.error]) {
      if (typeof m === 'string' && m.trim()) return m.trim().split('\n')[0];
    }
  } catch {
    // not JSON: an ingress or proxy page
  }
  return undefined;
}

/** An HttpError from KFP, rephrased so the user knows what to fix. */
export class KfpError extends Error {
  override name = 'KfpError';
  readonly status: number | undefined;
  readonly transient: boolean;
  /** The server may have acted on the request although the answer was an error or lost. */
  readonly maybeProcessed: boolean;
  constructor(
    message: string,
    status: number | undefined,
    transient: boolean,
    o: { maybeProcessed?: boolean } = {},
  ) {
    super(message);
    this.status = status;
    this.transient = transient;
    this.maybeProcessed = o.maybeProcessed ?? false;
  }
}

export function explain(error: HttpError, host: string, authKind: string): KfpError {
  const what = `${error.method} ${error.url}`;
  const said = kfpMessage(error.body);
  // Why the retries stopped (a Retry-After past the timeout) is kept next to KFP's message.
  const detail = said ? `${said}${error.gaveUp ? ` (${error.gaveUp})` : ''}` : error.detail;
  const transient = error.status === undefined ? !error.tls : RETRYABLE_STATUSES.has(error.status);
  // Not processed: the server said so (429, 503) or no connection was made.
  const notProcessed =
    error.status === 429 || error.status === 503 || error.code === 'ECONNREFUSED';
  const facts = { maybeProcessed: transient && !notProcessed };
  if (error.status === 401) {
    return new KfpError(
      `KFP refused the credentials (HTTP 401) for ${what}: ${detail}. ${authKind === 'none' ? "No credentials were sent: set 'token' (a bearer token KFP accepts, e.g. a Kubernetes service-account token with audience pipelines.kubeflow.org), 'cookie' or 'iap-audience'." : `Check the '${authKind}' input: it may be expired or meant for another host.`}`,
      401,
      false,
    );
  }
  if (error.status === 403) {
    return new KfpError(
      `KFP denied ${what} (HTTP 403): ${detail}. The identity is authenticated but not allowed: in multi-user Kubeflow it needs access to the profile namespace ('namespace' input).`,
      403,
      false,
    );
  }
  if (error.status === undefined) {
    return new KfpError(
      `cannot reach KFP at ${host}: ${what} failed: ${error.detail}. Check 'host' and that the runner can reach it.`,
      undefined,
      transient,
      facts,
    );
  }
  return new KfpError(
    `${what} failed with HTTP ${error.status}: ${detail}`,
    error.status,
    transient,
    facts,
  );
}
