/**
 * The phases with every dependency faked: a CommandRunner that plays docker/buildx/trivy and
 * throws on anything unexpected, a manual clock, a fake registry, fake logins.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancelledError } from '../../shared/errors.ts';
import type { CommandResult, CommandRunner, RunOptions } from '../../shared/exec.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { json, startFake, type FakeServer } from '../harness/fakes/http-fake.ts';
import { getInputs, type BuildInputs } from '../../actions/build-push-image/inputs.ts';
import type { Login, LoginProvider } from '../../actions/build-push-image/login.ts';
import {
  cacheHits,
  chooseBuilder,
  dockerHasBuildKit,
  errorLines,
  pushedDigest,
} from '../../actions/build-push-image/builder.ts';
import { buildPushImage, newReport, type Deps } from '../../actions/build-push-image/run.ts';
import { stoppedIn } from '../../actions/build-push-image/report.ts';
import { buildSummary } from '../../actions/build-push-image/summary.ts';
import { repoRoot } from '../harness/runner.ts';
import { fakeDeps, type FakeDeps } from './helpers.ts';
import { ManualClock } from '../harness/doubles.ts';

const TRIVY_REPORT: unknown = JSON.parse(
  readFileSync(
    path.join(repoRoot, 'test', 'fixtures', 'build-push-image', 'trivy-report.json'),
    'utf8',
  ),
);

const DIGEST = `sha256:${'d'.repeat(64)}`;
let registry: FakeServer;
let host: string;
let served: string | undefined = DIGEST;
const dirs: string[] = [];
beforeAll(async () => {
  registry = await startFake('registry', (req) => {
    if (req.path === '/v2/') return json(200, {});
    if (!/^\/v2\/demo\/app\/manifests\//.test(req.path)) return json(404, {});
    if (!served) return json(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] });
    return {
      status: 200,
      headers: {
        'docker-content-digest': served,
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
      },
      body:
        req.method === 'HEAD'
          ? ''
          : JSON.stringify({ config: { size: 10 }, layers: [{ size: 90 }] }),
    };
  });
  host = registry.url.replace('http://', '');
});
afterAll(async () => {
  await registry.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Handler = (command: string, args: readonly string[], o: RunOptions) => CommandResult;

/** Plays the given programs; anything else is a test failure. */
class FakeRunner implements CommandRunner {
  readonly calls: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv }[] = [];
  private readonly handler: Handler;
  constructor(handler: Handler) {
    this.handler = handler;
  }
  async run(command: string, args: readonly string[], o: RunOptions = {}): Promise<CommandResult> {
    this.calls.push({ command, args, env: o.env ?? {} });
    return this.handler(command, args, o);
  }
}
const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
const fail = (stderr: string): CommandResult => ({ exitCode: 1, stdout: '', stderr });
const unexpected = (command: string, args: readonly string[]): never => {
  throw new Error(`unexpected command: ${command} ${args.join(' ')}`);
};

const image = (): string => `${host}/demo/app`;

function inputs(values: Record<string, string>): BuildInputs {
  return getInputs(new Inputs(mapInputs({ image: image(), ...values })));
}

function deps(runner: CommandRunner, over: Partial<Deps> = {}): FakeDeps {
  return fakeDeps(
    runner,
    dirs,
    {
      startIso: '2026-11-29T00:00:00Z',
      env: {
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
        GITHUB_REPOSITORY: 'octo-org/app',
      },
    },
    over,
  );
}

