/**
 * One naming scheme for end-to-end tests: a test file that runs a bundled action as a runner
 * does (test/harness/runner.ts `runAction`) is named `<topic>.e2e.test.ts` and lives beside
 * the action's other tests (test/<action>/), or in test/e2e/ when it covers every action.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/runner.ts';

const testFiles = readdirSync(path.join(repoRoot, 'test'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
  .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));

describe('end-to-end test names', () => {
  it('every test that runs a bundle is a .e2e.test.ts', () => {
    const runsBundle = (f: string): boolean =>
      /from '\.\.\/harness\/runner\.ts'/.test(readFileSync(path.join(repoRoot, f), 'utf8')) &&
      /\brunAction\(/.test(readFileSync(path.join(repoRoot, f), 'utf8'));
    expect(testFiles.filter((f) => runsBundle(f) && !f.endsWith('.e2e.test.ts'))).toEqual([]);
  });

  it('test/e2e/ holds only tests across every action, named .e2e.test.ts', () => {
    expect(
      testFiles.filter((f) => f.startsWith('test/e2e/') && !f.endsWith('.e2e.test.ts')),
    ).toEqual([]);
  });
});
