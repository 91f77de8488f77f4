import { glob, stat } from 'node:fs/promises';
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
