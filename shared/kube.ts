/**
 * A small Kubernetes REST client for actions that talk to a cluster.
 *
 * Authentication and TLS: static credentials (token, token file, client certificate and key,
 * CA, basic auth) are applied directly; users that need more (exec plugins such as
 * setup-cluster-auth's exec mode, auth providers, proxies) go through
 * `@kubernetes/client-node`'s KubeConfig, loaded by dynamic import only then (its 19 MB chunk
 * costs ~10 ms at process exit and more at start). Requests go through node:http(s) so that every request:
 *  - has a connect timeout (an API server that does not answer fails with a clear error
 *    instead of hanging) and a request timeout;
 *  - retries connection errors, 429 and 5xx with capped backoff + jitter, honouring
 *    Retry-After (shared/retry.ts);
 *  - fails with a KubeApiError that names the verb, resource and namespace (401/403 say
 *    what to fix).
 * `watch()` streams watch events line by line and reports how the stream ended so callers can
 * resume from the last resourceVersion (and re-list on 410 Gone).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { InputError } from './errors.ts';
import { systemClock, type Clock } from './clock.ts';
import {
  kubeconfigSecrets,
  parseKubeconfig,
  selectContext,
  type Kubeconfig,
} from './kubeconfig.ts';
import type { Logger } from './logger.ts';
import { parseRetryAfter, withRetry } from './retry.ts';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  metadata: { resourceVersion?: string };
  items: T[];
}

/** What a verb was applied to: for error messages. */
export interface RequestTarget {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/** A non-2xx answer from the API server (after retries), or no answer at all (status undefined). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly target: RequestTarget;
  constructor(
    message: string,
    status: number | undefined,
    reason: string | undefined,
    target: RequestTarget,
  ) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.target = target;
  }
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Statuses returned as answers instead of thrown (e.g. 404 for "does it exist"). */
  okStatuses?: readonly number[];
  /** For error messages; derived from the path when absent. */
  target?: Partial<RequestTarget>;
}

export interface KubeResponse {
  status: number;
  body: string;
  json<T>(): T;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WatchEnd {
  /** 'closed': the server ended the stream; 'gone': 410 (resourceVersion too old); 'error': a failure. */
  reason: 'closed' | 'gone' | 'aborted' | 'error';
  error?: Error;
}

export interface KubeClient {
  readonly server: string;
  readonly namespace: string | undefined;
  readonly user: string;
  request(req: KubeRequest): Promise<KubeResponse>;
  json<T>(req: KubeRequest): Promise<T>;
  /** Opens one watch stream; resolves when it ends (never rejects). */
  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd>;
}

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
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

const VERBS: Record<string, string> = {
  GET: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** `/apis/apps/v1/namespaces/ns/deployments/web` → verb, resource, namespace, name. */
export function describeTarget(
  method: string,
  path: string,
  query: KubeRequest['query'] = {},
): RequestTarget {
  const parts = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  // core: api/v1/...; groups: apis/<group>/<version>/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const group = parts[0] === 'apis' ? parts[1] : '';
  let namespace: string | undefined;
  let i = 0;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    i = 2;
  }
  const plural = rest[i] ?? (parts.at(-1) || 'version');
  const name = rest[i + 1];
  const sub = rest[i + 2];
  const resource = `${plural}${group ? `.${group}` : ''}${sub ? `/${sub}` : ''}`;
  let verb = VERBS[method] ?? method.toLowerCase();
  if (method === 'GET' && !name) verb = query.watch ? 'watch' : 'list';
  return {
    verb,
    resource,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

function targetText(t: RequestTarget): string {
  return `${t.verb} ${t.resource}${t.name ? ` "${t.name}"` : ''}${t.namespace ? ` in namespace "${t.namespace}"` : ''}`;
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { retryAfterSeconds?: number };
}

function parseStatus(body: string): StatusBody {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : {};
  } catch {
    return {};
  }
}

class Retryable extends Error {
  readonly delayMs: number | undefined;
  readonly status: number | undefined;
  /** No answer at all within the timeout: not retried (a silent server would multiply the wait). */
  readonly timedOut: boolean;
  constructor(message: string, status: number | undefined, delayMs?: number, timedOut = false) {
    super(message);
    this.status = status;
    this.delayMs = delayMs;
    this.timedOut = timedOut;
  }
}

function apiError(
  server: string,
  status: number,
  body: string,
  target: RequestTarget,
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
  );
}

type AuthOptions = https.RequestOptions & { headers?: http.OutgoingHttpHeaders };

/**
 * Request options for a kubeconfig user with static credentials, or undefined when the
 * user needs @kubernetes/client-node (exec plugin, auth provider, proxy).
 */
async function staticAuthOptions(
  config: Kubeconfig,
  contextName: string,
  kubeconfigPath: string,
): Promise<(() => AuthOptions) | undefined> {
  const ctx = config.contexts.find((c) => c.name === contextName)?.context;
  const cluster = config.clusters.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === ctx?.user)?.user ?? {};
  if (!cluster || user.exec || user['auth-provider'] || cluster['proxy-url']) return undefined;
  const dir = path.dirname(kubeconfigPath);
  const file = async (key: string): Promise<Buffer | undefined> => {
    const v = (user as Record<string, unknown>)[key] ?? (cluster as Record<string, unknown>)[key];
    return typeof v === 'string' && v ? readFile(path.resolve(dir, v)) : undefined;
  };
  const data = (v: unknown): Buffer | undefined =>
    typeof v === 'string' && v ? Buffer.from(v, 'base64') : undefined;
  const ca = data(cluster['certificate-authority-data']) ?? (await file('certificate-authority'));
  const cert = data(user['client-certificate-data']) ?? (await file('client-certificate'));
  const key = data(user['client-key-data']) ?? (await file('client-key'));
  const tokenFile = typeof user.tokenFile === 'string' ? user.tokenFile : undefined;
  const headers: http.OutgoingHttpHeaders = {};
  if (user.username && user.password) {
    headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  }
  const tls: https.AgentOptions = {
    keepAlive: true,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { rejectUnauthorized: false } : {}),
    ...(typeof cluster['tls-server-name'] === 'string'
      ? { servername: cluster['tls-server-name'] }
      : {}),
  };
  const agent = new https.Agent(tls);
  let token = user.token;
  if (!token && tokenFile) token = (await readFile(path.resolve(dir, tokenFile), 'utf8')).trim();
  if (token) headers.authorization = `Bearer ${token}`;
  return () => ({ agent, headers: { ...headers } });
}

