// Each action's README has what its users look for (STYLE.md, Docs): a usage example with a
// `permissions:` block, the generated Inputs/Outputs tables (markers for `npm run docs`),
// and a Troubleshooting section. The table contents are checked against action.yml by the
// docs test; this checks the sections exist.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/runner.ts';

const actions = readdirSync(repoRoot).filter((d) =>
  existsSync(path.join(repoRoot, d, 'action.yml')),
);

describe('action READMEs', () => {
  it.each(actions)('%s/README.md: usage with permissions, tables, troubleshooting', (a) => {
    const text = readFileSync(path.join(repoRoot, a, 'README.md'), 'utf8');
    const yamlBlocks = [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(yamlBlocks.some((b) => /^\s*permissions:/m.test(b))).toBe(true);
    for (const marker of [
      '<!-- inputs -->',
      '<!-- /inputs -->',
      '<!-- outputs -->',
      '<!-- /outputs -->',
    ])
      expect(text).toContain(marker);
    expect(text).toMatch(/^## Troubleshooting/m);
  });
});
