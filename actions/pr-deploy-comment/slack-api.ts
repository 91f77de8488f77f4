/**
 * What the action needs from Slack, as interfaces: slack.ts is plain logic over them, and the
 * implementation over Slack's own SDKs (slack-client.ts, loaded only when a Slack input is set)
 * is the one place that knows @slack/web-api and @slack/webhook.
 */
import type { SlackMessage } from './slack-blocks.ts';

/** Attached to the living message so a later run finds it again (Slack message metadata). */
export interface SlackMetadata {
  event_type: string;
  event_payload: Record<string, string>;
}

export interface HistoryMessage {
  ts: string;
  /** The user (or bot user) that posted it. */
  user?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface HistoryPage {
  messages: HistoryMessage[];
  nextCursor?: string;
}

export interface SlackApi {
  /** The user id the token posts as (auth.test `user_id`). */
  whoAmI(): Promise<string>;
  /** One page of conversations.history with every message's metadata, newest first. */
  history(channel: string, cursor?: string): Promise<HistoryPage>;
  /** chat.postMessage; `threadTs` makes it a reply. Returns the channel id and the ts. */
  post(
    channel: string,
    message: SlackMessage,
    options: { threadTs?: string; metadata?: SlackMetadata },
  ): Promise<{ channel: string; ts: string }>;
  /** chat.update of the message `ts`. */
  update(
    channel: string,
    ts: string,
    message: SlackMessage,
    metadata: SlackMetadata,
  ): Promise<void>;
}

export interface SlackWebhookApi {
  send(message: SlackMessage): Promise<void>;
}

/**
 * A Slack call that failed: `slackError` is Slack's own error name (`channel_not_found`,
 * `not_in_channel`, `invalid_auth`, `ratelimited`…) or what happened on the way (`timeout`,
 * `request_failed`, `http_500`).
 */
export class SlackCallError extends Error {
  override name = 'SlackCallError';
  readonly method: string;
  readonly slackError: string;
  constructor(method: string, slackError: string, detail = '') {
    super(`${method}: ${slackError}${detail ? ` (${detail})` : ''}`);
    this.method = method;
    this.slackError = slackError;
  }
}

/** What to do about the errors people meet when setting Slack up. */
export const SLACK_ADVICE: Record<string, string> = {
  invalid_auth: 'the token is not valid: check the slack-token secret (a bot token, xoxb-…)',
  not_authed: 'no token reached Slack',
  account_inactive: 'the token belongs to a deleted user or an uninstalled app',
  token_revoked: 'the token was revoked: reinstall the app and update the secret',
  channel_not_found:
    'no such channel for this token: pass the channel id (C…) and, for a private channel, invite the bot',
  not_in_channel: 'the bot is not a member of the channel: /invite @<your app> in the channel',
  missing_scope:
    'the token lacks a scope: the bot needs chat:write and channels:history (groups:history for a private channel)',
  ratelimited: 'Slack rate-limited the calls past the step timeout',
  is_archived: 'the channel is archived',
  no_service: 'the webhook URL is disabled or not valid: create a new incoming webhook',
  channel_is_archived: 'the webhook channel is archived',
  action_prohibited: 'the workspace restricts this webhook',
};
