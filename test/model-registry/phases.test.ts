/**
 * model-registry's phases over the MLflow fake (real HTTP through shared/http), with a
 * recording logger: resolution by each selector across search pages, the gate against the
 * champion, promotion's race checks, rollback's refusal, errors that name what failed.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getInputs } from '../../actions/model-registry/inputs.ts';
import { MlflowClient } from '../../actions/model-registry/mlflow.ts';
import {
  registryReport,
  type RegistryContext,
  type RegistryReport,
} from '../../actions/model-registry/report.ts';
import { registryPhases } from '../../actions/model-registry/run.ts';
import { systemClock } from '../../shared/clock.ts';
import { createHttpClient } from '../../shared/http.ts';
import { mapInputs } from '../../shared/inputs.ts';
import { runPhases } from '../../shared/phases.ts';
import { RecordingLogger } from '../harness/doubles.ts';
import { json } from '../harness/fakes/http-fake.ts';
import { mlflowError, startMlflowFake, type MlflowFake } from '../harness/fakes/mlflow.ts';

const RUN_A = 'a'.repeat(32);
const RUN_B = 'b'.repeat(32);
const RUN_C = 'c'.repeat(32);
const SHA = '1'.repeat(40);

let fake: MlflowFake;
let dir: string;
beforeEach(async () => {
  fake = await startMlflowFake({ token: 'fake-token' });
  dir = mkdtempSync(path.join(tmpdir(), 'mr-phases-'));
  fake.addModel(
    'iris',
    [
      { version: '1', source: 's3://models/iris/1', run_id: RUN_A, current_stage: 'Archived' },
      { version: '2', source: 's3://models/iris/2', run_id: RUN_B, current_stage: 'Production' },
      { version: '3', source: 's3://models/iris/3', run_id: RUN_C },
      { version: '4', source: 's3://models/iris/4', run_id: RUN_C },
      { version: '5', source: 's3://models/iris/5', status: 'PENDING_REGISTRATION' },
      { version: '6', source: 's3://models/iris/6', run_id: RUN_C },
    ],
    { champion: '2' },
  );
  fake.runs.set(RUN_B, { metrics: { accuracy: 0.94, rmse: 0.24 }, params: { depth: '3' } });
  fake.runs.set(RUN_C, {
    metrics: { accuracy: 0.95, rmse: 0.22, loss: 'NaN' },
    params: { depth: '4', note: 'a\nb' },
  });
});
afterEach(async () => {
  expect(fake.errors).toEqual([]);
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

function contextOf(values: Record<string, string>): {
  ctx: RegistryContext;
  logger: RecordingLogger;
} {
  const inputs = getInputs(
    mapInputs({ 'tracking-uri': fake.url, 'model-name': 'iris', token: 'fake-token', ...values }),
    { RUNNER_TEMP: dir },
  );
  const logger = new RecordingLogger();
  const http = createHttpClient({
    clock: systemClock,
    timeoutMs: 5000,
    baseDelayMs: 1,
    maxDelayMs: 5,
    authHeaders: () => Promise.resolve({ authorization: 'Bearer fake-token' }),
    onRetry: (m) => logger.info(m),
  });
  const signal = new AbortController().signal;
  const ctx: RegistryContext = {
    inputs,
    mlflow: new MlflowClient({ trackingUri: inputs.trackingUri, http, signal }),
    clock: systemClock,
    logger,
    signal,
    facts: { commit: SHA, runUrl: 'https://github.com/o/r/actions/runs/9' },
    writeMetrics: (text) => {
      const file = path.join(dir, 'metrics.json');
      writeFileSync(file, text);
      return Promise.resolve(file);
    },
  };
  return { ctx, logger };
}

async function run(
  values: Record<string, string>,
): Promise<{ report: RegistryReport; logger: RecordingLogger }> {
  const { ctx, logger } = contextOf(values);
  const report = registryReport(ctx);
  await runPhases(registryPhases, ctx, report);
  return { report, logger };
}

describe('resolve', () => {
  it('by run-id across search pages: the highest version of the run, its metrics file and params', async () => {
    const { report, logger } = await run({ 'run-id': RUN_C });
    expect(report.version).toEqual({
      version: '6',
      source: 's3://models/iris/6',
      runId: RUN_C,
      status: 'READY',
    });
    expect(JSON.parse(readFileSync(report.metricsPath as string, 'utf8'))).toEqual({
      accuracy: 0.95,
      rmse: 0.22,
    });
    expect(report.params).toEqual({ depth: '4', note: 'a\nb' });
    expect(logger.messages('warning')).toEqual([
      expect.stringContaining('loss are NaN or infinite'),
    ]);
    // Three versions of the run at two per page: two search pages.
    expect(fake.calls().filter((c) => c.includes('/model-versions/search'))).toHaveLength(2);
    expect(report.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'resolve version:done',
      'read run:done',
      'write metrics:done',
      'gate:skipped',
      'promote:skipped',
      'rollback:skipped',
    ]);
  });

  it('by alias, stage and number', async () => {
    expect((await run({ alias: 'champion' })).report.version?.version).toBe('2');
    expect((await run({ stage: 'Production' })).report.version?.version).toBe('2');
    expect((await run({ version: '3' })).report.version?.version).toBe('3');
  });

  it('latest: the highest version, across three search pages', async () => {
    expect((await run({ version: 'latest' })).report.version?.version).toBe('6');
    expect(fake.calls().filter((c) => c.includes('/model-versions/search'))).toHaveLength(3);
  });

  it('refuses a version that is not READY', async () => {
    await expect(run({ version: '5' })).rejects.toThrow(
      "model 'iris' version 5 is PENDING_REGISTRATION, not READY",
    );
  });

  it.each([
    [{ version: '9' }, "model 'iris' version 9 does not exist (HTTP 404): RESOURCE_DOES_NOT_EXIST"],
    [{ alias: 'nope' }, "model 'iris' has no alias 'nope'"],
    [{ stage: 'Staging' }, "model 'iris' has no version in stage 'Staging'"],
    [
      { 'run-id': 'd'.repeat(32) },
      `model 'iris' has no version registered from run ${'d'.repeat(32)}`,
    ],
    [{ version: '1' }, `run ${RUN_A} does not exist (HTTP 404)`],
  ])('%j fails naming what: %s', async (values, message) => {
    await expect(run(values)).rejects.toThrow(message);
  });

  it('a model that does not exist is named before any alias', async () => {
    await expect(run({ alias: 'champion', 'model-name': 'rose' })).rejects.toThrow(
      "MLflow: model 'rose' does not exist (HTTP 404): RESOURCE_DOES_NOT_EXIST: Registered Model with name=rose not found",
    );
  });
});

describe('gate', () => {
  it('passes thresholds and beats the champion; the champion version is reported', async () => {
    const { report } = await run({
      version: '4',
      'min-metrics': 'accuracy>=0.9, rmse<=0.3',
      'must-beat': 'champion',
    });
    expect(report.passed).toBe(true);
    expect(report.champion).toEqual({
      alias: 'champion',
      version: '2',
      metrics: { accuracy: 0.94, rmse: 0.24 },
    });
    expect(report.checks.map((c) => `${c.metric} ${c.rule} ${c.verdict}`)).toEqual([
      'accuracy >= 0.9 pass',
      'rmse <= 0.3 pass',
      'accuracy >= champion − 0 pass',
      'rmse <= champion + 0 pass',
    ]);
  });

  it('fails a candidate worse than the champion and one missing a metric, without throwing', async () => {
    fake.runs.set(RUN_C, { metrics: { accuracy: 0.93 } });
    const { report } = await run({
      version: '4',
      'min-metrics': 'accuracy>=0.9, f1>=0.8',
      'must-beat': 'champion',
      tolerance: '0.005',
    });
    expect(report.passed).toBe(false);
    expect(report.checks.filter((c) => c.verdict === 'fail').map((c) => c.why)).toEqual([
      'f1 is missing on the run',
      'accuracy 0.93 vs champion 0.94 (-0.01, tolerance 0.005)',
    ]);
    expect(report.checks.at(-1)?.why).toBe("the champion's run has no f1: not compared");
  });

  it('no champion yet (the alias is not set) passes, said so', async () => {
    fake.models.get('iris')?.aliases.clear();
    const { report, logger } = await run({
      version: '4',
      'min-metrics': 'accuracy>=0.9',
      'must-beat': 'champion',
    });
    expect(report.passed).toBe(true);
    expect(report.champion).toEqual({ alias: 'champion' });
    expect(logger.text()).toContain("Alias 'champion' is not set: no champion to beat");
  });
});

describe('promote', () => {
  const PROMOTE = {
    operation: 'promote',
    version: '4',
    'promote-to': 'champion',
    'image-ref': 'ghcr.io/o/iris:ct-1',
    environment: 'production',
  };

  it('moves the alias, reads it back and tags the version', async () => {
    const { report } = await run({ ...PROMOTE, 'expect-alias-version': '2' });
    expect(report.alias).toEqual({ name: 'champion', before: '2', after: '4' });
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('4');
    expect(fake.models.get('iris')?.versions.find((v) => v.version === '4')?.tags).toEqual({
      'deployed.image-ref': 'ghcr.io/o/iris:ct-1',
      'deployed.environment': 'production',
      'deployed.commit': SHA,
      'deployed.run-url': 'https://github.com/o/r/actions/runs/9',
    });
  });

  it('a re-run after a promotion that succeeded is no race: the alias already points here', async () => {
    fake.models.get('iris')?.aliases.set('champion', '4');
    const { report } = await run({ ...PROMOTE, 'expect-alias-version': '2' });
    expect(report.alias).toEqual({ name: 'champion', before: '4', after: '4' });
    expect(fake.calls()).not.toContain('POST /mlflow/registered-models/alias');
  });

  it('an alias that moved since the gate: fails, the alias untouched, nothing tagged', async () => {
    fake.models.get('iris')?.aliases.set('champion', '3');
    await expect(run({ ...PROMOTE, 'expect-alias-version': '2' })).rejects.toThrow(
      "alias 'champion' of model 'iris' moved: it points at version 3, not version 2 as when this run was gated",
    );
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('3');
    expect(fake.calls().filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it("expect-alias-version 'none': a first promotion sets the alias that was not set", async () => {
    fake.models.get('iris')?.aliases.delete('champion');
    const { report } = await run({ ...PROMOTE, 'expect-alias-version': 'none' });
    expect(report.alias).toEqual({ name: 'champion', before: '', after: '4' });
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('4');
  });

  it("expect-alias-version 'none' but the alias was set since: fails, the alias untouched", async () => {
    await expect(run({ ...PROMOTE, 'expect-alias-version': 'none' })).rejects.toThrow(
      "alias 'champion' of model 'iris' moved: it points at version 2, not no version as when this run was gated",
    );
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('2');
    expect(fake.calls().filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('a write landing between the set and the read-back is caught', async () => {
    // Another pipeline's write right after ours: the fake applies it just before our
    // read-back, the second GET of the alias (the first is the check before the set).
    fake.injectAt('GET /mlflow/registered-models/alias', 2, {
      before: () => fake.models.get('iris')?.aliases.set('champion', '3'),
    });
    await expect(run(PROMOTE)).rejects.toThrow(
      'was set to version 4 but now points at version 3: another pipeline promoted at the same moment',
    );
    // One write of ours, read back once after it; no tag written.
    expect(fake.calls().filter((c) => c.endsWith('/registered-models/alias'))).toEqual([
      'GET /mlflow/registered-models/alias',
      'POST /mlflow/registered-models/alias',
      'GET /mlflow/registered-models/alias',
    ]);
    expect(fake.calls().filter((c) => c.includes('set-tag'))).toEqual([]);
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('3');
  });

  it('retries a 503 with Retry-After and a 429 on the alias write (idempotent)', async () => {
    const busy = mlflowError('TEMPORARILY_UNAVAILABLE', 'busy');
    fake.inject('POST /mlflow/registered-models/alias', {
      ...busy,
      headers: { ...busy.headers, 'retry-after': '0' },
    });
    fake.inject(
      '/mlflow/model-versions/set-tag',
      json(
        429,
        { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' },
        { 'retry-after': '0' },
      ),
    );
    const { report, logger } = await run(PROMOTE);
    expect(report.alias?.after).toBe('4');
    expect(fake.calls().filter((c) => c === 'POST /mlflow/registered-models/alias')).toHaveLength(
      2,
    );
    expect(logger.text()).toMatch(/HTTP 503/);
    expect(logger.text()).toMatch(/HTTP 429/);
  });
});

describe('rollback', () => {
  const ROLLBACK = {
    operation: 'rollback',
    'promote-to': 'champion',
    version: '4',
    'previous-version': '2',
  };

  it('points the alias back while it still points at the version this run promoted', async () => {
    fake.models.get('iris')?.aliases.set('champion', '4');
    const { report } = await run(ROLLBACK);
    expect(report.alias).toEqual({ name: 'champion', before: '4', after: '2' });
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('2');
  });

  it('refuses when someone promoted since, unless forced', async () => {
    fake.models.get('iris')?.aliases.set('champion', '3');
    await expect(run(ROLLBACK)).rejects.toThrow(
      'points at version 3, not version 4 that this run promoted',
    );
    expect(fake.models.get('iris')?.aliases.get('champion')).toBe('3');
    const { report, logger } = await run({ ...ROLLBACK, force: 'true' });
    expect(report.alias?.after).toBe('2');
    expect(logger.messages('warning')).toEqual([expect.stringContaining('rolling back anyway')]);
  });

  it('forced without a version: an unknown model is an error, not an alias that points nowhere', async () => {
    await expect(
      run({ operation: 'rollback', 'promote-to': 'champion', force: 'true', 'model-name': 'rose' }),
    ).rejects.toThrow("model 'rose' does not exist");
  });

  it('an empty previous-version deletes the alias (it pointed nowhere before)', async () => {
    fake.models.get('iris')?.aliases.set('champion', '4');
    const { report } = await run({ ...ROLLBACK, 'previous-version': '' });
    expect(report.alias).toEqual({ name: 'champion', before: '4', after: '' });
    expect(fake.models.get('iris')?.aliases.has('champion')).toBe(false);
    expect(fake.calls()).toContain('DELETE /mlflow/registered-models/alias');
  });
});

describe('hostile server values', () => {
  it.each([
    ['a source with a newline', { source: 's3://m/4\nkind: Secret' }, 'MLflow source of model'],
    ['a source with a space', { source: 's3://m/4 --x' }, 'MLflow source of model'],
    ['a version that is not a number', { version: '4; rm' }, 'MLflow version of model'],
    ['a run id that climbs', { run_id: '../../etc' }, 'MLflow run_id of model'],
  ])('%s is refused, named', async (_what, patch, message) => {
    fake.inject(
      '/mlflow/model-versions/get',
      json(200, {
        model_version: {
          name: 'iris',
          version: '4',
          source: 's3://m/4',
          run_id: RUN_C,
          status: 'READY',
          ...patch,
        },
      }),
    );
    await expect(run({ version: '4' })).rejects.toThrow(message);
  });

  it('a metric key with a newline or a value that is not a number is refused', async () => {
    fake.runs.set(RUN_C, { metrics: { 'acc\n::set-output': 1 } });
    await expect(run({ version: '4' })).rejects.toThrow(`MLflow metric key of run ${RUN_C}`);
    fake.runs.set(RUN_C, { metrics: { acc: '0.9; x' } });
    await expect(run({ version: '4' })).rejects.toThrow(
      `MLflow metric acc of run ${RUN_C} from the server is not a number`,
    );
  });
});
