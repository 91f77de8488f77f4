/**
 * kfp-run-and-wait against what an attacker controls (issue 20), through the real bundle:
 * the `pipeline-file` path (a pull request's symlinks, `../`), a KFP server's answers (ids,
 * states, messages), a server that asks to wait for an hour, and a job cancelled mid-wait.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { errorMessages, type ActionRunResult, type StepResult } from '../harness/runner.ts';
import { startKfpFake, type KfpFake } from '../harness/fakes/kfp-api.ts';
import { FIXTURES, runKfpBundle } from './helpers.ts';

const TOKEN = 'e2e-hostile-kfp-token-51c9d0';
const RUN_GET = /^\/apis\/v2beta1\/runs\/[^/:]+$/;
let kfp: KfpFake;
let base: string;
let workspace: string;

beforeEach(async () => {
  kfp = await startKfpFake({ token: TOKEN });
  base = mkdtempSync(path.join(tmpdir(), 'kfp-hostile-'));
  workspace = path.join(base, 'workspace');
  mkdirSync(workspace);
  mkdirSync(path.join(base, 'outside'));
  copyFileSync(path.join(FIXTURES, 'pipeline.yaml'), path.join(workspace, 'pipeline.yaml'));
  copyFileSync(path.join(FIXTURES, 'pipeline.yaml'), path.join(base, 'outside', 'pipeline.yaml'));
});
afterEach(async () => {
  expect(kfp.errors).toEqual([]);
  await kfp.stop();
  rmSync(base, { recursive: true, force: true });
});

function run(
  inputs: Record<string, string>,
  o: { onStart?: (c: ChildProcess) => void; timeoutMs?: number } = {},
): Promise<ActionRunResult> {
  return runKfpBundle(kfp, TOKEN, workspace, inputs, o);
}

/** Annotations a hostile text would forge: `::error::pwned` read as a command of its own. */
const forged = (r: StepResult): string[] =>
  r.annotations.filter((a) => a.message.startsWith('pwned')).map((a) => a.message);
const terminates = (): number => kfp.requests.filter((q) => q.path.endsWith(':terminate')).length;