describe('chooseBuilder (auto)', () => {
  it.each<[string, string[], string]>([
    ['buildx when docker buildx version works', ['docker buildx version'], 'buildx'],
    [
      'docker when only the daemon answers',
      ['docker version --format {{.Server.Version}}'],
      'docker',
    ],
    ['buildah when there is no docker', ['buildah --version'], 'buildah'],
  ])('%s', async (_n, working, expected) => {
    const runner = new FakeRunner((c, a) =>
      working.includes([c, ...a].join(' ')) ? ok() : fail('not here'),
    );
    expect(await chooseBuilder('auto', runner, {})).toBe(expected);
  });

  // Docker ≥ 23 moved BuildKit into the buildx plugin: without it `docker build` has only the
  // legacy builder, so buildah (a BuildKit-class builder) goes first, the legacy builder last.
  it.each<[string, Record<string, string>, string]>([
    [
      'Docker 28 CLI without buildx, buildah present: buildah',
      {
        'docker version --format {{.Server.Version}}': '28.2.2',
        'docker version --format {{.Client.Version}}': '28.2.2\n',
        'buildah --version': 'buildah version 1.28.2',
      },
      'buildah',
    ],
    [
      'Docker 28 CLI without buildx, no buildah: docker (legacy builder)',
      {
        'docker version --format {{.Server.Version}}': '28.2.2',
        'docker version --format {{.Client.Version}}': '28.2.2',
      },
      'docker',
    ],
    [
      'Docker 20.10 CLI (BuildKit built in): docker before buildah',
      {
        'docker version --format {{.Server.Version}}': '20.10.24',
        'docker version --format {{.Client.Version}}': '20.10.24+dfsg1',
        'buildah --version': 'buildah version 1.28.2',
      },
      'docker',
    ],
  ])('%s', async (_n, answers, expected) => {
    const runner = new FakeRunner((c, a) => {
      const answer = answers[[c, ...a].join(' ')];
      return answer === undefined ? fail('not here') : ok(answer);
    });
    expect(await chooseBuilder('auto', runner, {})).toBe(expected);
  });

  it.each<[string, Record<string, string>, boolean]>([
    [
      'buildx plugin present',
      { 'docker buildx version': 'github.com/docker/buildx v0.17.1' },
      true,
    ],
    [
      'CLI 20.10 (built in)',
      { 'docker version --format {{.Client.Version}}': '20.10.24+dfsg1' },
      true,
    ],
    ['CLI 23.0 without buildx', { 'docker version --format {{.Client.Version}}': '23.0.0' }, false],
    ['CLI 28.2 without buildx', { 'docker version --format {{.Client.Version}}': '28.2.2' }, false],
    ['version unreadable: assumed', {}, true],
  ])('dockerHasBuildKit: %s', async (_n, answers, expected) => {
    const runner = new FakeRunner((c, a) => {
      const answer = answers[[c, ...a].join(' ')];
      return answer === undefined ? fail('not here') : ok(answer);
    });
    expect(await dockerHasBuildKit(runner, {})).toBe(expected);
  });

  it('none: a message naming what is missing', async () => {
    await expect(chooseBuilder('auto', new FakeRunner(() => fail('no')), {})).rejects.toThrow(
      'neither `docker buildx`, a docker daemon, nor `buildah`',
    );
  });

  it('a forced builder is not probed', async () => {
    const runner = new FakeRunner(unexpected);
    expect(await chooseBuilder('buildah', runner, {})).toBe('buildah');
    expect(runner.calls).toEqual([]);
  });
});

