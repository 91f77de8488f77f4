/**
 * Tags from rules (docker/metadata-action's grammar, the subset the design names) and the
 * OCI labels every image gets. Pure functions of the rules and the GitHub context.
 */
import { InputError } from '../../shared/errors.ts';

export type TagRule =
  | { type: 'sha'; long: boolean; prefix: string }
  | { type: 'ref'; event: 'branch' | 'pr' | 'tag'; prefix: string }
  | { type: 'semver'; pattern: string; prefix: string }
  | { type: 'raw'; value: string; prefix: string };

export interface GitContext {
  sha: string;
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/7/merge`. */
  ref: string;
  eventName: string;
  serverUrl: string;
  repository: string;
}

export function gitContext(env: NodeJS.ProcessEnv): GitContext {
  return {
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository: env.GITHUB_REPOSITORY ?? '',
  };
}

const SEMVER_PLACEHOLDERS = /\{\{(version|major|minor|patch|raw)\}\}/g;

function rule(line: string): TagRule {
  const fields = new Map<string, string>();
  for (const part of line.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new InputError(`Input 'tags': "${line}" must be key=value pairs (type=…).`);
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const prefix = fields.get('prefix') ?? '';
  const type = fields.get('type');
  const allowed = (keys: string[]): void => {
    for (const k of fields.keys()) {
      if (!['type', 'prefix', ...keys].includes(k))
        throw new InputError(`Input 'tags': "${line}" has an unknown key '${k}'.`);
    }
  };
  switch (type) {
    case 'sha': {
      allowed(['format']);
      const format = fields.get('format') ?? 'short';
      if (format !== 'short' && format !== 'long')
        throw new InputError(`Input 'tags': type=sha takes format=short or format=long.`);
      return { type: 'sha', long: format === 'long', prefix: fields.get('prefix') ?? 'sha-' };
    }
    case 'ref': {
      allowed(['event']);
      const event = fields.get('event');
      if (event !== 'branch' && event !== 'pr' && event !== 'tag')
        throw new InputError(
          `Input 'tags': type=ref needs event=branch, event=pr or event=tag (got "${line}").`,
        );
      return { type: 'ref', event, prefix };
    }
    case 'semver': {
      allowed(['pattern']);
      const pattern = fields.get('pattern') ?? '';
      if (!pattern.match(SEMVER_PLACEHOLDERS))
        throw new InputError(
          `Input 'tags': type=semver needs a pattern such as {{version}} or {{major}}.{{minor}}.`,
        );
      return { type: 'semver', pattern, prefix };
    }
    case 'raw': {
      allowed(['value']);
      const value = fields.get('value') ?? '';
      if (!value) throw new InputError(`Input 'tags': type=raw needs value=….`);
      return { type: 'raw', value, prefix };
    }
    default:
      throw new InputError(
        `Input 'tags': unknown rule "${line}"; use type=sha, type=ref,event=branch|pr|tag, type=semver,pattern=…, or type=raw,value=….`,
      );
  }
}

export function parseTagRules(text: string): TagRule[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) throw new InputError(`Input 'tags' has no rule.`);
  return lines.map(rule);
}

/** Any text as a valid tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; '' when nothing is left. */
export function sanitizeTag(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

function semverTag(pattern: string, tag: string): string | undefined {
  const m = SEMVER.exec(tag);
  if (!m) return undefined;
  const [, major, minor, patch, pre, build] = m as unknown as string[];
  const version = `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`;
  // A pre-release only gets its full version: never move `1` or `1.2` to a release candidate.
  if (pre && !pattern.includes('{{version}}') && !pattern.includes('{{raw}}')) return undefined;
  return pattern.replace(SEMVER_PLACEHOLDERS, (_, key: string) => {
    if (key === 'version') return version;
    if (key === 'raw') return tag;
    return { major, minor, patch }[key as 'major' | 'minor' | 'patch'] ?? '';
  });
}

/** The tags the rules produce in this context, de-duplicated, in rule order. */
export function resolveTags(rules: readonly TagRule[], ctx: GitContext): string[] {
  const branch = /^refs\/heads\/(.+)$/.exec(ctx.ref)?.[1];
  const gitTag = /^refs\/tags\/(.+)$/.exec(ctx.ref)?.[1];
  const pr = /^refs\/pull\/(\d+)\//.exec(ctx.ref)?.[1];
  const tags: string[] = [];
  for (const r of rules) {
    let value: string | undefined;
    if (r.type === 'sha') value = ctx.sha ? (r.long ? ctx.sha : ctx.sha.slice(0, 7)) : undefined;
    else if (r.type === 'raw') value = r.value;
    else if (r.type === 'semver') value = gitTag ? semverTag(r.pattern, gitTag) : undefined;
    else if (r.event === 'branch') value = branch;
    else if (r.event === 'tag') value = gitTag;
    else value = pr ? `pr-${pr}` : undefined;
    if (value === undefined) continue;
    const tag = sanitizeTag(`${r.prefix}${value}`);
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** OCI annotations as labels, then the user's (which win). */
export function ociLabels(
  ctx: GitContext,
  created: Date,
  user: readonly (readonly [string, string])[],
): [string, string][] {
  const labels = new Map<string, string>();
  if (ctx.repository) {
    labels.set('org.opencontainers.image.source', `${ctx.serverUrl}/${ctx.repository}`);
    labels.set('org.opencontainers.image.title', ctx.repository.split('/').pop() ?? '');
  }
  if (ctx.sha) labels.set('org.opencontainers.image.revision', ctx.sha);
  labels.set('org.opencontainers.image.created', created.toISOString());
  for (const [k, v] of user) labels.set(k, v);
  return [...labels];
}
