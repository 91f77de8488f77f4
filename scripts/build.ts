/**
 * `npm run build`: regenerates the Kubernetes schema data, compiles TypeScript to
 * .build/, then bundles every action entry with @vercel/ncc into dist/<action>/.
 * Entries are discovered by convention: actions/<a>/main.ts → dist/<a>/index.js,
 * actions/<a>/post.ts → dist/<a>/post/index.js, actions/<a>/<name>.entry.ts →
 * dist/<a>/<name>/index.js (e.g. a credential command).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import ncc from '@vercel/ncc';
import { writeSchema } from './gen-k8s-schema.ts';
import { writeValidators } from './gen-validators.ts';

const root = path.resolve(import.meta.dirname, '..');
const buildDir = path.join(root, '.build');
const distDir = path.join(root, 'dist');

export interface Entry {
  action: string;
  source: string;
  outDir: string;
}

export function discoverEntries(): Entry[] {
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

async function bundle(entry: Entry): Promise<number> {
  const compiled = path.join(buildDir, path.relative(root, entry.source)).replace(/\.ts$/, '.js');
  const result = await ncc(compiled, {
    minify: true,
    sourceMap: false,
    quiet: true,
    cache: false,
    target: 'es2022',
    // Bundles must not depend on where they were built.
    sourceMapRegister: false,
  });
  mkdirSync(entry.outDir, { recursive: true });
  writeFileSync(path.join(entry.outDir, 'index.js'), result.code);
  let size = result.code.length;
  for (const [name, asset] of Object.entries(result.assets)) {
    const target = path.join(entry.outDir, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, asset.source, asset.permissions ? { mode: asset.permissions } : {});
    size += asset.source.length;
  }
  return size;
}

async function main(): Promise<void> {
  const kubernetesDir = path.join(root, 'shared', 'kubernetes');
  writeSchema(path.join(kubernetesDir, 'schema.json'));
  writeValidators(kubernetesDir);
  rmSync(buildDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // tsc emits only .ts sources: data and generated JavaScript go beside the compiled files.
  cpSync(path.join(root, 'shared'), path.join(buildDir, 'shared'), {
    recursive: true,
    filter: (src) => !src.endsWith('.ts'),
  });
  const entries = discoverEntries();
  // Nested entry folders (post/) live inside the main folder: clear per action, not per entry.
  for (const action of new Set(entries.map((e) => e.action))) {
    rmSync(path.join(distDir, action), { recursive: true, force: true });
  }
  for (const entry of entries) {
    const size = await bundle(entry);
    console.log(`${path.relative(root, entry.outDir)}/index.js  ${(size / 1024).toFixed(0)} KiB`);
  }
  if (!existsSync(distDir)) mkdirSync(distDir);
  rmSync(buildDir, { recursive: true, force: true });
}

await main();
