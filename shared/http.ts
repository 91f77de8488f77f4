/**
 * The one HTTP stack of every action: node:http(s) (no fetch: its first use loads undici,
 * and it cannot present a client certificate), a user agent, timeouts for the response
 * headers and for the whole answer (on the injected clock), and THE retry policy
 * (shared/retry.ts: capped exponential backoff with full jitter, Retry-After within the
 * deadline). An idempotent request (GET, HEAD, PUT, DELETE, OPTIONS, or one marked
 * `idempotent: true`) is retried on connection failures, 408/425/429 and 5xx; any other
 * (POST, PATCH) only when the failure shows it was not processed: the connection was refused
 * or the name did not resolve, or the answer was 425, 429 or 503. The Kubernetes client
 * (shared/kube/client.ts) is this client with an agent for the cluster's TLS and auth headers.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpError } from './errors.ts';
import { systemClock, type Clock } from './clock.ts';
import { parseRetryAfter, RetryDeadlineError, withRetry, type RetryDecision } from './retry.ts';
import { environmentProxyAgent } from './proxy.ts';

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
  /**
   * Whether sending it twice is safe, so a failure that may have been processed is retried
   * (default: true for GET, HEAD, PUT, DELETE, OPTIONS; false for POST and PATCH). Set it on a
   * POST only with a comment saying why repeating is harmless.
   */
  idempotent?: boolean;
  /**
   * An API's own way of answering "refused, not processed; ask again later" beyond the standard
   * statuses (GitHub's rate limits are 403s): such an answer is retried whatever the method,
   * after the delay it names, within the deadline.
   */
  notProcessed?: NotProcessedRule;
}

/** What a "not processed" answer says: why (for messages) and when to ask again. */
export interface NotProcessed {
  reason: string;
  /** Milliseconds from now; the backoff when absent. */
  delayMs?: number;
}

/** Reads an answer (and the time now, on the client's clock) as "not processed", or not. */
export type NotProcessedRule = (response: HttpResponse, now: number) => NotProcessed | undefined;

/** What a retry notice is about: a "not processed" answer carries its reason. */
export interface RetryNotice {
  reason?: string;
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
  onRetry?: (message: string, notice: RetryNotice) => void;
  /** Retrying stopped because the next wait would pass the deadline (said once, why). */
  onGiveUp?: (message: string, notice: RetryNotice) => void;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** One attempt, no retries; resolves once the headers arrive. */
  stream(req: HttpRequest): Promise<HttpStream>;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);
