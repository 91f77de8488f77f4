/** The job summary: outcome, timeline, resource table, diagnosis, endpoint. */
import { formatDuration } from '../../shared/inputs.ts';
import {
  codeBlock,
  inlineCode,
  markdownTable,
  statusEmoji,
  type Status,
} from '../../shared/summary.ts';
import type { Progress, RolloutResult, TimelineEntry } from './types.ts';

const LEVEL: Record<TimelineEntry['level'], Status> = {
  info: 'info',
  success: 'success',
  failure: 'failure',
  warning: 'warning',
};

function seconds(ms: number): string {
  return `+${(ms / 1000).toFixed(1)}s`;
}

/** The heading's status and words by outcome; a finished canary (finish-canary) says what it did. */
const HEADINGS: Record<RolloutResult['status'], [Status, string]> = {
  succeeded: ['success', 'succeeded'],
  'rolled-back': ['warning', 'failed and rolled back'],
  superseded: ['skipped', 'superseded by another release'],
  failed: ['failure', 'failed'],
};
const FINISHED_HEADINGS: Partial<Record<RolloutResult['status'], [Status, string]>> = {
  succeeded: ['success', 'canary promoted'],
  'rolled-back': ['warning', 'canary rolled back'],
};

export function rolloutSummary(r: RolloutResult): string {
  const [status, words] =
    (r.finishedCanary !== undefined ? FINISHED_HEADINGS[r.status] : undefined) ??
    HEADINGS[r.status];
  const head = `## ${statusEmoji(status)} rollout-and-verify: ${words}`;
  const parts = [head, ''];
  const facts: string[] = [`Duration: ${formatDuration(r.durationMs)}`];
  // Values from the cluster (checked, yet text from elsewhere): shown as inline code.
  if (r.endpoint) facts.push(`Endpoint: ${inlineCode(r.endpoint)}`);
  if (r.revision) facts.push(`Revision: ${inlineCode(r.revision)}`);
  if (r.failureReason) facts.push(`Failure: ${inlineCode(r.failureReason)}`);
  if (r.supersededBy) facts.push(`Superseded: ${inlineCode(r.supersededBy)}`);
  parts.push(facts.map((f) => `- ${f}`).join('\n'), '');
  if (r.diagnosis) parts.push('### Diagnosis', '', codeBlock(r.diagnosis), '');
  else if (r.error && r.status !== 'succeeded') parts.push('### Error', '', codeBlock(r.error), '');
  parts.push(
    '### Resources',
    '',
    markdownTable(
      ['', 'Kind', 'Namespace', 'Name', 'Action', 'State'],
      r.resources.map((row) => [
        row.ok === undefined ? '' : statusEmoji(row.ok ? 'success' : 'failure'),
        row.kind,
        row.namespace,
        row.name,
        row.action,
        row.state,
      ]),
    ),
    '',
    '### Timeline',
    '',
    markdownTable(
      ['Time', '', 'Event'],
      r.timeline.map((t) => [seconds(t.atMs), statusEmoji(LEVEL[t.level]), t.text]),
    ),
    '',
  );
  return parts.join('\n');
}

export function cancelledSummary(p: Progress): string {
  const left = p.workloads.filter((w) => w.state !== 'done');
  return [
    `## ${statusEmoji('warning')} rollout-and-verify: cancelled during ${p.phase}`,
    '',
    left.length === 0
      ? 'No workload was left waiting.'
      : markdownTable(
          ['Kind', 'Namespace', 'Name', 'State', 'Last status'],
          p.workloads.map((w) => [w.kind, w.namespace, w.name, w.state, w.message]),
        ),
    '',
  ].join('\n');
}
