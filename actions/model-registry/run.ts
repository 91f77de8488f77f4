/**
 * model-registry's phases: resolve the version → read its run → write the metrics file →
 * gate (resolve); promote the alias with a race check; roll the alias back. Plain functions
 * over the context, unit-tested against the MLflow fake.
 */
import { phase, type Phase } from '../../shared/phases.ts';
import { championChecks, thresholdChecks } from './gate.ts';
import type { ModelVersion } from './mlflow.ts';
import { findVersion } from './selectors.ts';
import { promotePhase, rollbackPhase } from './alias.ts';
import { describeVersion, type RegistryContext, type RegistryReport } from './report.ts';

export async function resolvePhase(ctx: RegistryContext, report: RegistryReport): Promise<void> {
  const sel = ctx.inputs.selector;
  if (!sel) return;
  const name = ctx.inputs.modelName;
  // The model first: "model 'x' does not exist" rather than "alias 'y' does not exist".
  await ctx.mlflow.getRegisteredModel(name);
  const v = await findVersion(ctx.mlflow, name, sel);
  if (v.status !== 'READY') {
    throw new Error(
      `MLflow: ${describeVersion(name, v)} is ${v.status}, not READY; refusing to use it.`,
    );
  }
  report.version = v;
  ctx.logger.info(
    `${describeVersion(name, v)}: source ${v.source}${v.runId ? `, run ${v.runId}` : ''}`,
  );
}

export async function readRunPhase(ctx: RegistryContext, report: RegistryReport): Promise<void> {
  const v = report.version as ModelVersion;
  if (!v.runId) {
    ctx.logger.info(
      `${describeVersion(ctx.inputs.modelName, v)} was not registered from a run: no metrics or params.`,
    );
    report.metrics = {};
    report.params = {};
    return;
  }
  const run = await ctx.mlflow.getRun(v.runId);
  report.metrics = run.metrics;
  report.params = run.params;
  if (run.skipped.length > 0) {
    ctx.logger.warning(
      `Run ${v.runId}: metrics ${run.skipped.join(', ')} are NaN or infinite; left out.`,
    );
  }
  ctx.logger.info(
    `Run ${v.runId}: ${Object.keys(run.metrics).length} metrics, ${Object.keys(run.params).length} params`,
  );
}

export async function writeMetricsPhase(
  ctx: RegistryContext,
  report: RegistryReport,
): Promise<void> {
  report.metricsPath = await ctx.writeMetrics(`${JSON.stringify(report.metrics ?? {}, null, 2)}\n`);
}

export async function gatePhase(ctx: RegistryContext, report: RegistryReport): Promise<void> {
  const { inputs } = ctx;
  const metrics = report.metrics ?? {};
  report.checks.push(...thresholdChecks(inputs.thresholds, metrics));
  if (inputs.mustBeat) {
    const champ = await ctx.mlflow.getByAlias(inputs.modelName, inputs.mustBeat);
    report.champion = { alias: inputs.mustBeat };
    if (!champ) {
      ctx.logger.info(
        `Alias '${inputs.mustBeat}' is not set: no champion to beat (a first release).`,
      );
    } else {
      const run = champ.runId ? await ctx.mlflow.getRun(champ.runId) : undefined;
      const champion = run?.metrics ?? {};
      report.champion = { alias: inputs.mustBeat, version: champ.version, metrics: champion };
      report.checks.push(...championChecks(inputs.thresholds, metrics, champion, inputs.tolerance));
    }
  }
  report.passed = report.checks.every((c) => c.verdict === 'pass');
  for (const c of report.checks)
    ctx.logger.info(`${c.verdict.padEnd(5)} ${c.metric} ${c.rule}: ${c.why}`);
}

const is =
  (op: RegistryContext['inputs']['operation']) =>
  (ctx: RegistryContext): boolean =>
    ctx.inputs.operation === op;
const gated = (ctx: RegistryContext): boolean =>
  ctx.inputs.operation === 'resolve' &&
  (ctx.inputs.thresholds.length > 0 || ctx.inputs.mustBeat !== undefined);

export const registryPhases: readonly Phase<RegistryContext, RegistryReport>[] = [
  phase('resolve version', resolvePhase, (ctx) => ctx.inputs.selector !== undefined),
  phase('read run', readRunPhase, is('resolve')),
  phase('write metrics', writeMetricsPhase, is('resolve')),
  phase('gate', gatePhase, gated),
  phase('promote', promotePhase, is('promote')),
  phase('rollback', rollbackPhase, is('rollback')),
];
