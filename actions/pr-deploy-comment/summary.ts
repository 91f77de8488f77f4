import { statusEmoji } from '../../shared/summary.ts';
import type { SlackOutcome } from './slack.ts';
import type { Changes, PublishResult } from './run.ts';

export function changeList(changes: Changes): string[] {
  const out: string[] = [];
  if (changes.created !== undefined) out.push(`created comment ${changes.created}`);
  if (changes.updated !== undefined) out.push(`updated comment ${changes.updated}`);
  if (changes.deleted.length) out.push(`deleted ${changes.deleted.join(', ')}`);
  if (changes.minimized.length) out.push(`minimized ${changes.minimized.join(', ')} as outdated`);
  return out;
}

/** The job summary: the same report as the comment, then one line saying what changed on the PR. */
export function commentSummary(result: PublishResult): string {
  const o = result.outcome;
  let footer: string;
  if (o.kind === 'posted') {
    const changed = changeList(o.changes);
    footer = `${statusEmoji('info')} pr-deploy-comment: [comment ${o.comment.id}](${o.comment.htmlUrl}) on PR #${o.pr} ${o.action}${changed.length ? ` (${changed.join('; ')})` : ''}.`;
  } else if (o.kind === 'no-pull-request') {
    footer = `${statusEmoji('skipped')} pr-deploy-comment: no comment posted: ${o.reason}.`;
  } else {
    const changed = changeList(o.changes);
    footer = `${statusEmoji('warning')} pr-deploy-comment: no comment posted${o.pr ? ` on PR #${o.pr}` : ''}: ${o.message}${changed.length ? ` (before that: ${changed.join('; ')})` : ''}`;
  }
  const truncated = result.truncated.length
    ? `\n\n(Cut in the comment to fit GitHub's limit: ${result.truncated.join(' and ')}; shown in full here.)`
    : '';
  return `${result.fullSection}\n\n${footer}${truncated}\n`;
}

/** Slack's text as literal Markdown: a `<` in it cannot open an HTML tag or comment. */
const literal = (text: string): string => text.replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The summary's Slack line (empty when no Slack input is set). */
export function slackLine(slack: SlackOutcome | undefined): string {
  if (!slack) return '';
  if (slack.kind === 'failed')
    return `\n${statusEmoji('warning')} Slack message not sent: ${literal(slack.message)}\n`;
  if (slack.kind === 'sent')
    return `\n${statusEmoji('info')} Slack: a new message sent through the incoming webhook.\n`;
  const thread = slack.replyTs ? `, status added as thread reply ${slack.replyTs}` : '';
  const note = slack.note ? ` ${statusEmoji('warning')} ${literal(slack.note)}` : '';
  return `\n${statusEmoji('info')} Slack: message ${slack.ts} ${slack.kind} in channel ${slack.channel}${thread}.${note}\n`;
}