/** Answers that say the request was not processed (RFC 9110 §15.6.4, RFC 6585 §4, RFC 8470 §5.2). */
const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([425, 429, 503]);
/** Connection failures before anything was sent: safe to repeat any request. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
]);
// EPROTO: the TLS handshake met something that is not TLS (a plain-HTTP server): as final as a
// certificate error.
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^EPROTO$/;

/** Whether `req` may be sent again after a failure that might have been processed. */
export function isIdempotent(req: HttpRequest): boolean {
  return req.idempotent ?? IDEMPOTENT_METHODS.has((req.method ?? 'GET').toUpperCase());
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

function headerOf(headers: http.IncomingHttpHeaders): (name: string) => string | undefined {
  return (name) => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
}

/** A retryable answer, carried through withRetry until the attempts run out. */
class RetryableAnswer extends Error {
  readonly response: HttpResponse;
  readonly notProcessed: NotProcessed | undefined;
  constructor(response: HttpResponse, notProcessed?: NotProcessed) {
    super(
      notProcessed ? `${notProcessed.reason} (HTTP ${response.status})` : `HTTP ${response.status}`,
    );
    this.response = response;
    this.notProcessed = notProcessed;
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

/** What every exchange of one client shares. */
interface ClientSetup {
  options: HttpClientOptions;
  clock: Clock;
  totalTimeoutMs: number;
}

/** Milliseconds until the caller's deadline, if it has one. */
function timeLeft(setup: ClientSetup): number | undefined {
  const deadline = setup.options.deadline?.();
  return deadline === undefined ? undefined : Math.max(1, deadline - setup.clock.now());
}

/** Calls `fn` once `ms` have passed on `clock`; returns the cancel. */
function onTimeout(clock: Clock, ms: number, fn: () => void): () => void {
  const signal = clock.timeout(ms);
  signal.addEventListener('abort', fn, { once: true });
  return () => signal.removeEventListener('abort', fn);
}

/** How long the headers may take, and which limit that is (for the message). */
function headersBudget(
  setup: ClientSetup,
  totalMs: number | undefined,
): { ms: number; limit: string } {
  const connectMs = setup.options.connectTimeoutMs;
  const left = timeLeft(setup) ?? Infinity;
  const ms = Math.min(connectMs ?? Infinity, totalMs ?? Infinity, left);
  const limit =
    ms === connectMs
      ? ' (connect timeout)'
      : ms === left
        ? ' (the time left before the deadline)'
        : '';
  return { ms, limit };
}

/** What an aborted request rejects with: an AbortError, as fetch and Node's own `signal` say. */
function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

/**
 * Ends the exchange when `signal` aborts, destroying the streams WITHOUT an error. Node formats
 * the stack of every error a stream is destroyed with (streams/destroy.js reads `err.stack`),
 * and with source maps on that costs milliseconds per stream: closing a step's watches through
 * Node's own `signal` option cost ~5 ms between the verdict and the exit. The response is
 * destroyed first, so the socket's close does not fail it with "aborted" either. Returns the
 * listener's removal.
 */
function endOnAbort(
  outgoing: http.ClientRequest,
  signal: AbortSignal | undefined,
  rejectPending: (error: Error) => void,
): () => void {
  if (!signal) return () => undefined;
  const onAbort = (): void => {
    rejectPending(abortError(signal));
    (outgoing as http.ClientRequest & { res?: http.IncomingMessage }).res?.destroy();
    outgoing.destroy();
  };
  if (signal.aborted) {
    queueMicrotask(onAbort);
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** A failure of the connection itself (no answer), as an HttpError. */
function transportError(
  method: string,
  printable: string,
  error: NodeJS.ErrnoException,
): HttpError {
  const code = error.code;
  const tls = code !== undefined && TLS_ERROR.test(code);
  return new HttpError(method, printable, undefined, code ?? error.message, '', {
    ...(code ? { code } : {}),
    tls,
  });
}

/**
 * One exchange: resolves with the answer stream once headers arrive. `totalMs` bounds the
 * whole answer (undefined for streams: a watch is bounded by its signal).
 */
async function open(
  setup: ClientSetup,
  req: HttpRequest,
  totalMs: number | undefined,
): Promise<http.IncomingMessage> {
  const { options, clock } = setup;
  const method = req.method ?? 'GET';
  const printable = redactUrl(req.url);
  const url = new URL(req.url);
  const auth = options.authHeaders ? await options.authHeaders() : {};
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const headers = headersBudget(setup, totalMs);
  const mod = url.protocol === 'https:' ? https : http;
  const agent =
    url.protocol === 'https:' ? (options.agent?.() ?? environmentProxyAgent(url)) : undefined;
  const timeoutError = (ms: number, limit: string): HttpError =>
    new HttpError(method, printable, undefined, `no answer within ${ms} ms${limit}`, '', {
      timedOut: true,
    });
  return new Promise((resolve, reject) => {
    const outgoing = mod.request(url, {
      method,
      ...(agent ? { agent } : {}),
      headers: {
        ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
        ...auth,
        ...req.headers,
        ...(body === undefined ? {} : { 'content-length': body.byteLength }),
      },
    });
    const stopAbortListener = endOnAbort(outgoing, req.signal, (error) => {
      cancelHeadersTimeout();
      reject(error);
    });
    outgoing.on('close', stopAbortListener);
    const cancelHeadersTimeout = Number.isFinite(headers.ms)
      ? onTimeout(clock, headers.ms, () =>
          outgoing.destroy(timeoutError(headers.ms, headers.limit)),
        )
      : () => undefined;
    outgoing.on('response', (res) => {
      cancelHeadersTimeout();
      if (totalMs !== undefined && Number.isFinite(totalMs)) {
        const cancel = onTimeout(clock, totalMs, () => res.destroy(timeoutError(totalMs, '')));
        res.on('close', cancel);
      }
      resolve(res);
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      cancelHeadersTimeout();
      if (error instanceof HttpError || req.signal?.aborted) reject(error);
      else reject(transportError(method, printable, error));
    });
    outgoing.end(body);
  });
}

/** One attempt: the whole answer, or an error (a RetryableAnswer when the policy allows another). */
async function attempt(setup: ClientSetup, req: HttpRequest): Promise<HttpResponse> {
  const method = req.method ?? 'GET';
  const totalMs = Math.min(req.timeoutMs ?? setup.totalTimeoutMs, timeLeft(setup) ?? Infinity);
  const res = await open(setup, req, totalMs);
  let text: string;
  try {
    text = await readBody(res);
  } catch (error) {
    if (req.signal?.aborted) throw abortError(req.signal);
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
  const notProcessed = status >= 400 ? req.notProcessed?.(response, setup.clock.now()) : undefined;
  if (notProcessed) throw new RetryableAnswer(response, notProcessed);
  if ((status >= 200 && status < 300) || req.okStatuses?.includes(status)) return response;
  const retryable = isIdempotent(req)
    ? RETRYABLE_STATUSES.has(status)
    : NOT_PROCESSED_STATUSES.has(status);
  if (retryable) throw new RetryableAnswer(response);
  throw new HttpError(method, redactUrl(req.url), status, snippet(text) || `HTTP ${status}`, text);
}

/** Whether a failed attempt is tried again, and after how long the server asked for. */
function retryDecision(setup: ClientSetup, req: HttpRequest, error: unknown): RetryDecision {
  if (req.signal?.aborted) return { retry: false };
  if (error instanceof RetryableAnswer) {
    const r = error.response;
    const delayMs =
      error.notProcessed?.delayMs ??
      parseRetryAfter(r.header('retry-after'), setup.clock.now()) ??
      setup.options.retryAfterFromBody?.(r.body);
    return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
  }
  // Only connection-level failures (reset, refused) are left: they have no status. A
  // certificate problem or (when asked) a silent server would only multiply the wait.
  if (!(error instanceof HttpError) || error.status !== undefined) return { retry: false };
  if (error.tls) return { retry: false };
  // A request that may not be repeated: only when it surely never reached the server.
  if (!isIdempotent(req))
    return { retry: error.code !== undefined && NOT_SENT_CODES.has(error.code) };
  return { retry: (setup.options.retryTimeouts ?? true) || !error.timedOut };
}

/** The retry options of one request: the client's policy, its deadline and signal. */
function retryOptions(setup: ClientSetup, req: HttpRequest): Parameters<typeof withRetry>[2] {
  const { options, clock } = setup;
  const label = req.label ?? `${req.method ?? 'GET'} ${redactUrl(req.url)}`;
  const deadline = options.deadline?.();
  return {
    clock,
    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    onRetry: (error, n, delayMs) =>
      options.onRetry?.(
        `${label}: ${failureText(error)}; retry ${n} in ${delayMs} ms`,
        retryNotice(error),
      ),
  };
}

function retryNotice(error: unknown): RetryNotice {
  const reason = error instanceof RetryableAnswer ? error.notProcessed?.reason : undefined;
  return reason === undefined ? {} : { reason };
}

function failureText(error: unknown): string {
  if (error instanceof HttpError) return error.detail ?? error.message;
  return error instanceof Error ? error.message : 'error';
}

/** The error a request ends with once retrying stopped, saying why it stopped. */
function finalError(req: HttpRequest, caught: unknown): unknown {
  const method = req.method ?? 'GET';
  const printable = redactUrl(req.url);
  let error = caught;
  let why = 'gave up after retries';
  if (caught instanceof RetryDeadlineError) {
    error = caught.last;
    why = caught.message;
    if (error instanceof HttpError) {
      return new HttpError(method, printable, error.status, `${error.detail}; ${why}`, error.body, {
        ...(error.code ? { code: error.code } : {}),
        timedOut: error.timedOut,
        tls: error.tls,
        retriesExhausted: true,
        gaveUp: why,
      });
    }
  }
  if (error instanceof RetryableAnswer) {
    const r = error.response;
    return new HttpError(
      method,
      printable,
      r.status,
      `${snippet(r.body) || 'no body'} (${why})`,
      r.body,
      { retriesExhausted: true, gaveUp: why },
    );
  }
  return error;
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const setup: ClientSetup = {
    options,
    clock: options.clock ?? systemClock,
    totalTimeoutMs: options.timeoutMs ?? 30_000,
  };
  return {
    async request(req) {
      try {
        return await withRetry(
          () => attempt(setup, req),
          (error) => retryDecision(setup, req, error),
          retryOptions(setup, req),
        );
      } catch (caught) {
        if (caught instanceof RetryDeadlineError) {
          const label = req.label ?? `${req.method ?? 'GET'} ${redactUrl(req.url)}`;
          options.onGiveUp?.(
            `${label}: ${failureText(caught.last)}; not retried: ${caught.message}`,
            retryNotice(caught.last),
          );
        }
        throw finalError(req, caught);
      }
    },

    async stream(req) {
      const res = await open(setup, req, undefined);
      return { status: res.statusCode ?? 0, header: headerOf(res.headers), body: res };
    },
  };
}
