/**
 * What a server returns (ids, digests, revisions) is checked against its grammar before it
 * reaches a file path, a URL, an output or a log. A hostile or broken server answering a run id
 * that climbs directories or a digest with a space and a second word gets an error naming the
 * field, never a write outside our own directory or a forged output.
 */

/** A JSON object (not null, not an array): what a decoded answer must be before its fields are read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A content digest as registries send it (`Docker-Content-Digest`): sha256 or sha512, hex. */
export const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
/** A full git object name: SHA-1 (40 hex) or SHA-256 (64 hex). */
export const GIT_COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/;
/**
 * An opaque server identifier safe in a path segment and a URL: KFP's UUIDs, Argo CD names.
 * Letters, digits, `.`, `_`, `-`; no leading dot; at most 128.
 */
export const OPAQUE_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** A server answered a value that does not fit its grammar. */
export class ServerValueError extends Error {
  override name = 'ServerValueError';
}

/** The value as an error may show it: JSON-quoted (so control characters stay visible), cut to 80. */
export function shownValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * `value` when it is a string matching `grammar`; otherwise a ServerValueError saying which
 * server sent which field (`what`, e.g. "KFP run_id").
 */
export function checkedServerString(value: unknown, grammar: RegExp, what: string): string {
  if (typeof value === 'string' && grammar.test(value)) return value;
  throw new ServerValueError(
    `${what} from the server is not a valid value (got ${shownValue(value)}); refusing to use it`,
  );
}

/** A positive integer id (GitHub comment and pull request ids), as a number. */
export function checkedServerInteger(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw new ServerValueError(
    `${what} from the server is not a positive integer (got ${shownValue(value)}); refusing to use it`,
  );
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
/** A host as an API returns a cluster endpoint: a DNS name, IPv4 or [IPv6], with an optional port. */
export const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?$`);
/** Base64 as APIs send certificates (PEM bodies may be wrapped). */
export const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

/**
 * A server URL an API returned (an EKS cluster endpoint): https, a host by HOST, no
 * credentials, query or fragment. Returned as the API wrote it, less a trailing slash.
 */
export function checkedServerUrl(value: unknown, what: string): string {
  const refuse = (): never => {
    throw new ServerValueError(
      `${what} from the server is not an https URL of a host (got ${shownValue(value)}); refusing to use it`,
    );
  };
  if (typeof value !== 'string' || /\s/.test(value)) return refuse();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse();
  }
  const clean = url.protocol === 'https:' && !url.username && !url.password && !url.search;
  if (!clean || url.hash || !HOST.test(url.host) || !/^\/?$/.test(url.pathname)) return refuse();
  return value.replace(/\/+$/, '');
}