describe('buildPushImage', () => {
  it('buildx: digest from the metadata file, confirmed against the registry', async () => {
    served = DIGEST;
    const runner = new FakeRunner((c, a) => {
      if (a[0] === 'buildx' && a[1] === 'version') return ok('github.com/docker/buildx v0.17.0');
      if (a[0] === 'buildx' && a[1] === 'build') {
        const meta = a
          .find((x) => x.startsWith('--metadata-file='))!
          .slice('--metadata-file='.length);
        writeFileSync(
          meta,
          JSON.stringify({
            'containerimage.digest': DIGEST,
            'image.name': `${host}/demo/app:sha-0123456`,
          }),
        );
        return ok('#4 [1/2] FROM x\n#4 CACHED\n#5 [2/2] COPY . .\n#5 DONE 0.1s\n');
      }
      return unexpected(c, a);
    });
    const d = deps(runner);
    const report = newReport(image());
    await buildPushImage(inputs({ cache: 'gha' }), d, report);
    expect(report).toMatchObject({
      builder: 'buildx',
      digest: DIGEST,
      imageRef: `${host}/demo/app@${DIGEST}`,
      pushed: true,
      skipped: false,
      size: 100,
      cacheHits: { cached: 1, steps: 2 },
    });
    const build = runner.calls.at(-1)!.args;
    expect(build).toContain('--cache-from=type=gha');
    expect(build).toContain('--output=type=image,push=true,registry.insecure=true');
  });

  it.each<[string, string, boolean]>([
    ['the docker driver (default builder): no cache flags, a warning', 'docker', false],
    ['the docker-container driver: the gha cache', 'docker-container', true],
  ])('buildx with %s', async (_n, driver, cached) => {
    served = DIGEST;
    const runner = new FakeRunner((c, a) => {
      if (a[0] === 'buildx' && a[1] === 'version') return ok('github.com/docker/buildx v0.17.0');
      if (a[0] === 'buildx' && a[1] === 'inspect') {
        return ok(
          `Name:          default\nDriver:        ${driver}\n\nNodes:\nName:      default\n`,
        );
      }
      if (a[0] === 'buildx' && a[1] === 'build') return ok('#1 DONE 0.0s\n');
      return unexpected(c, a);
    });
    const d = deps(runner);
    await buildPushImage(inputs({ builder: 'buildx', cache: 'gha' }), d, newReport(image()));
    const build = runner.calls.at(-1)!.args;
    expect(build.some((x) => x.startsWith('--cache-'))).toBe(cached);
    const warned = d.logger.records.some(
      (r) => r.level === 'warning' && r.message.includes('docker-container driver'),
    );
    expect(warned).toBe(!cached);
  });

  it('a builder digest the registry does not serve fails the step', async () => {
    served = `sha256:${'e'.repeat(64)}`;
    const runner = new FakeRunner((c, a) =>
      a[0] === 'build'
        ? ok()
        : a[0] === 'push'
          ? ok(`t: digest: ${DIGEST} size: 1`)
          : unexpected(c, a),
    );
    const d = deps(runner);
    await expect(
      buildPushImage(inputs({ builder: 'docker' }), d, newReport(image())),
    ).rejects.toThrow('the builder reported');
    served = DIGEST;
  });

  it('a token that expired during a long build is renewed right before the push', async () => {
    served = DIGEST;
    let n = 0;
    const clockRef: { clock?: ManualClock } = {};
    const provider: LoginProvider = async (): Promise<Login> => ({
      username: 'oauth2accesstoken',
      password: `token-${++n}`,
      expiresAt: clockRef.clock!.now() + 3_600_000,
      via: 'fake Google token',
    });
    const pushConfigs: string[] = [];
    const runner = new FakeRunner((c, a, o) => {
      if (a[0] === 'build') {
        clockRef.clock!.advance(90 * 60_000); // a 90-minute CUDA build
        return ok();
      }
      if (a[0] === 'push') {
        pushConfigs.push(readFileSync(path.join(o.env!.DOCKER_CONFIG!, 'config.json'), 'utf8'));
        return ok(`sha-0123456: digest: ${DIGEST} size: 1`);
      }
      return unexpected(c, a);
    });
    const d = deps(runner, { loginProvider: provider });
    clockRef.clock = d.clock;
    const report = newReport(image());
    await buildPushImage(
      inputs({ builder: 'docker', 'registry-type': 'gar', timeout: '3h' }),
      d,
      report,
    );
    expect(n).toBe(2);
    // The credentials were checked (GET /v2/) before the build.
    expect(registry.requests.some((r) => r.path === '/v2/')).toBe(true);
    expect(report.relogins).toBe(1);
    expect(pushConfigs[0]).toContain(Buffer.from('oauth2accesstoken:token-2').toString('base64'));
    expect(d.logger.secrets).toEqual(
      new Set([
        'token-1',
        Buffer.from('oauth2accesstoken:token-1').toString('base64'),
        'token-2',
        Buffer.from('oauth2accesstoken:token-2').toString('base64'),
      ]),
    );
    expect(d.logger.text()).not.toContain('token-2');
  });

  it('buildx: a push refused with 401 after the token expired logs in again and pushes from the cache', async () => {
    served = DIGEST;
    let n = 0;
    const clockRef: { clock?: ManualClock } = {};
    const provider: LoginProvider = async (): Promise<Login> => ({
      username: 'AWS',
      password: `ecr-${++n}`,
      expiresAt: clockRef.clock!.now() + 3_600_000,
      via: 'fake ECR',
    });
    let builds = 0;
    const runner = new FakeRunner((c, a) => {
      if (a[0] === 'buildx' && a[1] === 'build') {
        builds++;
        if (builds === 1) {
          clockRef.clock!.advance(2 * 3_600_000);
          return fail('#9 ERROR: failed to push: 401 Unauthorized');
        }
        return ok('#9 [1/1] COPY . .\n#9 CACHED\n');
      }
      return unexpected(c, a);
    });
    const d = deps(runner, { loginProvider: provider });
    clockRef.clock = d.clock;
    const report = newReport(image());
    await buildPushImage(
      inputs({ builder: 'buildx', 'registry-type': 'ecr', timeout: '3h' }),
      d,
      report,
    );
    expect(builds).toBe(2);
    expect(n).toBe(2);
    expect(report.relogins).toBe(1);
    expect(report.digest).toBe(DIGEST);
  });

  it('skip-if-exists: the existing digest, no builder run', async () => {
    served = DIGEST;
    const runner = new FakeRunner(unexpected);
    const d = deps(runner);
    const report = newReport(image());
    await buildPushImage(inputs({ 'skip-if-exists': 'true' }), d, report);
    expect(report).toMatchObject({
      skipped: true,
      digest: DIGEST,
      imageRef: `${host}/demo/app@${DIGEST}`,
    });
    expect(runner.calls).toEqual([]);
  });

  it('build failure: the error lines in the error and the report', async () => {
    const runner = new FakeRunner((c, a) =>
      a[0] === 'build'
        ? fail(
            '#5 [2/2] RUN make\n#5 0.2 make: *** No rule to make target\n#5 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
          )
        : unexpected(c, a),
    );
    const d = deps(runner);
    const report = newReport(image());
    const error = await buildPushImage(inputs({ builder: 'docker' }), d, report).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toContain('the build failed (docker exited with 1)');
    expect((error as Error).message).toContain('did not complete successfully');
    expect(stoppedIn(report)).toBe('build');
    expect(report.phases.at(-1)).toMatchObject({ name: 'build', outcome: 'failed' });
    expect(buildSummary(report, (error as Error).message)).toContain(
      'did not complete successfully',
    );
  });

  it('scan-fail-on fails after the push, with the findings in the report', async () => {
    served = DIGEST;
    const runner = new FakeRunner((c, a) => {
      if (a[0] === 'build') return ok();
      if (a[0] === 'push') return ok(`sha-0123456: digest: ${DIGEST} size: 1`);
      if (c === '/fake/trivy') {
        expect(a.at(-1)).toBe(`${host}/demo/app@${DIGEST}`);
        const out = a.find((x) => x.startsWith('--output='))!.slice('--output='.length);
        writeFileSync(out, JSON.stringify(TRIVY_REPORT));
        return ok();
      }
      return unexpected(c, a);
    });
    const d = deps(runner);
    const report = newReport(image());
    const i = inputs({ builder: 'docker', scan: 'trivy', 'scan-fail-on': 'CRITICAL' });
    const error = await buildPushImage(i, d, report).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain('Trivy found 1 CRITICAL');
    expect((error as Error).message).toContain('the image was pushed');
    expect(report.pushed).toBe(true);
    expect(report.scanFailed).toEqual(['CRITICAL']);
    const summary = buildSummary(report, (error as Error).message);
    expect(summary).toContain('| CRITICAL | CVE-2024-0002 | zlib1g |');
    expect(summary).toContain('fails on CRITICAL');
  });

  it('cancelled: stops before the next phase', async () => {
    const controller = new AbortController();
    const runner = new FakeRunner((c, a) => {
      if (a[0] === 'build') {
        controller.abort('SIGTERM');
        return ok();
      }
      return unexpected(c, a);
    });
    const d = deps(runner, { signal: controller.signal });
    await expect(
      buildPushImage(inputs({ builder: 'docker' }), d, newReport(image())),
    ).rejects.toThrow(CancelledError);
    // The BuildKit probes (docker buildx version, docker version), the build, then nothing.
    expect(runner.calls.map((c) => c.args[0])).toEqual(['buildx', 'version', 'build']);
  });
});

