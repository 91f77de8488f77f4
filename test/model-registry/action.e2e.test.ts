/**
 * model-registry end to end: the real bundle (dist/) run as the GitHub runner runs it,
 * against the MLflow fake — resolve and gate, promote and roll back, two promotions at
 * once, retries and named errors, hostile server values, and no secret anywhere it could
 * leak (log, outputs, summary, the metrics file).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseMetrics } from '../../actions/pr-deploy-comment/metrics.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';
import { json } from '../harness/fakes/http-fake.ts';
import { mlflowError, startMlflowFake, type MlflowFake } from '../harness/fakes/mlflow.ts';

const TOKEN = 'mlflow-secret-token-5f3a';
const USER = 'ci-bot';
const PASSWORD = 'basic-secret-pw-77c1';
const RUN_NEW = 'c'.repeat(32);
const RUN_OLD = 'b'.repeat(32);
const SHA = '0123456789abcdef0123456789abcdef01234567';

let fake: MlflowFake;
const runs: ActionRunResult[] = [];
afterEach(async () => {
  for (const r of runs.splice(0)) r.cleanup();
  expect(fake.errors).toEqual([]);
  await fake.stop();
});

function seed(f: MlflowFake): void {
  f.addModel(
    'iris',
    [
      { version: '1', source: 'gs://models/iris/1', run_id: RUN_OLD },
      { version: '2', source: 'gs://models/iris/2', run_id: RUN_OLD },
      { version: '3', source: 'gs://models/iris/3', run_id: RUN_NEW },
    ],
    { champion: '2' },
  );
  f.runs.set(RUN_OLD, { metrics: { accuracy: 0.94, f1: 0.9 }, params: { depth: '3' } });
  f.runs.set(RUN_NEW, {
    metrics: { accuracy: 0.96, f1: 0.91 },
    params: { depth: '4', data: 'gs://d/2026-11-28' },
  });
}

async function step(
  inputs: Record<string, string>,
  auth: Record<string, string> = { token: TOKEN },
): Promise<ActionRunResult> {
  const r = await runAction('model-registry', {
    inputs: { 'tracking-uri': fake.url, 'model-name': 'iris', ...auth, ...inputs },
    keep: true,
  });
  runs.push(r);
  return r;
}

/** Every file the step left in RUNNER_TEMP, read. */
function filesLeft(r: ActionRunResult): string {
  return (readdirSync(r.runnerTemp, { recursive: true }) as string[])
    .map((f) => path.join(r.runnerTemp, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

function expectNoSecret(r: ActionRunResult, secrets: string[]): void {
  // The raw log holds each secret once, in the ::add-mask:: command that hides it.
  const unmaskedLines = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
  const places = {
    log: unmaskedLines.join('\n'),
    shown: r.maskedLog,
    outputs: JSON.stringify(r.outputs),
    summary: r.summary,
    files: filesLeft(r),
  };
  for (const secret of secrets) {
    for (const [where, text] of Object.entries(places))
      expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
  }
}

describe('model-registry (bundle)', () => {
  beforeEach(async () => {
    fake = await startMlflowFake({ token: TOKEN });
    seed(fake);
  });

  it('resolves the run’s version, gates it against the champion: outputs, metrics file, summary; the token nowhere', async () => {
    const r = await step({
      'run-id': RUN_NEW,
      'min-metrics': 'accuracy>=0.9, f1>=0.85',
      'must-beat': 'champion',
      tolerance: '1%',
    });
    expect(lastError(r)).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      version: '3',
      source: 'gs://models/iris/3',
      'run-id': RUN_NEW,
      passed: 'true',
      'champion-version': '2',
    });
    expect(JSON.parse(r.outputs.params ?? '')).toEqual({ data: 'gs://d/2026-11-28', depth: '4' });
    const metricsFile = r.outputs.metrics ?? '';
    expect(metricsFile.startsWith(r.runnerTemp)).toBe(true);
    // pr-deploy-comment's parser reads it as it is.
    expect(parseMetrics(readFileSync(metricsFile, 'utf8'), 'metrics')).toEqual([
      { name: 'accuracy', value: 0.96 },
      { name: 'f1', value: 0.91 },
    ]);
    expect(r.summary).toContain('| metric | candidate | champion (v2) | threshold | verdict |');
    expect(r.summary).toContain('| `accuracy` | 0.96 | 0.94 | >= champion − 1% | ✅ pass');
    expect(r.masks).toContain(TOKEN);
    expectNoSecret(r, [TOKEN]);
  });

  it('a failed gate fails the step naming the metric; fail-on-gate false only reports', async () => {
    fake.runs.set(RUN_NEW, { metrics: { accuracy: 0.92, f1: 0.91 } });
    const failed = await step({
      version: '3',
      'min-metrics': 'accuracy>=0.9',
      'must-beat': 'champion',
    });
    expect(failed.exitCode).not.toBe(0);
    expect(lastError(failed)).toBe(
      "model-registry: gate failed for model 'iris' version 3: accuracy 0.92 vs champion 0.94 (-0.02, tolerance 0)",
    );
    expect(failed.outputs.passed).toBe('false');
    expect(failed.summary).toContain('gate failed');
    const reported = await step({
      version: '3',
      'min-metrics': 'accuracy>=0.9',
      'must-beat': 'champion',
      'fail-on-gate': 'false',
    });
    expect(reported.exitCode).toBe(0);
    expect(reported.outputs.passed).toBe('false');
    expect(reported.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual(
      [expect.stringContaining('(fail-on-gate: false)')],
    );
  });

  it('retries a 503 with Retry-After; a missing model is named', async () => {
    fake.inject(
      '/mlflow/registered-models/get',
      json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }, { 'retry-after': '1' }),
    );
    const ok = await step({ alias: 'champion' });
    expect(ok.exitCode).toBe(0);
    expect(ok.outputs.version).toBe('2');
    expect(fake.calls().filter((c) => c === 'GET /mlflow/registered-models/get')).toHaveLength(2);
    const rose = await runAction('model-registry', {
      inputs: { 'tracking-uri': fake.url, 'model-name': 'rose', token: TOKEN, version: '1' },
      keep: true,
    });
    runs.push(rose);
    expect(lastError(rose)).toBe(
      "model-registry: MLflow: model 'rose' does not exist (HTTP 404): RESOURCE_DOES_NOT_EXIST: Registered Model with name=rose not found",
    );
    expect(rose.outputs).toEqual({});
  });

  it('a source URI that would break a storageUri is refused: no outputs, named', async () => {
    fake.inject(
      '/mlflow/model-versions/get',
      json(200, {
        model_version: {
          name: 'iris',
          version: '3',
          source: 'gs://m/3\nkind: Secret',
          run_id: RUN_NEW,
          status: 'READY',
        },
      }),
    );
    const r = await step({ version: '3' });
    expect(r.exitCode).not.toBe(0);
    expect(lastError(r)).toContain(
      "MLflow source of model 'iris' version 3 from the server is not a valid value",
    );
    expect(r.outputs).toEqual({});
    expect(r.log).not.toMatch(/^kind: Secret/m);
  });

  it('a hung server: the step ends at its timeout, naming the request', async () => {
    void fake.stall('/mlflow/registered-models/get');
    const r = await step({ version: '3', timeout: '2s' });
    expect(r.exitCode).not.toBe(0);
    expect(r.durationMs).toBeLessThan(15_000);
    expect(lastError(r)).toContain(
      "did not answer for model 'iris' within the time left (input 'timeout')",
    );
    expect(r.outputs).toEqual({});
  });

  it('a cancelled job stops at once, reported as cancelled', async () => {
    const arrived = fake.stall('/mlflow/registered-models/get');
    const r = await runAction('model-registry', {
      inputs: { 'tracking-uri': fake.url, 'model-name': 'iris', token: TOKEN, version: '3' },
      keep: true,
      onStart: (child) => void arrived.then(() => child.kill('SIGTERM')),
    });
    runs.push(r);
    expect(r.exitCode).not.toBe(0);
    expect(lastError(r)).toMatch(/^model-registry: cancelled/);
    expect(r.outputs).toEqual({});
  });

  it('a Retry-After past the timeout is not waited for', async () => {
    fake.inject(
      '/mlflow/registered-models/get',
      json(
        503,
        { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'maintenance' },
        { 'retry-after': '3600' },
      ),
    );
    const r = await step({ version: '3', timeout: '3s' });
    expect(r.exitCode).not.toBe(0);
    expect(r.durationMs).toBeLessThan(15_000);
    expect(lastError(r)).toContain(
      "MLflow failed model 'iris' with HTTP 503: TEMPORARILY_UNAVAILABLE: maintenance",
    );
  });

  it('a wrong token: one line saying so, the token nowhere', async () => {
    const r = await step({ version: '3' }, { token: 'wrong-token-0000' });
    expect(lastError(r)).toMatch(
      /^model-registry: MLflow refused the credentials \(HTTP 401\) for model 'iris': UNAUTHENTICATED/,
    );
    expectNoSecret(r, ['wrong-token-0000']);
  });
});

