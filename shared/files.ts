import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { glob, readdir, realpath, rm, stat } from 'node:fs/promises';
import { InputError } from './errors.ts';
import * as path from 'node:path';

export interface MatchedPath {
  /** The pattern as the user wrote it. */
  pattern: string;
  /** Absolute path. */
  path: string;
  isDirectory: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Expands files, directories and globs (one per pattern) relative to `cwd`.
 * Each pattern must match something: returns the patterns that matched nothing
 * separately so the caller can name them in one error.
 */
export async function expandPatterns(
  patterns: readonly string[],
  cwd: string,
): Promise<{ matches: MatchedPath[]; unmatched: string[] }> {
  const seen = new Set<string>();
  const matches: MatchedPath[] = [];
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const found: string[] = [];
    if (GLOB_CHARS.test(pattern)) {
      for await (const entry of glob(pattern, { cwd })) found.push(path.resolve(cwd, entry));
      found.sort();
    } else {
      const abs = path.resolve(cwd, pattern);
      try {
        await stat(abs);
        found.push(abs);
      } catch {
        // reported as unmatched below
      }
    }
    if (found.length === 0) unmatched.push(pattern);
    for (const abs of found) {
      if (seen.has(abs)) continue;
      seen.add(abs);
      const info = await stat(abs);
      matches.push({ pattern, path: abs, isDirectory: info.isDirectory() });
    }
  }
  return { matches, unmatched };
}

