import { InputError } from './errors.ts';
import { readInput } from './commands.ts';

/** Returns the raw value of an input ('' when unset). */
export type InputSource = (name: string) => string;

/** Reads `INPUT_<NAME>` exactly as the runner sets it (hyphens kept). */
export const runnerInputs: InputSource = readInput;

/** A source over a plain map: for tests and for calling an action's logic from code. */
export function mapInputs(values: Record<string, string | undefined>): InputSource {
  return (name) => (values[name] ?? '').trim();
}

/** RFC 1123 label: what Kubernetes accepts as a namespace name (and GKE as a cluster name). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `90s`, `10m`, `1h`, `1h30m`, `500ms`, or a bare number of seconds; returns milliseconds. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
    matched = re.lastIndex;
  }
  return matched === value.length && matched > 0 ? Math.round(total) : undefined;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m}m${rest}s` : `${m}m`;
}

/** Splits a multi-line (or comma-separated) input into trimmed, non-empty items; `#` starts a comment line. */
export function splitList(text: string, { commas = true }: { commas?: boolean } = {}): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => (commas ? line.split(',') : [line]))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * Typed input parsers. Each throws an InputError naming the input and what is allowed,
 * before the action has any side effect.
 */
/** How an http(s) URL input is checked (see parseHttpUrl). */
export interface UrlRules {
  /** What the input must do, for the error: "be an http(s) URL" unless given. */
  must?: string;
  /** Plain http only to a loopback host (localhost, 127.0.0.0/8, [::1]); https anywhere. */
  loopbackHttp?: boolean;
  /** Refuse user:password@ in the URL; the text says where credentials go instead. */
  credentials?: string;
  /** Refuse a query string or fragment. */
  plain?: boolean;
  /** Refuse what could break out of a Markdown or HTML link: whitespace, <, >, ", `. */
  linkSafe?: boolean;
  /** The URL is a credential (a webhook URL): errors name the input and the rule, never the value. */
  secret?: boolean;
}

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The one parser of http(s) URL inputs: an absolute http(s) URL, checked by `rules`. */
/**
 * A URL as an error may quote it: user info, query and fragment replaced by `***` / `?…` / `#…`
 * (they are where tokens ride: `https://user:token@host`, `?sig=…`); unparsable text as given.
 */
