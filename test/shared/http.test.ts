import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from '../../shared/errors.ts';
import { createHttpClient, redactUrl } from '../../shared/http.ts';
import { backoffDelay, parseRetryAfter } from '../../shared/retry.ts';
import { ManualClock } from '../harness/doubles.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('createHttpClient', () => {
  it('retries 503 and 429, honouring Retry-After, then succeeds', async () => {
    const { url, requests } = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(503).end('busy');
      else if (n === 2) res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const clock = new ManualClock();
    const client = createHttpClient({
      clock,
      random: () => 0.5,
      baseDelayMs: 100,
      userAgent: 'mlops-actions-test',
    });
    const res = await client.request({ url: `${url}/thing` });
    expect(res.json()).toEqual({ ok: true });
    expect(requests).toHaveLength(3);
    expect(requests[0]!.headers['user-agent']).toBe('mlops-actions-test');
    // Full jitter: 0.5 of the first ceiling (100 ms); then the server's 7 s.
    expect(clock.sleeps).toEqual([50, 7000]);
  });

  it('gives up after the attempts with an error naming method, URL (without query) and status', async () => {
    const { url, requests } = await serve((_req, res) =>
      res.writeHead(500).end('{"message":"internal"}'),
    );
    const client = createHttpClient({ clock: new ManualClock(), attempts: 3 });
    const error = await client
      .request({ method: 'POST', url: `${url}/api?token=SECRET`, body: '{}', idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(500);
    expect((error as Error).message).toBe(
      `POST ${url}/api?… failed with HTTP 500: {"message":"internal"} (gave up after retries)`,
    );
    expect((error as Error).message).not.toContain('SECRET');
    expect(requests).toHaveLength(3);
  });

  it('does not repeat a POST whose answer may hide a processed request (500, reset)', async () => {
    const { url, requests } = await serve((_req, res, n) =>
      n === 1 ? res.writeHead(500).end('{"message":"internal"}') : res.socket?.destroy(),
    );
    const client = createHttpClient({ clock: new ManualClock(), attempts: 3 });
    const error = (await client
      .request({ method: 'POST', url: `${url}/runs`, body: '{}' })
      .catch((e: unknown) => e)) as HttpError;
    expect(error.message).toBe(`POST ${url}/runs failed with HTTP 500: {"message":"internal"}`);
    expect(error.retriesExhausted).toBe(false);
    expect(requests).toHaveLength(1);
    const reset = (await client
      .request({ method: 'PATCH', url: `${url}/runs/1`, body: '{}' })
      .catch((e: unknown) => e)) as HttpError;
    expect(reset.status).toBeUndefined();
    expect(requests).toHaveLength(2);
  });

  it('repeats a POST when the answer says it was not processed (429, 503) or the connection was refused', async () => {
    const { url, requests } = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(429).end('slow down');
      else if (n === 2) res.writeHead(503).end('busy');
      else res.writeHead(201).end('{}');
    });
    const clock = new ManualClock();
    const client = createHttpClient({ clock, attempts: 3, random: () => 1, baseDelayMs: 100 });
    expect((await client.request({ method: 'POST', url, body: '{}' })).status).toBe(201);
    expect(requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([100, 200]);
    const closed = (await serve(() => undefined)).url;
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    const refused = (await client
      .request({ method: 'POST', url: closed, body: '{}' })
      .catch((e: unknown) => e)) as HttpError;
    expect(refused.code).toBe('ECONNREFUSED');
    expect(clock.sleeps).toHaveLength(4);
  });

  it('does not retry 4xx other than 408/425/429', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(404).end('not found'));
    const client = createHttpClient({ clock: new ManualClock() });
    await expect(client.request({ url })).rejects.toThrow(
      `GET ${url}/ failed with HTTP 404: not found`,
    );
    expect(requests).toHaveLength(1);
  });

  it('retries connection failures and reports them without a status', async () => {
    const { url } = await serve(() => undefined);
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    const clock = new ManualClock();
    const client = createHttpClient({ clock, attempts: 2 });
    const error = (await client.request({ url }).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('times out a request that never answers, on the injected clock', async () => {
    const clock = new ManualClock();
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const { url } = await serve(() => arrived()); // accepts, never responds
    const client = createHttpClient({ clock, attempts: 1, timeoutMs: 60_000 });
    const pending = client.request({ url });
    await arrival;
    clock.advance(60_000);
    await expect(pending).rejects.toThrow('no answer within 60000 ms');
  });

  it('times out a body that stops halfway, on the injected clock', async () => {
    const clock = new ManualClock();
    const { url } = await serve((_req, res) => {
      res.writeHead(200);
      res.write('{"partial":');
      setImmediate(() => clock.advance(30_000));
    });
    const client = createHttpClient({ clock, attempts: 1, retryTimeouts: false });
    await expect(client.request({ url })).rejects.toThrow('no answer within 30000 ms');
  });

  it('an abort ends a stream with no error on it (no stack formatted) and a pending request with AbortError', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const { url } = await serve((req, res) => {
      if (req.url === '/watch') {
        res.writeHead(200);
        res.write('{"type":"ADDED"}\n');
      } else arrived(); // never answers
    });
    const client = createHttpClient({ attempts: 1 });
    const watch = new AbortController();
    const stream = await client.stream({ url: `${url}/watch`, signal: watch.signal });
    const closed = new Promise<void>((resolve) => stream.body.on('close', resolve));
    stream.body.resume();
    watch.abort();
    await closed;
    // Node reads `err.stack` of every error a stream is destroyed with (source-mapped: ms).
    expect(stream.body.errored).toBeNull();

    const pendingAbort = new AbortController();
    const pending = client.request({ url: `${url}/slow`, signal: pendingAbort.signal });
    await arrival;
    pendingAbort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('https to a plain-HTTP server (EPROTO) fails at once, as a TLS error, without retries', async () => {
    const { url, requests } = await serve((_req, res) => res.writeHead(200).end('plain'));
    const clock = new ManualClock();
    const client = createHttpClient({ clock, random: () => 0.5 });
    const error = await client
      .request({ url: url.replace('http:', 'https:') })
      .catch((e: unknown) => e as HttpError);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'EPROTO', tls: true });
    expect(clock.sleeps).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('treats okStatuses as answers', async () => {
    const { url } = await serve((_req, res) => res.writeHead(404).end('{}'));
    const res = await createHttpClient().request({ url, okStatuses: [404] });
    expect(res.status).toBe(404);
  });
});

describe('retry helpers', () => {
  it('backoff grows, is capped and fully jittered over [floor, ceiling]', () => {
    // Full jitter: anywhere in the window, down to the 10 ms floor (not half of it).
    expect(backoffDelay(1, { baseDelayMs: 100, random: () => 0 })).toBe(10);
    expect(backoffDelay(1, { baseDelayMs: 100, random: () => 0.25 })).toBe(25);
    expect(backoffDelay(3, { baseDelayMs: 100, random: () => 0.5 })).toBe(200);
    expect(backoffDelay(3, { baseDelayMs: 100, random: () => 1 })).toBe(400);
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 })).toBe(1000);
    expect(backoffDelay(1, { baseDelayMs: 4, random: () => 0 })).toBe(4);
  });
  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
  it('redacts credentials and query strings', () => {
    expect(redactUrl('https://user:pw@example.com/a?sig=1')).toBe('https://example.com/a?…');
  });
});

