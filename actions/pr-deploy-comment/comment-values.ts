/**
 * What GitHub returns about comments, checked before it reaches a URL, an output, a log or the
 * comparison that decides which comment is ours (shared/server-values.ts: ids, node ids); the
 * comment's URL must be a web URL of the GitHub we talk to, so a hostile or broken server
 * cannot hand a `comment-url` output pointing elsewhere (`javascript:`, another host).
 */
import { checkedServerString, ServerValueError, shownValue } from '../../shared/server-values.ts';

/**
 * A GitHub login as REST and GraphQL's `viewer` spell it: a user (`octocat`) or a bot
 * (`github-actions[bot]`, `<app-slug>[bot]`).
 */
export const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,99})(?:\[bot\])?$/;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The hosts a comment's `html_url` may name: the API's host, the web host next to it
 * (api.github.com → github.com; GHES serves both on one host) and GITHUB_SERVER_URL's.
 */
export function webHosts(apiUrl: string, serverUrl: string | undefined): Set<string> {
  const hosts = new Set<string>();
  for (const url of [apiUrl, serverUrl]) {
    if (!url) continue;
    try {
      const host = new URL(url).host;
      hosts.add(host);
      if (host.startsWith('api.')) hosts.add(host.slice('api.'.length));
    } catch {
      // not a URL: contributes no host
    }
  }
  return hosts;
}

/** `value` when it is an https URL (http only on loopback, as a local fake) on one of `hosts`. */
export function checkedWebUrl(value: unknown, hosts: ReadonlySet<string>, what: string): string {
  const text = checkedServerString(value, /^https?:\/\/[^\s<>"`]+$/, what);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ServerValueError(`${what} from the server is not a URL (got ${shownValue(value)})`);
  }
  const secure = url.protocol === 'https:' || LOOPBACK.has(url.hostname);
  if (!secure || !hosts.has(url.host) || url.username || url.password) {
    throw new ServerValueError(
      `${what} from the server is not an https URL on ${[...hosts].join(' or ')} (got ${shownValue(value)}); refusing to use it`,
    );
  }
  return text;
}

/** Logins compare without case, as GitHub's do. */
export function sameLogin(a: string, b: string): boolean {
  return a !== '' && a.toLowerCase() === b.toLowerCase();
}