describe('build files', () => {
  it.each([
    [{ file: 'nope/Dockerfile' }, `Input 'file': "nope/Dockerfile" not found`],
    [{ context: 'missing' }, `Input 'context': "missing" not found`],
    [{ context: '..' }, `Input 'context': ".." is outside the workspace`],
    [{ file: '/etc/hostname' }, `Input 'file': "/etc/hostname" is outside the workspace`],
    [{ file: '/proc/self/environ', 'allow-outside-workspace': 'true' }, 'kernel pseudo-file'],
  ])('%j: fails before anything runs', async (values, message) => {
    const runner = new FakeRunner(unexpected);
    const d = deps(runner);
    await expect(buildPushImage(inputs(values), d, newReport(image()))).rejects.toThrow(message);
    expect(runner.calls).toEqual([]);
  });
});

describe('platforms', () => {
  it.each(['docker', 'buildah'])(
    '%s: several platforms need buildx, before anything runs',
    async (builder) => {
      const runner = new FakeRunner(unexpected);
      const d = deps(runner);
      await expect(
        buildPushImage(
          inputs({ builder, platforms: 'linux/amd64,linux/arm64' }),
          d,
          newReport(image()),
        ),
      ).rejects.toThrow("Input 'platforms': 2 platforms need builder buildx");
      expect(runner.calls).toEqual([]);
    },
  );
});

