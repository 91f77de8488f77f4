/**
 * The Kubernetes REST client of every action: shared/http.ts (one retry stack: connection
 * errors, 429 and 5xx with capped backoff + jitter, Retry-After and the Status body's
 * retryAfterSeconds) over the connection shared/kube/auth.ts derives from the kubeconfig.
 * Requests have a connect timeout (a silent API server fails clearly instead of hanging, and
 * is not retried: that would multiply the wait) and a total timeout; failures are
 * KubeApiErrors naming the verb, resource and namespace. `watch()` streams events line by line
 * and reports how the stream ended, so shared/kube/watch.ts can resume.
 */
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { systemClock, type Clock } from '../clock.ts';
import { createHttpClient, type HttpClient, type HttpStream } from '../http.ts';
import type { Logger } from '../logger.ts';
import { parseRetryAfter } from '../retry.ts';
import { connectToCluster, type ClusterConnection } from './auth.ts';
import { apiError, KubeApiError, kubeError, statusRetryAfterMs } from './errors.ts';
import { describeTarget, targetText } from './paths.ts';
import type {
  KubeClient,
  KubeRequest,
  KubeResponse,
  QueryParams,
  RequestTarget,
  WatchEnd,
  WatchEvent,
} from './types.ts';

export interface KubeClientOptions {
  /** Path of the kubeconfig file. */
  kubeconfigPath: string;
  context?: string;
  logger: Logger;
  /** Time allowed to connect and get response headers (default 10 s). */
  connectTimeoutMs?: number;
  /** Total time allowed per request (default 30 s). */
  requestTimeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  userAgent?: string;
  /** Aborts every request and watch (a cancelled job). */
  signal?: AbortSignal;
  /** When the caller gives up (on `clock`): no timeout, retry or Retry-After reaches past it. */
  deadline?: () => number | undefined;
}

/**
 * Whether a request may be sent again after an answer that may hide its effect: reads,
 * replaces and deletes are; of the patches, server-side apply and merge patches are (they set
 * fields to values); a JSON patch (its `add` may append) and a create (POST) are not.
 */
export function kubeIdempotent(req: Pick<KubeRequest, 'method' | 'contentType'>): boolean {
  if (req.method === 'POST') return false;
  if (req.method !== 'PATCH') return true;
  return /^application\/(apply-patch\+yaml|merge-patch\+json|strategic-merge-patch\+json)/.test(
    req.contentType ?? '',
  );
}

/** The HTTP stack for one cluster: its agent and credentials, Kubernetes' retry hints. */
function clusterHttpClient(
  options: Omit<KubeClientOptions, 'kubeconfigPath' | 'context'>,
  connection: ClusterConnection,
): HttpClient {
  return createHttpClient({
    userAgent: options.userAgent ?? 'mlops-actions',
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
    retryTimeouts: false,
    attempts: options.attempts ?? 6,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 5_000,
    ...(options.clock ? { clock: options.clock } : {}),
    agent: connection.agent,
    authHeaders: connection.authHeaders,
    retryAfterFromBody: statusRetryAfterMs,
    ...(options.deadline ? { deadline: options.deadline } : {}),
    onRetry: (message) => options.logger.info(message),
  });
}

