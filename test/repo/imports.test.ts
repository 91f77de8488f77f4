/**
 * No import circles in shipped code (actions/ and shared/): a circle means two modules are
 * one concern split in the wrong place (types living beside the code that uses them).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/runner.ts';

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
}

/** Relative imports of a module, type-only ones included (they still couple the files). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)].map(
    (m) => m[1]!,
  );
  const dynamic = [...text.matchAll(/import\('(\.[^']+)'\)/g)].map((m) => m[1]!);
  return [...specs, ...dynamic]
    .filter((s) => s.endsWith('.ts'))
    .map((s) => path.normalize(path.join(path.dirname(file), s)));
}

/** Every elementary circle found by a depth-first search, each as "a → b → a". */
export function circles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.add([...canonical, canonical[0]].join(' → '));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return [...found].sort();
}

describe('imports', () => {
  it('the circle finder finds a circle', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(g)).toEqual(['a → b → c → a']);
  });

  it('no import circles in actions/ and shared/', () => {
    const files = [...sources('actions'), ...sources('shared')];
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    expect(circles(graph)).toEqual([]);
  });
});