describe('output parsing', () => {
  it('docker push digest and size', () => {
    expect(
      pushedDigest(`The push refers to repository [r/a]\nt: digest: ${DIGEST} size: 523\n`),
    ).toEqual({
      digest: DIGEST,
      size: 523,
    });
    expect(pushedDigest('nothing')).toBeUndefined();
  });

  it('cache hits from BuildKit and buildah output', () => {
    expect(cacheHits('#1 [internal] load\n#1 DONE\n#2 [1/2] FROM a\n#2 CACHED\n')).toEqual({
      cached: 1,
      steps: 2,
    });
    expect(cacheHits('STEP 1/2: FROM a\nSTEP 2/2: COPY . .\n--> Using cache abc\n')).toEqual({
      cached: 1,
      steps: 2,
    });
    expect(cacheHits('no progress')).toBeUndefined();
  });

  it('error lines: the errors when there are some, else the tail', () => {
    expect(errorLines('a\nb\nERROR: x\nc')).toEqual(['ERROR: x']);
    expect(errorLines(Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n'))).toHaveLength(20);
  });
});

describe('confinement lifted', () => {
  it('allow-outside-workspace: the builder gets the real paths of a context outside', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'bpi-outside-'));
    dirs.push(outside);
    writeFileSync(path.join(outside, 'Dockerfile'), 'FROM scratch\n');
    const runner = new FakeRunner((c, a) => (a[0] === 'build' ? ok() : unexpected(c, a)));
    const d = deps(runner);
    const i = inputs({
      builder: 'docker',
      push: 'false',
      context: outside,
      'allow-outside-workspace': 'true',
    });
    runner.calls.length = 0;
    await buildPushImage(i, d, newReport(image()));
    const build = runner.calls.find((c) => c.args[0] === 'build')!.args;
    expect(build.at(-1)).toBe(realpathSync(outside));
    expect(build).toContain(`--file=${realpathSync(path.join(outside, 'Dockerfile'))}`);
  });
});