describe('pipeline-file is confined to the workspace', () => {
  it.each<[string, () => string, RegExp]>([
    [
      'a symlink to /proc/self/environ',
      () => {
        symlinkSync('/proc/self/environ', path.join(workspace, 'env.yaml'));
        return 'env.yaml';
      },
      /^kfp-run-and-wait: Input 'pipeline-file': "env\.yaml" resolves to \/proc\/\S+, a kernel pseudo-file; it is never read\.$/,
    ],
    [
      '../ out of the workspace',
      () => '../outside/pipeline.yaml',
      /^kfp-run-and-wait: Input 'pipeline-file': "\.\.\/outside\/pipeline\.yaml" is outside the workspace .*\(set 'allow-outside-workspace: true' to lift this\)\.$/,
    ],
    [
      'an absolute path elsewhere',
      () => path.join(base, 'outside', 'pipeline.yaml'),
      /^kfp-run-and-wait: Input 'pipeline-file': "\/\S+\/outside\/pipeline\.yaml" is outside the workspace/,
    ],
    [
      'a symlink that leads out',
      () => {
        symlinkSync(path.join(base, 'outside', 'pipeline.yaml'), path.join(workspace, 'link.yaml'));
        return 'link.yaml';
      },
      /^kfp-run-and-wait: Input 'pipeline-file': "link\.yaml" resolves to \/\S+\/outside\/pipeline\.yaml, outside the workspace/,
    ],
  ])('%s: one error naming the input, nothing sent', async (_name, arrange, message) => {
    const r = await run({ 'pipeline-file': arrange() });
    expect(r.exitCode).toBe(1);
    expect(errorMessages(r)).toEqual([expect.stringMatching(message)]);
    expect(kfp.requests).toEqual([]);
    expect(r.outputs).toEqual({});
  });

  it('allow-outside-workspace: true lifts it (but never for /proc)', async () => {
    const outside = path.join(base, 'outside', 'pipeline.yaml');
    const r = await run({
      'pipeline-file': outside,
      'allow-outside-workspace': 'true',
      wait: 'false',
    });
    expect(errorMessages(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(kfp.runs.size).toBe(1);
    symlinkSync('/proc/self/environ', path.join(workspace, 'env.yaml'));
    const proc = await run({ 'pipeline-file': 'env.yaml', 'allow-outside-workspace': 'true' });
    expect(errorMessages(proc)).toEqual([
      expect.stringContaining('a kernel pseudo-file; it is never read'),
    ]);
    expect(kfp.runs.size).toBe(1);
  });
});

describe('a hostile KFP server', () => {
  it('a run_id that walks out of RUNNER_TEMP: refused, naming the field; no file, no outputs', async () => {
    const target = path.join(base, 'outside', 'pwned');
    kfp.tamper({
      method: 'POST',
      path: /^\/apis\/v2beta1\/runs$/,
      edit: (body) => ({ ...body, run_id: `x/${'../'.repeat(12)}${target.slice(1)}` }),
    });
    const r = await run({ wait: 'false' });
    expect(r.exitCode).toBe(1);
    expect(errorMessages(r)).toEqual([
      expect.stringMatching(/^kfp-run-and-wait: KFP run_id from the server is not a valid value/),
    ]);
    expect(existsSync(`${target}.json`)).toBe(false);
    expect(r.outputs).toEqual({});
    expect(r.post?.exitCode).toBe(0);
  });

  it.each<[string, Parameters<KfpFake['tamper']>[0], string]>([
    [
      'experiment_id',
      { method: 'POST', path: /\/experiments$/, edit: (b) => ({ ...b, experiment_id: '../x' }) },
      'KFP experiment_id',
    ],
    [
      'pipeline_id',
      { method: 'POST', path: /\/pipelines\/upload$/, edit: (b) => ({ ...b, pipeline_id: 'a/b' }) },
      'KFP pipeline_id',
    ],
    [
      'state with a workflow command',
      { method: 'GET', path: RUN_GET, edit: (b) => ({ ...b, state: 'RUNNING\n::error::pwned' }) },
      'KFP run state',
    ],
  ])('a hostile %s: an error naming it, nothing forged', async (_name, tamper, field) => {
    kfp.tamper(tamper);
    const r = await run({ 'experiment-name': 'nightly', 'pipeline-name': 'train-model' });
    expect(r.exitCode).toBe(1);
    expect(errorMessages(r)).toEqual([expect.stringContaining(`${field} from the server is not`)]);
    expect(forged(r)).toEqual([]);
    expect(r.outputs['run-details'] ?? '').not.toMatch(/\.\.|pwned/);
  });

  it('server text with `\\n::error::pwned` (healthz tag, task and run errors) forges no annotation', async () => {
    kfp.tamper({
      method: 'GET',
      path: /\/healthz$/,
      edit: (b) => ({ ...b, tag_name: '2.5.0\n::error::pwned' }),
    });
    kfp.script([
      { state: 'RUNNING' },
      {
        state: 'FAILED',
        error: 'run failed\n::error::pwned by the run',
        tasks: [{ name: 'train', state: 'FAILED', error: 'boom\n::error::pwned by a task' }],
      },
    ]);
    const r = await run({});
    expect(r.exitCode).toBe(1);
    expect(errorMessages(r)).toHaveLength(1);
    expect(errorMessages(r)[0]).toContain('train: boom');
    expect(forged(r)).toEqual([]);
    expect(r.log).toContain('2.5.0');
  });
});

describe('time: deadlines and cancellation', () => {
  it('429 with Retry-After: 3600 and timeout 5s: ends well before 60 s, saying why', async () => {
    kfp.fault({ path: /\/healthz$/, status: 429, retryAfter: '3600', times: 100 });
    const r = await run({ timeout: '5s' }, { timeoutMs: 90_000 });
    expect(r.exitCode).toBe(1);
    expect(r.durationMs).toBeLessThan(20_000);
    expect(errorMessages(r)).toEqual([
      expect.stringMatching(
        /HTTP 429: injected HTTP 429 \(the server asked to retry after 3600 s, past the time left \(\d s of the timeout\)\)/,
      ),
    ]);
  });

  it('SIGTERM in a Retry-After wait: main ends promptly; post cancels the run though GET run fails', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    kfp.fault({ method: 'GET', path: RUN_GET, status: 429, retryAfter: '3600', times: 100 });
    // Main's own cancel fails: the post step must do it, with GET run still refused.
    kfp.fault({
      method: 'POST',
      path: /:terminate$/,
      status: 403,
      message: 'PermissionDenied: once',
    });
    let signalledAt = 0;
    const r = await run(
      { timeout: '10m' },
      {
        timeoutMs: 90_000,
        onStart: (child) => {
          // Signal once the step says it is waiting out the Retry-After.
          let seen = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            seen += chunk.toString('utf8');
            if (!signalledAt && /HTTP 429; retry 1 in \d+ ms/.test(seen)) {
              signalledAt = Date.now();
              child.kill('SIGTERM');
            }
          });
        },
      },
    );
    expect(signalledAt).toBeGreaterThan(0);
    expect(r.exitCode).toBe(1);
    expect(errorMessages(r)[0]).toMatch(
      /the job was cancelled while run \S+ was \S+; Could not cancel/,
    );
    expect(r.durationMs).toBeLessThan(20_000);
    const runId = [...kfp.runs.keys()][0]!;
    expect(terminates()).toBe(2);
    expect(kfp.runs.get(runId)?.terminated).not.toBe('no');
    expect(r.post?.durationMs).toBeLessThan(20_000);
    expect(r.post?.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining(`Cancelled run ${runId} in KFP`),
    ]);
    expect(r.maskedLog).not.toContain(TOKEN);
    expect(r.post?.maskedLog).not.toContain(TOKEN);
  });
});
