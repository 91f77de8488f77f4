/**
 * The load's HTTP pool: one undici keep-alive Pool per target, no retries (a retry would
 * hide the error the load is there to find), every request bounded by `request-timeout`.
 * This is deliberately not shared/http.ts: that layer retries, backs off and redacts API
 * calls; the load generator must send exactly one request per shot and measure it.
 *
 * Per request it costs one undici dispatch (its low-level handler API: no stream, no
 * promise chain inside) and one entry in a deadline queue. `request-timeout` is one timer
 * per target, not per request: requests go out in order with the same bound, so their
 * deadlines are in order too and the earliest pending one is the only timer armed. The
 * job's signal is one listener that expires every pending request.
 */
import type { Agent } from 'node:http';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { Pool, type Dispatcher } from 'undici';
import type { Clock } from '../../shared/clock.ts';

/** What one request came back with. */
export interface Shot {
  /** HTTP status, or 0 when no response came (connection error, timeout). */
  status: number;
  /** The failure when no response came: `timeout`, `ECONNREFUSED`… */
  error?: string;
  /** The response body, when the sender keeps bodies (at most MAX_BODY_BYTES). */
  body?: Buffer;
}

/** A response body kept for its predictions is read up to this size (the rest is dropped). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Connections per target at most. Open loop: a request due while all are busy waits in the
 * pool and its wait counts in its latency (measured from its due time), as with wrk2's fixed
 * connections. Without a bound, a generator that fell behind opened a socket per late request
 * and spent its time connecting instead of sending.
 */
export const MAX_CONNECTIONS = 256;

export interface Sender {
  send(body: Buffer | undefined, signal: AbortSignal): Promise<Shot>;
  close(): void;
}

export interface SenderOptions {
  url: string;
  method: string;
  headers: readonly [string, string][];
  timeoutMs: number;
  clock: Clock;
  /** Keep each response's body (for `prediction-path`). */
  keepBodies?: boolean;
  /** Connections at most (default MAX_CONNECTIONS; the benchmark matches autocannon's). */
  connections?: number;
  /** The API server's agent (trust, client certificate, proxy) for service-proxy targets. */
  agent?: Agent;
  /** The kubeconfig user's headers, asked per request (an exec token is refreshed). */
  authHeaders?: () => Promise<Record<string, string>>;
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  // undici's "other side closed": the server hung up before answering.
  if (code === 'UND_ERR_SOCKET') return 'connection closed';
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'connection error';
}

/** One request in flight: undici's handler, settled once (answer, error, timeout or abort). */
class InFlight implements Dispatcher.DispatchHandlers {
  settled = false;
  private abort?: (error?: Error) => void;
  private status = 0;
  private chunks: Buffer[] | undefined;
  private kept = 0;
  readonly deadline: number;
  private readonly resolve: (shot: Shot) => void;

  constructor(deadline: number, keepBodies: boolean, resolve: (shot: Shot) => void) {
    this.deadline = deadline;
    this.resolve = resolve;
    if (keepBodies) this.chunks = [];
  }

  onConnect(abort: (error?: Error) => void): void {
    // Expired while it waited for a connection: it is not sent.
    if (this.settled) abort(new Error('expired'));
    else this.abort = abort;
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.chunks && this.kept + chunk.length <= MAX_BODY_BYTES) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
    }
    return true;
  }

  onComplete(): void {
    const { status, chunks } = this;
    this.settle(chunks ? { status, body: Buffer.concat(chunks, this.kept) } : { status });
  }

  onError(error: Error): void {
    this.settle({ status: 0, error: errorCode(error) });
  }

  /** Settles it as failed (`timeout`, `aborted`) and drops its connection. */
  expire(error: string): void {
    if (this.settled) return;
    this.settle({ status: 0, error });
    this.abort?.(new Error(error));
  }

  private settle(shot: Shot): void {
    if (this.settled) return;
    this.settled = true;
    this.chunks = undefined;
    this.resolve(shot);
  }
}

/** Pending requests in send order, so in deadline order: one timer, for the earliest. */
class Deadlines {
  private queue: InFlight[] = [];
  private head = 0;
  private armed = false;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  add(request: InFlight): void {
    // Answered ones leave now, not at their deadline: held for `request-timeout` they
    // would outlive the young generation and cost full garbage collections under load.
    this.dropSettled();
    this.queue.push(request);
    if (!this.armed) this.arm(request.deadline);
  }