/** A path relative to the workspace, with forward slashes: how annotations want it. */
export function workspaceRelative(abs: string, workspace: string): string {
  const rel = path.relative(workspace, abs);
  return (rel.startsWith('..') ? abs : rel).split(path.sep).join('/');
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

export type ManifestSource =
  | { type: 'file'; file: string; abs: string }
  | { type: 'kustomization'; dir: string; abs: string; kustomizationFile: string };

async function listManifestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  // Symlinks are listed too: the confinement check then decides whether they may be read.
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && MANIFEST_EXT.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function kustomizationIn(names: Set<string>): string | undefined {
  return KUSTOMIZATION_FILES.find((f) => names.has(f));
}

/** Where manifest files may come from: the workspace and `roots`, as kustomize's load restrictor. */
export interface Confinement {
  /** Directories besides the workspace that may hold manifests (e.g. RUNNER_TEMP). */
  roots: readonly string[];
  /** Lift the confinement (an explicit input: `allow-outside-workspace`). */
  allowOutside?: boolean;
  /** The input that lifts it, named in the error (when the action has one). */
  liftWith?: string;
}

/** The default: the workspace and RUNNER_TEMP (where render-manifests writes its output). */
export function defaultConfinement(env: NodeJS.ProcessEnv = process.env): Confinement {
  return { roots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [] };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Checks paths against the allowed roots after resolving every symlink (realpath). */
class Confiner {
  private readonly roots: Promise<string[]>;
  private readonly workspace: string;
  private readonly confinement: Confinement;
  private readonly input: string;
  /** What is done at the allowed place, for the error: `manifests are read`. */
  private readonly verb: string;
  constructor(
    workspace: string,
    confinement: Confinement,
    input: string,
    verb = 'manifests are read',
  ) {
    this.verb = verb;
    this.workspace = workspace;
    this.confinement = confinement;
    this.input = input;
    this.roots = Promise.all(
      [workspace, ...confinement.roots].map((r) => realpath(r).catch(() => path.resolve(r))),
    );
  }

  private describeRoots(): string {
    const extra = this.confinement.roots.length
      ? ` or ${this.confinement.roots.map((r) => r).join(', ')}`
      : '';
    return `the workspace (${this.workspace})${extra}`;
  }

  /** The real path of `abs`, or an InputError naming `shown` when it leaves the allowed roots. */
  async check(abs: string, shown: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(abs);
    } catch (error) {
      throw new InputError(
        `Input '${this.input}': "${shown}" cannot be resolved (${(error as NodeJS.ErrnoException).code ?? 'error'}: a dangling symlink?).`,
      );
    }
    return this.confine(abs, real, shown);
  }

  /** As `check`, for a path that may not exist yet: its nearest existing ancestor is resolved. */
  async checkNew(abs: string, shown: string): Promise<string> {
    let existing = path.resolve(abs);
    const rest: string[] = [];
    for (;;) {
      try {
        const real = await realpath(existing);
        return await this.confine(abs, path.join(real, ...rest), shown);
      } catch (error) {
        if (error instanceof InputError) throw error;
        const parent = path.dirname(existing);
        if (parent === existing) throw error;
        rest.unshift(path.basename(existing));
        existing = parent;
      }
    }
  }

  private async confine(abs: string, real: string, shown: string): Promise<string> {
    if (this.confinement.allowOutside) return real;
    const roots = await this.roots;
    if (roots.some((root) => isInside(real, root))) return real;
    const lexicallyInside = [this.workspace, ...this.confinement.roots].some((r) =>
      isInside(path.resolve(abs), path.resolve(r)),
    );
    const where = lexicallyInside ? `resolves to ${real}, outside` : 'is outside';
    throw new InputError(
      `Input '${this.input}': "${shown}" ${where} ${this.describeRoots()}; ${this.verb} only there${this.confinement.liftWith ? ` (set '${this.confinement.liftWith}: true' to lift this)` : ''}.`,
    );
  }
}

/**
 * The real path of an output directory (which may not exist yet), confined like the manifests:
 * an error naming `input` when it leads out of the workspace and `confinement.roots`.
 */
export async function confineOutputDir(
  dir: string,
  workspace: string,
  input: string,
  confinement: Confinement,
): Promise<string> {
  return new Confiner(workspace, confinement, input, 'output is written').checkNew(
    path.resolve(workspace, dir),
    workspaceRelative(path.resolve(workspace, dir), workspace),
  );
}

/**
 * Resolves a manifests input (files, directories, globs) into sources: plain files, or directories that hold a
 * kustomization (built as one). A directory without one contributes its YAML/JSON files.
 * Every path, after resolving symlinks, must lie in the workspace or one of
 * `confinement.roots` (unless `confinement.allowOutside`); `abs` is the resolved real path.
 */
export async function resolveManifestSources(
  patterns: readonly string[],
  workspace: string,
  input = 'manifests',
  confinement: Confinement = defaultConfinement(),
): Promise<ManifestSource[]> {
  const { matches, unmatched } = await expandPatterns(patterns, workspace);
  if (unmatched.length > 0) {
    throw new InputError(
      `Input '${input}': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`,
    );
  }
  const confiner = new Confiner(workspace, confinement, input);
  const sources: ManifestSource[] = [];
  const seen = new Set<string>();
  const add = (source: ManifestSource): void => {
    if (seen.has(source.abs)) return;
    seen.add(source.abs);
    sources.push(source);
  };
  for (const match of matches) {
    const shown = workspaceRelative(match.path, workspace);
    const real = await confiner.check(match.path, shown);
    if (!match.isDirectory) {
      add({ type: 'file', abs: real, file: shown });
      continue;
    }
    const names = new Set(await readdir(real));
    const kustomization = kustomizationIn(names);
    if (kustomization) {
      add({
        type: 'kustomization',
        abs: real,
        dir: shown,
        kustomizationFile: workspaceRelative(path.join(match.path, kustomization), workspace),
      });
      continue;
    }
    const files = await listManifestFiles(real);
    if (files.length === 0) {
      throw new InputError(
        `Input '${input}': directory "${match.pattern}" holds no .yaml, .yml or .json files.`,
      );
    }
    for (const abs of files) {
      const file = workspaceRelative(path.join(match.path, path.relative(real, abs)), workspace);
      add({ type: 'file', abs: await confiner.check(abs, file), file });
    }
  }
  return sources;
}

/**
 * The post step's removal of the temp directory its main step wrote secrets to (recorded in
 * state): only a directory whose name carries `prefix` (`<action>-`), so a tampered state
 * entry cannot make post delete anything else.
 */
export async function removeSecretsDir(dir: string, prefix: string): Promise<void> {
  if (!path.basename(dir).startsWith(prefix)) {
    throw new Error(`refusing to remove ${dir}: not a ${prefix.replace(/-$/, '')} directory`);
  }
  await rm(dir, { recursive: true, force: true });
}

/**
 * Where one path input may lead: the workspace and `roots` (RUNNER_TEMP by default), after
 * every symlink is resolved. A pull request can carry a symlink (`notes.md ->
 * /proc/self/environ`), so the check is on the real path, never on the text the user wrote.
 */
export interface PathPolicy {
  /** GITHUB_WORKSPACE: relative values resolve against it. */
  workspace: string;
  /** Directories besides the workspace that may be read (default: RUNNER_TEMP when set). */
  roots?: readonly string[];
  /** Lift the confinement (the action's `allow-outside-workspace` input). */
  allowOutside?: boolean;
  /** The input that lifts it, named in the error (omit when the action has none). */
  liftWith?: string;
}

export type PathKind = 'file' | 'directory';

export interface ConfinedPath {
  /** The real path (symlinks resolved). */
  real: string;
  /** How errors and logs show it: relative to the workspace when inside. */
  shown: string;
}

/**
 * Kernel pseudo-filesystems are never read, even with the confinement lifted: their "files"
 * (/proc/self/environ, /proc/self/mem, /dev/stdin) are the job's own secrets or never end.
 */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];

