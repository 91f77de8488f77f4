/**
 * model-registry's context and report: the report is the single source of the outputs and
 * the job summary.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PhaseReport } from '../../shared/phases.ts';
import type { GateCheck } from './gate.ts';
import type { RegistryInputs } from './inputs.ts';
import type { MlflowClient, ModelVersion } from './mlflow.ts';

/** Where the tags of a promotion come from (the runner's GITHUB_* variables). */
export interface RunFacts {
  commit?: string;
  runUrl?: string;
}

export interface RegistryContext {
  inputs: RegistryInputs;
  mlflow: Pick<
    MlflowClient,
    | 'getRegisteredModel'
    | 'getModelVersion'
    | 'getByAlias'
    | 'searchVersions'
    | 'latestInStage'
    | 'setAlias'
    | 'deleteAlias'
    | 'setVersionTag'
    | 'getRun'
  >;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  facts: RunFacts;
  /** Writes the metrics JSON where the step keeps its files; returns its path. */
  writeMetrics(json: string): Promise<string>;
}

export interface RegistryReport extends PhaseReport {
  inputs: RegistryInputs;
  /** The version resolved (resolve, promote; rollback: the one this run promoted). */
  version?: ModelVersion;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  metricsPath?: string;
  /** The `must-beat` alias as the gate found it (no version: the alias is not set). */
  champion?: { alias: string; version?: string; metrics?: Record<string, number> };
  checks: GateCheck[];
  passed?: boolean;
  /** promote/rollback: the alias, where it pointed before, and where it points now. */
  alias?: { name: string; before: string; after?: string };
  /** Tags written on the promoted version. */
  tags?: Record<string, string>;
}

export function registryReport(ctx: { inputs: RegistryInputs }): RegistryReport {
  return { phases: [], checks: [], inputs: ctx.inputs };
}

/** The model and version as messages name them. */
export function describeVersion(name: string, v: { version: string }): string {
  return `model '${name}' version ${v.version}`;
}
