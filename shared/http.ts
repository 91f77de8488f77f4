/**
 * The one HTTP stack of every action: node:http(s) (no fetch: its first use loads undici,
 * and it cannot present a client certificate), a user agent, timeouts for the response
 * headers and for the whole answer, and retries of connection failures, 408/425/429 and 5xx
 * with capped backoff + jitter, honouring Retry-After. The Kubernetes client
 * (shared/kube/client.ts) is this client with an agent for the cluster's TLS and auth headers.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpError } from './errors.ts';
import { systemClock, type Clock } from './clock.ts';
import { parseRetryAfter, RetryDeadlineError, withRetry } from './retry.ts';

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Per-request override of the client's total timeout. */
  timeoutMs?: number;
  /** Statuses that are answers, not errors (default: 2xx only). */
  okStatuses?: readonly number[];
  signal?: AbortSignal;
  /** What to call this request in retry messages (default: method and redacted URL). */
  label?: string;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** One header's value (the first, when repeated). */
  header(name: string): string | undefined;
  body: string;
  json<T>(): T;
}

/** An answer whose body is read by the caller (a watch). */
export interface HttpStream {
  status: number;
  header(name: string): string | undefined;
  body: http.IncomingMessage;
}

export interface HttpClientOptions {
  userAgent?: string;
  /** Time allowed for a whole answer (default 30 s). */
  timeoutMs?: number;
  /** Time allowed until the response headers arrive (default: `timeoutMs`). */
  connectTimeoutMs?: number;
  /**
   * When the caller must have given up (on `clock`): request timeouts shrink to the time
   * left, and no retry (nor a server's Retry-After) is waited for past it.
   */
  deadline?: () => number | undefined;
  /** Whether a request that got no answer in time is tried again (default true). */
  retryTimeouts?: boolean;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  random?: () => number;
  /** The agent for https URLs (TLS trust, client certificate, keep-alive, proxy), asked after `authHeaders`. */
  agent?: () => http.Agent | undefined;
  /** Headers for each attempt, e.g. a bearer token that may be refreshed. Never logged. */
  authHeaders?: () => Promise<Record<string, string>>;
  /** A delay a retryable answer asks for in its body (Kubernetes: details.retryAfterSeconds). */
  retryAfterFromBody?: (body: string) => number | undefined;
  onRetry?: (message: string) => void;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** One attempt, no retries; resolves once the headers arrive. */
  stream(req: HttpRequest): Promise<HttpStream>;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

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

function headerOf(headers: http.IncomingHttpHeaders): (name: string) => string | undefined {
  return (name) => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
}

/** A retryable answer, carried through withRetry until the attempts run out. */
class RetryableAnswer extends Error {
  readonly response: HttpResponse;
  constructor(response: HttpResponse) {
    super(`HTTP ${response.status}`);
    this.response = response;
  }
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('connection closed mid-answer')));
  });
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const clock = options.clock ?? systemClock;
  const totalTimeoutMs = options.timeoutMs ?? 30_000;
  const retryTimeouts = options.retryTimeouts ?? true;

  /**
   * One exchange: resolves with the answer stream once headers arrive. `totalMs` bounds the
   * whole answer (undefined for streams: a watch is bounded by its signal).
   */
  async function open(
    req: HttpRequest,
    totalMs: number | undefined,
  ): Promise<http.IncomingMessage> {
    const method = req.method ?? 'GET';
    const printable = redactUrl(req.url);
    const url = new URL(req.url);
    const auth = options.authHeaders ? await options.authHeaders() : {};
    const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
    const left = timeLeft() ?? Infinity;
    const headersMs = Math.min(options.connectTimeoutMs ?? Infinity, totalMs ?? Infinity, left);
    // Which limit ended the wait, for the message.
    const headersLimit =
      headersMs === options.connectTimeoutMs
        ? ' (connect timeout)'
        : headersMs === left
          ? ' (the time left before the deadline)'
          : '';
    const mod = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? options.agent?.() : undefined;
    return new Promise((resolve, reject) => {
      const timeoutError = (ms: number, connect: boolean): HttpError =>
        new HttpError(
          method,
          printable,
          undefined,
          `no answer within ${ms} ms${connect ? headersLimit : ''}`,
          '',
          { timedOut: true },
        );
      const outgoing = mod.request(url, {
        method,
        ...(agent ? { agent } : {}),
        headers: {
          ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
          ...auth,
          ...req.headers,
          ...(body === undefined ? {} : { 'content-length': body.byteLength }),
        },
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const timers: NodeJS.Timeout[] = [];
      const clear = (): void => timers.forEach(clearTimeout);
      if (Number.isFinite(headersMs)) {
        timers.push(setTimeout(() => outgoing.destroy(timeoutError(headersMs, true)), headersMs));
      }
      outgoing.on('response', (res) => {
        clear();
        if (totalMs !== undefined) {
          const t = setTimeout(() => res.destroy(timeoutError(totalMs, false)), totalMs);
          res.on('close', () => clearTimeout(t));
        }
        resolve(res);
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        clear();
        if (error instanceof HttpError || req.signal?.aborted) {
          reject(error);
          return;
        }
        const code = error.code;
        const tls = code !== undefined && TLS_ERROR.test(code);
        reject(
          new HttpError(method, printable, undefined, code ?? error.message, '', {
            ...(code ? { code } : {}),
            tls,
          }),
        );
      });
      outgoing.end(body);
    });
  }

  /** Milliseconds until the caller's deadline, if it has one. */
  function timeLeft(): number | undefined {
    const deadline = options.deadline?.();
    return deadline === undefined ? undefined : Math.max(1, deadline - clock.now());
  }

  async function attempt(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const totalMs = Math.min(req.timeoutMs ?? totalTimeoutMs, timeLeft() ?? Infinity);
    const res = await open(req, totalMs);
    let text: string;
    try {
      text = await readBody(res);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const reason = (res.errored as HttpError | null) ?? error;
      if (reason instanceof HttpError) throw reason;
      throw new HttpError(method, redactUrl(req.url), undefined, (error as Error).message);
    }
    const status = res.statusCode ?? 0;
    const response: HttpResponse = {
      status,
      headers: res.headers,
      header: headerOf(res.headers),
      body: text,
      json<T>() {
        return JSON.parse(text) as T;
      },
    };
    if ((status >= 200 && status < 300) || req.okStatuses?.includes(status)) return response;
    if (RETRYABLE_STATUSES.has(status)) throw new RetryableAnswer(response);
    throw new HttpError(
      method,
      redactUrl(req.url),
      status,
      snippet(text) || `HTTP ${status}`,
      text,
    );
  }

  return {
    async request(req) {
      const method = req.method ?? 'GET';
      const printable = redactUrl(req.url);
      try {
        return await withRetry(
          () => attempt(req),
          (error) => {
            if (req.signal?.aborted) return { retry: false };
            if (error instanceof RetryableAnswer) {
              const r = error.response;
              const delayMs =
                parseRetryAfter(r.header('retry-after'), clock.now()) ??
                options.retryAfterFromBody?.(r.body);
              return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
            }
            // Connection-level failures (reset, refused) have no status; a certificate
            // problem or (when asked) a silent server would only multiply the wait.
            if (!(error instanceof HttpError) || error.status !== undefined)
              return { retry: false };
            if (error.tls) return { retry: false };
            return { retry: retryTimeouts || !error.timedOut };
          },
          {
            clock,
            ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
            ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
            ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
            ...(options.random ? { random: options.random } : {}),
            ...(options.deadline?.() !== undefined ? { deadline: options.deadline() } : {}),
            ...(req.signal ? { signal: req.signal } : {}),
            onRetry: (error, n, delayMs) =>
              options.onRetry?.(
                `${req.label ?? `${method} ${printable}`}: ${error instanceof HttpError ? (error.detail ?? error.message) : error instanceof Error ? error.message : 'error'}; retry ${n} in ${delayMs} ms`,
              ),
          },
        );
      } catch (caught) {
        let error = caught;
        let why = 'gave up after retries';
        if (caught instanceof RetryDeadlineError) {
          error = caught.last;
          why = caught.message;
          if (error instanceof HttpError) {
            throw new HttpError(
              method,
              printable,
              error.status,
              `${error.detail}; ${why}`,
              error.body,
              {
                ...(error.code ? { code: error.code } : {}),
                timedOut: error.timedOut,
                tls: error.tls,
                retriesExhausted: true,
                gaveUp: why,
              },
            );
          }
        }
        if (error instanceof RetryableAnswer) {
          const r = error.response;
          throw new HttpError(
            method,
            printable,
            r.status,
            `${snippet(r.body) || 'no body'} (${why})`,
            r.body,
            { retriesExhausted: true, gaveUp: why },
          );
        }
        throw error;
      }
    },

    async stream(req) {
      const res = await open(req, undefined);
      return { status: res.statusCode ?? 0, header: headerOf(res.headers), body: res };
    },
  };
}
