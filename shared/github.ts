/**
 * The one GitHub client: Octokit (@actions/github's, with the REST methods and pagination)
 * whose every request goes through the one HTTP client (shared/http.ts) by Octokit's
 * `request.fetch` hook, so GitHub calls share its retries (429/5xx, Retry-After within the
 * deadline), timeouts, abort and redaction. GitHub's rate limits (403 or 429 with an exhausted
 * primary limit, or a secondary limit) are "not processed" answers to shared/http.ts, waited
 * for as GitHub documents, within the deadline; Octokit's retry and throttling plugins are not
 * used, so nothing waits or retries outside the one policy. Loaded only when a client is made.
 */
import type { GitHub } from '@actions/github/lib/utils';
import type { HttpClient, NotProcessed, HttpResponse } from './http.ts';
import { fetchOverHttp } from './http-fetch.ts';

export type GitHubClient = InstanceType<typeof GitHub>;

export interface GitHubClientOptions {
  token: string;
  /** REST base URL: GITHUB_API_URL (https://api.github.com, or https://ghes/api/v3). */
  baseUrl: string;
  http: HttpClient;
  userAgent: string;
  /** Carried by every request: its abort ends the exchange and any wait of shared/http.ts. */
  signal?: AbortSignal;
  /** Wraps the fetch over `http` (e.g. to name an abort for Octokit). */
  wrapFetch?: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch;
  /** Octokit's own log lines (debug level: they may name URLs, never tokens). */
  debug?: (message: string) => void;
}

/**
 * GitHub requests that may be sent again after a 5xx or a reset: every method but POST, and
 * POST /graphql for queries and for minimizeComment (hiding a hidden comment changes nothing).
 * Creating a comment or a pull request is never repeated blindly: a second comment would stay.
 */
export function githubIdempotent(method: string, url: string): boolean {
  if (method.toUpperCase() !== 'POST') return true;
  return /\/graphql$/.test(new URL(url).pathname);
}

/** Without a Retry-After or a reset time, GitHub asks for "at least one minute". */
const SECONDARY_LIMIT_DEFAULT_WAIT_MS = 60_000;

/**
 * GitHub's rate-limit answers (docs.github.com, "Rate limits for the REST API", "Exceeding the
 * rate limit"; test/contracts/github/rate-limits.md): a 403 or 429 with
 * `x-ratelimit-remaining: 0` waits until `x-ratelimit-reset` (epoch seconds); one whose message
 * says "secondary rate limit" waits `retry-after` seconds, else until the reset, else a minute.
 * Other 403s (no permission) are answers.
 */
export function githubRateLimit(response: HttpResponse, now: number): NotProcessed | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined;
  const retryAfter = response.header('retry-after');
  const remaining = response.header('x-ratelimit-remaining');
  const reset = Number(response.header('x-ratelimit-reset'));
  const untilReset =
    Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
  const secondary = /secondary rate limit/i.test(response.body);
  if (secondary || (retryAfter !== undefined && /^\d+$/.test(retryAfter))) {
    const delayMs =
      retryAfter !== undefined && /^\d+$/.test(retryAfter)
        ? Number(retryAfter) * 1000
        : remaining === '0'
          ? untilReset
          : undefined;
    return {
      reason: 'GitHub secondary rate limit',
      delayMs: delayMs ?? SECONDARY_LIMIT_DEFAULT_WAIT_MS,
    };
  }
  if (remaining === '0') {
    // The reset is a whole second: a second more, so the first try after it is not early.
    return {
      reason: 'GitHub rate limit',
      ...(untilReset !== undefined ? { delayMs: untilReset + 1000 } : {}),
    };
  }
  return undefined;
}

/** An Octokit over shared/http.ts. */
export async function createGitHubClient(o: GitHubClientOptions): Promise<GitHubClient> {
  const { GitHub } = await import('@actions/github/lib/utils');
  const overHttp = fetchOverHttp(o.http, githubIdempotent, githubRateLimit);
  const fetch = o.wrapFetch ? o.wrapFetch(overHttp) : overHttp;
  const debug = o.debug ?? ((): void => undefined);
  // No `auth`: the token goes in by the hook below.
  const octokit = new GitHub({
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    userAgent: o.userAgent,
    // Replaces @actions/github's default request options (its own fetch) entirely.
    request: { fetch, ...(o.signal ? { signal: o.signal } : {}) },
    log: { debug, info: debug, warn: debug, error: debug },
  }) as GitHubClient;
  // `Bearer`, which GitHub takes for every token kind (Octokit's token auth says `token`).
  octokit.hook.before('request', (options) => {
    options.headers.authorization = `Bearer ${o.token}`;
  });
  return octokit;
}