function policyRoots(policy: PathPolicy): string[] {
  const roots = policy.roots ?? (process.env.RUNNER_TEMP ? [process.env.RUNNER_TEMP] : []);
  return [policy.workspace, ...roots];
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The real path of the path input `input` (value `value`, relative to the workspace), checked
 * to be a `kind` inside the workspace or the policy's roots unless the policy lifts that; an
 * InputError naming the input otherwise. Nothing is opened or read.
 */
export function confinePath(
  input: string,
  value: string,
  policy: PathPolicy,
  kind: PathKind = 'file',
): ConfinedPath {
  const abs = path.resolve(policy.workspace, value);
  const shown = workspaceRelative(abs, policy.workspace);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'not found' : `cannot be resolved (${code})`;
    throw new InputError(`Input '${input}': "${value}" ${why} (relative to ${policy.workspace}).`);
  }
  if (PSEUDO_FILESYSTEMS.some((fs) => isInside(real, fs))) {
    throw new InputError(
      `Input '${input}': "${value}" resolves to ${real}, a kernel pseudo-file; it is never read.`,
    );
  }
  const allowed = policyRoots(policy);
  if (!policy.allowOutside && !allowed.map(realOrResolved).some((root) => isInside(real, root))) {
    const lexicallyInside = allowed.some((r) => isInside(abs, path.resolve(r)));
    const where = lexicallyInside ? `resolves to ${real}, outside` : 'is outside';
    const others = allowed.slice(1);
    const roots = `the workspace (${policy.workspace})${others.length ? ` or ${others.join(', ')}` : ''}`;
    const lift = policy.liftWith ? ` (set '${policy.liftWith}: true' to lift this)` : '';
    throw new InputError(
      `Input '${input}': "${value}" ${where} ${roots}; it is read only there${lift}.`,
    );
  }
  const info = statSync(real);
  const isKind = kind === 'file' ? info.isFile() : info.isDirectory();
  if (!isKind) {
    throw new InputError(
      `Input '${input}': "${value}" is not a ${kind === 'file' ? 'regular file' : 'directory'}.`,
    );
  }
  return { real, shown };
}

export interface ConfinedFile extends ConfinedPath {
  text: string;
}

/**
 * Reads the file a path input names: confined as `confinePath`, a regular file only, at most
 * `maxBytes` (checked on what is read, not on what stat says). The file is opened without
 * following a symlink and must be the one that was checked (same device and inode), so a link
 * swapped in between the check and the read is refused rather than followed.
 */
export function readConfinedFile(
  input: string,
  value: string,
  policy: PathPolicy,
  maxBytes = 1024 * 1024,
): ConfinedFile {
  const checked = confinePath(input, value, policy, 'file');
  const expected = statSync(checked.real);
  let fd: number;
  try {
    fd = openSync(checked.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(
      `Input '${input}': cannot read "${value}" (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.ino !== expected.ino || info.dev !== expected.dev) {
      throw new InputError(`Input '${input}': "${value}" changed while it was being read.`);
    }
    // One byte more than allowed tells "too large" without trusting stat's size.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) {
      throw new InputError(`Input '${input}': "${value}" is larger than ${formatBytes(maxBytes)}.`);
    }
    return { ...checked, text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
