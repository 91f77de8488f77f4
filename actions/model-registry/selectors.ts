/**
 * How each way of naming a version (`version`, `version: latest`, `alias`, `run-id`, `stage`)
 * finds it: one finder per selector kind, so the resolve phase has no branch per kind.
 */
import type { Selector } from './inputs.ts';
import type { MlflowClient, ModelVersion } from './mlflow.ts';

type Registry = Pick<
  MlflowClient,
  'getModelVersion' | 'getByAlias' | 'latestInStage' | 'searchVersions'
>;
type Finder<K extends Selector['kind']> = (
  mlflow: Registry,
  name: string,
  sel: Extract<Selector, { kind: K }>,
) => Promise<ModelVersion>;

function found(v: ModelVersion | undefined, missing: string): ModelVersion {
  if (!v) throw new Error(`MLflow: ${missing}.`);
  return v;
}

/** The highest version: a run registered twice (a retried pipeline) gives its newest. */
async function highest(mlflow: Registry, name: string, runId?: string): Promise<ModelVersion> {
  const all = await mlflow.searchVersions(name, runId);
  const top = all.sort((a, b) => Number(a.version) - Number(b.version)).at(-1);
  return found(
    top,
    `model '${name}' has no version${runId ? ` registered from run ${runId}` : ''}`,
  );
}

const FINDERS: { [K in Selector['kind']]: Finder<K> } = {
  version: (mlflow, name, sel) => mlflow.getModelVersion(name, sel.version),
  latest: (mlflow, name) => highest(mlflow, name),
  'run-id': (mlflow, name, sel) => highest(mlflow, name, sel.runId),
  alias: async (mlflow, name, sel) =>
    found(await mlflow.getByAlias(name, sel.alias), `model '${name}' has no alias '${sel.alias}'`),
  stage: async (mlflow, name, sel) =>
    found(
      await mlflow.latestInStage(name, sel.stage),
      `model '${name}' has no version in stage '${sel.stage}'`,
    ),
};

export function findVersion(mlflow: Registry, name: string, sel: Selector): Promise<ModelVersion> {
  return (FINDERS[sel.kind] as Finder<Selector['kind']>)(mlflow, name, sel);
}
