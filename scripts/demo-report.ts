/**
 * The demo's Markdown report: the checks, every step's job summary in job order (what the
 * Actions run page shows), the pull-request comment as GitHub holds it at the end, and next to
 * it the living Slack message as the Slack stand-in holds it (its blocks as text).
 */
import { writeFileSync } from 'node:fs';
import type { Job } from './demo-job.ts';
import type { Check } from './demo-stages.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderReport(o: {
  jobs: Job[];
  checks: Check[];
  comment?: string;
  slack?: string;
}): string {
  const failed = o.checks.filter((c) => !c.ok).length;
  const lines: string[] = [
    '# mlops-actions demo report',
    '',
    failed === 0
      ? `Every outcome as expected (${o.checks.length} checks).`
      : `**${failed} of ${o.checks.length} outcomes differ from the expected.**`,
    '',
    '| | Check | Detail |',
    '| --- | --- | --- |',
    ...o.checks.map((c) => `| ${c.ok ? '✅' : '❌'} | ${cell(c.what)} | ${cell(c.detail)} |`),
    '',
  ];
  for (const job of o.jobs) {
    lines.push(`## Job \`${job.name}\``, '');
    for (const step of job.steps) {
      const r = step.result;
      const head = r
        ? `${step.action} (\`${step.id}\`): exit ${r.exitCode}`
        : `${step.action} (\`${step.id}\`): skipped, ${step.skipped ?? '?'}`;
      lines.push(`### ${head}`, '');
      const summary = r?.summary.trim();
      if (summary) lines.push(summary, '');
      else if (r) lines.push('_(no job summary)_', '');
    }
  }
  lines.push('## The pull-request comment', '');
  lines.push(o.comment ? o.comment.trim() : '_(no comment was posted)_', '');
  lines.push('## The Slack message', '');
  lines.push(o.slack ? o.slack.trim() : '_(no Slack message was posted)_', '');
  return lines.join('\n');
}

export function writeReport(
  file: string,
  o: { jobs: Job[]; checks: Check[]; comment?: string; slack?: string },
): void {
  writeFileSync(file, renderReport(o));
}
