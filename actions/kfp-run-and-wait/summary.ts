/** The job summary: run link, state, duration, what changed in KFP, failed tasks, a task table. */
import { formatDuration } from '../../shared/inputs.ts';
import { codeBlock, markdownTable, statusEmoji, type Status } from '../../shared/summary.ts';
import type { TaskDetail } from './api.ts';
import { taskName } from './follow.ts';
import type { KfpResult } from './report.ts';

const STATE_STATUS: Record<string, Status> = {
  SUCCEEDED: 'success',
  FAILED: 'failure',
  CANCELED: 'warning',
  CANCELING: 'warning',
  SKIPPED: 'skipped',
  RUNNING: 'in-progress',
  PENDING: 'in-progress',
  PAUSED: 'in-progress',
};

function emoji(state: string | undefined): string {
  return statusEmoji(STATE_STATUS[state ?? ''] ?? 'info');
}

function taskDuration(t: TaskDetail): string {
  const start = Date.parse(t.start_time ?? t.create_time ?? '');
  const end = Date.parse(t.end_time ?? '');
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return '';
  return formatDuration(end - start);
}

const HEADINGS: Record<KfpResult['outcome'], string> = {
  succeeded: `${statusEmoji('success')} kfp-run-and-wait: run succeeded`,
  submitted: `${statusEmoji('info')} kfp-run-and-wait: run submitted (not waited for)`,
  failed: `${statusEmoji('failure')} kfp-run-and-wait: run failed`,
  timeout: `${statusEmoji('failure')} kfp-run-and-wait: timed out`,
  cancelled: `${statusEmoji('warning')} kfp-run-and-wait: cancelled`,
};

export function runSummary(r: KfpResult): string {
  const parts = [`## ${HEADINGS[r.outcome]}`, ''];
  parts.push(
    [
      `- Run: [${r.run.display_name ?? r.runId}](${r.runUrl}) (\`${r.runId}\`)`,
      `- State: ${emoji(r.state)} ${r.state}`,
      `- Duration: ${formatDuration(r.durationMs)}`,
      `- Pipeline: ${r.source}`,
    ].join('\n'),
    '',
  );
  if (r.error && r.outcome !== 'succeeded') parts.push('### Error', '', codeBlock(r.error), '');
  if (r.failedTasks.length > 0) {
    parts.push(
      '### Failed tasks',
      '',
      markdownTable(
        ['Task', 'Error'],
        r.failedTasks.map((line) => {
          const colon = line.indexOf(': ');
          return [line.slice(0, colon), line.slice(colon + 2)];
        }),
      ),
      '',
    );
  }
  const tasks = [...(r.run.run_details?.task_details ?? [])].sort((a, b) =>
    (a.start_time ?? a.create_time ?? '').localeCompare(b.start_time ?? b.create_time ?? ''),
  );
  if (tasks.length > 0) {
    parts.push(
      '### Tasks',
      '',
      markdownTable(
        ['Task', 'State', 'Duration'],
        tasks.map((t) => [taskName(t), `${emoji(t.state)} ${t.state ?? ''}`, taskDuration(t)]),
      ),
      '',
    );
  }
  parts.push('### Changes in KFP', '', changesList(r.changes, r.cancel?.message), '');
  return parts.join('\n');
}

function changesList(changes: readonly string[], cancel?: string): string {
  const all = [...changes, ...(cancel ? [cancel] : [])];
  return all.length ? all.map((c) => `- ${c}`).join('\n') : '- none';
}

/** The summary of a failure before the run existed (what was changed on the way). */
export function preRunSummary(message: string, changes: readonly string[]): string {
  return [
    `## ${statusEmoji('failure')} kfp-run-and-wait: failed before the run started`,
    '',
    codeBlock(message),
    '',
    '### Changes in KFP',
    '',
    changesList(changes),
    '',
  ].join('\n');
}

/** The post step's summary when it cancelled (or tried to cancel) a run main left running. */
export function postSummary(runId: string, runUrl: string, message: string, ok: boolean): string {
  return [
    `## ${statusEmoji(ok ? 'warning' : 'failure')} kfp-run-and-wait (post): run [${runId}](${runUrl})`,
    '',
    message,
    '',
  ].join('\n');
}