export function urlForError(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.host) return value; // javascript:, mailto: … have no parts to hide
  // The text as typed (not re-encoded), cut at the query/fragment, user info hidden.
  const base = (value.split(/[?#]/, 1)[0] ?? '').replace(
    /^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i,
    '$1***@',
  );
  return `${base}${url.search ? '?…' : ''}${url.hash ? '#…' : ''}`;
}

export function parseHttpUrl(name: string, value: string, rules: UrlRules = {}): URL {
  // What an error quotes of the value: nothing when the URL is a credential.
  const got = rules.secret
    ? '; the value is not shown because it is a secret'
    : ` (got "${urlForError(value)}")`;
  const invalid = new InputError(
    `Input '${name}' must ${rules.must ?? 'be an http(s) URL'}${got}.`,
  );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid;
  }
  if (rules.loopbackHttp) {
    if (
      url.protocol !== 'https:' &&
      !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))
    )
      throw new InputError(
        rules.secret
          ? `Input '${name}' must use https (plain http only on loopback)${got}.`
          : `Input '${name}': ${urlForError(value)} must use https (plain http only on loopback).`,
      );
  } else if (!/^https?:$/.test(url.protocol)) {
    throw invalid;
  }
  if (rules.linkSafe && /[\s<>"`]/.test(value)) throw invalid;
  if (rules.credentials !== undefined && (url.username || url.password))
    throw new InputError(`Input '${name}' must not carry credentials: ${rules.credentials}.`);
  if (rules.plain && (url.search || url.hash))
    throw new InputError(`Input '${name}' must not have a query or fragment${got}.`);
  return url;
}

export class Inputs {
  readonly source: InputSource;
  constructor(source: InputSource = runnerInputs) {
    this.source = source;
  }

  raw(name: string): string {
    return this.source(name);
  }

  has(name: string): boolean {
    return this.source(name) !== '';
  }

  required(name: string): string {
    const value = this.source(name);
    if (!value) throw new InputError(`Input '${name}' is required.`);
    return value;
  }

  optional(name: string): string | undefined;
  optional(name: string, fallback: string): string;
  optional(name: string, fallback?: string): string | undefined {
    const value = this.source(name);
    return value === '' ? fallback : value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.source(name);
    if (value === '') return fallback;
    if (/^(true|True|TRUE)$/.test(value)) return true;
    if (/^(false|False|FALSE)$/.test(value)) return false;
    throw new InputError(`Input '${name}' must be true or false (got "${value}").`);
  }

  int(name: string, opts: { min?: number; max?: number; fallback: number }): number;
  int(name: string, opts: { min?: number; max?: number }): number | undefined;
  int(name: string, opts: { min?: number; max?: number; fallback?: number }): number | undefined {
    const value = this.source(name);
    if (value === '') return opts.fallback;
    const range = `${opts.min ?? '-∞'}..${opts.max ?? '∞'}`;
    if (!/^-?\d+$/.test(value)) {
      throw new InputError(`Input '${name}' must be a whole number in ${range} (got "${value}").`);
    }
    const n = Number(value);
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      throw new InputError(`Input '${name}' must be in ${range} (got ${n}).`);
    }
    return n;
  }

  /** A duration in milliseconds. */
  duration(name: string, fallback: string, opts: { minMs?: number; maxMs?: number } = {}): number {
    const value = this.source(name) || fallback;
    const ms = parseDuration(value);
    if (ms === undefined) {
      throw new InputError(
        `Input '${name}' must be a duration such as 90s, 10m or 1h (got "${value}").`,
      );
    }
    if (opts.minMs !== undefined && ms < opts.minMs) {
      throw new InputError(`Input '${name}' must be at least ${formatDuration(opts.minMs)}.`);
    }
    if (opts.maxMs !== undefined && ms > opts.maxMs) {
      throw new InputError(`Input '${name}' must be at most ${formatDuration(opts.maxMs)}.`);
    }
    return ms;
  }

  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  oneOf<const T extends string>(name: string, allowed: readonly T[]): T | undefined;
  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback?: T): T | undefined {
    const value = this.source(name);
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InputError(
      `Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (got "${value}").`,
    );
  }

  list(name: string, opts: { commas?: boolean } = {}): string[] {
    return splitList(this.source(name), opts);
  }

  /** `KEY=VALUE` lines (or commas) into a map; keys must match `keyPattern`. */
  keyValues(name: string, keyPattern = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/): Map<string, string> {
    const result = new Map<string, string>();
    for (const line of splitList(this.source(name), { commas: false })) {
      const eq = line.indexOf('=');
      const key = eq > 0 ? line.slice(0, eq).trim() : '';
      if (!key || !keyPattern.test(key)) {
        throw new InputError(`Input '${name}' must hold KEY=VALUE lines (got "${line}").`);
      }
      result.set(key, line.slice(eq + 1).trim());
    }
    return result;
  }

  /** An optional http(s) URL input checked by parseHttpUrl, as given; undefined when unset. */
  url(name: string, rules: UrlRules = {}): string | undefined {
    const value = this.optional(name);
    if (value !== undefined) parseHttpUrl(name, value, rules);
    return value;
  }

  /** A DNS label (a Kubernetes namespace), at most `max` characters; undefined when unset. */
  dnsLabel(name: string, { max = 63 }: { max?: number } = {}): string | undefined {
    const value = this.source(name);
    if (value === '') return undefined;
    if (!DNS_LABEL.test(value) || value.length > max) {
      throw new InputError(
        `Input '${name}' must be a DNS label (lower-case letters, digits, '-'; at most ${max}), got "${value}".`,
      );
    }
    return value;
  }

  /** Exactly one of the named inputs must be set; returns its name. */
  exactlyOneOf<const T extends string>(...names: T[]): T {
    const set = names.filter((n) => this.has(n));
    const listed = names.map((n) => `'${n}'`).join(', ');
    if (set.length === 0) throw new InputError(`Set one of the inputs ${listed}.`);
    if (set.length > 1) {
      throw new InputError(
        `Inputs ${set.map((n) => `'${n}'`).join(' and ')} cannot be used together; set only one of ${listed}.`,
      );
    }
    return set[0] as T;
  }

  /** At most one of the named inputs may be set; returns its name or undefined. */
  atMostOneOf<const T extends string>(...names: T[]): T | undefined {
    const set = names.filter((n) => this.has(n));
    if (set.length > 1) {
      throw new InputError(
        `Inputs ${set.map((n) => `'${n}'`).join(' and ')} cannot be used together.`,
      );
    }
    return set[0];
  }
}
