/**
 * The phases before the run: prepare (parameters and pipeline file, no call), the pipeline
 * the run uses (inline, uploaded as a new version, or given), and the experiment. Races with
 * other jobs and lost answers (409 on retry) end in reuse, never in a duplicate or a failure.
 */
import * as path from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { KfpError, type CreateRunBody, type KfpClient } from './api.ts';
import type { KfpInputs } from './inputs.ts';
import { parseParameters } from './parameters.ts';
import {
  checkParameters,
  loadPipelineFile,
  rootParameters,
  type LoadedPipeline,
} from './pipeline-spec.ts';

export interface PhaseDeps {
  client: KfpClient;
  logger: Logger;
}

export interface Resolved {
  body: Pick<CreateRunBody, 'pipeline_spec' | 'pipeline_version_reference'>;
  source: string;
}

export interface Prepared {
  parameters: Record<string, unknown>;
  pipeline: LoadedPipeline | undefined;
}

/** Phase 1, no call: parse the parameters, read and check the pipeline file against them. */
export async function preparePipeline(inputs: KfpInputs): Promise<Prepared> {
  const parameters = parseParameters(inputs.parameters);
  const s = inputs.source;
  if (s.kind === 'version') return { parameters, pipeline: undefined };
  const loaded = loadPipelineFile(s.file, inputs.pathPolicy);
  checkParameters(parameters, loaded.parameters, `pipeline '${loaded.name}'`);
  return { parameters, pipeline: loaded };
}

/** Phase 3: the pipeline the run uses (inline, a new uploaded version, or the given one). */
export async function resolvePipeline(
  inputs: KfpInputs,
  prepared: Prepared,
  deps: PhaseDeps,
  changes: string[],
): Promise<Resolved> {
  const { client, logger } = deps;
  const loaded = prepared.pipeline;
  const s = inputs.source;
  if (s.kind === 'version') {
    const version = await client.getPipelineVersion(s.pipelineId, s.pipelineVersionId);
    checkParameters(
      prepared.parameters,
      rootParameters(version.pipeline_spec),
      `pipeline version ${s.pipelineVersionId}`,
    );
    return {
      body: {
        pipeline_version_reference: {
          pipeline_id: s.pipelineId,
          pipeline_version_id: s.pipelineVersionId,
        },
      },
      source: `pipeline ${s.pipelineId}, version ${version.display_name ?? s.pipelineVersionId}`,
    };
  }
  if (!loaded) throw new Error('internal: the pipeline file was not loaded');
  if (s.kind === 'inline') {
    return { body: { pipeline_spec: loaded.inline }, source: `${loaded.name} (inline spec)` };
  }
  const filename = /\.(ya?ml|json)$/i.test(s.file) ? path.basename(s.file) : 'pipeline.yaml';
  const upload = { filename, bytes: loaded.bytes };
  const versionName = `${s.pipelineName}-${inputs.context.sha}-${inputs.context.runId}-${inputs.context.runAttempt}`;
  let existing = await client.findPipeline(s.pipelineName, inputs.namespace);
  if (!existing) {
    try {
      const created = await client.uploadPipeline(s.pipelineName, upload, inputs.namespace);
      changes.push(`Created pipeline \`${s.pipelineName}\` (${created.pipeline_id})`);
      const version = await client.latestVersion(created.pipeline_id);
      if (!version) {
        throw new KfpError(
          `KFP created pipeline ${created.pipeline_id} but lists no version of it`,
          undefined,
          false,
        );
      }
      return uploaded(s.pipelineName, created.pipeline_id, version.pipeline_version_id, logger);
    } catch (error) {
      // Created meanwhile (another job, or a retried request): add a version to it instead.
      if (!alreadyExists(error)) throw error;
      existing = await client.findPipeline(s.pipelineName, inputs.namespace);
      if (!existing) throw error;
    }
  }
  const pipelineId = existing.pipeline_id;
  let versionId: string;
  try {
    versionId = (await client.uploadVersion(pipelineId, versionName, upload)).pipeline_version_id;
    changes.push(
      `Uploaded version \`${versionName}\` (${versionId}) of pipeline \`${s.pipelineName}\``,
    );
  } catch (error) {
    // The name is this job's own: an earlier attempt of this request uploaded it.
    if (!alreadyExists(error)) throw error;
    const found = await client.findVersion(pipelineId, versionName);
    if (!found) throw error;
    versionId = found.pipeline_version_id;
    changes.push(
      `Uploaded version \`${versionName}\` (${versionId}) of pipeline \`${s.pipelineName}\` (its answer was lost; found by name)`,
    );
  }
  return uploaded(s.pipelineName, pipelineId, versionId, logger);
}

const alreadyExists = (error: unknown): boolean =>
  error instanceof KfpError && error.status === 409;

function uploaded(name: string, pipelineId: string, versionId: string, logger: Logger): Resolved {
  logger.info(`Pipeline ${name}: ${pipelineId}, version ${versionId}`);
  return {
    body: {
      pipeline_version_reference: { pipeline_id: pipelineId, pipeline_version_id: versionId },
    },
    source: `pipeline \`${name}\` (${pipelineId}), version ${versionId}`,
  };
}

/** Phase 4: the experiment, found by name or created. */
export async function resolveExperiment(
  inputs: KfpInputs,
  deps: PhaseDeps,
  changes: string[],
): Promise<string | undefined> {
  if (!inputs.experimentName) return undefined;
  const found = await deps.client.findExperiment(inputs.experimentName, inputs.namespace);
  if (found) return found.experiment_id;
  try {
    const created = await deps.client.createExperiment(inputs.experimentName, inputs.namespace);
    changes.push(`Created experiment \`${inputs.experimentName}\` (${created.experiment_id})`);
    return created.experiment_id;
  } catch (error) {
    // Created meanwhile by another job: use it.
    if (!alreadyExists(error)) throw error;
    const again = await deps.client.findExperiment(inputs.experimentName, inputs.namespace);
    if (!again) throw error;
    return again.experiment_id;
  }
}
