/**
 * setup-cluster-auth's orchestration with fake dependencies (memory state, recording logger,
 * manual clock, recorded exportVariable; an HTTP client that refuses every request): no
 * runner, no network. Main's phases and the post step's phase, in the one action shape.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import type { HttpClient } from '../../shared/http.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { runPhases } from '../../shared/phases.ts';
import { getInputs } from '../../actions/setup-cluster-auth/inputs.ts';
import type { RunDeps } from '../../actions/setup-cluster-auth/report.ts';
import { postBody } from '../../actions/setup-cluster-auth/post-wiring.ts';
import { setupBody } from '../../actions/setup-cluster-auth/wiring.ts';
import { ManualClock, MemoryState, RecordingLogger } from '../harness/doubles.ts';

const TOKEN = 'kubeconfig-token-s3cr3t';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: c
    cluster: { server: 'https://10.0.0.1:6443' }
users:
  - name: u
    user: { token: ${TOKEN} }
contexts:
  - name: ctx
    context: { cluster: c, user: u }
current-context: ctx
`;

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeDeps(runnerTemp: string) {
  const exported: [string, string][] = [];
  const refusingHttp = {
    request: () => Promise.reject(new Error('no network in this test')),
  } as unknown as HttpClient;
  const deps: RunDeps = {
    logger: new RecordingLogger(),
    state: new MemoryState(),
    http: refusingHttp,
    env: { RUNNER_TEMP: runnerTemp },
    which: () => undefined,
    userAgent: 'test',
    execCredential: { node: '/node', script: '/script.js' },
    clock: new ManualClock(0),
    exportVariable: (name, value) => exported.push([name, value]),
  };
  return { deps, exported };
}

async function setUp(values: Record<string, string>) {
  const runnerTemp = mkdtempSync(path.join(tmpdir(), 'auth-orch-'));
  temps.push(runnerTemp);
  const { deps, exported } = fakeDeps(runnerTemp);
  const inputs = getInputs(new Inputs(mapInputs(values)), { RUNNER_TEMP: runnerTemp });
  const body = setupBody(() => deps);
  const ctx = await body.context(inputs, new AbortController().signal);
  const report = body.report(ctx);
  const error = await runPhases(body.phases, ctx, report).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { runnerTemp, deps, exported, body, report, error };
}

describe('setup-cluster-auth orchestration (fakes)', () => {
  it('provider kubeconfig: every phase, 0600 kubeconfig, exports, outputs and summary from the report', async () => {
    const { deps, exported, body, report, error } = await setUp({
      provider: 'kubeconfig',
      kubeconfig: KUBECONFIG,
      namespace: 'ml',
    });
    expect(error).toBeUndefined();
    expect(report.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'mask inputs:done',
      'check kubeconfig:done',
      'make directory:done',
      'get cluster access:done',
      'write kubeconfig:done',
      'export KUBECONFIG:done',
    ]);
    const kubeconfigPath = report.result?.kubeconfigPath ?? '';
    expect(statSync(kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(kubeconfigPath, 'utf8')).toContain('https://10.0.0.1:6443');
    expect(exported).toEqual([
      ['KUBECONFIG', kubeconfigPath],
      ['KUBE_CONFIG_PATH', kubeconfigPath],
    ]);
    expect(body.outputs(report)).toEqual({
      'kubeconfig-path': kubeconfigPath,
      context: 'ctx',
      'cluster-endpoint': 'https://10.0.0.1:6443',
    });
    expect(body.summary(report)).toContain('setup-cluster-auth: ctx');
    const logger = deps.logger as RecordingLogger;
    expect(logger.secrets.has(TOKEN)).toBe(true);
    expect(logger.records.map((r) => r.message).join('\n')).not.toContain(TOKEN);
    expect((deps.state as MemoryState).values.get('kubeconfig-dir')).toBe(
      path.dirname(kubeconfigPath),
    );

    // The post step, with the same state, removes the directory.
    const post = postBody(() => ({ state: deps.state, logger: deps.logger, clock: deps.clock }));
    const postCtx = await post.context();
    const postReport = await runPhases(post.phases, postCtx, post.report(postCtx));
    expect(postReport.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'remove kubeconfig:done',
    ]);
    expect(existsSync(path.dirname(kubeconfigPath))).toBe(false);
  });

  it('a failing provider leaves no directory behind, and no outputs, exports or own summary', async () => {
    // A key naming no project and no 'project-id': GKE access fails before any request.
    const key = JSON.stringify({ type: 'service_account', client_email: 'd@p.iam' });
    const { runnerTemp, exported, body, report, error } = await setUp({
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'europe-west4',
      'credentials-json': key,
    });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^Input 'project-id' is required/);
    expect(report.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'mask inputs:done',
      'check kubeconfig:skipped',
      'make directory:done',
      'get cluster access:failed',
    ]);
    expect(readdirSync(runnerTemp)).toEqual([]);
    expect(exported).toEqual([]);
    expect(body.outputs(report, error)).toEqual({});
    expect(body.summary(report, error)).toBeUndefined();
  });
});
