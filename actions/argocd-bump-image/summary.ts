/** The job summary: what was bumped where, the diff of the changed lines, push and Argo CD state. */
import { formatDuration } from '../../shared/inputs.ts';
import { codeBlock, markdownTable, statusEmoji } from '../../shared/summary.ts';
import type { FileEdit } from './edit.ts';
import type { BumpInputs } from './inputs.ts';
import type { BumpReport } from './run.ts';

/**
 * The changed lines of one file, as a diff without context (`-` old, `+` new). The edits
 * change single scalars or add/remove whole lines, so a line-by-line walk with look-ahead
 * for the next equal line is exact here.
 */
export function lineDiff(edit: FileEdit): string {
  const a = edit.before.split('\n').map((l) => l.replace(/\r$/, ''));
  const b = edit.after.split('\n').map((l) => l.replace(/\r$/, ''));
  const out = [`--- a/${edit.file}`, `+++ b/${edit.file}`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const hunk = [`@@ -${i + 1} +${j + 1} @@`];
    // Lines removed: a[i] appears later in b? then b[j..] were added; else a[i] was removed/changed.
    const inB = i < a.length ? b.indexOf(a[i] ?? '', j) : -1;
    const inA = j < b.length ? a.indexOf(b[j] ?? '', i) : -1;
    if (inA > i && (inB < 0 || inA - i <= inB - j)) {
      for (; i < inA; i++) hunk.push(`-${a[i] ?? ''}`);
    } else if (inB > j) {
      for (; j < inB; j++) hunk.push(`+${b[j] ?? ''}`);
    } else {
      if (i < a.length) hunk.push(`-${a[i++] ?? ''}`);
      if (j < b.length) hunk.push(`+${b[j++] ?? ''}`);
    }
    out.push(...hunk);
  }
  return out.join('\n');
}

function commitLink(inputs: BumpInputs, sha: string, env: NodeJS.ProcessEnv): string {
  const gh = inputs.remote.github;
  if (!gh || !sha) return sha ? `\`${sha}\`` : '';
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `[\`${sha.slice(0, 12)}\`](${server}/${gh.owner}/${gh.repo}/commit/${sha})`;
}

export function bumpSummary(
  inputs: BumpInputs,
  r: BumpReport,
  error: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const head = error
    ? `## ${statusEmoji('failure')} argocd-bump-image: failed during ${r.phase}`
    : r.changed
      ? `## ${statusEmoji('success')} argocd-bump-image: ${inputs.imageName} → \`${inputs.imageText}\``
      : `## ${statusEmoji('skipped')} argocd-bump-image: ${inputs.imageName} is already \`${inputs.imageText}\``;
  const facts: [string, string][] = [
    ['Repository', `${r.repository}${r.branch ? ` @ \`${r.branch}\`` : ''}`],
    ['Changed', r.pushUnknown ? 'unknown' : r.changed ? 'yes' : 'no'],
  ];
  // Checked by inputs.ts: one line without backticks, so it stays one code span.
  if (inputs.storageUri) facts.push(['storageUri', `\`${inputs.storageUri}\``]);
  if (r.commitSha)
    facts.push([r.pushed ? 'Pushed commit' : 'Commit', commitLink(inputs, r.commitSha, env)]);
  if (r.pushBranch && r.pushBranch !== r.branch)
    facts.push(['Branch pushed', `\`${r.pushBranch}\``]);
  if (r.attempts > 1)
    facts.push([
      'Push attempts',
      `${r.attempts} (rejected pushes were fetched, re-applied and retried)`,
    ]);
  if (r.prUrl)
    facts.push(['Pull request', `${r.prUrl}${r.prCreated ? ' (opened)' : ' (updated)'}`]);
  if (inputs.argocd) {
    facts.push(['Argo CD application', `\`${inputs.argocd.application}\``]);
    if (r.syncStatus || r.healthStatus)
      facts.push(['Argo CD status', `${r.syncStatus || '?'} / ${r.healthStatus || '?'}`]);
  }
  if (r.durationMs) facts.push(['Duration', formatDuration(r.durationMs)]);
  if (r.pushUnknown) facts.push(['Remote', `unknown: ${r.pushUnknown}`]);
  else if (r.pushNote) facts.push(['Remote', r.pushNote]);
  else if (error && !r.pushed) facts.push(['Remote', 'unchanged: nothing was pushed']);
  const parts = [head, '', markdownTable(['', ''], facts), ''];
  if (error) parts.push('### Error', '', codeBlock(error), '');
  const changes = r.files.flatMap((f) =>
    f.changes.map((c) => [f.file, c.line, c.where, c.before, c.after]),
  );
  if (changes.length > 0 && r.changed) {
    parts.push(
      '### Changes',
      '',
      markdownTable(['File', 'Line', 'Field', 'Before', 'After'], changes),
      '',
    );
    const diffs = r.files.filter((f) => f.after !== f.before).map(lineDiff);
    parts.push(codeBlock(diffs.join('\n'), 'diff'), '');
  }
  return parts.join('\n');
}
