import * as core from '@actions/core';
import { processRunner } from '../../shared/exec.ts';
import { coreLogger } from '../../shared/logger.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { RenderInputs } from './inputs.ts';
import { renderManifests } from './run.ts';
import { renderSummary } from './summary.ts';

/** At most this many objects go into the `resources` output (its JSON stays well under 1 MiB). */
export const MAX_RESOURCES_OUTPUT = 1000;

/** Runs the logic with the runner's dependencies and maps the result to outputs. */
export async function main(inputs: RenderInputs): Promise<void> {
  const result = await core.group('Render manifests', () =>
    renderManifests(inputs, { runner: processRunner, logger: coreLogger }),
  );
  for (const w of result.warnings) coreLogger.warning(w);
  core.setOutput('manifests-path', result.manifestsPath);
  // Step outputs share the runner's limits: the list is capped, the count is always whole.
  core.setOutput('resources', JSON.stringify(result.resources.slice(0, MAX_RESOURCES_OUTPUT)));
  core.setOutput('resource-count', String(result.resources.length));
  if (result.resources.length > MAX_RESOURCES_OUTPUT)
    coreLogger.warning(
      `render-manifests: output 'resources' lists the first ${MAX_RESOURCES_OUTPUT} of ${result.resources.length} objects (output 'resource-count' has the total; ${result.manifestsPath} holds them all).`,
    );
  core.setOutput('images', JSON.stringify(result.images));
  core.setOutput('checksum', result.checksum);
  coreLogger.info(`Rendered ${result.resources.length} resources to ${result.manifestsPath}`);
  await writeSummary(renderSummary(result, inputs));
}
