import { markdownTable, statusEmoji } from '../../shared/summary.ts';
import type { RenderInputs } from './inputs.ts';
import type { RenderResult } from './run.ts';

export function renderSummary(result: RenderResult, inputs: RenderInputs): string {
  const lines: string[] = [];
  const validated = inputs.validate
    ? `validated against Kubernetes ${inputs.kubernetesVersion.major}.${inputs.kubernetesVersion.minor}`
    : 'not validated (validate: false)';
  lines.push(
    `### ${statusEmoji('success')} render-manifests: ${result.resources.length} resources, ${validated}`,
  );
  lines.push('');
  lines.push(
    markdownTable(
      ['Kind', 'Name', 'Namespace', 'Source'],
      result.documents.map((d) => [
        d.id.kind,
        d.id.name,
        d.id.namespace ?? '',
        d.line ? `${d.source}:${d.line}` : d.source,
      ]),
    ),
  );
  if (result.images.length) {
    lines.push('', '**Images**', '', ...result.images.map((i) => `- \`${i}\``));
  }
  if (result.warnings.length) {
    lines.push('', ...result.warnings.map((w) => `${statusEmoji('warning')} ${w}`));
  }
  lines.push(
    '',
    `Output: \`${result.manifestsPath}\` (sha256 \`${result.checksum.slice(0, 12)}…\`)`,
  );
  return lines.join('\n');
}