describe('the environment proxy (HTTPS_PROXY / NO_PROXY), as self-hosted runners set it', () => {
  it('proxyFor: https only, never loopback, NO_PROXY by host, parent domain, port or *', async () => {
    const { proxyFor } = await import('../../shared/proxy.ts');
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.internal.corp,ghe.corp:8443' };
    const at = (u: string, e: NodeJS.ProcessEnv = env): string | undefined =>
      proxyFor(new URL(u), e)?.host;
    expect(at('https://api.github.com/user')).toBe('proxy.corp:3128');
    expect(at('https://kfp.internal.corp/apis')).toBeUndefined();
    expect(at('https://ghe.corp:8443/api/v3')).toBeUndefined();
    expect(at('https://ghe.corp/api/v3')).toBe('proxy.corp:3128');
    expect(at('https://127.0.0.1:6443/version')).toBeUndefined();
    expect(at('https://localhost/x')).toBeUndefined();
    expect(at('http://example.com/')).toBeUndefined();
    expect(at('https://api.github.com/', { https_proxy: 'proxy.corp:3128' })).toBe(
      'proxy.corp:3128',
    );
    expect(at('https://api.github.com/', { ...env, NO_PROXY: '*' })).toBeUndefined();
    expect(at('https://api.github.com/', {})).toBeUndefined();
  });

  it('an https request goes through the proxy by CONNECT (the proxy here refuses it: 403)', async () => {
    const { createServer } = await import('node:http');
    const targets: string[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket) => {
      targets.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as { port: number }).port;
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`;
    try {
      const client = createHttpClient({ attempts: 1 });
      await expect(client.request({ url: 'https://api.github.com/zen' })).rejects.toThrow(
        /the proxy 127\.0\.0\.1:\d+ answered 403 to CONNECT api\.github\.com:443/,
      );
      expect(targets).toEqual(['api.github.com:443']);
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
