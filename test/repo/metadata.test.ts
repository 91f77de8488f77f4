import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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

// Workflows (actionlint, references to actions and jobs): workflow-references.test.ts.
