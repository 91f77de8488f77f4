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
