import { appendFile } from 'node:fs/promises';
import { EOL } from 'node:os';

export type Status = 'success' | 'failure' | 'warning' | 'in-progress' | 'skipped' | 'info';

const EMOJI: Record<Status, string> = {
  success: '✅',
  failure: '❌',
  warning: '⚠️',
  'in-progress': '⏳',
  skipped: '⏭️',
  info: 'ℹ️',
};

export function statusEmoji(status: Status): string {
  return EMOJI[status];
}

/** Escapes text for a Markdown table cell. */
export function cell(text: string | number | undefined): string {
  return String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | undefined)[])[],
): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export function details(title: string, body: string): string {
  return `<details><summary>${title}</summary>\n\n${body}\n\n</details>`;
}

/**
 * Text from elsewhere (a server's message, a pod's log) as a fenced block: the fence is longer
 * than any run of backticks in the text, so the text cannot close it and go live as Markdown.
 */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

/**
 * Text from elsewhere (a server's value, a message's first line) inline, as code: nothing in
 * it renders (links, HTML, emphasis, a table's `|`); line breaks become spaces, so it cannot
 * start a block of its own; the backtick run around it is longer than any inside.
 */
export function inlineCode(text: string): string {
  const line = text.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  // A space inside the ticks when the text starts or ends with a backtick (CommonMark strips it).
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

let written = false;

/**
 * Appends Markdown to the job summary (the GITHUB_STEP_SUMMARY file, as core.summary does);
 * a missing GITHUB_STEP_SUMMARY (local runs) is not an error.
 */
export async function writeSummary(markdown: string): Promise<void> {
  written = true;
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  await appendFile(file, markdown + EOL, { encoding: 'utf8' });
}

/** Whether this step wrote a summary: runAction writes a failure summary only when none was. */
export function summaryWritten(): boolean {
  return written;
}

/** The summary of a step that failed before it could say more. */
export function failureSummary(action: string, message: string, cancelled = false): string {
  return cancelled
    ? `## ${statusEmoji('warning')} ${action}: cancelled\n\n${codeBlock(message)}\n`
    : `## ${statusEmoji('failure')} ${action}: failed\n\n${codeBlock(message)}\n`;
}
