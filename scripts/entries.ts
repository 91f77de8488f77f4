/**
 * The bundle entries, discovered by convention (scripts/build.ts bundles them; tests check
 * them): actions/<a>/main.ts → dist/<a>/index.js, actions/<a>/post.ts →
 * dist/<a>/post/index.js, actions/<a>/<name>.entry.ts → dist/<a>/<name>/index.js.
 * Each exports `run()` and does nothing when imported.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export interface Entry {
  action: string;
  source: string;
  outDir: string;
}

export function discoverEntries(root: string): Entry[] {
  const distDir = path.join(root, 'dist');
  const entries: Entry[] = [];
  const actionsDir = path.join(root, 'actions');
  for (const action of readdirSync(actionsDir).sort()) {
    const dir = path.join(actionsDir, action);
    for (const file of readdirSync(dir).sort()) {
      let out: string | undefined;
      if (file === 'main.ts') out = path.join(distDir, action);
      else if (file === 'post.ts') out = path.join(distDir, action, 'post');
      else if (file.endsWith('.entry.ts'))
        out = path.join(distDir, action, file.slice(0, -'.entry.ts'.length));
      if (out) entries.push({ action, source: path.join(dir, file), outDir: out });
    }
  }
  return entries;
}
