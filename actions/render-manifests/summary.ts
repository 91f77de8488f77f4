import { markdownTable, statusEmoji } from '../../shared/summary.ts';
import type { RenderInputs } from './inputs.ts';
import type { RenderResult } from './run.ts';

/** The summary stays far below GitHub's 1 MiB limit however many objects are rendered. */
export const SUMMARY_MAX_ROWS = 200;
const SUMMARY_MAX_ITEMS = 50;

function capped<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

export function renderSummary(
  result: RenderResult,
  inputs: Pick<RenderInputs, 'validate' | 'kubernetesVersion'>,
): string {
  const lines: string[] = [];
  const validated = inputs.validate
    ? `validated against Kubernetes ${inputs.kubernetesVersion.major}.${inputs.kubernetesVersion.minor}`
    : 'not validated (validate: false)';
  lines.push(
    `### ${statusEmoji('success')} render-manifests: ${result.resources.length} resources, ${validated}`,
  );
  lines.push('');
  const rows = capped(result.documents, SUMMARY_MAX_ROWS);
  lines.push(
    markdownTable(
      ['Kind', 'Name', 'Namespace', 'Source'],
      rows.shown.map((d) => [
        d.id.kind,
        d.id.name,
        d.id.namespace ?? '',
        d.line ? `${d.source}:${d.line}` : d.source,
      ]),
    ),
  );
  if (rows.more > 0)
    lines.push('', `… ${rows.more} more (not listed): every object is in the output file.`);
  if (result.images.length) {
    const list = capped(result.images, SUMMARY_MAX_ITEMS);
    lines.push('', '**Images**', '', ...list.shown.map((i) => `- \`${i}\``));
    if (list.more > 0) lines.push(`- … ${list.more} more (not listed)`);
  }
  if (result.unresolved.length) {
    const list = capped(result.unresolved, SUMMARY_MAX_ITEMS);
    lines.push(
      '',
      `${statusEmoji('warning')} ${result.unresolved.length} \`\${…}\` reference${result.unresolved.length === 1 ? ' was' : 's were'} not substituted ('vars' is empty) and would be applied literally:`,
      '',
      ...list.shown.map((u) => `- \`${u}\``),
    );
    if (list.more > 0) lines.push(`- … ${list.more} more (not listed)`);
  }
  if (result.warnings.length) {
    const list = capped(result.warnings, SUMMARY_MAX_ITEMS);
    lines.push('', ...list.shown.map((w) => `${statusEmoji('warning')} ${w}`));
    if (list.more > 0) lines.push(`… ${list.more} more warnings (not listed)`);
  }
  lines.push(
    '',
    `Output: \`${result.manifestsPath}\` (sha256 \`${result.checksum.slice(0, 12)}…\`)`,
  );
  return lines.join('\n');
}
