/**
 * SlackApi and SlackWebhookApi over Slack's own SDKs (@slack/web-api's WebClient,
 * @slack/webhook's IncomingWebhook), loaded only when a Slack input is set. Both take a `fetch`:
 * they get one over shared/http.ts (fetchOverHttp), so every Slack request shares its transport,
 * deadline, timeouts, abort and retry policy — a 429 `ratelimited` is retried there after its
 * Retry-After, within the step's deadline. The SDKs' own retries are off (`retries: 0`,
 * `rejectRateLimitedCalls`), so nothing retries twice or waits past the deadline.
 */
import { LogLevel, WebClient, type Logger as SdkLogger } from '@slack/web-api';
import { IncomingWebhook } from '@slack/webhook';
import { errorMessage } from '../../shared/errors.ts';
import { fetchOverHttp } from '../../shared/http-fetch.ts';
import type { HttpClient } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import { checkedServerString } from '../../shared/server-values.ts';
import {
  SlackCallError,
  type HistoryMessage,
  type SlackApi,
  type SlackWebhookApi,
} from './slack-api.ts';

/** A message ts (`1712345678.123456`), a conversation or user id, an error name. */
export const SLACK_TS = /^\d{1,12}\.\d{1,9}$/;
export const SLACK_ID = /^[A-Z0-9]{2,40}$/;
const SLACK_ERROR = /^[a-z0-9_]{1,80}$/;
/** A page cursor: opaque base64-ish text. */
const SLACK_CURSOR = /^[A-Za-z0-9+/=_:-]{1,400}$/;

export interface SlackClientOptions {
  http: HttpClient;
  /** Aborts every request: the step's deadline or the job's cancellation. */
  signal: AbortSignal;
  logger: Logger;
  /** Removes secrets from any text that reaches a message. */
  scrub: (text: string) => string;
}

/** Calls that change nothing, or set the same content again, may be repeated after a 5xx. */
const REPEATABLE = /\/(auth\.test|conversations\.history|chat\.update)$/;

/** fetchOverHttp with the step's signal added to whatever the SDK passes. */
function stepFetch(o: SlackClientOptions): typeof fetch {
  const base = fetchOverHttp(o.http, (_method, url) => REPEATABLE.test(new URL(url).pathname));
  return (input, init) =>
    base(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, o.signal]) : o.signal,
    });
}

function sdkLogger(o: SlackClientOptions): SdkLogger {
  const log = (...msg: unknown[]): void =>
    o.logger.debug(o.scrub(`slack: ${msg.map((m) => String(m)).join(' ')}`));
  return {
    debug: log,
    info: log,
    warn: log,
    error: log,
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

interface SdkErrorShape {
  code?: string;
  data?: { error?: unknown };
  statusCode?: number;
  original?: unknown;
  name?: string;
}

/** The SDK's error (or the transport's) as a SlackCallError naming Slack's error. */
export function slackError(method: string, error: unknown, o: SlackClientOptions): SlackCallError {
  if (o.signal.aborted) {
    const reason: unknown = o.signal.reason;
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
    return new SlackCallError(method, timedOut ? 'timeout' : 'cancelled');
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const platform = typeof e.data?.error === 'string' ? e.data.error : undefined;
  if (e.code === 'slack_webapi_platform_error' && platform && SLACK_ERROR.test(platform))
    return new SlackCallError(method, platform);
  if (e.code === 'slack_webapi_rate_limited_error' || e.statusCode === 429)
    return new SlackCallError(method, 'ratelimited');
  if (typeof e.statusCode === 'number') {
    const body = (error as { body?: unknown }).body;
    const named = typeof body === 'string' && SLACK_ERROR.test(body.trim()) ? body.trim() : '';
    return new SlackCallError(method, named || `http_${e.statusCode}`);
  }
  if (/Retry header did not contain/.test(errorMessage(error)))
    return new SlackCallError(method, 'ratelimited');
  return new SlackCallError(method, 'request_failed', o.scrub(errorMessage(e.original ?? error)));
}

function historyMessage(m: Record<string, unknown>): HistoryMessage | undefined {
  if (typeof m['ts'] !== 'string' || !SLACK_TS.test(m['ts'])) return undefined;
  const user = typeof m['user'] === 'string' && SLACK_ID.test(m['user']) ? m['user'] : undefined;
  const metadata = m['metadata'] as HistoryMessage['metadata'] | undefined;
  return {
    ts: m['ts'],
    ...(user ? { user } : {}),
    ...(metadata && typeof metadata === 'object' ? { metadata } : {}),
  };
}

export function createSlackApi(
  o: SlackClientOptions & { token: string; apiUrl: string },
): SlackApi {
  const client = new WebClient(o.token, {
    slackApiUrl: o.apiUrl,
    fetch: stepFetch(o),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    logger: sdkLogger(o),
    logLevel: LogLevel.DEBUG,
  });
  const call = async <T>(method: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw slackError(method, error, o);
    }
  };
  return {
    async whoAmI() {
      const r = await call('auth.test', () => client.auth.test());
      return checkedServerString(r.user_id, SLACK_ID, 'Slack auth.test user_id');
    },
    async history(channel, cursor) {
      const r = await call('conversations.history', () =>
        client.conversations.history({
          channel,
          limit: 100,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const next = r.response_metadata?.next_cursor;
      const messages = (r.messages ?? []).map((m) => historyMessage(m as Record<string, unknown>));
      return {
        messages: messages.filter((m): m is HistoryMessage => m !== undefined),
        ...(r.has_more && next && SLACK_CURSOR.test(next) ? { nextCursor: next } : {}),
      };
    },
    async post(channel, message, options) {
      const r = await call('chat.postMessage', () =>
        client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
          ...(options.metadata ? { metadata: options.metadata } : {}),
        }),
      );
      return {
        channel: checkedServerString(r.channel, SLACK_ID, 'Slack chat.postMessage channel'),
        ts: checkedServerString(r.ts, SLACK_TS, 'Slack chat.postMessage ts'),
      };
    },
    async update(channel, ts, message, metadata) {
      await call('chat.update', () =>
        client.chat.update({ channel, ts, text: message.text, blocks: message.blocks, metadata }),
      );
    },
  };
}

export function createSlackWebhook(o: SlackClientOptions & { url: string }): SlackWebhookApi {
  const webhook = new IncomingWebhook(o.url, { fetch: stepFetch(o), retryConfig: { retries: 0 } });
  return {
    async send(message) {
      try {
        await webhook.send({
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        throw slackError('incoming webhook', error, o);
      }
    },
  };
}
