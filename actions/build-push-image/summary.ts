/** The job summary: what was built and pushed (or skipped), how long it took, what Trivy found. */
import { formatDuration } from '../../shared/inputs.ts';
import { codeBlock, details, markdownTable, statusEmoji } from '../../shared/summary.ts';
import { stoppedIn, type BuildReport } from './report.ts';
import { countBySeverity } from './scan.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function buildSummary(r: BuildReport, error?: string): string {
  const status = error ? 'failure' : r.skipped ? 'skipped' : 'success';
  const title = error
    ? `build-push-image: failed during ${stoppedIn(r)}`
    : r.skipped
      ? 'build-push-image: already in the registry, build skipped'
      : r.pushed
        ? 'build-push-image: built and pushed'
        : 'build-push-image: built (not pushed)';
  const rows: [string, string][] = [
    ['Image', `\`${r.image}\``],
    ['Tags', r.tags.map((t) => `\`${t}\``).join(' ')],
    ['Digest', r.digest ? `\`${r.digest}\`` : '—'],
    ['Reference', r.imageRef ? `\`${r.imageRef}\`` : '—'],
    ['Size (compressed)', r.size !== undefined ? formatBytes(r.size) : '—'],
    ['Builder', r.builder ?? (r.skipped ? 'none (skipped)' : '—')],
    ['Build time', r.buildMs !== undefined ? formatDuration(r.buildMs) : '—'],
    [
      'Cache hits',
      r.cacheHits ? `${r.cacheHits.cached} of ${r.cacheHits.steps} steps` : 'not reported',
    ],
    ['Login', `${r.loginVia ?? '—'}${r.relogins ? ` (renewed ${r.relogins}×)` : ''}`],
  ];
  const parts = [`## ${statusEmoji(status)} ${title}`, markdownTable(['', ''], rows)];
  if (error) {
    parts.push(`### Error\n\n${codeBlock(error)}`);
  }
  if (r.findings) {
    const counts = countBySeverity(r.findings);
    const failed = r.scanFailed?.length
      ? ` — ${statusEmoji('failure')} fails on ${r.scanFailed.join(', ')}`
      : '';
    parts.push(
      `### Trivy: ${Object.entries(counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}${failed}`,
    );
    if (r.findings.length) {
      const table = markdownTable(
        ['Severity', 'ID', 'Package', 'Installed', 'Fixed', 'Title'],
        r.findings
          .slice(0, 100)
          .map((f) => [f.severity, f.id, f.pkg, f.installed, f.fixed || '—', f.title]),
      );
      parts.push(r.findings.length > 20 ? details(`${r.findings.length} findings`, table) : table);
    }
  }
  return `${parts.join('\n\n')}\n`;
}