/**
 * Loads the kubeconfig (validating it and masking every credential before anything can be
 * logged), then returns a client for its current (or given) context.
 */
export async function createKubeClient(options: KubeClientOptions): Promise<KubeClient> {
  let text: string;
  try {
    text = await readFile(options.kubeconfigPath, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read the kubeconfig ${options.kubeconfigPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const parsed = parseKubeconfig(text, `the kubeconfig ${options.kubeconfigPath}`);
  for (const secret of kubeconfigSecrets(parsed)) options.logger.secret(secret);
  const selected = selectContext(parsed, options.context);
  const contextEntry = selected.config.contexts.find((c) => c.name === selected.context);
  const server = selected.server.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const user = contextEntry?.context.user ?? '';
  const userAgent = options.userAgent ?? 'mlops-actions';
  const staticAuth = await staticAuthOptions(
    selected.config,
    selected.context,
    options.kubeconfigPath,
  );
  let clientNode: Promise<(opts: AuthOptions) => Promise<void>> | undefined;

  /**
   * TLS and credentials for one request. Static credentials (token, token file, client
   * certificate, CA) are applied here; anything dynamic (exec plugins, auth providers,
   * proxies) goes through @kubernetes/client-node's KubeConfig, loaded only then.
   */
  async function authOptions(): Promise<AuthOptions> {
    if (staticAuth) return staticAuth();
    clientNode ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromFile(options.kubeconfigPath);
      kc.setCurrentContext(selected.context);
      return (opts: AuthOptions) => kc.applyToHTTPSOptions(opts);
    });
    const apply = await clientNode;
    const opts: AuthOptions = {};
    await apply(opts);
    return opts;
  }

  function url(path: string, query: KubeRequest['query'] = {}): URL {
    const u = new URL(server + path);
    for (const [k, v] of Object.entries(query))
      if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /** One HTTP exchange; resolves with the response stream once headers arrive. */
  async function open(
    method: string,
    u: URL,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    totalTimeoutMs: number | undefined,
  ): Promise<http.IncomingMessage> {
    const auth = await authOptions();
    const mod = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(u, {
        ...auth,
        ...(u.protocol === 'https:' ? {} : { agent: undefined }),
        method,
        headers: {
          ...(auth.headers ?? {}),
          'user-agent': userAgent,
          accept: 'application/json',
          ...headers,
          ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
        },
        ...(signal ? { signal } : {}),
      });
      const connectTimer = setTimeout(() => {
        req.destroy(
          new Retryable(
            `no answer from ${server} within ${connectTimeoutMs} ms (connect timeout): is the API server reachable from this runner?`,
            undefined,
            undefined,
            true,
          ),
        );
      }, connectTimeoutMs);
      const totalTimer =
        totalTimeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                req.destroy(
                  new Retryable(
                    `no complete answer from ${server} within ${totalTimeoutMs} ms`,
                    undefined,
                    undefined,
                    true,
                  ),
                ),
              totalTimeoutMs,
            );
      req.on('response', (res) => {
        clearTimeout(connectTimer);
        res.on('close', () => clearTimeout(totalTimer));
        resolve(res);
      });
      req.on('error', (error) => {
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        if (error instanceof Retryable || signal?.aborted) reject(error);
        else {
          const code = (error as NodeJS.ErrnoException).code;
          const tlsProblem = code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/.test(code);
          if (tlsProblem) {
            reject(
              new KubeApiError(
                `TLS connection to ${server} failed (${code}): check the kubeconfig's certificate-authority-data`,
                undefined,
                undefined,
                { verb: method, resource: u.pathname },
              ),
            );
          } else
            reject(new Retryable(`${code ?? error.message} connecting to ${server}`, undefined));
        }
      });
      req.end(body);
    });
  }

  function readBody(res: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
      res.on('aborted', () => reject(new Retryable('connection closed mid-answer', undefined)));
    });
  }

  async function request(req: KubeRequest): Promise<KubeResponse> {
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
    const headers: Record<string, string> = body
      ? { 'content-type': req.contentType ?? 'application/json' }
      : {};
    const u = url(req.path, req.query);
    let last: Retryable | undefined;
    try {
      return await withRetry(
        async () => {
          const res = await open(req.method, u, headers, body, undefined, requestTimeoutMs);
          const text = await readBody(res);
          const status = res.statusCode ?? 0;
          if ((status >= 200 && status < 300) || req.okStatuses?.includes(status)) {
            return {
              status,
              body: text,
              json<T>() {
                return JSON.parse(text) as T;
              },
            };
          }
          if (RETRYABLE.has(status)) {
            const header = res.headers['retry-after'];
            const delay = parseRetryAfter(Array.isArray(header) ? header[0] : header, clock.now());
            const s = parseStatus(text);
            throw new Retryable(
              `HTTP ${status}${s.message ? `: ${s.message}` : ''}`,
              status,
              delay ?? (s.details?.retryAfterSeconds ?? 0) * 1000,
            );
          }
          throw apiError(server, status, text, target);
        },
        (error) => {
          if (!(error instanceof Retryable)) return { retry: false };
          last = error;
          if (error.timedOut) return { retry: false };
          return error.delayMs ? { retry: true, delayMs: error.delayMs } : { retry: true };
        },
        {
          clock,
          attempts: options.attempts ?? 6,
          baseDelayMs: options.baseDelayMs ?? 250,
          maxDelayMs: options.maxDelayMs ?? 5_000,
          onRetry: (error, attempt, delayMs) =>
            options.logger.info(
              `Kubernetes API: ${targetText(target)}: ${(error as Error).message}; retry ${attempt} in ${delayMs} ms`,
            ),
        },
      );
    } catch (error) {
      if (error instanceof Retryable) {
        const e = last ?? error;
        throw new KubeApiError(
          e.timedOut
            ? `cannot ${targetText(target)}: ${e.message}`
            : `${targetText(target)} at ${server} failed${e.status ? ` with HTTP ${e.status}` : ''} after retries: ${e.message}`,
          e.status,
          undefined,
          target,
        );
      }
      throw error;
    }
  }

  async function watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd> {
    const u = url(path, { ...query, watch: true, allowWatchBookmarks: true });
    let res: http.IncomingMessage;
    try {
      res = await open('GET', u, {}, undefined, signal, undefined);
    } catch (error) {
      if (signal.aborted) return { reason: 'aborted' };
      return { reason: 'error', error: error as Error };
    }
    const status = res.statusCode ?? 0;
    if (status === 410) {
      res.resume();
      return { reason: 'gone' };
    }
    if (status !== 200) {
      const text = await readBody(res).catch(() => '');
      if (RETRYABLE.has(status)) {
        return { reason: 'error', error: new Retryable(`watch: HTTP ${status}`, status) };
      }
      return {
        reason: 'error',
        error: apiError(server, status, text, describeTarget('GET', path, { watch: true })),
      };
    }
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
      res.on('close', () => setImmediate(finish));
      // An aborted or reset stream ends the watch like a close: the caller resumes.
      lines.on('error', () => undefined);
      res.on('error', () => undefined);
    });
  }

  return {
    server,
    namespace: contextEntry?.context.namespace,
    user,
    request,
    async json<T>(req: KubeRequest): Promise<T> {
      return (await request(req)).json<T>();
    },
    watch,
  };
}

/** True when a watch error is worth retrying (connection trouble, 5xx, 429). */
export function isTransient(error: Error | undefined): boolean {
  return error instanceof Retryable;
}
