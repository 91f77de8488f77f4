/**
 * kfp-run-and-wait end to end: the real bundle (dist/) run as the GitHub runner runs it,
 * main then post, against the fake KFP API over loopback HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { json, startFake, type FakeResponse } from '../harness/fakes/http-fake.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';
import { startKfpFake, type KfpFake } from '../harness/fakes/kfp-api.ts';
import { FIXTURES, runKfpBundle } from './helpers.ts';

const TOKEN = 'e2e-kfp-token-8c1f0a77d2';
const RUN_GET = /^\/apis\/v2beta1\/runs\/[^/:]+$/;
let kfp: KfpFake;

beforeEach(async () => {
  kfp = await startKfpFake({ token: TOKEN });
});
afterEach(async () => {
  expect(kfp.errors).toEqual([]);
  await kfp.stop();
});

function run(
  inputs: Record<string, string>,
  o: { onStart?: (c: ChildProcess) => void; keep?: boolean } = {},
): Promise<ActionRunResult> {
  return runKfpBundle(kfp, TOKEN, FIXTURES, inputs, o);
}
const terminates = (): string[] =>
  kfp.requests.filter((q) => q.path.endsWith(':terminate')).map((q) => q.path);

describe('kfp-run-and-wait (bundle)', () => {
  it('succeeds: outputs, run-details file, summary with the task table, token masked', async () => {
    kfp.script([
      { state: 'RUNNING', tasks: [{ name: 'train', state: 'RUNNING' }] },
      {
        state: 'SUCCEEDED',
        tasks: [
          { name: 'load-data', state: 'SUCCEEDED', start: 0, end: 12 },
          { name: 'train', state: 'SUCCEEDED', start: 12, end: 80 },
        ],
      },
    ]);
    const r = await run({ 'experiment-name': 'nightly' }, { keep: true });
    try {
      expect(lastError(r)).toBe('');
      expect(r.exitCode).toBe(0);
      const runId = [...kfp.runs.keys()][0]!;
      expect(r.outputs).toEqual({
        'run-id': runId,
        state: 'SUCCEEDED',
        'run-url': `${kfp.url}/#/runs/details/${runId}`,
        'run-details': expect.stringMatching(
          new RegExp(`^${r.runnerTemp}/kfp-run-and-wait-\\w+/run-details\\.json$`),
        ) as unknown,
      });
      const details = JSON.parse(readFileSync(r.outputs['run-details']!, 'utf8')) as {
        state: string;
        run_details: { task_details: unknown[] };
      };
      expect(details.state).toBe('SUCCEEDED');
      expect(details.run_details.task_details).toHaveLength(2);
      expect(r.summary).toContain('## ✅ kfp-run-and-wait: run succeeded');
      expect(r.summary).toContain('| train | ✅ SUCCEEDED | 1m8s |');
      expect(r.summary).toMatch(/- Created experiment `nightly`/);
      expect(r.log).toContain(`::add-mask::${TOKEN}`);
      expect(r.maskedLog).not.toContain(TOKEN);
      expect(r.post?.exitCode).toBe(0);
      expect(terminates()).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('a FAILED run fails the step with each failed task and its error', async () => {
    kfp.script([
      { state: 'RUNNING' },
      {
        state: 'FAILED',
        tasks: [
          { name: 'train', state: 'FAILED', error: 'ValueError: lr must be positive' },
          { name: 'export', state: 'FAILED', error: 'upstream failed' },
        ],
      },
    ]);
    const r = await run({});
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toMatch(
      /^kfp-run-and-wait: run run-\S+ ended FAILED:\n {2}- train: ValueError: lr must be positive\n {2}- export: upstream failed\n/,
    );
    expect(r.outputs.state).toBe('FAILED');
    expect(r.summary).toContain('### Failed tasks');
    expect(r.summary).toContain('| train | ValueError: lr must be positive |');
  });

  it('wait: false returns after creation and the post step leaves the run alone', async () => {
    const r = await run({ wait: 'false' });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.state).toBe('PENDING');
    expect(kfp.polls()).toBe(0);
    expect(r.post?.exitCode).toBe(0);
    expect(terminates()).toEqual([]);
  });

  it('job cancelled (SIGINT) mid-wait: the run is cancelled in KFP by main', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    const r = await run(
      {},
      {
        onStart: (child) => {
          void kfp.next('GET', RUN_GET).then(() => child.kill('SIGINT'));
        },
      },
    );
    expect(r.exitCode).toBe(1);
    const runId = [...kfp.runs.keys()][0]!;
    expect(terminates()).toEqual([`/apis/v2beta1/runs/${runId}:terminate`]);
    expect(lastError(r)).toMatch(
      new RegExp(
        `the job was cancelled while run ${runId} was (PENDING|RUNNING); the run was cancelled in KFP`,
      ),
    );
    expect(lastError(r)).toContain('the run was cancelled in KFP');
    expect(r.summary).toContain('kfp-run-and-wait: cancelled');
    expect(r.summary).toContain(`Cancelled run ${runId} in KFP`);
    // Settled by main: the post step has nothing left to do.
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.annotations).toEqual([]);
  });

  it('a server that hangs: the step fails at its timeout and cancels the run', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    kfp.fault({ method: 'GET', path: RUN_GET, status: 'hang', times: 100 });
    const r = await run({ timeout: '3s' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toMatch(
      /run \S+ timed out after 3s in state PENDING; the run was cancelled in KFP/,
    );
    expect(terminates()).toHaveLength(1);
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('the post step cancels a run main could not cancel', async () => {
    kfp.script([{ state: 'RUNNING' }]);
    kfp.fault({
      method: 'POST',
      path: /:terminate$/,
      status: 403,
      message: 'PermissionDenied: once',
    });
    const r = await run({ timeout: '2s' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('the post step tries again');
    expect(terminates()).toHaveLength(2);
    const runId = [...kfp.runs.keys()][0]!;
    expect(kfp.runs.get(runId)?.terminated).not.toBe('no');
    expect(r.post?.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining(`Cancelled run ${runId} in KFP (it was`),
    ]);
  });

  it('cookie auth: the Cookie header is sent, the session masked', async () => {
    await kfp.stop();
    const cookie = 'oauth2_proxy_kubeflow=c2Vzc2lvbi1zZWNyZXQtdmFsdWU';
    kfp = await startKfpFake({ cookie });
    const r = await run({ token: '', cookie, wait: 'false' });
    expect(lastError(r)).toBe('');
    expect(kfp.requests.every((q) => q.headers.cookie === cookie)).toBe(true);
    expect(r.maskedLog).not.toContain('c2Vzc2lvbi1zZWNyZXQtdmFsdWU');
  });

  it('iap-audience: a Google ID token from ADC (GCE metadata here) is sent as bearer, masked', async () => {
    const idToken = 'eyJhbGciOiJSUzI1NiJ9.gce-identity-for-iap.c2ln';
    const audience = '123-abc.apps.googleusercontent.com';
    const metadata = await startFake('gce-metadata', (req): FakeResponse => {
      if (req.headers['metadata-flavor'] !== 'Google') return { status: 403, body: 'no flavor' };
      if (req.path === '/computeMetadata/v1/instance/service-accounts/default/identity') {
        expect(req.query.get('audience')).toBe(audience);
        return {
          status: 200,
          headers: { 'metadata-flavor': 'Google', 'content-type': 'application/text' },
          body: idToken,
        };
      }
      return { status: 404, headers: { 'metadata-flavor': 'Google' }, body: 'not here' };
    });
    const home = mkdtempSync(path.join(tmpdir(), 'kfp-iap-home-'));
    await kfp.stop();
    kfp = await startKfpFake({ token: idToken });
    try {
      const r = await runAction('kfp-run-and-wait', {
        workspace: FIXTURES,
        inputs: {
          host: kfp.url,
          'iap-audience': audience,
          'pipeline-file': 'pipeline.yaml',
          parameters: 'lr: 0.2',
          wait: 'false',
        },
        env: {
          HOME: home,
          GCE_METADATA_HOST: new URL(metadata.url).host,
          METADATA_SERVER_DETECTION: 'assume-present',
        },
      });
      expect(lastError(r)).toBe('');
      expect(r.exitCode).toBe(0);
      expect(kfp.runs.size).toBe(1);
      expect(kfp.requests.every((q) => q.headers.authorization === `Bearer ${idToken}`)).toBe(true);
      expect(r.log).toContain(`::add-mask::${idToken}`);
      expect(r.maskedLog).not.toContain(idToken);
      expect(metadata.errors).toEqual([]);
    } finally {
      await metadata.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('iap-audience with Workload Identity Federation: the federated token mints the ID token', async () => {
    const idToken = 'eyJhbGciOiJSUzI1NiJ9.wif-identity-for-iap.c2ln';
    const audience = '123-abc.apps.googleusercontent.com';
    const sa = 'kfp-runner@my-project.iam.gserviceaccount.com';
    const google = await startFake('google-sts-iam', (req): FakeResponse => {
      if (req.method === 'POST' && req.path === '/v1/token') {
        const form = new URLSearchParams(req.body);
        if (form.get('subject_token') !== 'github-oidc-jwt')
          return json(400, { error: 'invalid_grant' });
        return json(200, {
          access_token: 'federated-access-token',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        });
      }
      if (
        req.method === 'POST' &&
        req.path === `/v1/projects/-/serviceAccounts/${sa}:generateIdToken`
      ) {
        if (req.headers.authorization !== 'Bearer federated-access-token')
          return json(403, { error: { code: 403, message: 'PERMISSION_DENIED' } });
        expect(JSON.parse(req.body)).toMatchObject({ audience, includeEmail: true });
        return json(200, { token: idToken });
      }
      return json(404, { error: { code: 404, message: `unexpected ${req.method} ${req.path}` } });
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'kfp-wif-'));
    writeFileSync(path.join(dir, 'oidc-token'), 'github-oidc-jwt');
    writeFileSync(
      path.join(dir, 'adc.json'),
      JSON.stringify({
        type: 'external_account',
        audience:
          '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/github/providers/github',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${google.url}/v1/token`,
        credential_source: { file: path.join(dir, 'oidc-token'), format: { type: 'text' } },
        service_account_impersonation_url: `${google.url}/v1/projects/-/serviceAccounts/${sa}:generateAccessToken`,
      }),
    );
    await kfp.stop();
    kfp = await startKfpFake({ token: idToken });
    try {
      const r = await runAction('kfp-run-and-wait', {
        workspace: FIXTURES,
        inputs: {
          host: kfp.url,
          'iap-audience': audience,
          'pipeline-file': 'pipeline.yaml',
          parameters: 'lr: 0.2',
          wait: 'false',
        },
        env: {
          HOME: dir,
          GOOGLE_APPLICATION_CREDENTIALS: path.join(dir, 'adc.json'),
          METADATA_SERVER_DETECTION: 'none',
        },
      });
      expect(lastError(r)).toBe('');
      expect(kfp.runs.size).toBe(1);
      expect(kfp.requests.every((q) => q.headers.authorization === `Bearer ${idToken}`)).toBe(true);
      expect(r.maskedLog).not.toContain(idToken);
      expect(google.errors).toEqual([]);
      // generateAccessToken (the service account's own token) was never needed.
      expect(google.requests.map((q) => q.path)).toEqual([
        '/v1/token',
        `/v1/projects/-/serviceAccounts/${sa}:generateIdToken`,
      ]);
    } finally {
      await google.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a 401 says which input to check, and the token stays masked', async () => {
    const r = await run({ token: 'expired-token-0f9e8d7c' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('KFP refused the credentials (HTTP 401)');
    expect(lastError(r)).toContain("Check the 'token' input");
    expect(r.maskedLog).not.toContain('expired-token-0f9e8d7c');
    expect(kfp.runs.size).toBe(0);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'no pipeline source',
      { 'pipeline-file': '' },
      "Set one of the inputs 'pipeline-file', 'pipeline-id'.",
    ],
    [
      'two sources',
      { 'pipeline-id': 'p-1' },
      "Inputs 'pipeline-file' and 'pipeline-id' cannot be used together",
    ],
    [
      'an unknown parameter',
      { parameters: 'learning_rate: 1' },
      "Input 'parameters': unknown parameter 'learning_rate'",
    ],
    [
      'a file that is not a PipelineSpec',
      { 'pipeline-file': 'not-a-pipeline.yaml' },
      'not-a-pipeline.yaml:2: not a compiled KFP pipeline (PipelineSpec)',
    ],
  ])('bad input (%s): one clear error, no request made', async (_name, inputs, message) => {
    const r = await run(inputs);
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(message);
    expect(kfp.requests).toEqual([]);
    expect(r.post?.exitCode).toBe(0);
  });

  it('an unreachable host', async () => {
    const url = kfp.url;
    await kfp.stop();
    kfp = await startKfpFake();
    const r = await run({ host: url });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toBe(
      `kfp-run-and-wait: cannot reach KFP at ${url}: GET ${url}/apis/v2beta1/healthz failed: ECONNREFUSED. Check 'host' and that the runner can reach it.`,
    );
  });
});
