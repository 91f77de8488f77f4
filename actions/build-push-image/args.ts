/**
 * The builders' command lines, built by pure functions from the typed plan (tested
 * table-driven). Every value travels as `--flag=value` in one argv element, so a build
 * argument or label that starts with `-` is a value, never an option; there is no shell.
 */
import type { Builder, CacheMode } from './inputs.ts';

export interface BuildPlan {
  builder: Builder;
  image: string;
  tags: string[];
  context: string;
  file?: string;
  target?: string;
  buildArgs: readonly (readonly [string, string])[];
  labels: readonly (readonly [string, string])[];
  platforms: string[];
  push: boolean;
  cache: CacheMode;
  /** Plain HTTP / unverified TLS to the registry (loopback, or `insecure: true`). */
  insecure: boolean;
  /** Where the builder writes what it built: buildx metadata JSON, image id, buildah digest. */
  metadataFile: string;
  iidFile: string;
  digestFile: string;
  /** buildah's registry credentials file. */
  authFile?: string;
  /**
   * docker only: the CLI has no BuildKit (Docker ≥ 23 without the buildx plugin), so the
   * legacy builder runs (`DOCKER_BUILDKIT=0`, no `--progress`, no inline cache metadata).
   */
  legacy?: boolean;
}

export interface Command {
  command: string;
  args: string[];
  /** Extra environment for this command. */
  env?: Record<string, string>;
}

const refs = (p: BuildPlan): string[] => p.tags.map((t) => `${p.image}:${t}`);

function common(p: BuildPlan): string[] {
  return [
    ...(p.file ? [`--file=${p.file}`] : []),
    ...(p.target ? [`--target=${p.target}`] : []),
    ...p.buildArgs.map(([k, v]) => `--build-arg=${k}=${v}`),
    ...p.labels.map(([k, v]) => `--label=${k}=${v}`),
    ...refs(p).map((r) => `--tag=${r}`),
  ];
}

/** `docker buildx build`: builds and pushes in one go; digest in the metadata file. */
export function buildxArgs(p: BuildPlan): Command {
  const cacheRef = `${p.image}:buildcache`;
  const cache =
    p.cache === 'gha'
      ? ['--cache-from=type=gha', '--cache-to=type=gha,mode=max']
      : p.cache === 'registry'
        ? [
            `--cache-from=type=registry,ref=${cacheRef}${p.insecure ? ',registry.insecure=true' : ''}`,
            ...(p.push
              ? [
                  `--cache-to=type=registry,ref=${cacheRef},mode=max${p.insecure ? ',registry.insecure=true' : ''}`,
                ]
              : []),
          ]
        : [];
  const output = p.push
    ? [`--output=type=image,push=true${p.insecure ? ',registry.insecure=true' : ''}`]
    : p.platforms.length > 1
      ? []
      : ['--load'];
  return {
    command: 'docker',
    args: [
      'buildx',
      'build',
      '--progress=plain',
      ...common(p),
      ...(p.platforms.length ? [`--platform=${p.platforms.join(',')}`] : []),
      ...cache,
      ...output,
      `--metadata-file=${p.metadataFile}`,
      `--iidfile=${p.iidFile}`,
      p.context,
    ],
  };
}

/**
 * `docker build` without buildx: BuildKit built into the CLI (Docker < 23; one platform, inline
 * registry cache), or the legacy builder when the CLI has none (`legacy`).
 */
export function dockerBuildArgs(p: BuildPlan): Command {
  const cache =
    p.cache === 'registry'
      ? [
          `--cache-from=${p.image}:buildcache`,
          ...(p.legacy ? [] : ['--build-arg=BUILDKIT_INLINE_CACHE=1']),
          `--tag=${p.image}:buildcache`,
        ]
      : [];
  return {
    command: 'docker',
    args: [
      'build',
      ...(p.legacy ? [] : ['--progress=plain']),
      ...common(p),
      ...(p.platforms.length ? [`--platform=${p.platforms.join(',')}`] : []),
      ...cache,
      `--iidfile=${p.iidFile}`,
      p.context,
    ],
    env: { DOCKER_BUILDKIT: p.legacy ? '0' : '1' },
  };
}

/** `docker push` of one tag (the digest is in its last line). */
export function dockerPushArgs(ref: string): Command {
  return { command: 'docker', args: ['push', ref] };
}

/** `docker tag` for the registry cache ref (legacy builder). */
export function dockerTagArgs(from: string, to: string): Command {
  return { command: 'docker', args: ['tag', from, to] };
}

/** `buildah bud` (vfs or overlay, whatever containers-storage is configured with). */
export function buildahBudArgs(p: BuildPlan): Command {
  const tls = p.insecure ? ['--tls-verify=false'] : [];
  const cache =
    p.cache === 'registry'
      ? [
          '--layers',
          `--cache-from=${p.image}/buildcache`,
          ...(p.push ? [`--cache-to=${p.image}/buildcache`] : []),
        ]
      : [];
  return {
    command: 'buildah',
    args: [
      'bud',
      ...common(p),
      ...(p.platforms.length ? [`--platform=${p.platforms.join(',')}`] : []),
      ...cache,
      ...(p.authFile ? [`--authfile=${p.authFile}`] : []),
      ...tls,
      `--iidfile=${p.iidFile}`,
      p.context,
    ],
  };
}

/** `buildah push` of one tag, writing the pushed manifest digest. */
export function buildahPushArgs(p: BuildPlan, ref: string): Command {
  return {
    command: 'buildah',
    args: [
      'push',
      ...(p.authFile ? [`--authfile=${p.authFile}`] : []),
      ...(p.insecure ? ['--tls-verify=false'] : []),
      `--digestfile=${p.digestFile}`,
      ref,
      `docker://${ref}`,
    ],
  };
}

/** The commands of one build, in order (pushes only when `push`). */
export function buildCommands(p: BuildPlan): { build: Command; pushes: Command[] } {
  if (p.builder === 'buildx') return { build: buildxArgs(p), pushes: [] };
  if (p.builder === 'docker') {
    return {
      build: dockerBuildArgs(p),
      pushes: p.push
        ? [...refs(p), ...(p.cache === 'registry' ? [`${p.image}:buildcache`] : [])].map(
            dockerPushArgs,
          )
        : [],
    };
  }
  return {
    build: buildahBudArgs(p),
    pushes: p.push ? refs(p).map((r) => buildahPushArgs(p, r)) : [],
  };
}

/** Characters a POSIX shell reads literally in a word: such an argument is shown bare. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Inside bash's `$'…'`: the escapes for the characters that need one (others as \\xNN). */
const C_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A C0 control character or DEL (a code-point test: no control characters in a regex). */
function isControl(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/**
 * One argv element as a shell would need it typed: bare when it is all safe characters, else
 * in single quotes (a `'` as `'\''`), or as `$'…'` with escapes when it holds a control
 * character, so a line break cannot start a new log line.
 */
export function shellQuote(arg: string): string {
  if (SHELL_SAFE.test(arg)) return arg;
  const chars = [...arg];
  if (chars.some(isControl)) {
    const escaped = chars
      .map((ch) =>
        isControl(ch) || ch === '\\' || ch === "'"
          ? (C_ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
          : ch,
      )
      .join('');
    return `$'${escaped}'`;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command as logged: each argv element quoted on its own, so one argument holding spaces
 * (`--build-arg=A=--network=host --privileged`) reads as the one argument it is.
 */
export function shownCommand(c: Command): string {
  return [c.command, ...c.args].map(shellQuote).join(' ');
}