function apiUrl(server: string, path: string, query: QueryParams = {}): string {
  const u = new URL(server + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

/** One API request through the cluster's HTTP stack; failures become KubeApiErrors. */
async function apiRequest(
  http: HttpClient,
  server: string,
  req: KubeRequest,
  signal: AbortSignal | undefined,
): Promise<KubeResponse> {
  const target: RequestTarget = {
    ...describeTarget(req.method, req.path, req.query),
    ...req.target,
  } as RequestTarget;
  const body =
    req.body === undefined
      ? undefined
      : typeof req.body === 'string'
        ? req.body
        : JSON.stringify(req.body);
  try {
    return await http.request({
      label: `Kubernetes API: ${targetText(target)}`,
      method: req.method,
      url: apiUrl(server, req.path, req.query),
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': req.contentType ?? 'application/json' } : {}),
      },
      ...(body === undefined ? {} : { body }),
      ...(req.okStatuses ? { okStatuses: req.okStatuses } : {}),
      idempotent: kubeIdempotent(req),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw kubeError(error, server, target);
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', () => resolve(''));
  });
}

/** A watch answered with an error status: transient for 429 and 5xx, with the wait asked for. */
async function watchRefused(
  stream: HttpStream,
  server: string,
  target: RequestTarget,
  now: number,
): Promise<WatchEnd> {
  const { status } = stream;
  const text = await readAll(stream.body);
  const transient = status === 429 || status >= 500;
  const retryAfterMs =
    parseRetryAfter(stream.header('retry-after'), now) ?? statusRetryAfterMs(text);
  return {
    reason: 'error',
    error: apiError(server, status, text, target, transient),
    transient,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Reads watch events line by line until the stream ends; says how it ended. */
function readEvents(
  res: IncomingMessage,
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
  clock: Clock,
): Promise<WatchEnd> {
  return new Promise((resolve) => {
    let gone = false;
    const lines = createInterface({ input: res, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (!line.trim()) return;
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        return;
      }
      if (event.type === 'ERROR') {
        const code = (event.object as unknown as { code?: number }).code;
        if (code === 410) gone = true;
        return;
      }
      onEvent(event);
    });
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      lines.close();
      if (signal.aborted) resolve({ reason: 'aborted' });
      else resolve({ reason: gone ? 'gone' : 'closed' });
    };
    lines.on('close', finish);
    // A destroyed stream (abort, reset) emits 'close' but never 'end'.
    res.on('close', () => void clock.yield().then(finish));
    // An aborted or reset stream ends the watch like a close: the caller resumes.
    lines.on('error', () => undefined);
    res.on('error', () => undefined);
  });
}

/** One watch stream of `path`; resolves (never rejects) with how it ended. */
async function openWatch(
  http: HttpClient,
  server: string,
  clock: Clock,
  path: string,
  query: QueryParams,
  onEvent: (event: WatchEvent) => void,
  signal: AbortSignal,
): Promise<WatchEnd> {
  const target = describeTarget('GET', path, { watch: true });
  let stream: HttpStream;
  try {
    stream = await http.stream({
      url: apiUrl(server, path, { ...query, watch: true, allowWatchBookmarks: true }),
      headers: { accept: 'application/json' },
      signal,
    });
  } catch (error) {
    if (signal.aborted) return { reason: 'aborted' };
    const mapped = kubeError(error, server, target) as Error;
    return {
      reason: 'error',
      error: mapped,
      transient: mapped instanceof KubeApiError && mapped.transient,
    };
  }
  if (stream.status === 410) {
    stream.body.resume();
    return { reason: 'gone' };
  }
  if (stream.status !== 200) return watchRefused(stream, server, target, clock.now());
  return readEvents(stream.body, onEvent, signal, clock);
}

/**
 * Loads the kubeconfig (validating it and masking every credential before anything can be
 * logged), then returns a client for its current (or given) context.
 */
export async function createKubeClient(options: KubeClientOptions): Promise<KubeClient> {
  const connection = await connectToCluster(
    options.kubeconfigPath,
    options.context,
    options.logger,
  );
  return kubeClientFor(connection, options);
}

/**
 * A client over a connection made already (connectToCluster), for an action that also sends
 * other requests through the cluster: one kubeconfig read and one exec-plugin credential for all.
 */
export function kubeClientFor(
  connection: ClusterConnection,
  options: Omit<KubeClientOptions, 'kubeconfigPath' | 'context'>,
): KubeClient {
  const { server } = connection;
  const clock = options.clock ?? systemClock;
  const http = clusterHttpClient(options, connection);
  const request = (req: KubeRequest): Promise<KubeResponse> =>
    apiRequest(http, server, req, options.signal);
  return {
    server,
    namespace: connection.namespace,
    user: connection.user,
    request,
    async json<T>(req: KubeRequest): Promise<T> {
      return (await request(req)).json<T>();
    },
    watch: (path, query, onEvent, signal) =>
      openWatch(
        http,
        server,
        clock,
        path,
        query,
        onEvent,
        options.signal ? AbortSignal.any([signal, options.signal]) : signal,
      ),
  };
}
