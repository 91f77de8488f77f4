/**
 * The one GitHub client: Octokit (@actions/github's, with the REST methods and pagination)
 * whose every request goes through the one HTTP client (shared/http.ts) by Octokit's
 * `request.fetch` hook, so GitHub calls share its retries (429/5xx, Retry-After within the
 * deadline), timeouts, abort and redaction. Octokit's own retry plugin is not used; its
 * throttling plugin is, when asked for: GitHub's 403 secondary rate limits and exhausted
 * primary limits are not statuses shared/http.ts retries. Loaded only when a client is made.
 */
import type { GitHub } from '@actions/github/lib/utils';
import type { HttpClient } from './http.ts';
import { fetchOverHttp } from './http-fetch.ts';

export type GitHubClient = InstanceType<typeof GitHub>;

/** Decides whether a rate-limited request is tried again after `retryAfter` seconds. */
export type RateLimitHandler = (
  retryAfter: number,
  options: { method?: string; url?: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

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
  /** Primary and secondary rate-limit handling (the throttling plugin); none when absent. */
  throttle?: { onRateLimit: RateLimitHandler; onSecondaryRateLimit: RateLimitHandler };
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

/** An Octokit over shared/http.ts. */
export async function createGitHubClient(o: GitHubClientOptions): Promise<GitHubClient> {
  const { GitHub } = await import('@actions/github/lib/utils');
  const overHttp = fetchOverHttp(o.http, githubIdempotent);
  const fetch = o.wrapFetch ? o.wrapFetch(overHttp) : overHttp;
  const Client = o.throttle
    ? GitHub.plugin((await import('@octokit/plugin-throttling')).throttling)
    : GitHub;
  const debug = o.debug ?? ((): void => undefined);
  // No `auth`: the token goes in by the hook below.
  const octokit = new Client({
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    userAgent: o.userAgent,
    // Replaces @actions/github's default request options (its own fetch) entirely.
    request: { fetch, ...(o.signal ? { signal: o.signal } : {}) },
    ...(o.throttle ? { throttle: o.throttle } : {}),
    log: { debug, info: debug, warn: debug, error: debug },
  }) as GitHubClient;
  // `Bearer`, which GitHub takes for every token kind (Octokit's token auth says `token`).
  octokit.hook.before('request', (options) => {
    options.headers.authorization = `Bearer ${o.token}`;
  });
  return octokit;
}
