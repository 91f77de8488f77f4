/**
 * Moving an alias: promote (after a verified deployment) and roll back. MLflow has no
 * compare-and-set on aliases, so a promotion reads the alias, checks it is where this run
 * expects (`expect-alias-version`), sets it, and reads it back. What this catches: a promotion
 * by someone else since this run was gated, and one that lands between our set and our read
 * back. What it cannot: another pipeline setting the alias between our read and our set, and
 * setting it before our read back — the last writer wins silently then. That window is the
 * length of one request; run promotions of one model in one `concurrency:` group to close it.
 */
import { GIT_COMMIT } from '../../shared/server-values.ts';
import type { ModelVersion } from './mlflow.ts';
import { describeVersion, type RegistryContext, type RegistryReport } from './report.ts';

const where = (version: string): string => (version ? `version ${version}` : 'no version');

async function aliasVersion(ctx: RegistryContext, alias: string): Promise<string> {
  return (await ctx.mlflow.getByAlias(ctx.inputs.modelName, alias))?.version ?? '';
}

/** The tags that say what was deployed: only what the step knows for sure. */
function deployedTags(ctx: RegistryContext): Record<string, string> {
  const { inputs, facts } = ctx;
  const tags: Record<string, string> = {};
  if (inputs.imageRef) tags['deployed.image-ref'] = inputs.imageRef;
  if (inputs.environment) tags['deployed.environment'] = inputs.environment;
  if (facts.commit && GIT_COMMIT.test(facts.commit)) tags['deployed.commit'] = facts.commit;
  if (facts.runUrl) tags['deployed.run-url'] = facts.runUrl;
  return tags;
}

export async function promotePhase(ctx: RegistryContext, report: RegistryReport): Promise<void> {
  const { inputs, mlflow, logger } = ctx;
  const name = inputs.modelName;
  const alias = inputs.promoteTo as string;
  const v = report.version as ModelVersion;
  const before = await aliasVersion(ctx, alias);
  report.alias = { name: alias, before };
  // `none` (the alias was not set when this run was gated) is '' as aliasVersion reads it.
  const expected = inputs.expectAliasVersion === 'none' ? '' : inputs.expectAliasVersion;
  // Already pointing at this version (a re-run of a promote that succeeded) is no race.
  if (expected !== undefined && before !== expected && before !== v.version) {
    throw new Error(
      `alias '${alias}' of model '${name}' moved: it points at ${where(before)}, not ${where(expected)} as when this run was gated (someone promoted since). Version ${v.version} is not promoted: run the pipeline again to gate it against the new '${alias}'.`,
    );
  }
  if (before === v.version) logger.info(`Alias '${alias}' already points at version ${v.version}.`);
  else await mlflow.setAlias(name, alias, v.version);
  const after = await aliasVersion(ctx, alias);
  if (after !== v.version) {
    throw new Error(
      `alias '${alias}' of model '${name}' was set to version ${v.version} but now points at ${where(after)}: another pipeline promoted at the same moment and its write came last. Decide which version '${alias}' should be; this run's (${v.version}) is not promoted.`,
    );
  }
  report.alias.after = after;
  const tags = deployedTags(ctx);
  for (const [key, value] of Object.entries(tags))
    await mlflow.setVersionTag(name, v.version, key, value);
  report.tags = tags;
  logger.info(
    `Alias '${alias}': ${where(before)} → version ${v.version} (${describeVersion(name, v)})`,
  );
}

export async function rollbackPhase(ctx: RegistryContext, report: RegistryReport): Promise<void> {
  const { inputs, mlflow, logger } = ctx;
  const name = inputs.modelName;
  const alias = inputs.promoteTo as string;
  // Without a version to check, the model itself is checked (an unknown one is an error,
  // not an alias that "points nowhere").
  if (!report.version) await mlflow.getRegisteredModel(name);
  const current = await aliasVersion(ctx, alias);
  report.alias = { name: alias, before: current };
  const ours = report.version?.version;
  if (ours !== undefined && current !== ours) {
    const why = `alias '${alias}' of model '${name}' points at ${where(current)}, not version ${ours} that this run promoted: someone promoted since`;
    if (!inputs.force)
      throw new Error(`${why}; not rolling back (set 'force: true' to roll back anyway).`);
    logger.warning(`${why}; rolling back anyway (force: true).`);
  }
  const target = inputs.previousVersion;
  if (target) {
    // The version must exist (and be READY) before the alias points at it.
    const v = await mlflow.getModelVersion(name, target);
    if (v.status !== 'READY')
      throw new Error(
        `MLflow: ${describeVersion(name, v)} is ${v.status}, not READY; not rolling back to it.`,
      );
    if (current !== target) await mlflow.setAlias(name, alias, target);
  } else if (current) {
    await mlflow.deleteAlias(name, alias);
  }
  const after = await aliasVersion(ctx, alias);
  if (after !== target) {
    throw new Error(
      `alias '${alias}' of model '${name}' should point at ${where(target)} after the rollback but points at ${where(after)}: someone moved it at the same moment.`,
    );
  }
  report.alias.after = after;
  logger.info(
    `Alias '${alias}': ${where(current)} → ${target ? `version ${target}` : 'deleted (previous-version was empty: it pointed nowhere before)'}`,
  );
}
