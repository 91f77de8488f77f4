/**
 * The comment: a hidden marker that finds it again, a status line, a compact facts table,
 * metrics, and the user's body. Kept under GitHub's 65,536-character limit: the free-form
 * parts are cut first (with a note pointing at the job summary, which has everything).
 */
import { codeBlock, details, markdownTable } from '../../shared/summary.ts';
import type { CommentInputs, DeployStatus } from './inputs.ts';
import { metricsTable } from './metrics.ts';

/** GitHub rejects longer comment bodies (422 "body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left for the marker and the notes added after rendering. */
const BUDGET = GITHUB_COMMENT_LIMIT - 1_536;

export function markerOf(key: string): string {
  return `<!-- mlops-actions/pr-deploy-comment key="${key}" -->`;
}

/**
 * What a hidden comment's marker becomes: it is no longer found as the sticky comment, also
 * on servers whose REST API does not report `minimized` (GitHub Enterprise Server before it).
 */
export function supersededMarkerOf(key: string): string {
  return `<!-- mlops-actions/pr-deploy-comment superseded key="${key}" -->`;
}

/** Starts each update in an `append` comment: the oldest are dropped first when it grows too long. */
export const SECTION_MARK = '<!-- mlops-actions/pr-deploy-comment section -->';

export interface RenderContext {
  /** The commit deployed: the PR head when the event has one, else GITHUB_SHA. */
  commitSha?: string;
  /** https://github.com/owner/repo */
  repositoryUrl?: string;
  runUrl?: string;
  runLabel?: string;
  now: Date;
}

const HEADLINE: Record<DeployStatus, { emoji: string; text: (env: string) => string }> = {
  success: { emoji: '✅', text: (env) => `Deployed${env}` },
  failure: { emoji: '❌', text: (env) => `Deployment${env} failed` },
  'in-progress': { emoji: '⏳', text: (env) => `Deploying${env}…` },
  'rolled-back': { emoji: '↩️', text: (env) => `Deployment${env} rolled back` },
  cancelled: { emoji: '⚠️', text: (env) => `Deployment${env} cancelled` },
};

export function headline(status: DeployStatus, environment?: string): string {
  const h = HEADLINE[status];
  return `${h.emoji} ${h.text(environment ? ` to \`${environment}\`` : '')}`;
}

function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/** A URL as a Markdown link target: a parenthesis would end `](…)` early. */
function linkTarget(url: string): string {
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function timestamp(now: Date): string {
  return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Cuts Markdown at a line boundary to at most `max` characters, closing an open code fence. */
export function truncateMarkdown(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - note.length - 8);
  let cut = text.slice(0, room);
  const newline = cut.lastIndexOf('\n');
  if (newline > room / 2) cut = cut.slice(0, newline);
  const fences = cut.match(/^(`{3,}|~{3,})/gm) ?? [];
  const open = fences.length % 2 === 1 ? `\n${fences[fences.length - 1]}` : '';
  return `${cut}${open}\n\n${note}`;
}

export interface Rendered {
  /** The section without the marker: also the job summary. */
  section: string;
  /** What was cut to fit (empty when nothing). */
  truncated: string[];
}

/** Renders one deployment report, cut to fit `budget` characters. */
export function renderSection(
  inputs: CommentInputs,
  ctx: RenderContext,
  budget = BUDGET,
): Rendered {
  const rows: [string, string][] = [];
  if (inputs.environment) rows.push(['Environment', `\`${inputs.environment}\``]);
  if (inputs.endpoint) rows.push(['Endpoint', `<${inputs.endpoint}>`]);
  if (inputs.image || inputs.digest) {
    const name = inputs.image ? `\`${inputs.image}\`` : '';
    const digest = inputs.digest ? `\`${shortDigest(inputs.digest)}…\`` : '';
    rows.push(['Image', [name, digest].filter(Boolean).join(' @ ')]);
  }
  if (ctx.commitSha) {
    const short = `\`${ctx.commitSha.slice(0, 7)}\``;
    rows.push([
      'Commit',
      ctx.repositoryUrl
        ? `[${short}](${linkTarget(`${ctx.repositoryUrl}/commit/${ctx.commitSha}`)})`
        : short,
    ]);
  }
  if (ctx.runUrl)
    rows.push(['Run', `[${ctx.runLabel ?? 'workflow run'}](${linkTarget(ctx.runUrl)})`]);
  rows.push(['Updated', timestamp(ctx.now)]);

  const head = [
    `### ${headline(inputs.status, inputs.environment)}`,
    '',
    markdownTable(['', ''], rows),
  ];
  if (inputs.digest) {
    const full = inputs.image
      ? `${inputs.image.replace(/@sha256:[a-f0-9]{64}$/, '')}@${inputs.digest}`
      : inputs.digest;
    head.push('', details('Full image reference', codeBlock(full)));
  }
  const fixed = head.join('\n');
  const truncated: string[] = [];
  let metrics = inputs.metrics
    ? `#### Metrics${inputs.baseline ? ' (Δ against baseline)' : ''}\n\n${metricsTable(inputs.metrics, inputs.baseline)}`
    : '';
  let body = inputs.body ?? '';
  const note = (what: string): string =>
    `> ✂️ ${what} truncated: the comment would exceed GitHub's 65,536-character limit. The job summary${ctx.runUrl ? ` of [the run](${linkTarget(ctx.runUrl)})` : ''} has it in full.`;
  const size = (): number => fixed.length + metrics.length + body.length + 8;
  if (size() > budget) {
    body = truncateMarkdown(
      body,
      Math.max(0, budget - fixed.length - metrics.length - 8),
      note('Body'),
    );
    truncated.push('body');
  }
  if (size() > budget) {
    metrics = truncateMarkdown(
      metrics,
      Math.max(0, budget - fixed.length - body.length - 8),
      note('Metrics'),
    );
    truncated.push('metrics');
  }
  const section = [fixed, metrics, body].filter(Boolean).join('\n\n');
  return { section, truncated };
}

/** The whole comment for `upsert`/`recreate`: marker and one section. */
export function commentBody(key: string, section: string): string {
  return `${markerOf(key)}\n${section}\n`;
}

/**
 * The comment for `append`: the existing sections, then the new one; the oldest sections are
 * dropped (with a note) when the result would pass GitHub's limit.
 */
export function appendSection(existing: string | undefined, key: string, section: string): string {
  const marker = markerOf(key);
  const previous = (existing ?? '')
    .split(SECTION_MARK)
    .slice(1)
    .map((s) => s.replace(/\n*---\n*$/, '').trim())
    .filter((s) => s !== '' && !s.startsWith('> 🗑️'));
  const sections = [...previous, section.trim()];
  let dropped = 0;
  const build = (): string => {
    const note = dropped
      ? `\n> 🗑️ ${dropped} older update(s) removed to stay under GitHub's comment limit.\n`
      : '';
    return `${marker}${note}\n${sections.map((s) => `${SECTION_MARK}\n${s}`).join('\n\n---\n\n')}\n`;
  };
  while (build().length > GITHUB_COMMENT_LIMIT && sections.length > 1) {
    sections.shift();
    dropped += 1;
  }
  return build();
}
