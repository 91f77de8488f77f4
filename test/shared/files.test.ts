import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import {
  confineOutputDir,
  defaultConfinement,
  resolveManifestSources,
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