describe('digests from builders', () => {
  const EVIL = 'sha256:../../evil latest';
  it('buildx: a metadata digest that is no digest fails the step, never reaches the report', async () => {
    const runner = new FakeRunner((c, a) => {
      if (a[0] === 'buildx' && a[1] === 'version') return ok('github.com/docker/buildx v0.17.0');
      if (a[0] === 'buildx' && a[1] === 'build') {
        const meta = a.find((x) => x.startsWith('--metadata-file='))!.slice(16);
        writeFileSync(meta, JSON.stringify({ 'containerimage.digest': EVIL }));
        return ok();
      }
      return unexpected(c, a);
    });
    const d = deps(runner);
    const report = newReport(image());
    await expect(buildPushImage(inputs({}), d, report)).rejects.toThrow(
      "buildx's containerimage.digest from the server is not a valid value",
    );
    expect(report.digest).toBeUndefined();
  });

  it('buildah: a digest file that is no digest fails the step, never reaches the report', async () => {
    const runner = new FakeRunner((c, a) => {
      if (c === 'buildah' && a[0] === 'containers') return ok('null');
      if (c === 'buildah' && a[0] === 'bud') return ok();
      if (c === 'buildah' && a[0] === 'push') {
        writeFileSync(a.find((x) => x.startsWith('--digestfile='))!.slice(13), EVIL);
        return ok();
      }
      return unexpected(c, a);
    });
    const d = deps(runner);
    const report = newReport(image());
    await expect(buildPushImage(inputs({ builder: 'buildah' }), d, report)).rejects.toThrow(
      "buildah's pushed digest from the server is not a valid value",
    );
    expect(report.digest).toBeUndefined();
  });
});

describe('a killed buildah build', () => {
  const id = (c: string): string => c.repeat(64);
  const listing = (...ids: [string, boolean][]): string =>
    JSON.stringify(ids.map(([i, builder]) => ({ id: i, builder, containername: `c-${i[0]}` })));

  it.each<[string, boolean, string[]]>([
    ['cancelled: removes the builder containers that appeared during the build', true, [id('b')]],
    ['failed on its own (buildah cleaned up): removes nothing', false, []],
  ])('%s', async (_n, cancelled, removed) => {
    const controller = new AbortController();
    let listed = 0;
    const runner = new FakeRunner((c, a) => {
      if (c === 'buildah' && a[0] === 'containers') {
        listed++;
        return ok(
          listed === 1
            ? listing([id('a'), true])
            : listing([id('a'), true], [id('b'), true], [id('c'), false]),
        );
      }
      if (c === 'buildah' && a[0] === 'bud') {
        if (!cancelled) return fail('Error: building at STEP "RUN make": exit status 2');
        controller.abort('SIGTERM');
        throw new Error('buildah stopped: SIGTERM'); // as processRunner rejects after a kill
      }
      if (c === 'buildah' && a[0] === 'rm') return ok();
      return unexpected(c, a);
    });
    const d = deps(runner, { signal: controller.signal });
    await expect(
      buildPushImage(inputs({ builder: 'buildah' }), d, newReport(image())),
    ).rejects.toThrow();
    const rm = runner.calls.filter((c) => c.args[0] === 'rm').flatMap((c) => c.args.slice(1));
    expect(rm).toEqual(removed);
    expect(d.logger.text().includes('Removed what the stopped build left: c-b')).toBe(cancelled);
  });
});
