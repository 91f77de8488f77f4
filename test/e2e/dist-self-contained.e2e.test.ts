/**
 * A runner checks out the repository without node_modules: every bundle in dist/ may import
 * only Node's built-ins and its own chunks. A package the build leaves external (an SDK's
 * optional dependency, say) resolves in this repository, where node_modules sits beside
 * dist/, and fails on every runner with ERR_MODULE_NOT_FOUND. So dist/ is copied where no
 * node_modules can be found, every entry is started (to its input error) and every chunk is
 * imported (which links its static imports without running its modules).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../harness/runner.ts';

const copy = mkdtempSync(path.join(tmpdir(), 'dist-alone-'));
cpSync(path.join(repoRoot, 'dist'), path.join(copy, 'dist'), { recursive: true });
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const scripts = readdirSync(path.join(copy, 'dist'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.js'))
  .map((e) => path.join(e.parentPath, e.name));
const entries = scripts.filter((f) => path.basename(f) === 'index.js');
const chunks = scripts.filter((f) => path.basename(f) !== 'index.js');
const MISSING = /ERR_MODULE_NOT_FOUND|Cannot find (package|module)/;

describe('dist/ stands alone (no node_modules)', () => {
  it('has entries and chunks to check', () => {
    expect(entries.length).toBeGreaterThan(8);
    expect(chunks.length).toBeGreaterThan(20);
  });

  it.each(entries.map((f) => path.relative(copy, f)))('%s starts', (entry) => {
    const r = spawnSync(process.execPath, [path.join(copy, entry)], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(`${r.stdout}${r.stderr}`).not.toMatch(MISSING);
  });

  it('every chunk links', () => {
    const probe = path.join(copy, 'probe.mjs');
    writeFileSync(
      probe,
      `const failed = [];
for (const f of JSON.parse(process.argv[2])) {
  try { await import(new URL('file://' + f).href); } catch (e) { failed.push(f + ': ' + e.message); }
}
process.stdout.write(JSON.stringify(failed));`,
    );
    const r = spawnSync(process.execPath, [probe, JSON.stringify(chunks)], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const failed = (JSON.parse(r.stdout || '[]') as string[]).filter((f) => MISSING.test(f));
    expect(failed).toEqual([]);
  });
});
