import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { expandPatterns, workspaceRelative } from '../../shared/files.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST_EXT = /\.(ya?ml|json)$/i;

export type Source =
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
 * Resolves the `manifests` input into sources: plain files, or directories that hold a
 * kustomization (built as one). A directory without one contributes its YAML/JSON files.
 */
export async function resolveSources(
  patterns: readonly string[],
  workspace: string,
): Promise<Source[]> {
  const { matches, unmatched } = await expandPatterns(patterns, workspace);
  if (unmatched.length > 0) {
    throw new InputError(
      `Input 'manifests': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`,
    );
  }
  const sources: Source[] = [];
  const seen = new Set<string>();
  const add = (source: Source): void => {
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
        `Input 'manifests': directory "${match.pattern}" holds no .yaml, .yml or .json files.`,
      );
    }
    for (const abs of files) add({ type: 'file', abs, file: workspaceRelative(abs, workspace) });
  }
  return sources;
}

export async function readSource(source: Source & { type: 'file' }): Promise<string> {
  return readFile(source.abs, 'utf8');
}
