import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import {
  confineOutputDir,
  confinePath,
  defaultConfinement,
  readConfinedFile,
  resolveManifestSources,
  type PathPolicy,
} from '../../shared/files.ts';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function dir(prefix: string, files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(d);
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), content);
  }
  return d;
}

describe('resolveManifestSources confinement (shared by render-manifests and rollout-and-verify)', () => {
  it('allows the workspace and the extra roots, after resolving symlinks', async () => {
    const temp = dir('rt-', { 'out/manifests.yaml': 'a: 1\n' });
    const ws = dir('ws-', { 'app/a.yaml': 'a: 1\n' });
    symlinkSync(path.join(ws, 'app', 'a.yaml'), path.join(ws, 'app', 'link.yaml'));
    const sources = await resolveManifestSources(
      ['app', path.join(temp, 'out', 'manifests.yaml')],
      ws,
      'manifests',
      { roots: [temp] },
    );
    expect(sources.map((s) => s.type === 'file' && s.file)).toEqual([
      'app/a.yaml',
      path.join(temp, 'out', 'manifests.yaml'),
    ]);
  });

  it.each([
    ['an absolute path elsewhere', (outside: string) => path.join(outside, 'x.yaml'), 'is outside'],
    [
      '../ out of the workspace',
      (outside: string) => `../${path.basename(outside)}/x.yaml`,
      'is outside',
    ],
    ['a symlink to a file elsewhere', () => 'app/link.yaml', 'resolves to'],
    ['a directory holding such a symlink', () => 'app', 'resolves to'],
  ])('rejects %s, naming the input and the path', async (_name, pattern, why) => {
    const outside = dir('outside-', { 'x.yaml': 'a: 1\n' });
    const ws = dir('ws-', { 'app/a.yaml': 'a: 1\n' });
    symlinkSync(path.join(outside, 'x.yaml'), path.join(ws, 'app', 'link.yaml'));
    const p = pattern(outside);
    await expect(resolveManifestSources([p], ws, 'manifests', { roots: [] })).rejects.toThrow(
      InputError,
    );
    await expect(resolveManifestSources([p], ws, 'manifests', { roots: [] })).rejects.toThrow(
      new RegExp(`^Input 'manifests': ".*" ${why}`),
    );
    // An explicit opt-out lifts it.
    await expect(
      resolveManifestSources([p], ws, 'manifests', { roots: [], allowOutside: true }),
    ).resolves.not.toHaveLength(0);
  });

  it('names a dangling symlink', async () => {
    const ws = dir('ws-', { 'app/a.yaml': 'a: 1\n' });
    symlinkSync(path.join(ws, 'gone.yaml'), path.join(ws, 'app', 'dangling.yaml'));
    await expect(resolveManifestSources(['app'], ws, 'manifests')).rejects.toThrow(
      `Input 'manifests': "app/dangling.yaml" cannot be resolved (ENOENT`,
    );
  });

  it('by default (as rollout-and-verify calls it) allows RUNNER_TEMP besides the workspace', () => {
    expect(defaultConfinement({ RUNNER_TEMP: '/runner/temp' })).toEqual({
      roots: ['/runner/temp'],
    });
    expect(defaultConfinement({})).toEqual({ roots: [] });
  });
});

describe('confineOutputDir', () => {
  it('allows a new directory under the workspace or a root, and resolves it', async () => {
    const ws = dir('ws-');
    const temp = dir('rt-');
    await expect(confineOutputDir('out/deep', ws, 'output-dir', { roots: [] })).resolves.toBe(
      path.join(ws, 'out', 'deep'),
    );
    await expect(
      confineOutputDir(path.join(temp, 'x'), ws, 'output-dir', { roots: [temp] }),
    ).resolves.toBe(path.join(temp, 'x'));
  });

  it('rejects ../ and a symlinked parent that leads out', async () => {
    const ws = dir('ws-');
    const outside = dir('outside-');
    symlinkSync(outside, path.join(ws, 'link'));
    await expect(confineOutputDir('../x', ws, 'output-dir', { roots: [] })).rejects.toThrow(
      /^Input 'output-dir': ".*" is outside the workspace/,
    );
    await expect(confineOutputDir('link/new', ws, 'output-dir', { roots: [] })).rejects.toThrow(
      `Input 'output-dir': "link/new" resolves to ${path.join(outside, 'new')}, outside`,
    );
  });
});

// The one confinement for single path inputs (confinePath / readConfinedFile).
function policy(workspace: string, extra: Partial<PathPolicy> = {}): PathPolicy {
  return { workspace, roots: [], liftWith: 'allow-outside-workspace', ...extra };
}

