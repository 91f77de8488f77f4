/**
 * build-push-image's orchestration with fake dependencies (no runner, no network beyond a
 * loopback registry fake): which phases run or are skipped, the post state derived from the
 * report as soon as credentials exist, one deadline for every builder command, the outputs
 * and summary from the report, and the post step's phase.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancelledError, InputError } from '../../shared/errors.ts';
import type { CommandResult, CommandRunner, RunOptions } from '../../shared/exec.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { json, startFake, type FakeServer } from '../harness/fakes/http-fake.ts';
import {
  configDirState,
  phases as postPhases,
  removeCredentials,
  type CleanupContext,
  type CleanupReport,
} from '../../actions/build-push-image/cleanup.ts';
import type { Deps } from '../../actions/build-push-image/context.ts';
import { getInputs, type BuildInputs } from '../../actions/build-push-image/inputs.ts';
import type { Login, LoginProvider } from '../../actions/build-push-image/login.ts';
import {
  newReport,
  PHASE_NAMES,
  reportOutputs,
  stoppedIn,
  type BuildReport,
} from '../../actions/build-push-image/report.ts';
import { buildPushImage, PHASES } from '../../actions/build-push-image/run.ts';
import { summary } from '../../actions/build-push-image/wiring.ts';
import { runPhases } from '../../shared/phases.ts';
import { fakeDeps, type FakeDeps } from './helpers.ts';
import { ManualClock, MemoryState, RecordingLogger } from '../harness/doubles.ts';

const DIGEST = `sha256:${'d'.repeat(64)}`;
let registry: FakeServer;
let host: string;
const dirs: string[] = [];
beforeAll(async () => {
  registry = await startFake('registry', (req) => {
    if (req.path === '/v2/') return json(200, {});
    if (!req.path.startsWith('/v2/demo/app/manifests/')) return json(404, {});
    return {
      status: 200,
      headers: {
        'docker-content-digest': DIGEST,
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
      },
      body: req.method === 'HEAD' ? '' : JSON.stringify({ config: { size: 1 }, layers: [] }),
    };
  });
  host = registry.url.replace('http://', '');
});
afterAll(async () => {
  await registry.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Call {
  command: string;
  args: readonly string[];
  timeoutMs?: number;
}
/** docker build and push, answering as Docker does; `onBuild` runs during the build. */
function dockerRunner(calls: Call[], o: { onBuild?: () => void; buildFails?: boolean } = {}) {
  return {
    async run(command: string, args: readonly string[], opts: RunOptions = {}) {
      calls.push({ command, args, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
      const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
      if (args[0] === 'build') {
        o.onBuild?.();
        return o.buildFails ? { exitCode: 1, stdout: '', stderr: 'ERROR: boom' } : ok();
      }
      if (args[0] === 'push') return ok(`t: digest: ${DIGEST} size: 1`);
      throw new Error(`unexpected command: ${command} ${args.join(' ')}`);
    },
  } satisfies CommandRunner;
}

function inputs(values: Record<string, string> = {}): BuildInputs {
  return getInputs(
    new Inputs(mapInputs({ image: `${host}/demo/app`, builder: 'docker', ...values })),
  );
}

function deps(runner: CommandRunner, over: Partial<Deps> = {}): FakeDeps {
  return fakeDeps(
    runner,
    dirs,
    { startIso: '2026-12-01T00:00:00Z', env: { GITHUB_SHA: 'f'.repeat(40) } },
    over,
  );
}

const outcomes = (r: BuildReport): string[] => r.phases.map((p) => `${p.name}:${p.outcome}`);

describe('the phases', () => {
  it('are the names the report knows, in order', () => {
    expect(PHASES.map((p) => p.name)).toEqual([...PHASE_NAMES]);
  });

  it('docker with push: every phase but check-existing and scan runs', async () => {
    const calls: Call[] = [];
    const report = newReport(`${host}/demo/app`);
    await buildPushImage(inputs(), deps(dockerRunner(calls)), report);
    expect(outcomes(report)).toEqual([
      'resolve:done',
      'login:done',
      'check-existing:skipped',
      'build:done',
      'push:done',
      'confirm:done',
      'scan:skipped',
      'report:done',
    ]);
    expect(report.imageRef).toBe(`${host}/demo/app@${DIGEST}`);
  });

  it('skip-if-exists with the tag there: build, push, confirm and scan are skipped', async () => {
    const calls: Call[] = [];
    const report = newReport(`${host}/demo/app`);
    await buildPushImage(
      inputs({ 'skip-if-exists': 'true', scan: 'trivy' }),
      deps(dockerRunner(calls)),
      report,
    );
    expect(outcomes(report)).toEqual([
      'resolve:done',
      'login:done',
      'check-existing:done',
      'build:skipped',
      'push:skipped',
      'confirm:skipped',
      'scan:skipped',
      'report:done',
    ]);
    expect(calls).toEqual([]);
    expect(report).toMatchObject({ skipped: true, digest: DIGEST, size: 1 });
  });

  it('push: false: built, neither pushed nor confirmed', async () => {
    const calls: Call[] = [];
    const report = newReport(`${host}/demo/app`);
    await buildPushImage(inputs({ push: 'false' }), deps(dockerRunner(calls)), report);
    expect(outcomes(report).filter((o) => o.endsWith(':skipped'))).toEqual([
      'check-existing:skipped',
      'push:skipped',
      'confirm:skipped',
      'scan:skipped',
    ]);
    expect(calls.map((c) => c.args[0])).not.toContain('push');
    expect(report.pushed).toBe(false);
  });

  it('builder commands share one deadline: the push gets what the build left', async () => {
    const calls: Call[] = [];
    const d = deps(dockerRunner(calls, { onBuild: () => d.clock.advance(20 * 60_000) }));
    await buildPushImage(inputs({ timeout: '1h' }), d, newReport(`${host}/demo/app`));
    const timeouts = calls.filter((c) => c.args[0] === 'build' || c.args[0] === 'push');
    expect(timeouts.map((c) => [c.args[0], c.timeoutMs])).toEqual([
      ['build', 60 * 60_000],
      ['push', 40 * 60_000],
    ]);
  });

  it('the working directories are removed after each phase, also after a failed build', async () => {
    const d = deps(dockerRunner([], { buildFails: true }));
    const report = newReport(`${host}/demo/app`);
    await expect(buildPushImage(inputs(), d, report)).rejects.toThrow('the build failed');
    expect(readdirSync(d.tempDir).filter((f) => f.startsWith('bpi-build-'))).toEqual([]);
    const ok = deps(dockerRunner([]));
    await buildPushImage(inputs(), ok, newReport(`${host}/demo/app`));
    expect(readdirSync(ok.tempDir).filter((f) => f.startsWith('bpi-build-'))).toEqual([]);
  });

  it('cancelled between phases: stopped in the phase it was about to start', async () => {
    const controller = new AbortController();
    const runner = dockerRunner([], { onBuild: () => controller.abort('SIGTERM') });
    const report = newReport(`${host}/demo/app`);
    await expect(
      buildPushImage(inputs(), deps(runner, { signal: controller.signal }), report),
    ).rejects.toThrow(CancelledError);
    expect(report.phases.at(-1)).toMatchObject({ name: 'build', outcome: 'done' });
    expect(stoppedIn(report)).toBe('push');
    expect(summary(report, new CancelledError('cancelled'))).toContain('failed during push');
  });
});

describe('the post state, from the report', () => {
  it('is saved as soon as the temporary docker config exists: before the build runs', async () => {
    const saved: (string | undefined)[] = [];
    const calls: Call[] = [];
    let n = 0;
    const provider: LoginProvider = async (): Promise<Login> => ({
      username: 'u',
      password: `p-${++n}`,
      via: 'fake',
    });
    const d = deps(
      dockerRunner(calls, {
        onBuild: () => expect(saved).toHaveLength(1),
        buildFails: true,
      }),
      { loginProvider: provider, savePostState: (r) => saved.push(r.configDir) },
    );
    const report = newReport(`${host}/demo/app`);
    await expect(buildPushImage(inputs(), d, report)).rejects.toThrow('the build failed');
    expect(calls.map((c) => c.args[0])).toContain('build');
    expect(saved).toEqual([report.configDir]);
    expect(path.basename(report.configDir!)).toMatch(/^build-push-image-/);
    expect(existsSync(path.join(report.configDir!, 'config.json'))).toBe(true);
  });
});

describe('outputs and summary, from the report', () => {
  const report = (): BuildReport => ({
    ...newReport('r.example/app'),
    refs: ['r.example/app:v1', 'r.example/app:latest'],
    tags: ['v1', 'latest'],
    digest: DIGEST,
    imageRef: `r.example/app@${DIGEST}`,
    pushed: true,
  });

  it('every output, as the step sets them', () => {
    expect(reportOutputs(report())).toEqual({
      image: 'r.example/app:v1',
      tags: 'r.example/app:v1\nr.example/app:latest',
      digest: DIGEST,
      'image-ref': `r.example/app@${DIGEST}`,
      skipped: 'false',
    });
  });

  it('after a failure: the outputs as far as they got; after a bad input: none', () => {
    const failed = { ...newReport('r.example/app'), refs: ['r.example/app:v1'] };
    expect(reportOutputs(failed, new Error('push denied'))).toMatchObject({
      image: 'r.example/app:v1',
      digest: '',
      'image-ref': '',
    });
    expect(reportOutputs(report(), new InputError("Input 'file': nope"))).toEqual({});
  });

  it('the summary names the image from the report and the error message', () => {
    const r = report();
    r.phases.push({ name: 'resolve', outcome: 'done', ms: 0 });
    r.phases.push({ name: 'login', outcome: 'failed', ms: 3 });
    const text = summary(r, new Error('HTTP 401 from the registry'));
    expect(text).toContain('failed during login');
    expect(text).toContain('`r.example/app`');
    expect(text).toContain('HTTP 401 from the registry');
    expect(summary(report())).toContain('built and pushed');
  });
});

describe('the post step', () => {
  function postContext(state: MemoryState): CleanupContext {
    return {
      signal: new AbortController().signal,
      clock: new ManualClock(0),
      state,
      logger: new RecordingLogger(),
    };
  }

  it('removes the credentials directory main recorded, and says so', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'bpi-post-'));
    dirs.push(base);
    const dir = path.join(base, 'build-push-image-abc');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'config.json'), '{"auths":{}}');
    const state = new MemoryState();
    configDirState.save(state, dir);
    const report = await runPhases(postPhases, postContext(state), { phases: [] } as CleanupReport);
    expect(existsSync(dir)).toBe(false);
    expect(report).toEqual({
      phases: [{ name: 'remove-credentials', outcome: 'done', ms: 0 }],
      removed: dir,
    });
  });

  it('nothing recorded: nothing removed; a directory without the prefix: refused', async () => {
    const empty: CleanupReport = { phases: [] };
    await removeCredentials(postContext(new MemoryState()), empty);
    expect(empty.removed).toBeUndefined();
    const other = mkdtempSync(path.join(tmpdir(), 'bpi-post-other-'));
    dirs.push(other);
    const state = new MemoryState();
    configDirState.save(state, other);
    await expect(removeCredentials(postContext(state), { phases: [] })).rejects.toThrow(
      'refusing to remove',
    );
    expect(existsSync(other)).toBe(true);
  });
});
