/**
 * A real HTTP(S) server on 127.0.0.1 with a random port, for service fakes: records every
 * request, answers through a handler, and fails loudly (500 + recorded error) on anything
 * the handler does not expect, so a test sees unexpected calls.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | object;
}

export type FakeHandler = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  /** Handler errors and unexpected requests. */
  errors: string[];
  stop(): Promise<void>;
}

export function json(
  status: number,
  body: object,
  headers: Record<string, string> = {},
): FakeResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

export async function startFake(
  name: string,
  handler: FakeHandler,
  tls?: { cert: string; key: string },
): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const errors: string[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const r: FakeRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      Promise.resolve()
        .then(() => handler(r))
        .catch((error: unknown) => {
          errors.push(`${r.method} ${r.path}: ${(error as Error).message}`);
          return json(500, { error: `${name} fake: ${(error as Error).message}` });
        })
        .then((out) => {
          const body =
            out.body === undefined
              ? ''
              : typeof out.body === 'string'
                ? out.body
                : JSON.stringify(out.body);
          res.writeHead(out.status, out.headers ?? {});
          res.end(body);
        });
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    errors,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function bearer(req: FakeRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * Holds requests until `n` have arrived, then lets them all go on in arrival order: racing
 * writers meet at the fake. A deadline bounds the wait: if fewer than `n` arrive within
 * `deadlineMs` (from the call), the held requests and every later one fail with an error
 * saying how many came (a handler that awaits `arrive()` answers 500 and the fake records the
 * error in `errors`), and `met` rejects with it. One timer, cleared when met or cancelled.
 */
export interface RequestBarrier {
  /** Waits (in a handler) until `n` requests have arrived; rejects once the deadline has passed. */
  arrive(): Promise<void>;
  /** Resolves when `n` have arrived; rejects at the deadline (never an unhandled rejection). */
  readonly met: Promise<void>;
  /** Stops holding (the fake stops): the held requests fail, the timer is cleared. */
  cancel(): void;
}

export function holdRequests(what: string, n: number, deadlineMs: number): RequestBarrier {
  const held: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  let done = false;
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const met = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  met.catch(() => undefined);
  const fail = (error: Error): void => {
    done = true;
    failure = error;
    clearTimeout(timer);
    for (const h of held.splice(0)) h.reject(error);
    settle.reject(error);
  };
  const timer = setTimeout(() => {
    fail(
      new Error(
        `${what}: ${held.length} of ${n} requests arrived within ${deadlineMs} ms; held ones failed`,
      ),
    );
  }, deadlineMs);
  return {
    met,
    arrive: () => {
      if (failure) return Promise.reject(failure);
      if (done) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        held.push({ resolve, reject });
        if (held.length < n) return;
        done = true;
        clearTimeout(timer);
        for (const h of held.splice(0)) h.resolve();
        settle.resolve();
      });
    },
    cancel: () => {
      if (!done) fail(new Error(`${what}: cancelled with ${held.length} of ${n} requests held`));
    },
  };
}
