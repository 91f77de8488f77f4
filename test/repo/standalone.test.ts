/**
 * The repository stands alone: a clone is all `npm ci && npm test` (and the build) need.
 * Nothing tracked reads from a folder beside the clone (the team's spec collection lived at
 * ../shared and users do not have it); the contract data tests read is in test/contracts/,
 * each folder with a README naming its source; a missing contract is an error, not a skip.
 * `.ci/run` proves the same end to end by testing a clone with nothing beside it.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONTRACTS_DIR, contractPath, readContractJson } from '../harness/contracts.ts';
import { readInferenceServiceSchema } from '../harness/kube-sim/schema.ts';
import { repoRoot } from '../harness/runner.ts';

/** What a clone holds; needs git and a git checkout (the README's setup is a clone). */
function trackedFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(
      `this test lists tracked files with \`git ls-files\` in ${repoRoot}: ${r.error?.message ?? r.stderr}`,
    );
  }
  return r.stdout.split('\0').filter(Boolean);
}

/**
 * dist/ is generated from actions/ and shared/ (check-dist keeps it in step) and carries their
 * comments; test/contracts/ READMEs record where the contract data came from.
 */
const isExempt = (f: string): boolean =>
  f.startsWith('dist/') || /^test\/contracts\/(.+\/)?README\.md$/.test(f);

const read = (f: string): string => readFileSync(path.join(repoRoot, f), 'utf8');

/** Files that code, tools or CI read paths from (markdown links are not reads). */
const isCodeOrConfig = (f: string): boolean =>
  /\.(ts|js|mjs|cjs|json|ya?ml|sh)$/.test(f) || f.startsWith('.ci/');

/** Files whose relative paths are relative to the file itself (modules, kustomizations). */
const fileRelative = (f: string): boolean => /\.(ts|js|mjs|cjs|ya?ml)$/.test(f);

const outside = (p: string): boolean => {
  const rel = path.relative(repoRoot, p);
  return rel === '..' || rel.startsWith(`..${path.sep}`);
};

describe('the repository stands alone', () => {
  const files = trackedFiles();

  it('lists tracked files', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('test/repo/standalone.test.ts');
  });

  it('no tracked file refers to the spec collection beside the repository', () => {
    const needle = ['shared', 'specs'].join('/');
    const hits = files
      .filter((f) => !isExempt(f))
      .flatMap((f) =>
        read(f)
          .split('\n')
          .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
          .filter(({ line }) => line.includes(needle))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(hits).toEqual([]);
  });

  it('no relative path in a tracked file climbs out of the repository', () => {
    const hits: string[] = [];
    for (const f of files.filter((x) => !isExempt(x) && isCodeOrConfig(x))) {
      const base = path.join(repoRoot, fileRelative(f) ? path.dirname(f) : '');
      read(f)
        .split('\n')
        .forEach((line, i) => {
          // '../../x' strings and path.join/resolve(…, '..', '..', …) segment lists.
          const ups = [
            ...[...line.matchAll(/(?<![\w.])((?:\.\.\/)+)/g)].map((m) => m[1]!.length / 3),
            ...[...line.matchAll(/(?:(['"])\.\.\1(?:\s*,\s*)?)+/g)].map(
              (m) => m[0].split('..').length - 1,
            ),
          ];
          for (const n of ups) {
            if (outside(path.resolve(base, ...Array<string>(n).fill('..')))) {
              hits.push(`${f}:${i + 1}: ${line.trim()}`);
            }
          }
        });
    }
    expect(hits).toEqual([]);
  });
});

describe('test/contracts', () => {
  const tracked = new Set(trackedFiles());
  const peers = readdirSync(CONTRACTS_DIR).filter((d) =>
    statSync(path.join(CONTRACTS_DIR, d)).isDirectory(),
  );
  const rel = (...p: string[]) => path.relative(repoRoot, path.join(CONTRACTS_DIR, ...p));
  const users = [...tracked]
    .filter((f) => !f.startsWith('test/contracts/') && !isExempt(f) && /\.(ts|js)$/.test(f))
    .map((f) => ({ f, text: read(f) }));

  it('has the peers the tests read', () => {
    expect(peers).toEqual(expect.arrayContaining(['eks', 'kubernetes']));
  });

  it.each(peers)('%s: README.md names the source of every file, all tracked', (peer) => {
    const readme = readFileSync(contractPath(peer, 'README.md'), 'utf8');
    const data = readdirSync(path.join(CONTRACTS_DIR, peer)).filter((f) => f !== 'README.md');
    expect(data.length).toBeGreaterThan(0);
    for (const file of ['README.md', ...data]) {
      expect({ file, tracked: tracked.has(rel(peer, file)) }).toEqual({ file, tracked: true });
    }
    for (const file of data) {
      // A line (the README's table row) with the file, an upstream owner/repo and a commit or tag.
      const sourced = readme
        .split('\n')
        .some(
          (line) =>
            line.includes(`\`${file}\``) &&
            /\b[\w.-]+\/[\w.-]+\b/.test(line) &&
            /\b[0-9a-f]{40}\b|\bv\d+\.\d+\.\d+\b/.test(line),
        );
      expect({ file, sourced }).toEqual({ file, sourced: true });
      // Copied because something reads it: no dead data.
      const readers = users.filter(({ text }) => text.includes(file)).map(({ f }) => f);
      expect({ file, read: readers.length > 0 }).toEqual({ file, read: true });
    }
  });
});

describe('a missing contract is an error naming it', () => {
  it('readContractJson', () => {
    expect(() => readContractJson('eks', 'no-such-vector.json')).toThrow(
      `missing test contract ${path.join(CONTRACTS_DIR, 'eks', 'no-such-vector.json')}`,
    );
  });

  it('kube-sim: the InferenceService CRD', () => {
    const missing = path.join(tmpdir(), 'no-such-dir', 'serving.kserve.io_inferenceservices.yaml');
    expect(() => readInferenceServiceSchema(missing)).toThrow(
      `kube-sim: the KServe InferenceService CRD (see test/contracts/kubernetes/README.md) not found: ${missing}`,
    );
  });

  it('gen-k8s-schema: the CRD behind shared/kubernetes/crd-schemas.json', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'contracts-'));
    try {
      const r = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const m = await import('./scripts/gen-k8s-schema.ts'); m.generateCrdSchemas(process.env.CONTRACTS);",
        ],
        { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CONTRACTS: empty } },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(
        `gen-k8s-schema: CRD not found: ${path.join(empty, 'kubernetes', 'serving.kserve.io_inferenceservices.yaml')}`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