  /** Every pending request fails with `error` (the job was cancelled). */
  expireAll(error: string): void {
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]?.expire(error);
    this.queue = [];
    this.head = 0;
  }

  private arm(at: number): void {
    this.armed = true;
    this.clock
      .timeout(at - this.clock.monotonic())
      .addEventListener('abort', () => this.sweep(), { once: true });
  }

  private sweep(): void {
    this.armed = false;
    const now = this.clock.monotonic();
    const { queue } = this;
    while (this.head < queue.length) {
      const request = queue[this.head] as InFlight;
      if (!request.settled && request.deadline > now) break;
      request.expire('timeout');
      this.head++;
    }
    this.dropSettled();
    const next = this.queue[this.head];
    if (next) this.arm(next.deadline);
  }

  /** Moves `head` past the settled prefix; drops that prefix now and then. */
  private dropSettled(): void {
    const { queue } = this;
    while (this.head < queue.length && (queue[this.head] as InFlight).settled) this.head++;
    if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * A connector over a node:https Agent (the kubeconfig's trust, client certificate and
 * proxy-url tunnel): the agent's own createConnection, resolved once the TLS handshake is done.
 */
function agentConnector(agent: Agent): Pool.Options['connect'] {
  const tls = (agent as Agent & { options?: Record<string, unknown> }).options ?? {};
  const create = (
    agent as unknown as {
      createConnection(options: object, cb: (e: Error | null, s: Duplex) => void): Duplex | null;
    }
  ).createConnection.bind(agent);
  return ({ hostname, port, protocol }, callback) => {
    let done = false;
    const finish = (error: Error | null, socket?: Duplex): void => {
      if (done) return;
      done = true;
      if (error || !socket) callback(error ?? new Error('no connection'), null);
      else callback(null, socket as Socket);
    };
    const ready = (error: Error | null, socket: Duplex): void => {
      if (error) return finish(error);
      const connected = socket instanceof TLSSocket ? 'secureConnect' : 'connect';
      const failed = (e: Error): void => finish(e);
      socket.once('error', failed);
      socket.once(connected, () => {
        socket.off('error', failed);
        finish(null, socket);
      });
    };
    const host = hostname.replace(/^\[|\]$/g, '');
    const servername = (tls.servername as string | undefined) ?? (isIP(host) ? undefined : host);
    const options = {
      ...tls,
      host,
      port: Number(port) || (protocol === 'https:' ? 443 : 80),
      ...(servername ? { servername } : {}),
    };
    try {
      const socket = create(options, ready);
      if (socket) ready(null, socket);
    } catch (error) {
      finish(error as Error);
    }
  };
}

/** A sender over a keep-alive pool of at most MAX_CONNECTIONS (open loop: see load.ts). */
export function createSender(options: SenderOptions): Sender {
  const url = new URL(options.url);
  const { clock, timeoutMs } = options;
  const pool = new Pool(url.origin, {
    connections: options.connections ?? MAX_CONNECTIONS,
    pipelining: 1,
    // `request-timeout` is the Deadlines' (one bound for the whole request).
    headersTimeout: 0,
    bodyTimeout: 0,
    ...(options.agent ? { connect: agentConnector(options.agent) } : {}),
  });
  const base: Record<string, string> = { 'user-agent': 'mlops-actions/analyze-release' };
  for (const [name, value] of options.headers) base[name.toLowerCase()] = value;
  // Built once: undici takes a flat [name, value, …] list and adds content-length itself.
  const flat = (headers: Record<string, string>): string[] => Object.entries(headers).flat();
  const withType = { 'content-type': 'application/json', ...base };
  const plain = flat(base);
  const withBody = flat(withType);
  const path = `${url.pathname}${url.search}`;
  const method = options.method as Dispatcher.HttpMethod;
  const deadlines = new Deadlines(clock);
  const watched = new WeakSet<AbortSignal>();
  const dispatch = (body: Buffer | undefined, headers: string[], r: InFlight): void => {
    if (!r.settled) pool.dispatch({ path, method, headers, body: body ?? null }, r);
  };
  const send = (body: Buffer | undefined, signal: AbortSignal): Promise<Shot> => {
    if (signal.aborted) return Promise.resolve({ status: 0, error: 'aborted' });
    if (!watched.has(signal)) {
      watched.add(signal);
      signal.addEventListener('abort', () => deadlines.expireAll('aborted'), { once: true });
    }
    return new Promise<Shot>((resolve) => {
      const r = new InFlight(clock.monotonic() + timeoutMs, options.keepBodies === true, resolve);
      deadlines.add(r);
      if (!options.authHeaders) return dispatch(body, body ? withBody : plain, r);
      options.authHeaders().then(
        (auth) => dispatch(body, flat({ ...(body ? withType : base), ...auth }), r),
        () => r.expire('credentials'),
      );
    });
  };
  // The API server's agent too: nothing else in this step uses the connection.
  return {
    send,
    close: () => {
      void pool.destroy().catch(() => undefined);
      options.agent?.destroy();
    },
  };
}
