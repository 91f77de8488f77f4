import { HttpError } from './errors.ts';
import { systemClock, type Clock } from './clock.ts';
import { parseRetryAfter, withRetry } from './retry.ts';

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Per-request override of the client's timeout. */
  timeoutMs?: number;
  /** Statuses that are answers, not errors (default: 2xx only). */
  okStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
  json<T>(): T;
}

export interface HttpClientOptions {
  userAgent?: string;
  timeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  random?: () => number;
  fetch?: typeof fetch;
  onRetry?: (message: string) => void;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

class RetryableStatus extends Error {
  readonly response: HttpResponse;
  constructor(response: HttpResponse) {
    super(`HTTP ${response.status}`);
    this.response = response;
  }
}

/** A URL safe to print: no credentials, no query string (it may hold signatures). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const hadQuery = u.search !== '';
    u.search = '';
    return u.toString() + (hadQuery ? '?…' : '');
  } catch {
    return '<invalid url>';
  }
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * The one HTTP client factory: user agent, per-request timeout, and retries of
 * connection errors, 408/429/5xx with capped backoff + jitter, honouring Retry-After.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async request(req) {
      const method = req.method ?? 'GET';
      const printable = redactUrl(req.url);
      try {
        const response = await withRetry(
          async () => {
            let res: Response;
            try {
              res = await doFetch(req.url, {
                method,
                headers: {
                  ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
                  ...req.headers,
                },
                ...(req.body === undefined ? {} : { body: req.body }),
                signal: AbortSignal.timeout(req.timeoutMs ?? timeoutMs),
              });
            } catch (error) {
              const cause = (error as { cause?: { code?: string; message?: string } }).cause;
              const detail =
                (error as Error).name === 'TimeoutError'
                  ? `no answer within ${req.timeoutMs ?? timeoutMs} ms`
                  : (cause?.code ?? cause?.message ?? (error as Error).message);
              throw new HttpError(method, printable, undefined, detail);
            }
            const body = await res.text();
            const response: HttpResponse = {
              status: res.status,
              headers: res.headers,
              body,
              json<T>() {
                return JSON.parse(body) as T;
              },
            };
            if (res.ok || req.okStatuses?.includes(res.status)) return response;
            if (RETRYABLE_STATUS.has(res.status)) throw new RetryableStatus(response);
            throw new HttpError(
              method,
              printable,
              res.status,
              snippet(body) || res.statusText,
              body,
            );
          },
          (error) => {
            if (error instanceof RetryableStatus) {
              const delayMs = parseRetryAfter(
                error.response.headers.get('retry-after'),
                clock.now(),
              );
              return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
            }
            // Connection-level failures (reset, refused, timeout) have no status.
            return { retry: error instanceof HttpError && error.status === undefined };
          },
          {
            clock,
            ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
            ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
            ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
            ...(options.random ? { random: options.random } : {}),
            onRetry: (error, attempt, delayMs) =>
              options.onRetry?.(
                `${method} ${printable}: ${error instanceof Error ? error.message : 'error'}; retry ${attempt} in ${delayMs} ms`,
              ),
          },
        );
        return response;
      } catch (error) {
        if (error instanceof RetryableStatus) {
          const r = error.response;
          throw new HttpError(
            method,
            printable,
            r.status,
            `${snippet(r.body) || 'no body'} (gave up after retries)`,
            r.body,
          );
        }
        throw error;
      }
    },
  };
}
