// Every workflow in the docs and examples runs: actionlint, plus the references actionlint
// cannot see (inputs and outputs of our actions, needs outputs, reusable workflow inputs and
// secrets). Checks and their unit tests: test/harness/workflow-check.ts, workflow-check.test.ts.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';
import {
  actionlint,
  checkWorkflow,
  designGaps,
  formatProblem,
  lintProblems,
  repoContext,
  repoWorkflows,
  sourceName,
} from '../harness/workflow-check.ts';
import type { LintResult, Problem } from '../harness/workflow-check.ts';

/**
 * Problems left in place on purpose, each with its reason. A problem matches when its file is
 * `file` and its formatted text matches `match`; every entry must still match something, so
 * the list cannot outlive the problem.
 */
/** Problems known and accepted for now, each with why; the last test fails once one is gone. */
const KNOWN: { file: string; match: RegExp; why: string }[] = [];

const sources = repoWorkflows(repoRoot);
const ctx = repoContext(repoRoot);
let lint: Map<string, LintResult[]>;
const known = new Set<(typeof KNOWN)[number]>();

beforeAll(() => {
  lint = actionlint(
    sources.map((s) => ({ name: sourceName(s), text: s.text })),
    repoRoot,
  );
});

function problems(name: string): string[] {
  const src = sources.find((s) => sourceName(s) === name)!;
  const all: Problem[] = [...checkWorkflow(src, ctx), ...lintProblems(src, lint.get(name)!)];
  return all.map(formatProblem).filter((text) => {
    const k = KNOWN.find((e) => e.file === src.file && e.match.test(text));
    if (k) known.add(k);
    return !k;
  });
}

describe('workflows in the docs and examples', () => {
  it('finds them: every action README has a usage example; every workflow file', () => {
    const actions = readdirSync(repoRoot).filter((d) =>
      existsSync(path.join(repoRoot, d, 'action.yml')),
    );
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions)
      expect(sources.filter((s) => s.file === `${a}/README.md`).length).toBeGreaterThan(0);
    const files = sources.filter((s) => !s.block).map((s) => s.file);
    expect(files).toEqual(expect.arrayContaining(['.github/workflows/ci.yml']));
    for (const f of readdirSync(path.join(repoRoot, 'workflows-examples')))
      if (/\.ya?ml$/.test(f)) expect(files).toContain(`workflows-examples/${f}`);
  });

  it.each(sources.map(sourceName))('%s: actionlint and references', (name) => {
    expect(problems(name)).toEqual([]);
  });

  it('known problems (KNOWN above) still occur, else remove them from the list', () => {
    for (const s of sources) problems(sourceName(s));
    expect(KNOWN.filter((k) => !known.has(k)).map((k) => `${k.file}: ${k.match}`)).toEqual([]);
  });

  it('actions that landed since the design table was copied declare every designed name', () => {
    expect(designGaps(ctx)).toEqual([]);
  });

  it.each(sources.filter((s) => s.file.startsWith('workflows-examples/')).map(sourceName))(
    '%s interpolates no event text into run:',
    (name) => {
      const runs: string[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (typeof v === 'object' && v !== null)
          for (const [k, x] of Object.entries(v))
            if (k === 'run' && typeof x === 'string') runs.push(x);
            else walk(x);
      };
      walk(parse(sources.find((s) => sourceName(s) === name)!.text));
      for (const run of runs) expect(run).not.toMatch(/\$\{\{[^}]*github\.event\./);
    },
  );
});
