/**
 * The living Slack message of the demo's releases: pr-deploy-comment's Slack inputs for the
 * Slack Web API stand-in, the checks on what the stand-in holds after each release (release 1
 * posts the message; a later status updates it in place and replies in its thread), and the
 * message as text for the report (the stored Block Kit blocks rendered as plain lines).
 */
import type { SlackFakeMessage } from '../test/harness/fakes/slack-api.ts';
import type { JobStep } from './demo-job.ts';
import { SLACK_CHANNEL, type StandIns } from './demo-standins.ts';

/** pr-deploy-comment's `with:` for Slack, and how the workflow writes the secret. */
export function slackInputs(stand: StandIns): Record<string, string> {
  return {
    'slack-token': stand.secrets.slackToken,
    'slack-channel': SLACK_CHANNEL,
    'slack-api-url': stand.slack.apiUrl,
  };
}
export const SLACK_SHOWN = { 'slack-token': '${{ secrets.SLACK_BOT_TOKEN }}' };

type Block = {
  type?: string;
  text?: { text?: string };
  fields?: { text?: string }[];
  elements?: { text?: string }[];
};

/** Block Kit blocks as the lines Slack shows: header, section text and fields, context. */
export function blocksText(blocks: unknown[] | undefined, fallback = ''): string {
  if (!blocks?.length) return fallback;
  const lines: string[] = [];
  for (const b of blocks as Block[]) {
    if (b.type === 'header' && b.text?.text) lines.push(`**${b.text.text}**`);
    else if (b.type === 'section') {
      if (b.text?.text) lines.push(b.text.text);
      for (const f of b.fields ?? []) if (f.text) lines.push(f.text);
    } else if (b.type === 'context')
      lines.push(...(b.elements ?? []).flatMap((e) => (e.text ? [e.text] : [])));
    else if (b.type === 'divider') lines.push('---');
  }
  return lines.join('\n');
}

/** The channel's top-level messages and the thread replies to the first one. */
export function slackThread(stand: StandIns): {
  top: SlackFakeMessage[];
  replies: SlackFakeMessage[];
} {
  const all = stand.slack.messages.get(SLACK_CHANNEL) ?? [];
  const top = all.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const first = top[0]?.ts;
  return { top, replies: all.filter((m) => m.thread_ts === first && m.ts !== first) };
}

/**
 * The Slack message as the report shows it: the living message's text, then each thread reply.
 * Undefined when nothing was posted.
 */
export function slackReport(stand: StandIns | undefined): string | undefined {
  if (!stand) return undefined;
  const { top, replies } = slackThread(stand);
  const message = top[0];
  if (!message) return undefined;
  const quote = (text: string): string =>
    text
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
  const lines = [
    `Channel \`${SLACK_CHANNEL}\`, message \`${message.ts}\`${message.edited ? ' (edited)' : ''}:`,
    '',
    quote(blocksText(message.blocks, message.text)),
  ];
  for (const r of replies)
    lines.push('', `Thread reply \`${r.ts}\`:`, '', quote(blocksText(r.blocks, r.text)));
  return lines.join('\n');
}

/**
 * After release `n` (1-based): one living message, its ts the step's `slack-ts`, updated in
 * place by every later release (edited, saying `word`), one thread reply per later release.
 */
export function checkSlack(
  check: (what: string, ok: boolean, detail?: string) => boolean,
  stand: StandIns,
  o: { job: string; n: number; step: JobStep; word: string },
): boolean {
  const { top, replies } = slackThread(stand);
  const message = top[0];
  const text = blocksText(message?.blocks, message?.text ?? '');
  const ts = o.step.result?.outputs['slack-ts'] ?? '';
  const warnings = (o.step.result?.annotations ?? []).filter((a) => /slack/i.test(a.message));
  const what =
    o.n === 1
      ? `${o.job}: pr-deploy-comment posts the living Slack message (chat.postMessage)`
      : `${o.job}: pr-deploy-comment updates the same Slack message in place and replies in its thread`;
  return check(
    `${what}, now "${o.word}"`,
    top.length === 1 &&
      ts !== '' &&
      ts === message?.ts &&
      text.includes(o.word) &&
      replies.length === o.n - 1 &&
      (o.n === 1 || message.edited === true) &&
      warnings.length === 0,
    `${top.length} message(s) in ${SLACK_CHANNEL}, slack-ts ${ts || '(empty)'}, ${replies.length} thread repl${replies.length === 1 ? 'y' : 'ies'}${message?.edited ? ', edited' : ''}${warnings[0] ? `; warning: ${warnings[0].message.split('\n')[0]}` : ''}`,
  );
}

/** The Slack token in no step log, output, job summary, report, Slack message or PR comment. */
export function slackTokenNowhere(
  stand: StandIns,
  steps: JobStep[],
  texts: string[],
): { ok: boolean; where: string[] } {
  const token = stand.secrets.slackToken;
  const where: string[] = [];
  for (const st of steps) {
    const r = st.result;
    if (!r) continue;
    const parts = [r.maskedLog, r.summary, JSON.stringify(r.outputs), r.post?.maskedLog ?? ''];
    if (parts.some((p) => p.includes(token))) where.push(`${st.action} (${st.id})`);
  }
  const messages = JSON.stringify([...stand.slack.messages.values()]);
  if (messages.includes(token)) where.push('the Slack messages');
  if (texts.some((t) => t.includes(token))) where.push('the report or the PR comment');
  return { ok: where.length === 0, where };
}
