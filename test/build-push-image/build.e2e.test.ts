/**
 * build-push-image's bundle run as the runner runs it (main, then post) against real peers on
 * loopback: Debian's dockerd (vfs, private socket) with its own docker CLI and BuildKit, and
 * docker-registry (distribution 2.8) open, with htpasswd auth, and read-only. The ECR login
 * goes through the SDK to the ECR API fake, whose token the htpasswd registry accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AwsKeyStore } from '../harness/fakes/aws-sigv4.ts';
import { startAwsEcr, type EcrFake } from '../harness/fakes/aws-ecr.ts';
import { startDockerd, type Dockerd } from '../harness/dockerd.ts';
import { freePort } from '../harness/process.ts';
import { registryDigest, startRegistry, type Registry } from '../harness/registry.ts';
import { lastError, repoRoot, runAction, type ActionRunResult } from '../harness/runner.ts';

const USER = 'ci-pusher';
const PASSWORD = 'reg-pass-7f3a9c2e5b1d';
const ECR_PASSWORD = 'ecr-token-password-4b8e1f0a9d';
const SHA_TAG = 'sha-0123456';

let open: Registry;
let auth: Registry;
let readonly: Registry;
let ecrRegistry: Registry;
let dockerd: Dockerd;
let ecr: EcrFake;
let root: string;
const keys = new AwsKeyStore('111122223333');
const awsUser = keys.addUser('ci');

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'bpi-e2e-'));
  [open, auth, readonly, ecrRegistry, dockerd, ecr] = await Promise.all([
    startRegistry(),
    startRegistry({ htpasswd: { user: USER, password: PASSWORD } }),
    startRegistry({ readonly: true }),
    startRegistry({ htpasswd: { user: 'AWS', password: ECR_PASSWORD } }),
    startDockerd(),
    startAwsEcr({ keys, account: '111122223333', region: 'us-east-1', mint: () => ECR_PASSWORD }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([open, auth, readonly, ecrRegistry, dockerd, ecr].map((p) => p?.stop()));
  rmSync(root, { recursive: true, force: true });
}, 60_000);

let seq = 0;
/** A build context: FROM scratch and one file (its content makes each image distinct). */
function workspace(files: Record<string, string> = {}): string {
  const dir = path.join(root, `ws-${++seq}`);
  mkdirSync(dir, { recursive: true });
  const all = {
    Dockerfile: 'FROM scratch\nCOPY model.txt /model.txt\n',
    'model.txt': `model ${seq}\n`,
    ...files,
  };
  for (const [name, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function build(
  inputs: Record<string, string>,
  o: { workspace?: string; env?: Record<string, string>; deferPost?: boolean } = {},
): Promise<ActionRunResult> {
  return runAction('build-push-image', {
    inputs: { builder: 'docker', ...inputs },
    workspace: o.workspace ?? workspace(),
    env: { ...dockerd.env, ...o.env },
    timeoutMs: 120_000,
    ...(o.deferPost ? { deferPost: true } : {}),
  });
}

/** The log without the ::add-mask:: commands themselves: what could leak. */
function unmasked(r: ActionRunResult): string {
  return [r.log, r.post?.log ?? '']
    .join('\n')
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

describe('docker build (BuildKit) + docker push', () => {
  const name = (): string => `${open.host}/demo/app`;

  it('builds FROM scratch, pushes, and outputs the digest the registry serves', async () => {
    const r = await build({ image: name(), tags: 'type=sha\ntype=raw,value=latest' });
    expect(r.exitCode).toBe(0);
    const digest = await registryDigest(open, 'demo/app', SHA_TAG);
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await registryDigest(open, 'demo/app', 'latest')).toBe(digest);
    expect(r.outputs).toEqual({
      image: `${name()}:${SHA_TAG}`,
      tags: `${name()}:${SHA_TAG}\n${name()}:latest`,
      digest,
      'image-ref': `${name()}@${digest}`,
      skipped: 'false',
    });
    expect(r.log).toContain('$ docker build --progress=plain');
    expect(r.summary).toContain('built and pushed');
    expect(r.summary).toContain(digest);
    expect(r.summary).toMatch(/Build time \| \d/);
    expect(r.summary).toMatch(/Cache hits \| \d+ of \d+ steps/);
    expect(r.summary).toMatch(/Size \(compressed\) \| \d+ B/);
    expect(r.post?.exitCode).toBe(0);
  });

  it('skip-if-exists on a second run: no build, the same digest', async () => {
    const ws = workspace();
    const first = await build(
      { image: `${open.host}/demo/skip`, 'skip-if-exists': 'true' },
      { workspace: ws },
    );
    expect(first.exitCode).toBe(0);
    expect(first.outputs.skipped).toBe('false');
    const second = await build(
      { image: `${open.host}/demo/skip`, 'skip-if-exists': 'true' },
      { workspace: ws },
    );
    expect(second.exitCode).toBe(0);
    expect(second.outputs.skipped).toBe('true');
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(second.outputs.digest).toBe(await registryDigest(open, 'demo/skip', SHA_TAG));
    expect(second.log).not.toContain('$ docker build');
    expect(second.summary).toContain('already in the registry, build skipped');
  });

  it('cache: registry pushes the inline cache to :buildcache and a rebuild reuses it', async () => {
    const ws = workspace();
    const first = await build(
      { image: `${open.host}/demo/cached`, cache: 'registry' },
      { workspace: ws },
    );
    expect(first.exitCode).toBe(0);
    expect(first.log).toContain(`--cache-from=${open.host}/demo/cached:buildcache`);
    expect(await registryDigest(open, 'demo/cached', 'buildcache')).toBe(first.outputs.digest);
    const second = await build(
      { image: `${open.host}/demo/cached`, cache: 'registry' },
      { workspace: ws },
    );
    expect(second.exitCode).toBe(0);
    expect(second.summary).toMatch(/Cache hits \| [1-9]\d* of \d+ steps/);
  });

  it('basic auth: logs in with username/password into a temporary DOCKER_CONFIG that post removes', async () => {
    const r = await build(
      { image: `${auth.host}/demo/private`, username: USER, password: PASSWORD },
      { deferPost: true },
    );
    expect(r.exitCode).toBe(0);
    const dir = r.state['docker-config-dir']!;
    expect(path.dirname(dir)).toBe(r.runnerTemp);
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(config.auths[auth.host]!.auth, 'base64').toString()).toBe(
      `${USER}:${PASSWORD}`,
    );
    const post = await r.runPost!();
    expect(post.exitCode).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const creds = { user: USER, password: PASSWORD };
    expect(r.outputs.digest).toBe(await registryDigest(auth, 'demo/private', SHA_TAG, creds));
    expect(r.masks).toContain(PASSWORD);
    expect(unmasked(r)).not.toContain(PASSWORD);
    expect(unmasked(r)).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
  });

  it('wrong password: 401 before any build, a clear message, no secret in the log', async () => {
    const wrong = 'wrong-pass-91c3e7a2';
    const r = await build({ image: `${auth.host}/demo/private`, username: USER, password: wrong });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('HTTP 401');
    expect(lastError(r)).toContain(`refused the credentials of '${USER}'`);
    expect(r.log).not.toContain('$ docker build');
    expect(unmasked(r)).not.toContain(wrong);
    expect(r.summary).toContain('failed during login');
    expect(r.post?.exitCode).toBe(0);
  });

  it('ECR: GetAuthorizationToken through the SDK (AWS_ENDPOINT_URL_ECR), AWS:<token> in the docker config', async () => {
    const r = await build(
      { image: `${ecrRegistry.host}/demo/ecr`, 'registry-type': 'ecr' },
      {
        env: {
          AWS_ACCESS_KEY_ID: awsUser.accessKeyId,
          AWS_SECRET_ACCESS_KEY: awsUser.secretAccessKey,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        deferPost: true,
      },
    );
    expect(r.exitCode).toBe(0);
    expect(ecr.issued).toContain(ECR_PASSWORD);
    const dir = r.state['docker-config-dir']!;
    const config = readFileSync(path.join(dir, 'config.json'), 'utf8');
    expect(config).toContain(Buffer.from(`AWS:${ECR_PASSWORD}`).toString('base64'));
    await r.runPost!();
    expect(existsSync(dir)).toBe(false);
    expect(r.outputs.digest).toBe(
      await registryDigest(ecrRegistry, 'demo/ecr', SHA_TAG, {
        user: 'AWS',
        password: ECR_PASSWORD,
      }),
    );
    expect(r.log).toContain('via ECR GetAuthorizationToken');
    expect(unmasked(r)).not.toContain(ECR_PASSWORD);
    expect(unmasked(r)).not.toContain(awsUser.secretAccessKey);
  });

  it("build failure: the builder's error lines reach the log and the summary", async () => {
    const ws = workspace({ Dockerfile: 'FROM scratch\nCOPY missing-weights.bin /weights.bin\n' });
    const r = await build({ image: `${open.host}/demo/broken` }, { workspace: ws });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('the build failed (docker exited with 1)');
    expect(lastError(r)).toContain('missing-weights.bin');
    expect(r.summary).toContain('failed during build');
    expect(r.summary).toContain('missing-weights.bin');
    expect(r.outputs.digest).toBe('');
  });

  it('push denied (a read-only registry): the push error, no digest', async () => {
    const r = await build({ image: `${readonly.host}/demo/app` });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(`push of ${readonly.host}/demo/app:${SHA_TAG} failed`);
    expect(r.summary).toContain('failed during push');
    expect(r.outputs.digest).toBe('');
    expect(await registryDigest(readonly, 'demo/app', SHA_TAG)).toBeUndefined();
  });

  it('registry unreachable: fails naming the registry, before building', async () => {
    const host = `127.0.0.1:${await freePort()}`;
    const r = await build({ image: `${host}/demo/app`, 'skip-if-exists': 'true' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(`http://${host}/v2/demo/app/manifests/${SHA_TAG}`);
    expect(lastError(r)).toContain('ECONNREFUSED');
    expect(r.log).not.toContain('$ docker build');
  }, 90_000);

  it('a Dockerfile that is not there: one line naming the input, nothing run', async () => {
    const r = await build({ image: `${open.host}/demo/app`, file: 'docker/Dockerfile.gpu' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toBe(
      `build-push-image: Input 'file': "docker/Dockerfile.gpu" not found (relative to ${r.workspace}).`,
    );
    expect(r.log).not.toContain('$ docker');
  });
});

describe('scan: trivy (a trivy on PATH that writes the real report shape)', () => {
  it('scan-fail-on fails after the push, with the findings table in the summary', async () => {
    const bin = path.join(root, 'trivy-bin');
    mkdirSync(bin, { recursive: true });
    const report = path.join(repoRoot, 'test', 'fixtures', 'build-push-image', 'trivy-report.json');
    const argv = path.join(root, 'trivy-argv');
    writeFileSync(
      path.join(bin, 'trivy'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${argv}'\nfor a in "$@"; do case "$a" in --output=*) cp '${report}' "\${a#--output=}";; esac; done\n`,
    );
    chmodSync(path.join(bin, 'trivy'), 0o755);
    const r = await build(
      { image: `${open.host}/demo/scanned`, scan: 'trivy', 'scan-fail-on': 'CRITICAL' },
      { env: { PATH: `${bin}:${dockerd.env.PATH}` } },
    );
    expect(r.exitCode).toBe(1);
    const digest = await registryDigest(open, 'demo/scanned', SHA_TAG);
    expect(r.outputs.digest).toBe(digest);
    expect(lastError(r)).toContain('Trivy found 1 CRITICAL');
    expect(readFileSync(argv, 'utf8').trim().split('\n').at(-1)).toBe(
      `${open.host}/demo/scanned@${digest}`,
    );
    expect(r.summary).toContain('| CRITICAL | CVE-2024-0002 | zlib1g |');
    expect(r.summary).toContain('| HIGH | CVE-2024-0001 | openssl |');
  });
});

describe('builder: auto', () => {
  it('picks buildx when `docker buildx version` works (a fake docker that records its argv)', async () => {
    const bin = path.join(root, 'buildx-bin');
    mkdirSync(bin, { recursive: true });
    const argv = path.join(root, 'buildx-argv');
    const digest = `sha256:${'b'.repeat(64)}`;
    writeFileSync(
      path.join(bin, 'docker'),
      [
        '#!/bin/sh',
        `if [ "$1 $2" = "buildx version" ]; then echo "github.com/docker/buildx v0.17.1"; exit 0; fi`,
        `printf '%s\\n' "$@" > '${argv}'`,
        'for a in "$@"; do case "$a" in',
        `  --metadata-file=*) printf '{"containerimage.digest":"${digest}","image.name":"x","buildx.build.ref":"builder/builder0/abc"}' > "\${a#--metadata-file=}";;`,
        'esac; done',
        'echo "#1 [internal] load build definition from Dockerfile"',
        'echo "#1 DONE 0.0s"',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'docker'), 0o755);
    const r = await build(
      {
        builder: 'auto',
        image: 'ghcr.io/octo-org/model',
        push: 'false',
        'build-args': 'BASE=--privileged',
        labels: 'team=ml',
      },
      { env: { PATH: `${bin}:/usr/bin:/bin` } },
    );
    expect(r.exitCode).toBe(0);
    const args = readFileSync(argv, 'utf8').trim().split('\n');
    expect(args.slice(0, 3)).toEqual(['buildx', 'build', '--progress=plain']);
    expect(args).toContain('--build-arg=BASE=--privileged');
    expect(args).toContain('--label=team=ml');
    expect(args).toContain(
      '--label=org.opencontainers.image.source=https://github.com/octo-org/model-service',
    );
    expect(args).toContain('--tag=ghcr.io/octo-org/model:sha-0123456');
    expect(args).toContain('--load');
    // The context as its real path: what the builder reads is what was confined.
    expect(args.at(-1)).toBe(realpathSync(r.workspace));
    expect(r.outputs.digest).toBe(digest);
    expect(r.outputs['image-ref']).toBe(`ghcr.io/octo-org/model@${digest}`);
    expect(r.summary).toContain('built (not pushed)');
  });
});

/**
 * A docker CLI ≥ 23 without the buildx plugin (self-hosted runners with docker-ce-cli alone):
 * the machine's own newer CLI when it is one, else the Debian CLI behind a wrapper that
 * answers as Docker 28 does (version, no buildx, BuildKit refused, no --progress in legacy).
 */
function newerDockerWithoutBuildx(): { bin: string; what: string } {
  const bin = path.join(root, 'newer-docker-bin');
  mkdirSync(bin, { recursive: true });
  const candidate = '/usr/local/bin/docker';
  const version = spawnSync(candidate, ['version', '--format', '{{.Client.Version}}'], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_HOST: dockerd.env.DOCKER_HOST },
  });
  const major = Number(/^(\d+)\./.exec(version.stdout ?? '')?.[1] ?? 0);
  const buildx = spawnSync(candidate, ['buildx', 'version'], { encoding: 'utf8' });
  if (major >= 23 && buildx.status !== 0) {
    symlinkSync(candidate, path.join(bin, 'docker'));
    return { bin, what: `${candidate} ${version.stdout.trim()}` };
  }
  writeFileSync(
    path.join(bin, 'docker'),
    [
      '#!/bin/sh',
      `if [ "$1" = buildx ]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi`,
      `if [ "$1 $3" = "version {{.Client.Version}}" ]; then echo 28.2.2; exit 0; fi`,
      'if [ "$1" = build ]; then',
      '  if [ "${DOCKER_BUILDKIT:-1}" != 0 ]; then',
      '    echo "ERROR: BuildKit is enabled but the buildx component is missing or broken." >&2; exit 1',
      '  fi',
      '  for a in "$@"; do case "$a" in --progress*) echo "unknown flag: --progress" >&2; exit 125;; esac; done',
      'fi',
      'exec /usr/bin/docker "$@"',
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'docker'), 0o755);
  return { bin, what: 'a wrapper answering as Docker 28 over the Debian CLI' };
}

describe('docker CLI ≥ 23 without buildx', () => {
  it("builds with the legacy builder (warned), pushes, digest = the registry's", async () => {
    const cli = newerDockerWithoutBuildx();
    const image = `${open.host}/legacy/app`;
    const r = await build(
      { image, builder: 'docker' },
      { env: { PATH: `${cli.bin}:/usr/bin:/bin` } },
    );
    expect([cli.what, lastError(r)]).toEqual([cli.what, '']);
    expect(r.exitCode).toBe(0);
    const warnings = r.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings.join('\n')).toContain('legacy builder');
    expect(r.log).not.toContain('--progress=plain');
    const served = await registryDigest(open, 'legacy/app', SHA_TAG);
    expect(r.outputs.digest).toBe(served);
    expect(r.outputs['image-ref']).toBe(`${image}@${served}`);
  });
});
