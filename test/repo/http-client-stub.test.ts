/**
 * scripts/build.ts ships a stub for @actions/http-client in bundles where only
 * core.getIDToken would use it. The stub must never land where something really needs the
 * client: an entry whose modules import @actions/github or @actions/tool-cache (both use it)
 * keeps the real one. And the stub, if ever reached, says why instead of failing obscurely.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { discoverEntries } from '../../scripts/entries.ts';
import { repoRoot } from '../harness/runner.ts';

const STUB = 'http-client-stub.cjs';
const REAL_USERS = /(?:from\s+|import\()'(@actions\/github|@actions\/tool-cache)'/;

/** Every shipped module an entry reaches through relative imports (static or dynamic). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\()'(\.[^']+\.ts)'/g)) {
      visit(path.resolve(path.dirname(file), m[1]!));
    }
  };
  visit(entry);
  return [...seen];
}

const entries = discoverEntries(repoRoot).map((e) => ({
  name: path.relative(repoRoot, e.outDir),
  stubbed: existsSync(path.join(e.outDir, STUB)),
  needsReal: reachable(e.source).some((f) => REAL_USERS.test(readFileSync(f, 'utf8'))),
}));

describe('the @actions/http-client stub in dist/', () => {
  it('is in some bundles and never in one whose code imports @actions/github or tool-cache', () => {
    expect(entries.filter((e) => e.stubbed).length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.needsReal).map((e) => e.name).length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.stubbed && e.needsReal).map((e) => e.name)).toEqual([]);
  });

  it('says why when it is reached', () => {
    const stubbed = entries.find((e) => e.stubbed)!;
    const require = createRequire(path.join(repoRoot, stubbed.name, 'index.js'));
    const { HttpClient } = require(`./${STUB}`) as { HttpClient: new () => unknown };
    expect(() => new HttpClient()).toThrow(
      '@actions/http-client is not bundled with this action (mlops-actions never calls core.getIDToken)',
    );
  });
});
