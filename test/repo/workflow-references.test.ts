// Every workflow in the docs and examples runs: actionlint, plus the references actionlint
// cannot see (inputs and outputs of our actions, needs outputs, reusable workflow inputs and
// secrets). Checks and their unit tests: test/harness/workflow-check.ts, workflow-check.test.ts.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, Scalar, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { repoRoot } from '../harness/runner.ts';
import {
  actionlint,
  checkWorkflow,
  designGaps,
  fileLine,
  formatProblem,
  lintProblems,
  repoContext,
  repoWorkflows,
  sourceName,
} from '../harness/workflow-check.ts';
import type { LintResult, Problem, WorkflowSource } from '../harness/workflow-check.ts';

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

/** Text an attacker controls (event payloads, branch names) must not be interpolated into run:. */
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref\b)[^}]*\}\}/g;

/** Every `${{ github.event.* }}` / `${{ github.head_ref }}` inside a run: value, as file:line. */
function untrustedInRun(src: WorkflowSource): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(src.text, { lineCounter: lines });
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (isSeq(node)) node.items.forEach(walk);
    else if (isMap(node))
      for (const pair of node.items) {
        const v = pair.value;
        if (
          isScalar(pair.key) &&
          pair.key.value === 'run' &&
          isScalar(v) &&
          typeof v.value === 'string'
        ) {
          const block = v.type === Scalar.BLOCK_LITERAL || v.type === Scalar.BLOCK_FOLDED;
          const start = lines.linePos(v.range?.[0] ?? 0).line;
          for (const m of v.value.matchAll(UNTRUSTED)) {
            const line = block
              ? start + 1 + v.value.slice(0, m.index).split('\n').length - 1
              : start;
            found.push(
              `${src.file}:${fileLine(src, line)}: run: interpolates \`${m[0]}\`: pass it through env: and use "$VAR"`,
            );
          }
        } else walk(v);
      }
  };
  walk(doc.contents);
  return found;
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

  it.each(sources.map(sourceName))('%s interpolates no untrusted event text into run:', (name) => {
    expect(untrustedInRun(sources.find((s) => sourceName(s) === name)!)).toEqual([]);
  });

  it('the run: scan finds event text in a run: block, at its line', () => {
    const text = [
      'on: pull_request',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - env:',
      '          TITLE: ${{ github.event.pull_request.title }}',
      '        run: echo "$TITLE"',
      '      - run: |',
      '          echo ok',
      '          echo "${{ github.event.pull_request.title }}"',
      '      - run: echo ${{ github.head_ref }}',
      '',
    ].join('\n');
    expect(untrustedInRun({ file: 'x.yml', text })).toEqual([
      'x.yml:11: run: interpolates `${{ github.event.pull_request.title }}`: pass it through env: and use "$VAR"',
      'x.yml:12: run: interpolates `${{ github.head_ref }}`: pass it through env: and use "$VAR"',
    ]);
  });
});
