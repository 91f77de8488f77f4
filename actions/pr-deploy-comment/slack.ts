/**
 * Slack: one living message per key. With a token, the message is posted once with metadata
 * carrying the key; a later run finds it again in the channel's history (the metadata, posted by
 * this same bot user), updates it in place with chat.update and adds the new status as a thread
 * reply. When it is not found (older than the pages read, deleted, not editable), a new one is
 * posted. With a webhook, each status is a new message (webhooks cannot edit). Any failure is a
 * warning: the deployment does not fail because Slack did.
 */
import { errorMessage } from '../../shared/errors.ts';
import {
  SLACK_ADVICE,
  SlackCallError,
  type SlackApi,
  type SlackMetadata,
  type SlackWebhookApi,
} from './slack-api.ts';
import type { SlackMessage } from './slack-blocks.ts';

/** The metadata event type of the living message. */
export const SLACK_EVENT_TYPE = 'mlops_actions_deployment';
/** History pages read when looking for the message (a page is at most 100 messages). */
export const MAX_HISTORY_PAGES = 5;

export type SlackOutcome =
  | {
      kind: 'posted' | 'updated';
      channel: string;
      ts: string;
      replyTs?: string;
      /** Why a new message was posted although one may exist (a warning). */
      note?: string;
    }
  | { kind: 'sent' }
  | { kind: 'failed'; slackError: string; message: string };

export interface SlackContent {
  key: string;
  status: string;
  message: SlackMessage;
  reply: SlackMessage;
  /** The living message as the PR comment remembers it: tried before any history lookup. */
  known?: { channel: string; ts: string };
}

/**
 * The PR comment remembers the living message in a hidden line, so a run on a pull request
 * finds it without reading the channel's history (rate-limited, and only its newest pages).
 */
const HINT =
  /<!-- mlops-actions\/pr-deploy-comment slack="([A-Z0-9]{2,40})\/(\d{1,12}\.\d{1,9})" -->/g;

export function slackHintLine(channel: string, ts: string): string {
  return `<!-- mlops-actions/pr-deploy-comment slack="${channel}/${ts}" -->`;
}

/** The last living message a comment body remembers (append mode keeps one line per section). */
export function slackHintOf(body: string | undefined): { channel: string; ts: string } | undefined {
  const last = [...(body ?? '').matchAll(HINT)].pop();
  return last?.[1] && last[2] ? { channel: last[1], ts: last[2] } : undefined;
}

export function metadataOf(content: SlackContent): SlackMetadata {
  return {
    event_type: SLACK_EVENT_TYPE,
    event_payload: { key: content.key, status: content.status },
  };
}

/** The newest message of this bot user whose metadata names `key`, within the pages read. */
export async function findLivingMessage(
  api: SlackApi,
  channel: string,
  key: string,
  user: string,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
    const { messages, nextCursor } = await api.history(channel, cursor);
    const found = messages.find(
      (m) =>
        m.user === user &&
        m.metadata?.event_type === SLACK_EVENT_TYPE &&
        m.metadata.event_payload?.['key'] === key,
    );
    if (found) return found.ts;
    if (!nextCursor) return undefined;
    cursor = nextCursor;
  }
  return undefined;
}

/** Errors that mean "that message cannot be edited any more": post a new one instead. */
const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Updates the message `ts` and replies in its thread; undefined when it cannot be edited. */
async function updateLiving(
  api: SlackApi,
  channel: string,
  ts: string,
  content: SlackContent,
): Promise<SlackOutcome | undefined> {
  try {
    await api.update(channel, ts, content.message, metadataOf(content));
  } catch (error) {
    if (error instanceof SlackCallError && GONE.has(error.slackError)) return undefined;
    throw error;
  }
  const reply = await api.post(channel, content.reply, { threadTs: ts });
  return { kind: 'updated', channel, ts, replyTs: reply.ts };
}

export async function publishLiving(
  api: SlackApi,
  channel: string,
  content: SlackContent,
): Promise<SlackOutcome> {
  const metadata = metadataOf(content);
  if (content.known?.channel === channel) {
    const updated = await updateLiving(api, channel, content.known.ts, content);
    if (updated) return updated;
  }
  const user = await api.whoAmI();
  let ts: string | undefined;
  let note: string | undefined;
  try {
    ts = await findLivingMessage(api, channel, content.key, user);
  } catch (error) {
    // Without channels:history the message cannot be found: still tell the team, say why.
    if (!(error instanceof SlackCallError && error.slackError === 'missing_scope')) throw error;
    note = `${error.message}: posted a new message because the previous one cannot be looked up; add the scope channels:history (groups:history for a private channel) to keep one message`;
  }
  if (ts) {
    const updated = await updateLiving(api, channel, ts, content);
    if (updated) return updated;
  }
  const posted = await api.post(channel, content.message, { metadata });
  return { kind: 'posted', channel: posted.channel, ts: posted.ts, ...(note ? { note } : {}) };
}

/** A failure as a warning's text: Slack's error name, what to do, and nothing secret. */
export function slackFailure(error: unknown, scrub: (text: string) => string): SlackOutcome {
  if (error instanceof SlackCallError) {
    const advice = SLACK_ADVICE[error.slackError];
    return {
      kind: 'failed',
      slackError: error.slackError,
      message: scrub(`${error.message}${advice ? `: ${advice}` : ''}`),
    };
  }
  return { kind: 'failed', slackError: 'error', message: scrub(errorMessage(error)) };
}

/** Where the message goes: one handler per kind of Slack target. */
export interface SlackPublisher {
  /** Publishes `content`; throws SlackCallError (or any error) on failure. */
  publish(content: SlackContent): Promise<SlackOutcome>;
}

/** A bot token and a channel: the living message. The client is made on first use. */
export function livingMessagePublisher(
  api: () => Promise<SlackApi>,
  channel: string,
): SlackPublisher {
  return { publish: async (content) => publishLiving(await api(), channel, content) };
}

/** An incoming webhook: a new message per status (webhooks cannot edit or find messages). */
export function webhookPublisher(webhook: () => Promise<SlackWebhookApi>): SlackPublisher {
  return {
    async publish(content) {
      await (await webhook()).send(content.message);
      return { kind: 'sent' };
    },
  };
}

/**
 * Publishes through `publisher`; never throws (a failure is the outcome, a warning). Every text
 * of the outcome that reaches a warning or the summary (a failure's message, a note) is scrubbed.
 */
export async function publishSlack(
  publisher: SlackPublisher,
  content: SlackContent,
  scrub: (text: string) => string,
): Promise<SlackOutcome> {
  let outcome: SlackOutcome;
  try {
    outcome = await publisher.publish(content);
  } catch (error) {
    return slackFailure(error, scrub);
  }
  return 'note' in outcome && outcome.note ? { ...outcome, note: scrub(outcome.note) } : outcome;
}
