/**
 * build-push-image's bundle with buildah (no Docker daemon, as on Kubernetes runners): vfs
 * storage and chroot isolation under a temp dir, pushing to docker-registry on loopback over
 * plain HTTP, with and without htpasswd auth (buildah reads the temporary auth file).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BUILDAH, buildahEnv } from '../harness/buildah.ts';
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

describe('paths and the logged command line', () => {
  it('allow-outside-workspace: true builds a context in a temp dir outside the workspace; without it, an error naming the input', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'bpi-outside-ctx-'));
    try {
      writeFileSync(path.join(outside, 'Dockerfile'), 'FROM scratch\nCOPY model.txt /m.txt\n');
      writeFileSync(path.join(outside, 'model.txt'), 'outside\n');
      const inputs = { image: `${open.host}/demo/outside`, context: outside, push: 'false' };
      const refused = await build(inputs);
      expect(refused.exitCode).toBe(1);
      expect(refused.log).not.toContain('$ buildah');
      const allowed = await build({ ...inputs, 'allow-outside-workspace': 'true' });
      expect(allowed.exitCode).toBe(0);
      expect(allowed.log).toContain(`--file=${path.join(outside, 'Dockerfile')}`);
      expect(allowed.log).toMatch(new RegExp(`^\\$ buildah bud .* ${outside}$`, 'm'));
      expect(allowed.summary).toContain('built (not pushed)');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('the logged command line quotes each argument: one build argument with a space stays one', async () => {
    const r = await build({
      image: `${open.host}/demo/quoted`,
      push: 'false',
      'build-args': 'A=--network=host --privileged',
    });
    expect(r.exitCode).toBe(0);
    const line = r.log.split('\n').find((l) => l.startsWith('$ buildah bud'));
    expect(line).toContain(" '--build-arg=A=--network=host --privileged' ");
    expect(line).not.toMatch(/ --privileged /);
  });
});

/**
 * A base image with a program that blocks: FROM scratch plus /usr/bin/sleep and the shared
 * libraries it needs (from ldd), then `RUN ["/bin/sleep", "300"]` in exec form (no shell).
 */
function blockingWorkspace(): string {
  const dir = workspace();
  const libs = spawnSync('ldd', ['/usr/bin/sleep'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
  const lines = ['FROM scratch', 'COPY sleep /bin/sleep'];
  for (const [i, lib] of libs.entries()) {
    copyFileSync(lib, path.join(dir, `lib${i}`));
    lines.push(`COPY lib${i} ${lib}`);
  }
  copyFileSync('/usr/bin/sleep', path.join(dir, 'sleep'));
  lines.push('RUN ["/bin/sleep", "300"]');
  writeFileSync(path.join(dir, 'Dockerfile'), `${lines.join('\n')}\n`);
  return dir;
}

function buildahContainers(): { id: string; containername: string }[] {
  const r = spawnSync(BUILDAH, ['containers', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) ?? []) as { id: string; containername: string }[];
}

describe('cancel', () => {
  it('SIGTERM while buildah runs a step: the build stops and its working container is removed', async () => {
    expect(buildahContainers()).toEqual([]);
    const r = await runAction('build-push-image', {
      inputs: { builder: 'buildah', image: `${open.host}/demo/cancelled`, push: 'false' },
      workspace: blockingWorkspace(),
      env,
      timeoutMs: 120_000,
      onStart: (child) => {
        let seen = '';
        const onData = (b: Buffer): void => {
          seen += b.toString('utf8');
          // buildah prints the step before it runs it; the working container exists by then.
          if (seen.includes('RUN ["/bin/sleep", "300"]')) {
            child.stdout?.off('data', onData);
            child.kill('SIGTERM');
          }
        };
        child.stdout?.on('data', onData);
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('received SIGTERM');
    expect(r.log).toMatch(
      /Removed what the stopped build left: working-container \([a-f0-9]{12}\)/,
    );
    expect(buildahContainers()).toEqual([]);
    expect(r.durationMs).toBeLessThan(60_000);
  }, 130_000);
});
