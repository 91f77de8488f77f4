/** Kubernetes API failures as messages a person can act on (what was tried, what to fix). */
import { HttpError } from '../errors.ts';
import { targetText } from './paths.ts';
import type { RequestTarget } from './types.ts';

/** A non-2xx answer from the API server (after retries), or no answer at all (status undefined). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly target: RequestTarget;
  /** Connection trouble, 429 or 5xx: a watch may try again. */
  readonly transient: boolean;
  constructor(
    message: string,
    status: number | undefined,
    reason: string | undefined,
    target: RequestTarget,
    transient = false,
  ) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.target = target;
    this.transient = transient;
  }
}

/** The `Status` object the API server answers errors with. */
export interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { retryAfterSeconds?: number };
}

export function parseStatus(body: string): StatusBody {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : {};
  } catch {
    return {};
  }
}

/** The delay a 429/5xx Status asks for (details.retryAfterSeconds), in milliseconds. */
export function statusRetryAfterMs(body: string): number | undefined {
  const seconds = parseStatus(body).details?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : undefined;
}

/** The error for an answer with status `status` (401 and 403 say what to fix). */
export function apiError(
  server: string,
  status: number,
  body: string,
  target: RequestTarget,
  transient = false,
): KubeApiError {
  const s = parseStatus(body);
  const detail = (s.message ?? body.replace(/\s+/g, ' ').slice(0, 300)) || `HTTP ${status}`;
  const what = targetText(target);
  if (status === 401) {
    return new KubeApiError(
      `the API server ${server} rejected the credentials (401 Unauthorized) while trying to ${what}: the kubeconfig's token or client certificate is missing, wrong or expired — re-run setup-cluster-auth or refresh the kubeconfig`,
      status,
      s.reason,
      target,
    );
  }
  if (status === 403) {
    return new KubeApiError(
      `permission denied (403 Forbidden): cannot ${what}; grant the verb "${target.verb}" on "${target.resource}"${target.namespace ? ` in namespace "${target.namespace}"` : ''} (Role/ClusterRole + binding). API server said: ${detail}`,
      status,
      s.reason,
      target,
    );
  }
  return new KubeApiError(
    `${what} failed (HTTP ${status}${s.reason ? ` ${s.reason}` : ''}): ${detail}`,
    status,
    s.reason,
    target,
    transient,
  );
}

/** Maps a failure of shared/http.ts to what it means for this API server and request. */
export function kubeError(error: unknown, server: string, target: RequestTarget): unknown {
  if (!(error instanceof HttpError)) return error;
  const what = targetText(target);
  if (error.tls) {
    return new KubeApiError(
      `TLS connection to ${server} failed (${error.code ?? error.detail}) while trying to ${what}: check the kubeconfig's certificate-authority-data`,
      undefined,
      undefined,
      target,
    );
  }
  if (error.timedOut) {
    const timeout = error.detail.replace(/^no answer /, '');
    const hint = /connect timeout|before the deadline/.test(error.detail)
      ? ': is the API server reachable from this runner?'
      : '';
    return new KubeApiError(
      `cannot ${what}: no answer from ${server} ${timeout}${hint}`,
      undefined,
      undefined,
      target,
      true,
    );
  }
  if (error.status === undefined) {
    return new KubeApiError(
      error.gaveUp && error.gaveUp !== 'gave up after retries'
        ? `${what} at ${server} failed: ${error.detail}`
        : `${what} at ${server} failed after retries: ${error.detail} connecting to ${server}`,
      undefined,
      undefined,
      target,
      true,
    );
  }
  if (error.retriesExhausted) {
    const s = parseStatus(error.body);
    return new KubeApiError(
      `${what} at ${server} failed with HTTP ${error.status}${error.gaveUp && error.gaveUp !== 'gave up after retries' ? ` (${error.gaveUp})` : ' after retries'}${s.message ? `: ${s.message}` : ''}`,
      error.status,
      s.reason,
      target,
      true,
    );
  }
  return apiError(server, error.status, error.body, target);
}
