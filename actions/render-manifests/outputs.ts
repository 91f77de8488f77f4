import * as core from '@actions/core';
import { processRunner } from '../../shared/exec.ts';
import { coreLogger } from '../../shared/logger.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { RenderInputs } from './inputs.ts';
import { renderManifests } from './run.ts';
import { renderSummary } from './summary.ts';

/** Runs the logic with the runner's dependencies and maps the result to outputs. */
export async function main(inputs: RenderInputs): Promise<void> {
  const result = await core.group('Render manifests', () =>
    renderManifests(inputs, { runner: processRunner, logger: coreLogger }),
  );
  for (const w of result.warnings) coreLogger.warning(w);
  core.setOutput('manifests-path', result.manifestsPath);
  core.setOutput('resources', JSON.stringify(result.resources));
  core.setOutput('images', JSON.stringify(result.images));
  core.setOutput('checksum', result.checksum);
  core.info(`Rendered ${result.resources.length} resources to ${result.manifestsPath}`);
  await writeSummary(renderSummary(result, inputs));
}
