/**
 * A fake Slack Web API and incoming webhook (real HTTP on 127.0.0.1) following the contract in
 * test/contracts/slack/web-api.json: every method is a POST answered HTTP 200 with
 * `{ok:true,…}` or `{ok:false,error}`, auth by `Authorization: Bearer`, form or JSON bodies
 * (the SDK sends blocks and metadata as JSON strings in a form), 429 `ratelimited` with
 * Retry-After, conversations.history newest first with cursor pagination
 * (`response_metadata.next_cursor`, `has_more`) and metadata only with `include_all_metadata`,
 * chat.update's `message_not_found` / `cant_update_message`. The webhook answers plain `ok` or
 * a plain-text error (`invalid_payload` 400, `no_service` 404).
 *
 * Faults: `fail(method, fault, times)` answers the next calls with an error the contract lists
 * for that method, optionally with detail lines in `response_metadata.messages` (or a 429 with
 * Retry-After); `inject()` adds a message from someone else.
 */
import { readContractJson } from '../contracts.ts';
import { bearer, json, startFake, type FakeRequest, type FakeResponse } from './http-fake.ts';

interface Contract {
  commonErrors: string[];
  methods: Record<string, { required: string[]; oneOf?: string[]; errors: string[] }>;
  incomingWebhook: { errors: Record<string, string[]> };
}
const contract = readContractJson<Contract>('slack', 'web-api.json');

export interface SlackFakeMessage {
  ts: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  edited?: boolean;
}

/** `messages`: the error's detail lines in `response_metadata.messages` (`[ERROR] …`). */
export type SlackFault =
  { error: string; messages?: string[] } | { status: 429; retryAfter: number };

export interface SlackFakeOptions {
  token?: string;
  /** The bot user the token posts as. */
  user?: string;
  /** Channels that exist; the bot is a member of those not in `notMember`. */
  channels?: string[];
  notMember?: string[];
  /** Secret path part of the webhook URL. */
  webhookSecret?: string;
}

export interface SlackFake {
  url: string;
  /** Base URL of the Web API (`…/api/`), for the `slack-api-url` input. */
  apiUrl: string;
  webhookUrl: string;
  token: string;
  user: string;
  /** Messages per channel, oldest first (thread replies included, with `thread_ts`). */
  messages: Map<string, SlackFakeMessage[]>;
  webhookMessages: { text?: string; blocks?: unknown[] }[];
  requests: FakeRequest[];
  errors: string[];
  /** Calls per method name. */
  calls(method: string): FakeRequest[];
  fail(method: string, fault: SlackFault, times?: number): void;
  inject(channel: string, message: Omit<SlackFakeMessage, 'ts'>): string;
  stop(): Promise<void>;
}

/** The request's arguments, from a form (JSON-valued fields parsed) or a JSON body. */
export function slackArgs(req: FakeRequest): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return JSON.parse(req.body || '{}') as Record<string, unknown>;
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(req.body)) {
    args[k] = k === 'blocks' || k === 'metadata' ? JSON.parse(v) : v;
  }
  return args;
}

function checkFault(method: string, fault: SlackFault): void {
  if ('status' in fault) return;
  const allowed = [...(contract.methods[method]?.errors ?? []), ...contract.commonErrors];
  if (!allowed.includes(fault.error))
    throw new Error(`slack fake: ${method} does not answer ${fault.error} (test/contracts/slack)`);
}

const ok = (body: object): FakeResponse => json(200, { ok: true, ...body });
const err = (error: string, messages?: string[]): FakeResponse =>
  json(200, { ok: false, error, ...(messages ? { response_metadata: { messages } } : {}) });