describe('model-registry promote and rollback (bundle, basic auth)', () => {
  beforeEach(async () => {
    fake = await startMlflowFake({ basic: { username: USER, password: PASSWORD } });
    seed(fake);
  });
  const BASIC = { username: USER, password: PASSWORD };
  const basicHeader = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

  it('promotes with tags and previous-version, then rolls back; no password or header anywhere', async () => {
    const promoted = await step(
      {
        operation: 'promote',
        version: '3',
        'promote-to': 'champion',
        'expect-alias-version': '2',
        'image-ref': 'ghcr.io/octo-org/iris:ct-1001',
        environment: 'production',
      },
      BASIC,
    );
    expect(lastError(promoted)).toBe('');
    expect(promoted.outputs).toEqual({
      version: '3',
      source: 'gs://models/iris/3',
      'run-id': RUN_NEW,
      'previous-version': '2',
    });
    expect(fake.models.get('iris')?.versions.find((v) => v.version === '3')?.tags).toEqual({
      'deployed.image-ref': 'ghcr.io/octo-org/iris:ct-1001',
      'deployed.environment': 'production',
      'deployed.commit': SHA,
      'deployed.run-url': 'https://github.com/octo-org/model-service/actions/runs/1001',
    });
    expect(promoted.summary).toContain('**alias** `champion`: version 2 → version 3');
    const back = await step(
      { operation: 'rollback', version: '3', 'promote-to': 'champion', 'previous-version': '2' },
      BASIC,
    );
    expect(lastError(back)).toBe('');
    expect(back.outputs).toEqual({ version: '2', 'previous-version': '3' });
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('2');
    for (const r of [promoted, back]) expectNoSecret(r, [PASSWORD, basicHeader]);
  });

  it('two promotions at once: the one whose write was overwritten fails, saying so', async () => {
    const met = fake.holdAliasWrites(2);
    const [a, b] = await Promise.all([
      step({ operation: 'promote', version: '3', 'promote-to': 'champion' }, BASIC),
      step({ operation: 'promote', version: '1', 'promote-to': 'champion' }, BASIC),
    ]);
    // Both writes met at the fake (a missed one rejects here, naming how many came).
    await expect(met).resolves.toBeUndefined();
    const results = [a, b].map((r) => ({ code: r.exitCode === 0 ? 0 : 1, error: lastError(r) }));
    const last = fake.models.get('iris')?.aliases.get('champion');
    const loser = last === '3' ? results[1] : results[0];
    const winner = last === '3' ? results[0] : results[1];
    expect(winner).toEqual({ code: 0, error: '' });
    expect(loser?.code).toBe(1);
    expect(loser?.error).toContain(
      'another pipeline promoted at the same moment and its write came last',
    );
    // The loser names no version: a rollback keyed on it does not run.
    expect([a, b].find((r) => r.exitCode !== 0)?.outputs).toEqual({});
    // Only the winner tagged its version.
    const tagged = fake.models
      .get('iris')
      ?.versions.filter((v) => v.tags?.['deployed.commit'])
      .map((v) => v.version);
    expect(tagged).toEqual([last]);
  });

  it('a read-only user gets one line naming the permission, the alias unchanged', async () => {
    await fake.stop();
    fake = await startMlflowFake({ basic: { username: USER, password: PASSWORD, readOnly: true } });
    seed(fake);
    const r = await step({ operation: 'promote', version: '3', 'promote-to': 'champion' }, BASIC);
    expect(lastError(r)).toContain(
      "MLflow denied alias 'champion' of model 'iris' → version 3 (HTTP 403): Permission denied. The user needs READ on the registered model to resolve, EDIT to promote or roll back.",
    );
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('2');
    expect(mlflowError('PERMISSION_DENIED', 'x').status).toBe(403);
  });
});
