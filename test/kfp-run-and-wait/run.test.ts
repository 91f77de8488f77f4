/**
 * kfp-run-and-wait's logic (run.ts) against the fake KFP API over real HTTP, on a ManualClock:
 * every input mode, every terminal state, timeout and cancellation, retries, auth errors.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InputError, LocatedError } from '../../shared/errors.ts';
import { createKfpClient } from '../../actions/kfp-run-and-wait/client.ts';
import { kfpRunAndWait, PreRunError } from '../../actions/kfp-run-and-wait/run.ts';
import { runSummary } from '../../actions/kfp-run-and-wait/summary.ts';
import { startKfpFake, type KfpFake } from '../harness/fakes/kfp-api.ts';
import { CancellingClock, depsFor, FIXTURES, inputsOf } from './helpers.ts';
import { ManualClock } from '../harness/doubles.ts';

const TOKEN = 'kfp-token-5be1c0d2e9';
const PIPELINE = path.join(FIXTURES, 'pipeline.yaml');
const SPEC_DOCS = parseAllDocuments(readFileSync(PIPELINE, 'utf8')).map((d) => d.toJS() as unknown);

let kfp: KfpFake;
beforeEach(async () => {
  kfp = await startKfpFake({ token: TOKEN });
});
afterEach(async () => {
  expect(kfp.errors).toEqual([]);
  await kfp.stop();
});

const base = (extra: Record<string, string> = {}): Record<string, string> => ({
  host: kfp.url,
  token: TOKEN,
  'pipeline-file': 'pipeline.yaml',
  parameters: '{"lr": 0.01, "epochs": 5}',
  ...extra,
});

const calls = (): string[] => kfp.requests.map((r) => `${r.method} ${r.path}`);
const runBodies = (): Record<string, unknown>[] =>
  kfp.requests
    .filter((r) => r.method === 'POST' && r.path === '/apis/v2beta1/runs')
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('pipeline sources', () => {
  it('pipeline-file alone: the spec (and platform spec) inline, parameters as runtime config', async () => {
    const inputs = inputsOf(base({ 'experiment-name': 'nightly' }));
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('succeeded');
    expect(r.state).toBe('SUCCEEDED');
    const [body] = runBodies();
    expect(body).toEqual({
      display_name: 'pipeline abcdef0 #4242.1',
      description: expect.stringContaining('octo-org/model-service run 4242') as unknown,
      experiment_id: [...kfp.experiments.keys()][0],
      pipeline_spec: { pipeline_spec: SPEC_DOCS[0], platform_spec: SPEC_DOCS[1] },
      runtime_config: { parameters: { lr: 0.01, epochs: 5 } },
    });
    expect(r.runUrl).toBe(`${kfp.url}/#/runs/details/${r.run.run_id}`);
    expect(r.changes).toEqual([
      expect.stringMatching(/^Created experiment `nightly` \(exp-/),
      expect.stringMatching(/^Created run `pipeline abcdef0 #4242.1` \(run-/),
    ]);
    // Saved for the post step as soon as created, then settled.
    expect(deps.saved.map((s) => s.settled)).toEqual([false, true]);
    expect(deps.logger.text()).not.toContain(TOKEN);
    for (const req of kfp.requests) expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('an existing experiment is reused, not created again', async () => {
    kfp.experiments.set('exp-1', { experiment_id: 'exp-1', display_name: 'nightly' });
    const inputs = inputsOf(base({ 'experiment-name': 'nightly' }));
    await kfpRunAndWait(inputs, depsFor(inputs));
    expect(runBodies()[0]?.experiment_id).toBe('exp-1');
    expect(calls()).not.toContain('POST /apis/v2beta1/experiments');
  });

  it('pipeline-file + pipeline-name (new pipeline): uploaded multipart, the run references its version', async () => {
    const inputs = inputsOf(base({ 'pipeline-name': 'train-model' }));
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    const upload = kfp.requests.find((q) => q.path === '/apis/v2beta1/pipelines/upload');
    expect(upload?.query.get('name')).toBe('train-model');
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(kfp.versions[0]?.upload).toBe(readFileSync(PIPELINE, 'utf8'));
    const [pipeline] = [...kfp.pipelines.values()];
    expect(runBodies()[0]?.pipeline_version_reference).toEqual({
      pipeline_id: pipeline?.pipeline_id,
      pipeline_version_id: kfp.versions[0]?.pipeline_version_id,
    });
    expect(r.changes[0]).toMatch(/^Created pipeline `train-model`/);
  });

  it('pipeline-file + pipeline-name (existing pipeline): a new version named after the commit', async () => {
    const { pipelineId } = kfp.addPipeline('train-model', SPEC_DOCS[0]);
    const inputs = inputsOf(base({ 'pipeline-name': 'train-model' }));
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    const upload = kfp.requests.find((q) => q.path === '/apis/v2beta1/pipelines/upload_version');
    expect(upload?.query.get('pipelineid')).toBe(pipelineId);
    expect(upload?.query.get('name')).toBe('train-model-abcdef0-4242-1');
    const created = kfp.versions.at(-1);
    expect(runBodies()[0]?.pipeline_version_reference).toEqual({
      pipeline_id: pipelineId,
      pipeline_version_id: created?.pipeline_version_id,
    });
    expect(r.changes[0]).toMatch(/^Uploaded version `train-model-abcdef0-4242-1`/);
  });

  it('an upload whose answer was lost (the retry gets 409): the version is found by name', async () => {
    const { pipelineId } = kfp.addPipeline('train-model', SPEC_DOCS[0]);
    kfp.fault({ path: /\/upload_version$/, status: 502, processed: true });
    const inputs = inputsOf(base({ 'pipeline-name': 'train-model' }));
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    const ours = kfp.versions.filter((v) => v.display_name === 'train-model-abcdef0-4242-1');
    expect(ours).toHaveLength(1);
    expect(runBodies()[0]?.pipeline_version_reference).toEqual({
      pipeline_id: pipelineId,
      pipeline_version_id: ours[0]?.pipeline_version_id,
    });
    expect(r.changes[0]).toContain('(its answer was lost; found by name)');
  });

  it('a pipeline created meanwhile by another job (409): a version is added to it', async () => {
    // Created between this step's lookup and its upload.
    kfp.fault({
      method: 'POST',
      path: /\/pipelines\/upload$/,
      status: 409,
      message: 'already exist',
    });
    let other: { pipelineId: string } | undefined;
    void kfp.next('POST', /\/pipelines\/upload$/).then(() => {
      other = kfp.addPipeline('train-model', SPEC_DOCS[0]);
    });
    const inputs = inputsOf(base({ 'pipeline-name': 'train-model' }));
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    expect(kfp.pipelines.size).toBe(1);
    expect(runBodies()[0]?.pipeline_version_reference).toMatchObject({
      pipeline_id: other?.pipelineId,
    });
    expect(r.changes[0]).toMatch(/^Uploaded version `train-model-abcdef0-4242-1`/);
  });

  it('an experiment created meanwhile by another job (409) is used', async () => {
    kfp.fault({ method: 'POST', path: /\/experiments$/, status: 409, message: 'AlreadyExists' });
    kfp.experiments.set('exp-other', { experiment_id: 'exp-other', display_name: 'nightly' });
    const inputs = inputsOf(base({ 'experiment-name': 'nightly' }));
    // The first lookup misses it: it is created between the lookup and the create.
    const lookups = kfp.requests;
    kfp.experiments.delete('exp-other');
    void kfp
      .next('POST', /\/experiments$/)
      .then(() =>
        kfp.experiments.set('exp-other', { experiment_id: 'exp-other', display_name: 'nightly' }),
      );
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    expect(runBodies()[0]?.experiment_id).toBe('exp-other');
    expect(
      lookups.filter((q) => q.path === '/apis/v2beta1/experiments' && q.method === 'GET'),
    ).toHaveLength(2);
  });

  it('pipeline-id + pipeline-version-id: parameters checked against that version’s spec', async () => {
    const { pipelineId, versionId } = kfp.addPipeline('train-model', SPEC_DOCS[0]);
    const inputs = inputsOf({
      host: kfp.url,
      token: TOKEN,
      'pipeline-id': pipelineId,
      'pipeline-version-id': versionId,
      parameters: 'lr: 0.1',
    });
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    expect(runBodies()[0]?.pipeline_version_reference).toEqual({
      pipeline_id: pipelineId,
      pipeline_version_id: versionId,
    });

    const bad = inputsOf({
      host: kfp.url,
      token: TOKEN,
      'pipeline-id': pipelineId,
      'pipeline-version-id': versionId,
      parameters: 'lr: 0.1\nlearning_rate: 2',
    });
    await expect(kfpRunAndWait(bad, depsFor(bad))).rejects.toThrow(
      "Input 'parameters': unknown parameter 'learning_rate' (pipeline version",
    );
    expect(runBodies()).toHaveLength(1);
  });
});

describe('terminal states', () => {
  it('FAILED: each failed task with its error, in the error and the summary', async () => {
    kfp.script([
      { state: 'RUNNING', tasks: [{ name: 'load-data', state: 'RUNNING' }] },
      {
        state: 'FAILED',
        error: 'Pipeline run failed',
        tasks: [
          { name: 'load-data', state: 'SUCCEEDED', start: 0, end: 30 },
          {
            name: 'train',
            state: 'FAILED',
            error: 'OOMKilled: container exceeded 4Gi',
            start: 30,
            end: 95,
          },
          { name: 'evaluate', state: 'SKIPPED' },
        ],
      },
    ]);
    const inputs = inputsOf(base());
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('failed');
    expect(r.state).toBe('FAILED');
    expect(r.failedTasks).toEqual([
      'train: OOMKilled: container exceeded 4Gi',
      'run: Pipeline run failed',
    ]);
    expect(r.error).toContain(
      `run ${r.run.run_id} ended FAILED:\n  - train: OOMKilled: container exceeded 4Gi`,
    );
    const summary = runSummary(r);
    expect(summary).toContain('kfp-run-and-wait: run failed');
    expect(summary).toContain('| train | OOMKilled: container exceeded 4Gi |');
    expect(summary).toContain('| train | ❌ FAILED | 1m5s |');
    expect(summary).toContain('| load-data | ✅ SUCCEEDED | 30s |');
    expect(summary).toContain(`[pipeline abcdef0 #4242.1](${r.runUrl})`);
  });

  it.each(['CANCELED', 'SKIPPED'])('%s fails the step', async (state) => {
    kfp.script([{ state: 'RUNNING' }, { state }]);
    const inputs = inputsOf(base());
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('failed');
    expect(r.error).toContain(`ended ${state}`);
  });

  it('PAUSED and CANCELING are not terminal: the wait goes on', async () => {
    kfp.script([
      { state: 'RUNNING' },
      { state: 'PAUSED' },
      { state: 'RUNNING' },
      { state: 'SUCCEEDED' },
    ]);
    const inputs = inputsOf(base());
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.state).toBe('SUCCEEDED');
    expect(kfp.polls()).toBe(4);
  });

  it('wait: false returns right after creation, settled (the post step leaves it alone)', async () => {
    const inputs = inputsOf(base({ wait: 'false' }));
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('submitted');
    expect(r.state).toBe('PENDING');
    expect(kfp.polls()).toBe(0);
    expect(deps.saved).toEqual([{ runId: r.run.run_id, runUrl: r.runUrl, settled: true }]);
  });
});

describe('waiting', () => {
  it('polls adaptively: 2 s first, ×1.5, capped by poll-interval', async () => {
    kfp.script([{ state: 'RUNNING', polls: 9 }, { state: 'SUCCEEDED' }]);
    const inputs = inputsOf(base({ 'poll-interval': '10s' }));
    const deps = depsFor(inputs);
    await kfpRunAndWait(inputs, deps);
    expect(deps.clock.sleeps).toEqual([2000, 3000, 4500, 6750, 10000, 10000, 10000, 10000, 10000]);
  });

  it('a 10-minute run costs at most 40 requests and is noticed within 30 s', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    await kfp.stop();
    kfp = await startKfpFake({ token: TOKEN, now: () => clock.now() });
    kfp.script([
      { state: 'PENDING', atMs: 0 },
      { state: 'RUNNING', atMs: 20_000 },
      { state: 'SUCCEEDED', atMs: 600_000 },
    ]);
    const inputs = inputsOf(base());
    const deps = depsFor(inputs, { clock });
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.state).toBe('SUCCEEDED');
    expect(kfp.requests.length).toBeLessThanOrEqual(40);
    const created = [...kfp.runs.values()][0]!.createdAt;
    const delay = clock.now() - (created + 600_000);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(Math.min(30_000, 60_000));
  });

  it('timeout: the run is cancelled in KFP and the outcome says so', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    const inputs = inputsOf(base({ timeout: '2m' }));
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('timeout');
    expect(r.error).toMatch(/timed out after 2m in state RUNNING; the run was cancelled in KFP/);
    expect(calls()).toContain(`POST /apis/v2beta1/runs/${r.run.run_id}:terminate`);
    expect(kfp.runs.get(r.run.run_id)?.terminated).not.toBe('no');
    expect(deps.saved.at(-1)?.settled).toBe(true);
    expect(deps.clock.now() - 1_700_000_000_000).toBeLessThanOrEqual(120_000);
  });

  it('timeout with cancel-on-timeout: false leaves the run running and says so', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    const inputs = inputsOf(base({ timeout: '1m', 'cancel-on-timeout': 'false' }));
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('timeout');
    expect(r.error).toContain('left running in KFP (cancel-on-timeout is false)');
    expect(calls().some((c) => c.endsWith(':terminate'))).toBe(false);
  });

  it('job cancelled mid-wait: main cancels the run in KFP and marks it settled', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    const controller = new AbortController();
    const inputs = inputsOf(base());
    const deps = depsFor(inputs, {
      clock: new CancellingClock(controller, 3),
      signal: controller.signal,
    });
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('cancelled');
    expect(r.error).toContain('the job was cancelled');
    expect(r.cancel).toEqual({
      ok: true,
      message: expect.stringContaining(`Cancelled run ${r.run.run_id} in KFP`) as unknown,
    });
    expect(deps.saved.at(-1)?.settled).toBe(true);
  });

  it('a cancel that fails leaves the run unsettled for the post step', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    kfp.fault({ path: /:terminate$/, status: 403, message: 'PermissionDenied: no terminate' });
    const inputs = inputsOf(base({ timeout: '30s' }));
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.cancel?.ok).toBe(false);
    expect(r.error).toContain('the post step tries again');
    expect(deps.saved.at(-1)?.settled).toBe(false);
  });
});

describe('transient and fatal API errors', () => {
  it('500s and a 429 with Retry-After are retried (the Retry-After is honoured)', async () => {
    kfp.fault({ path: /\/runs\/[^/]+$/, status: 500, times: 2 });
    kfp.fault({ method: 'POST', path: /\/runs$/, status: 429, retryAfter: '7' });
    const inputs = inputsOf(base());
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('succeeded');
    expect(deps.clock.sleeps).toContain(7000);
    expect(runBodies()).toHaveLength(2); // the 429 and the created one
    expect(kfp.runs.size).toBe(1);
  });

  it('a create answered 429 with a Retry-After past the timeout gives up at once, saying so', async () => {
    kfp.fault({ method: 'POST', path: /\/runs$/, status: 429, retryAfter: '3600' });
    const inputs = inputsOf(base({ timeout: '5s' }));
    const deps = depsFor(inputs);
    await expect(kfpRunAndWait(inputs, deps)).rejects.toThrow(
      /HTTP 429: injected HTTP 429 \(the server asked to retry after 3600 s, past the time left \(5 s of the timeout\)\)$/,
    );
    expect(deps.clock.sleeps).toEqual([]);
    expect(kfp.runs.size).toBe(0);
  });

  it('a create whose answer was lost (502 after the run was made) adopts that run: never two', async () => {
    kfp.fault({ method: 'POST', path: /\/runs$/, status: 502, processed: true });
    const inputs = inputsOf(base());
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('succeeded');
    expect(kfp.runs.size).toBe(1);
    expect(runBodies()).toHaveLength(1);
    expect([...kfp.runs.keys()]).toEqual([r.run.run_id]);
    expect(calls()).toContain('GET /apis/v2beta1/runs');
    expect(deps.logger.messages('warning').join('\n')).toMatch(
      /HTTP 502: injected HTTP 502; the run was created all the same: run-/,
    );
  });

  it('a 500 where no run was made: looked up, not found, created once on retry', async () => {
    kfp.fault({ method: 'POST', path: /\/runs$/, status: 500, times: 2 });
    const inputs = inputsOf(base());
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    expect(runBodies()).toHaveLength(3);
    expect(calls().filter((c) => c === 'GET /apis/v2beta1/runs')).toHaveLength(2);
    expect(kfp.runs.size).toBe(1);
  });

  it('a create that keeps failing gives up with the last answer', async () => {
    kfp.fault({ method: 'POST', path: /\/runs$/, status: 503, times: 10, message: 'unavailable' });
    const inputs = inputsOf(base());
    await expect(kfpRunAndWait(inputs, depsFor(inputs))).rejects.toThrow(
      /POST .*\/runs failed with HTTP 503: unavailable \(gave up after 5 attempts\)/,
    );
    // 503 says "not processed": no lookup needed.
    expect(calls()).not.toContain('GET /apis/v2beta1/runs');
    expect(kfp.runs.size).toBe(0);
  });

  it('an outage longer than the retries is waited out while polling', async () => {
    kfp.script([{ state: 'RUNNING' }, { state: 'SUCCEEDED' }]);
    kfp.fault({ method: 'GET', path: /\/runs\/[^/]+$/, status: 503, times: 6 });
    const inputs = inputsOf(base());
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('succeeded');
    expect(deps.logger.messages('warning').join('\n')).toMatch(
      /Polling run run-.*HTTP 503.*trying again/,
    );
  });

  it('polling fails for good (404: the run was deleted): the step fails and says what became of the run', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    kfp.fault({
      method: 'GET',
      path: /\/runs\/[^/]+$/,
      status: 404,
      message: 'NotFound: run gone',
    });
    const inputs = inputsOf(base());
    const deps = depsFor(inputs);
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(
      /^GET .*\/runs\/run-\S+ failed with HTTP 404: NotFound: run gone\nCancelled run run-\S+ in KFP \(the step could not follow it\)/,
    );
    expect(deps.saved.at(-1)?.settled).toBe(true);
  });

  it('401: a clear message naming the token input, no retry', async () => {
    const inputs = inputsOf(base({ token: 'wrong-token-1234' }));
    const deps = depsFor(inputs);
    await expect(kfpRunAndWait(inputs, deps)).rejects.toThrow(
      /KFP refused the credentials \(HTTP 401\) for GET .*\/apis\/v2beta1\/healthz: Unauthenticated.*Check the 'token' input/,
    );
    expect(kfp.requests).toHaveLength(1);
    expect(deps.logger.text()).not.toContain('wrong-token-1234');
  });

  it('401 without credentials says which inputs to set', async () => {
    const inputs = inputsOf({
      host: kfp.url,
      'pipeline-file': 'pipeline.yaml',
      parameters: 'lr: 1.5',
    });
    await expect(kfpRunAndWait(inputs, depsFor(inputs))).rejects.toThrow(
      "No credentials were sent: set 'token'",
    );
  });

  it('403: the namespace is named', async () => {
    await kfp.stop();
    kfp = await startKfpFake({ token: TOKEN, multiUser: true, namespaces: ['team-a'] });
    const inputs = inputsOf(base({ namespace: 'team-b', 'experiment-name': 'x' }));
    await expect(kfpRunAndWait(inputs, depsFor(inputs))).rejects.toThrow(
      /KFP denied GET .*experiments.* \(HTTP 403\): PermissionDenied: User is not authorized to access namespace team-b\. .*'namespace' input/,
    );
  });

  it('multi-user KFP without namespace: an input error before anything is created', async () => {
    await kfp.stop();
    kfp = await startKfpFake({ token: TOKEN, multiUser: true });
    const inputs = inputsOf(base({ 'experiment-name': 'x' }));
    const error = await kfpRunAndWait(inputs, depsFor(inputs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain("set 'namespace'");
    expect(calls()).toEqual(['GET /apis/v2beta1/healthz']);
  });

  it('multi-user KFP with namespace: experiment in that namespace, run created there', async () => {
    await kfp.stop();
    kfp = await startKfpFake({ token: TOKEN, multiUser: true, namespaces: ['team-a'] });
    const inputs = inputsOf(base({ namespace: 'team-a', 'experiment-name': 'nightly' }));
    const r = await kfpRunAndWait(inputs, depsFor(inputs));
    expect(r.outcome).toBe('succeeded');
    expect([...kfp.experiments.values()][0]?.namespace).toBe('team-a');
    expect(kfp.runs.get(r.run.run_id)?.namespace).toBe('team-a');
  });

  it('a host that is not the KFP API root: 404 names the URL', async () => {
    const inputs = inputsOf(base({ host: `${kfp.url}/not-kfp` }));
    await expect(kfpRunAndWait(inputs, depsFor(inputs))).rejects.toThrow(
      `GET ${kfp.url}/not-kfp/apis/v2beta1/healthz failed with HTTP 404: 404 page not found`,
    );
  });

  it('unreachable host: says it cannot reach KFP', async () => {
    const url = kfp.url;
    await kfp.stop();
    kfp = await startKfpFake();
    const inputs = inputsOf(base({ host: url }));
    await expect(kfpRunAndWait(inputs, depsFor(inputs))).rejects.toThrow(
      `cannot reach KFP at ${url}: GET ${url}/apis/v2beta1/healthz failed: ECONNREFUSED`,
    );
  });

  it('a server that hangs before the run exists: the step timeout ends it, saying so', async () => {
    kfp.fault({ path: /\/healthz$/, status: 'hang' });
    const inputs = inputsOf(base({ timeout: '1s' }));
    const deps = { ...depsFor(inputs), deadlineSignal: AbortSignal.timeout(200) };
    deps.client = createKfpClient(inputs, {
      logger: deps.logger,
      clock: deps.clock,
      signal: deps.deadlineSignal,
    });
    await expect(kfpRunAndWait(inputs, deps)).rejects.toThrow(
      /^timed out after 1s before the run was created/,
    );
    expect(kfp.runs.size).toBe(0);
  });

  it('a failure after something was created reports what was changed', async () => {
    kfp.fault({
      method: 'POST',
      path: /\/runs$/,
      status: 400,
      message: 'Invalid input error: bad spec',
    });
    const inputs = inputsOf(base({ 'pipeline-name': 'train-model' }));
    const error = await kfpRunAndWait(inputs, depsFor(inputs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreRunError);
    expect((error as PreRunError).changes).toEqual([
      expect.stringMatching(/^Created pipeline `train-model`/),
    ]);
    expect((error as Error).message).toContain('HTTP 400: Invalid input error: bad spec');
  });
});

describe('bad pipeline or parameters: no call is made', () => {
  it.each([
    [
      'an unknown parameter',
      '{"lr": 0.1, "learning_rate": 3}',
      "unknown parameter 'learning_rate' (pipeline 'train-model' declares 'dataset', 'epochs', 'layers', 'lr', 'use_gpu')",
    ],
    [
      'a wrong type',
      'lr: "fast"\nepochs: 2.5',
      `parameter 'lr' must be a number (got "fast"); parameter 'epochs' must be an integer (got 2.5)`,
    ],
    [
      'a missing required parameter',
      'epochs: 2',
      "parameter 'lr' is required (no default in pipeline 'train-model')",
    ],
  ])('%s', async (_name, parameters, message) => {
    const inputs = inputsOf(base({ parameters }));
    const error = await kfpRunAndWait(inputs, depsFor(inputs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`Input 'parameters': ${message}.`);
    expect(kfp.requests).toEqual([]);
  });

  it('a file that is not a PipelineSpec: a located error, nothing sent', async () => {
    const inputs = inputsOf(base({ 'pipeline-file': 'not-a-pipeline.yaml' }));
    const error = await kfpRunAndWait(inputs, depsFor(inputs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocatedError);
    expect((error as LocatedError).file).toBe('not-a-pipeline.yaml');
    expect((error as Error).message).toMatch(
      /^not-a-pipeline.yaml(:\d+)?: not a compiled KFP pipeline \(PipelineSpec\): `pipelineInfo` is missing; `root` is missing;/,
    );
    expect(kfp.requests).toEqual([]);
  });

  it('a missing file names the input', async () => {
    const inputs = inputsOf(base({ 'pipeline-file': 'nope.yaml' }));
    await expect(kfpRunAndWait(inputs, depsFor(inputs))).rejects.toThrow(
      `Input 'pipeline-file': "nope.yaml" not found (relative to ${FIXTURES}).`,
    );
    expect(kfp.requests).toEqual([]);
  });
});

describe('IAP', () => {
  it('mints a Google ID token for the audience, sends it as bearer, masks it', async () => {
    const idToken = 'eyJhbGciOiJSUzI1NiJ9.iap-id-token.sig';
    await kfp.stop();
    kfp = await startKfpFake({ token: idToken });
    const audiences: string[] = [];
    const inputs = inputsOf(
      base({ token: '', 'iap-audience': '123-abc.apps.googleusercontent.com' }),
    );
    const deps = depsFor(inputs, {
      idToken: async (audience) => {
        audiences.push(audience);
        return idToken;
      },
    });
    const r = await kfpRunAndWait(inputs, deps);
    expect(r.outcome).toBe('succeeded');
    // Minted once and reused for every request of the step.
    expect(audiences).toEqual(['123-abc.apps.googleusercontent.com']);
    expect(deps.logger.secrets.has(idToken)).toBe(true);
    expect(deps.logger.text()).not.toContain(idToken);
  });

  it('a token that cannot be minted: says what credentials are needed, no request', async () => {
    const inputs = inputsOf(
      base({ token: '', 'iap-audience': '123-abc.apps.googleusercontent.com' }),
    );
    const deps = depsFor(inputs, {
      idToken: () => Promise.reject(new Error('Could not load the default credentials')),
    });
    await expect(kfpRunAndWait(inputs, deps)).rejects.toThrow(
      'cannot mint a Google ID token for IAP audience 123-abc.apps.googleusercontent.com: Could not load the default credentials. It needs Application Default Credentials',
    );
    expect(kfp.requests).toEqual([]);
  });
});
