/**
 * The Slack message: the PR comment's facts (status, environment, endpoint, image, digest,
 * commit, run link, metrics with deltas) as Block Kit. Every text that a user or a server
 * supplied is escaped for Slack's mrkdwn (`&`, `<`, `>`), so a metric named `<!channel>` or
 * `<@U123>` stays literal text and notifies nobody.
 */
import type { DeployStatus } from './inputs.ts';
import type { CommentInputs } from './inputs.ts';
import { formatDelta, formatNumber, type Metric } from './metrics.ts';
import { headline, type RenderContext } from './render.ts';

export type SlackText = { type: 'mrkdwn' | 'plain_text'; text: string };
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

export interface SlackMessage {
  /** The notification's fallback text (mrkdwn, escaped). */
  text: string;
  blocks: SlackBlock[];
}

/** A section's text may hold 3,000 characters (Block Kit's limit). */
const SECTION_LIMIT = 3000;

/** Slack's three control characters as entities: what the docs ask of all posted text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** User text in code style: a backtick inside would end the span, so it becomes a quote. */
function code(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}

/** `<url|label>`: a `|` or `>` in either would end it early. */
function link(url: string, label: string): string {
  const target = escapeMrkdwn(url).replace(/\|/g, '%7C');
  return `<${target}|${escapeMrkdwn(label.replace(/\|/g, '/'))}>`;
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

/** The headline as plain text (the header block renders no markup). */
export function plainHeadline(status: DeployStatus, environment?: string): string {
  return headline(status, environment).replace(/`/g, '').slice(0, 150);
}

function factFields(inputs: CommentInputs, ctx: RenderContext): SlackText[] {
  const fields: SlackText[] = [];
  if (inputs.environment) fields.push(mrkdwn(`*Environment*\n${code(inputs.environment)}`));
  if (inputs.endpoint) fields.push(mrkdwn(`*Endpoint*\n${link(inputs.endpoint, inputs.endpoint)}`));
  if (inputs.image) fields.push(mrkdwn(`*Image*\n${code(inputs.image)}`));
  if (inputs.digest) fields.push(mrkdwn(`*Digest*\n${code(inputs.digest.slice(0, 19))}…`));
  if (ctx.commitSha) {
    const short = ctx.commitSha.slice(0, 7);
    fields.push(
      mrkdwn(
        `*Commit*\n${ctx.repositoryUrl ? link(`${ctx.repositoryUrl}/commit/${ctx.commitSha}`, short) : code(short)}`,
      ),
    );
  }
  if (ctx.runUrl) fields.push(mrkdwn(`*Run*\n${link(ctx.runUrl, ctx.runLabel ?? 'workflow run')}`));
  // A section holds at most 10 fields.
  return fields.slice(0, 10);
}

function show(value: number | string | undefined): string {
  if (value === undefined) return '—';
  return typeof value === 'number' ? formatNumber(value) : value.replace(/`/g, "'");
}

function delta(value: number | string, base: number | string | undefined): string {
  if (base === undefined) return 'new';
  if (typeof value === 'number' && typeof base === 'number') return formatDelta(value, base);
  return String(base) === String(value) ? '=' : 'changed';
}

/** Metrics as an aligned table in a code block, cut (with a note) to fit one section. */
export function metricsText(current: readonly Metric[], baseline?: readonly Metric[]): string {
  const before = new Map(baseline?.map((m) => [m.name, m.value]));
  const rows = current.map((m) => {
    const name = m.name.replace(/`/g, "'");
    return baseline
      ? [name, show(m.value), show(before.get(m.name)), delta(m.value, before.get(m.name))]
      : [name, show(m.value)];
  });
  const header = baseline ? ['Metric', 'Value', 'Baseline', 'Δ'] : ['Metric', 'Value'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    escapeMrkdwn(
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  const title = `*Metrics${baseline ? ' (Δ against baseline)' : ''}*`;
  const lines = [line(header), ...rows.map(line)];
  let shown = lines.length;
  const build = (): string => {
    const cut = lines.length - shown;
    const note = cut ? `\n_${cut} more metric(s) in the job summary._` : '';
    return `${title}\n\`\`\`\n${lines.slice(0, shown).join('\n')}\n\`\`\`${note}`;
  };
  while (build().length > SECTION_LIMIT && shown > 1) shown -= 1;
  return build().slice(0, SECTION_LIMIT);
}

function updatedLine(key: string, now: Date): string {
  const time = `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `Updated ${time} · key ${code(key)} · mlops-actions/pr-deploy-comment`;
}

/** The living message: headline, facts, metrics, and when it was updated. */
export function slackMessage(inputs: CommentInputs, ctx: RenderContext): SlackMessage {
  const title = plainHeadline(inputs.status, inputs.environment);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: title } }];
  const fields = factFields(inputs, ctx);
  if (fields.length) blocks.push({ type: 'section', fields });
  if (inputs.metrics) {
    blocks.push({ type: 'section', text: mrkdwn(metricsText(inputs.metrics, inputs.baseline)) });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(updatedLine(inputs.key, ctx.now))] });
  return { text: escapeMrkdwn(title), blocks };
}

/** A later status, as a reply in the living message's thread: the headline and the run. */
export function slackReply(inputs: CommentInputs, ctx: RenderContext): SlackMessage {
  const title = escapeMrkdwn(plainHeadline(inputs.status, inputs.environment));
  const run = ctx.runUrl ? ` · ${link(ctx.runUrl, ctx.runLabel ?? 'workflow run')}` : '';
  return { text: title, blocks: [{ type: 'section', text: mrkdwn(`*${title}*${run}`) }] };
}