describe('readConfinedFile', () => {
  it('reads a workspace file, relative or through a symlink that stays inside', () => {
    const ws = dir('ws-', { 'notes/a.md': 'hello' });
    symlinkSync(path.join(ws, 'notes', 'a.md'), path.join(ws, 'link.md'));
    expect(readConfinedFile('body-file', 'notes/a.md', policy(ws))).toMatchObject({
      text: 'hello',
      shown: 'notes/a.md',
    });
    expect(readConfinedFile('body-file', 'link.md', policy(ws)).text).toBe('hello');
  });

  it('refuses a symlink to /proc/self/environ, even with the confinement lifted', () => {
    const ws = dir('ws-');
    symlinkSync('/proc/self/environ', path.join(ws, 'notes.md'));
    for (const allowOutside of [false, true]) {
      expect(() => readConfinedFile('body-file', 'notes.md', policy(ws, { allowOutside }))).toThrow(
        /^Input 'body-file': "notes\.md" resolves to \/proc\/(self|\d+)\/environ, a kernel pseudo-file/,
      );
    }
  });

  it("refuses '../x', absolute paths and symlinks that lead out, naming the input and the opt-in", () => {
    const outside = dir('out-', { 'secret.txt': 'TOKEN' });
    const ws = dir('ws-');
    symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link.md'));
    const rel = path.relative(ws, path.join(outside, 'secret.txt'));
    const cases: [string, RegExp][] = [
      [rel, /is outside the workspace/],
      [path.join(outside, 'secret.txt'), /is outside the workspace/],
      ['link.md', /"link\.md" resolves to .*secret\.txt, outside the workspace/],
    ];
    for (const [value, message] of cases) {
      const run = (): unknown => readConfinedFile('metrics', value, policy(ws));
      expect(run).toThrow(InputError);
      expect(run).toThrow(message);
      expect(run).toThrow(/set 'allow-outside-workspace: true' to lift this/);
    }
    expect(readConfinedFile('metrics', rel, policy(ws, { allowOutside: true })).text).toBe('TOKEN');
  });

  it('allows the extra roots (RUNNER_TEMP) and defaults to RUNNER_TEMP from the environment', () => {
    const temp = dir('rt-', { 'm.json': '{}' });
    const ws = dir('ws-');
    expect(
      readConfinedFile('metrics', path.join(temp, 'm.json'), policy(ws, { roots: [temp] })).text,
    ).toBe('{}');
    const saved = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = temp;
    try {
      expect(readConfinedFile('metrics', path.join(temp, 'm.json'), { workspace: ws }).text).toBe(
        '{}',
      );
    } finally {
      if (saved === undefined) delete process.env.RUNNER_TEMP;
      else process.env.RUNNER_TEMP = saved;
    }
  });

  it('reads regular files only, and at most maxBytes', () => {
    const ws = dir('ws-', { 'd/x': '', 'big.md': 'x'.repeat(2049), 'ok.md': 'x'.repeat(2048) });
    expect(() => readConfinedFile('body-file', 'd', policy(ws))).toThrow(
      /^Input 'body-file': "d" is not a regular file\.$/,
    );
    expect(() => readConfinedFile('body-file', 'big.md', policy(ws), 2048)).toThrow(
      /^Input 'body-file': "big\.md" is larger than 2 KiB\.$/,
    );
    expect(readConfinedFile('body-file', 'ok.md', policy(ws), 2048).text).toHaveLength(2048);
    expect(() => readConfinedFile('body-file', 'missing.md', policy(ws))).toThrow(
      /^Input 'body-file': "missing\.md" not found/,
    );
  });
});

describe('confinePath', () => {
  it('checks the kind: a directory input must be a directory', () => {
    const ws = dir('ws-', { 'ctx/Dockerfile': 'FROM scratch\n' });
    expect(confinePath('context', 'ctx', policy(ws), 'directory').shown).toBe('ctx');
    expect(() => confinePath('context', 'ctx/Dockerfile', policy(ws), 'directory')).toThrow(
      /"ctx\/Dockerfile" is not a directory/,
    );
    expect(() => confinePath('context', '/', policy(ws), 'directory')).toThrow(
      /Input 'context': "\/" is outside the workspace/,
    );
  });

  it('refuses /dev and /sys even when lifted', () => {
    const ws = dir('ws-');
    expect(() =>
      confinePath('file', '/dev/stdin', policy(ws, { allowOutside: true }), 'file'),
    ).toThrow(/a kernel pseudo-file; it is never read/);
  });
});