export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  const token = options.token ?? 'xoxb-111-222-fakeSlackBotTokenValue';
  const user = options.user ?? 'U0BOTUSER1';
  const channels = new Set(options.channels ?? ['C0DEPLOYS1']);
  const notMember = new Set(options.notMember ?? []);
  const webhookSecret = options.webhookSecret ?? 'fakeWebhookSecretX1234567';
  const messages = new Map<string, SlackFakeMessage[]>([...channels].map((c) => [c, []]));
  const webhookMessages: SlackFake['webhookMessages'] = [];
  const faults = new Map<string, SlackFault[]>();
  let counter = 0;
  const nextTs = (): string => `${1765000000 + counter}.${String(++counter).padStart(6, '0')}`;

  const methods: Record<string, (a: Record<string, unknown>) => FakeResponse> = {
    'auth.test': () =>
      ok({ user_id: user, user: 'deploy-bot', team_id: 'T0TEAM', bot_id: 'B0BOT' }),
    'chat.postMessage': (a) => {
      const list = messages.get(String(a['channel']));
      if (!list) return err('channel_not_found');
      if (notMember.has(String(a['channel']))) return err('not_in_channel');
      if (a['thread_ts'] !== undefined && !list.some((m) => m.ts === a['thread_ts']))
        return err('thread_reply_not_found');
      const m: SlackFakeMessage = {
        ts: nextTs(),
        user,
        ...(typeof a['text'] === 'string' ? { text: a['text'] } : {}),
        ...(Array.isArray(a['blocks']) ? { blocks: a['blocks'] } : {}),
        ...(a['metadata'] ? { metadata: a['metadata'] as SlackFakeMessage['metadata'] } : {}),
        ...(typeof a['thread_ts'] === 'string' ? { thread_ts: a['thread_ts'] } : {}),
      };
      list.push(m);
      return ok({ channel: a['channel'], ts: m.ts, message: m });
    },
    'chat.update': (a) => {
      const list = messages.get(String(a['channel']));
      if (!list) return err('channel_not_found');
      const m = list.find((x) => x.ts === a['ts']);
      if (!m) return err('message_not_found');
      if (m.user !== user) return err('cant_update_message');
      if (typeof a['text'] === 'string') m.text = a['text'];
      if (Array.isArray(a['blocks'])) m.blocks = a['blocks'];
      if (a['metadata']) m.metadata = a['metadata'] as SlackFakeMessage['metadata'];
      m.edited = true;
      return ok({ channel: a['channel'], ts: m.ts, text: m.text });
    },
    'conversations.history': (a) => {
      const list = messages.get(String(a['channel']));
      if (!list) return err('channel_not_found');
      if (notMember.has(String(a['channel']))) return err('not_in_channel');
      const limit = Math.min(Number(a['limit'] ?? 100) || 100, 999);
      let offset = 0;
      if (a['cursor']) {
        const decoded = /^offset:(\d+)$/.exec(
          Buffer.from(String(a['cursor']), 'base64').toString(),
        );
        if (!decoded) return err('invalid_cursor');
        offset = Number(decoded[1]);
      }
      const top = list.filter((m) => !m.thread_ts || m.thread_ts === m.ts).reverse();
      const withMetadata =
        a['include_all_metadata'] === 'true' || a['include_all_metadata'] === true;
      const page = top.slice(offset, offset + limit).map((m) => {
        const { metadata, ...rest } = m;
        return withMetadata && metadata
          ? { type: 'message', ...rest, metadata }
          : { type: 'message', ...rest };
      });
      const more = offset + limit < top.length;
      const next = more ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
      return ok({ messages: page, has_more: more, response_metadata: { next_cursor: next } });
    },
  };

  const webApi = (req: FakeRequest): FakeResponse => {
    const method = req.path.slice('/api/'.length);
    if (req.method !== 'POST') return json(405, { ok: false, error: 'method_not_allowed' });
    const handler = methods[method];
    if (!handler) return err('unknown_method');
    const queued = faults.get(method);
    const fault = queued?.shift();
    if (fault) {
      return 'status' in fault
        ? json(
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(fault.retryAfter) },
          )
        : err(fault.error, fault.messages);
    }
    if (bearer(req) !== token) return err(bearer(req) ? 'invalid_auth' : 'not_authed');
    const args = slackArgs(req);
    const spec = contract.methods[method];
    for (const name of spec?.required ?? [])
      if (args[name] === undefined) return err('invalid_arguments');
    if (spec?.oneOf && !spec.oneOf.some((n) => args[n] !== undefined)) return err('no_text');
    return handler(args);
  };

  const webhook = (req: FakeRequest): FakeResponse => {
    const text = (status: number, body: string): FakeResponse => ({
      status,
      headers: { 'content-type': 'text/plain' },
      body,
    });
    if (req.path !== `/services/T0TEAM/B0HOOK/${webhookSecret}`) return text(404, 'no_service');
    let payload: { text?: unknown; blocks?: unknown };
    try {
      payload = JSON.parse(req.body) as typeof payload;
    } catch {
      return text(400, 'invalid_payload');
    }
    if (typeof payload.text !== 'string' && !Array.isArray(payload.blocks))
      return text(400, 'invalid_payload');
    const fault = faults.get('webhook')?.shift();
    if (fault) {
      if ('status' in fault)
        return {
          ...text(429, 'rate_limited'),
          headers: { 'retry-after': String(fault.retryAfter) },
        };
      const status = Object.entries(contract.incomingWebhook.errors).find(([, names]) =>
        names.includes(fault.error),
      );
      return text(Number(status?.[0] ?? 400), fault.error);
    }
    webhookMessages.push({
      ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
      ...(Array.isArray(payload.blocks) ? { blocks: payload.blocks as unknown[] } : {}),
    });
    return text(200, 'ok');
  };

  const server = await startFake('slack', (req) =>
    req.path.startsWith('/api/') ? webApi(req) : webhook(req),
  );
  return {
    url: server.url,
    apiUrl: `${server.url}/api/`,
    webhookUrl: `${server.url}/services/T0TEAM/B0HOOK/${webhookSecret}`,
    token,
    user,
    messages,
    webhookMessages,
    requests: server.requests,
    errors: server.errors,
    calls: (method) => server.requests.filter((r) => r.path === `/api/${method}`),
    fail(method, fault, times = 1) {
      if (method === 'webhook') {
        if (
          'error' in fault &&
          !Object.values(contract.incomingWebhook.errors).flat().includes(fault.error)
        )
          throw new Error(`slack fake: the webhook does not answer ${fault.error}`);
      } else checkFault(method, fault);
      faults.set(method, [...(faults.get(method) ?? []), ...Array<SlackFault>(times).fill(fault)]);
    },
    inject(channel, message) {
      const ts = nextTs();
      messages.get(channel)?.push({ ...message, ts });
      return ts;
    },
    stop: () => server.stop(),
  };
}
