import { glob, readdir, stat } from 'node:fs/promises';
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
  return entries
    .filter((e) => e.isFile() && MANIFEST_EXT.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function kustomizationIn(names: Set<string>): string | undefined {
  return KUSTOMIZATION_FILES.find((f) => names.has(f));
}

/**
 * Resolves a manifests input (files, directories, globs) into sources: plain files, or directories that hold a
 * kustomization (built as one). A directory without one contributes its YAML/JSON files.
 */
export async function resolveManifestSources(
  patterns: readonly string[],
  workspace: string,
  input = 'manifests',
): Promise<ManifestSource[]> {
  const { matches, unmatched } = await expandPatterns(patterns, workspace);
  if (unmatched.length > 0) {
    throw new InputError(
      `Input '${input}': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`,
    );
  }
  const sources: ManifestSource[] = [];
  const seen = new Set<string>();
  const add = (source: ManifestSource): void => {
    if (seen.has(source.abs)) return;
    seen.add(source.abs);
    sources.push(source);
  };
  for (const match of matches) {
    if (!match.isDirectory) {
      add({ type: 'file', abs: match.path, file: workspaceRelative(match.path, workspace) });
      continue;
    }
    const names = new Set(await readdir(match.path));
    const kustomization = kustomizationIn(names);
    if (kustomization) {
      add({
        type: 'kustomization',
        abs: match.path,
        dir: workspaceRelative(match.path, workspace),
        kustomizationFile: workspaceRelative(path.join(match.path, kustomization), workspace),
      });
      continue;
    }
    const files = await listManifestFiles(match.path);
    if (files.length === 0) {
      throw new InputError(
        `Input '${input}': directory "${match.pattern}" holds no .yaml, .yml or .json files.`,
      );
    }
    for (const abs of files) add({ type: 'file', abs, file: workspaceRelative(abs, workspace) });
  }
  return sources;
}
