/**
 * GitHub's rate-limit answers as "not processed" to the one HTTP client
 * (test/contracts/github/rate-limits.md): the rule against the fake's answers, then the
 * client's waits on a manual clock.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubRateLimit } from '../../shared/github.ts';
import { createHttpClient, type HttpResponse } from '../../shared/http.ts';
import { HttpError } from '../../shared/errors.ts';
import { primaryRateLimit, secondaryRateLimit } from '../harness/fakes/github-api.ts';
import type { FakeResponse } from '../harness/fakes/http-fake.ts';
import { ManualClock } from '../harness/doubles.ts';

function asResponse(fake: FakeResponse): HttpResponse {
  const headers = Object.fromEntries(
    Object.entries(fake.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const body = typeof fake.body === 'string' ? fake.body : JSON.stringify(fake.body ?? '');
  return {
    status: fake.status,
    headers,
    header: (name) => headers[name.toLowerCase()],
    body,
    json: <T>() => JSON.parse(body) as T,
  };
}

describe('githubRateLimit', () => {
  const now = Date.now();

  it('a primary limit (remaining 0) waits until the reset, plus the second the header rounds off', () => {
    const answer = asResponse(primaryRateLimit(30));
    const reset = Number(answer.header('x-ratelimit-reset'));
    expect(githubRateLimit(answer, now)).toEqual({
      reason: 'GitHub rate limit',
      delayMs: reset * 1000 - now + 1000,
    });
  });

  it('a secondary limit waits retry-after seconds, else the reset, else one minute', () => {
    expect(githubRateLimit(asResponse(secondaryRateLimit(7)), now)).toEqual({
      reason: 'GitHub secondary rate limit',
      delayMs: 7000,
    });
    const noRetryAfter = { ...secondaryRateLimit(7), headers: {} };
    expect(githubRateLimit(asResponse(noRetryAfter), now)?.delayMs).toBe(60_000);
    const atReset = {
      ...secondaryRateLimit(7),
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 20) },
    };
    expect(githubRateLimit(asResponse(atReset), now)).toEqual({
      reason: 'GitHub secondary rate limit',
      delayMs: 20_000,
    });
  });

  it('a 429 with the same signs is a rate limit too; a 403 without them is an answer', () => {
    expect(githubRateLimit(asResponse({ ...primaryRateLimit(5), status: 429 }), now)?.reason).toBe(
      'GitHub rate limit',
    );
    const forbidden = { status: 403, body: { message: 'Resource not accessible by integration' } };
    expect(githubRateLimit(asResponse(forbidden), now)).toBeUndefined();
    expect(githubRateLimit(asResponse({ status: 404, body: 'x' }), now)).toBeUndefined();
  });
});

describe('a "not processed" answer in the one HTTP client', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function serve(answers: FakeResponse[]): Promise<{ url: string; count: () => number }> {
    let n = 0;
    const server = createServer((_req, res) => {
      const a = answers[Math.min(n++, answers.length - 1)]!;
      res.writeHead(a.status, a.headers ?? {});
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? ''));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, count: () => n };
  }

  it('repeats even a POST after the wait the rule names, and says why in the retry notice', async () => {
    const { url, count } = await serve([secondaryRateLimit(3), { status: 201, body: '{}' }]);
    const clock = new ManualClock();
    const notices: string[] = [];
    const client = createHttpClient({
      clock,
      onRetry: (m, notice) => notices.push(`${notice.reason ?? '-'} | ${m}`),
    });
    const res = await client.request({ method: 'POST', url, notProcessed: githubRateLimit });
    expect(res.status).toBe(201);
    expect(count()).toBe(2);
    expect(clock.sleeps).toEqual([3000]);
    expect(notices).toEqual([
      `GitHub secondary rate limit | POST ${url}: GitHub secondary rate limit (HTTP 403); retry 1 in 3000 ms`,
    ]);
  });

  it('a wait past the deadline is not taken: one try, the give-up said, the limit named', async () => {
    const { url, count } = await serve([secondaryRateLimit(600)]);
    const clock = new ManualClock();
    const gaveUp: string[] = [];
    const client = createHttpClient({
      clock,
      deadline: () => clock.now() + 5000,
      onGiveUp: (m) => gaveUp.push(m),
    });
    const error = await client
      .request({ method: 'POST', url, notProcessed: githubRateLimit })
      .catch((e: unknown) => e);
    expect(count()).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(403);
    expect((error as Error).message).toMatch(/secondary rate limit.*retry after 600 s/);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/GitHub secondary rate limit \(HTTP 403\); not retried: /);
  });

  it('without the rule, the same 403 is an answer (no retry)', async () => {
    const { url, count } = await serve([secondaryRateLimit(3)]);
    const error = await createHttpClient({ clock: new ManualClock() })
      .request({ method: 'POST', url })
      .catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(403);
    expect(count()).toBe(1);
  });
});
