// The project's own workflows run third-party code with its tokens: every action they use is
// pinned to a full commit SHA, with the release it is in a comment (what Dependabot updates).
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/runner.ts';

const dir = path.join(repoRoot, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('.github/workflows', () => {
  it('has the workflows the repository relies on', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'ci.yml',
        'codeql.yml',
        'e2e.yml',
        'release.yml',
        'dependabot-dist.yml',
      ]),
    );
  });

  it.each(files)('%s: every action pinned by commit SHA, version in a comment', (file) => {
    const uses = [
      ...readFileSync(path.join(dir, file), 'utf8').matchAll(/^\s*-?\s*uses:\s*(.+)$/gm),
    ]
      .map((m) => m[1]!.trim())
      .filter((ref) => !ref.startsWith('./'));
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses)
      expect(ref).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });
});
