/**
 * build-push-image's bundle with buildah (no Docker daemon, as on Kubernetes runners): vfs
 * storage and chroot isolation under a temp dir, pushing to docker-registry on loopback over
 * plain HTTP, with and without htpasswd auth (buildah reads the temporary auth file).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildahEnv } from '../harness/buildah.ts';
import { registryDigest, startRegistry, type Registry } from '../harness/registry.ts';
import { runAction, type ActionRunResult } from '../harness/runner.ts';

const USER = 'kube-runner';
const PASSWORD = 'buildah-pass-2d9f4a7c';
const SHA_TAG = 'sha-0123456';

let open: Registry;
let auth: Registry;
let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'bpi-buildah-'));
  env = buildahEnv(path.join(root, 'storage'));
  [open, auth] = await Promise.all([
    startRegistry(),
    startRegistry({ htpasswd: { user: USER, password: PASSWORD } }),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([open?.stop(), auth?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

let seq = 0;
function workspace(): string {
  const dir = path.join(root, `ws-${++seq}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY model.txt /model.txt\n');
  writeFileSync(path.join(dir, 'model.txt'), `buildah model ${seq}\n`);
  return dir;
}

function build(
  inputs: Record<string, string>,
  o: { workspace?: string; deferPost?: boolean } = {},
): Promise<ActionRunResult> {
  return runAction('build-push-image', {
    inputs: { builder: 'buildah', ...inputs },
    workspace: o.workspace ?? workspace(),
    env,
    timeoutMs: 120_000,
    ...(o.deferPost ? { deferPost: true } : {}),
  });
}

describe('buildah bud + buildah push', () => {
  it('builds FROM scratch, pushes over plain HTTP to loopback, digest = Docker-Content-Digest', async () => {
    const r = await build({
      image: `${open.host}/demo/app`,
      tags: 'type=sha\ntype=ref,event=branch',
    });
    expect(r.exitCode).toBe(0);
    const digest = await registryDigest(open, 'demo/app', SHA_TAG);
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await registryDigest(open, 'demo/app', 'main')).toBe(digest);
    expect(r.outputs.digest).toBe(digest);
    expect(r.outputs['image-ref']).toBe(`${open.host}/demo/app@${digest}`);
    expect(r.outputs.tags).toBe(`${open.host}/demo/app:${SHA_TAG}\n${open.host}/demo/app:main`);
    expect(r.log).toContain('$ buildah bud');
    expect(r.log).toContain('--tls-verify=false');
    expect(r.summary).toContain('| Builder | buildah |');
    expect(r.summary).toMatch(/Cache hits \| \d+ of \d+ steps/);
  });

  it('skip-if-exists on a second run: no build, same digest', async () => {
    const ws = workspace();
    const inputs = { image: `${open.host}/demo/again`, 'skip-if-exists': 'true' };
    const first = await build(inputs, { workspace: ws });
    expect(first.exitCode).toBe(0);
    const second = await build(inputs, { workspace: ws });
    expect(second.exitCode).toBe(0);
    expect(second.outputs.skipped).toBe('true');
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(second.log).not.toContain('$ buildah');
  });

  it('htpasswd registry: buildah pushes with the temporary auth file; post removes it', async () => {
    const r = await build(
      { image: `${auth.host}/demo/private`, username: USER, password: PASSWORD },
      { deferPost: true },
    );
    expect(r.exitCode).toBe(0);
    const dir = r.state['docker-config-dir']!;
    expect(r.log).toContain(`--authfile=${path.join(dir, 'config.json')}`);
    expect(existsSync(path.join(dir, 'config.json'))).toBe(true);
    await r.runPost!();
    expect(existsSync(dir)).toBe(false);
    expect(r.outputs.digest).toBe(
      await registryDigest(auth, 'demo/private', SHA_TAG, { user: USER, password: PASSWORD }),
    );
    const log = r.log
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(log).not.toContain(PASSWORD);
  });
});
