/**
 * pr-deploy-comment's Slack part with Slack's real SDKs over shared/http.ts, against the Slack
 * fake (test/harness/fakes/slack-api.ts): one living message per key (posted, found again by
 * its metadata, updated, later statuses as thread replies), webhooks, Slack's errors as
 * warnings that name them, rate limits retried after Retry-After, mrkdwn escaping, and no
 * secret in any message.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { InputError } from '../../shared/errors.ts';
import { createHttpClient } from '../../shared/http.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { getInputs } from '../../actions/pr-deploy-comment/inputs.ts';
import {
  escapeMrkdwn,
  slackMessage,
  slackReply,
} from '../../actions/pr-deploy-comment/slack-blocks.ts';
import {
  createSlackApi,
  createSlackWebhook,
} from '../../actions/pr-deploy-comment/slack-client.ts';
import { SlackCallError, type SlackApi } from '../../actions/pr-deploy-comment/slack-api.ts';
import { slackSecrets, slackTarget } from '../../actions/pr-deploy-comment/slack-inputs.ts';
import {
  livingMessagePublisher,
  MAX_HISTORY_PAGES,
  publishSlack,
  webhookPublisher,
  SLACK_EVENT_TYPE,
  type SlackContent,
} from '../../actions/pr-deploy-comment/slack.ts';
import { scrubber } from '../../actions/pr-deploy-comment/wiring.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';
import { startSlackFake, type SlackFake } from '../harness/fakes/slack-api.ts';

const CHANNEL = 'C0DEPLOYS1';
let fake: SlackFake;
beforeAll(async () => {
  fake = await startSlackFake({ channels: [CHANNEL, 'C0PRIVATE1'], notMember: ['C0PRIVATE1'] });
});
afterAll(async () => {
  await fake.stop();
});
afterEach(() => {
  expect(fake.errors).toEqual([]);
});

function commentInputs(values: Record<string, string>) {
  return getInputs(
    new Inputs(mapInputs({ token: 'ghs_x', status: 'success', environment: 'staging', ...values })),
    { GITHUB_WORKSPACE: process.cwd() },
  );
}

function content(
  key: string,
  status = 'success',
  values: Record<string, string> = {},
): SlackContent {
  const inputs = commentInputs({ key, status, ...values });
  const ctx = {
    now: new Date(Date.UTC(2026, 11, 7, 18)),
    runUrl: 'https://github.com/o/r/actions/runs/9',
  };
  return { key, status, message: slackMessage(inputs, ctx), reply: slackReply(inputs, ctx) };
}

function clients(token = fake.token, timeoutMs = 10_000, clock: Clock = systemClock) {
  const logger = new RecordingLogger();
  const scrub = scrubber({ kind: 'api', token, channel: CHANNEL, apiUrl: fake.apiUrl });
  const deadlineAt = clock.now() + timeoutMs;
  const http = createHttpClient({
    timeoutMs,
    deadline: () => deadlineAt,
    clock,
    onRetry: (m) => logger.info(m),
  });
  const signal = new AbortController().signal;
  const api = createSlackApi({ http, signal, logger, scrub, token, apiUrl: fake.apiUrl });
  return { logger, scrub, api, http, signal };
}

const ownMessages = (key: string) =>
  (fake.messages.get(CHANNEL) ?? []).filter((m) => m.metadata?.event_payload['key'] === key);

describe('Slack Web API: one living message per key', () => {
  it('posts once with metadata, then updates it in place and adds the status as a thread reply', async () => {
    const { api, scrub } = clients();
    const first = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('living/a', 'in-progress'),
      scrub,
    );
    expect(first).toMatchObject({ kind: 'posted', channel: CHANNEL });
    const posted = ownMessages('living/a');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.metadata).toEqual({
      event_type: SLACK_EVENT_TYPE,
      event_payload: { key: 'living/a', status: 'in-progress' },
    });
    expect(posted[0]?.text).toContain('Deploying');

    const second = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('living/a', 'success'),
      scrub,
    );
    expect(second).toMatchObject({ kind: 'updated', ts: posted[0]?.ts });
    const all = fake.messages.get(CHANNEL) ?? [];
    const parent = all.find((m) => m.ts === posted[0]?.ts);
    expect(parent?.edited).toBe(true);
    expect(parent?.text).toContain('Deployed');
    const replies = all.filter((m) => m.thread_ts === posted[0]?.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('Deployed');
    expect(second.kind === 'updated' && second.replyTs).toBe(replies[0]?.ts);
    // The history was read with metadata and authenticated by Bearer (the token is not in the body).
    const history = fake.calls('conversations.history').at(-1);
    expect(history?.body).toContain('include_all_metadata=true');
    expect(history?.headers.authorization).toBe(`Bearer ${fake.token}`);
    expect(fake.requests.every((r) => !r.body.includes(fake.token))).toBe(true);
  });

  it('finds the message on a later history page, and ignores the same metadata posted by someone else', async () => {
    const { api, scrub } = clients();
    await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('paged/b'),
      scrub,
    );
    const ts = ownMessages('paged/b')[0]?.ts;
    for (let i = 0; i < 150; i += 1)
      fake.inject(CHANNEL, { user: 'U0SOMEONE', text: `chatter ${i}` });
    // Another app copying the metadata must not capture the living message.
    fake.inject(CHANNEL, {
      user: 'U0IMPOSTOR',
      text: 'not ours',
      metadata: {
        event_type: SLACK_EVENT_TYPE,
        event_payload: { key: 'paged/b', status: 'success' },
      },
    });
    const before = fake.calls('conversations.history').length;
    const outcome = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('paged/b'),
      scrub,
    );
    expect(outcome).toMatchObject({ kind: 'updated', ts });
    expect(fake.calls('conversations.history').length - before).toBe(2);
    expect(MAX_HISTORY_PAGES).toBeGreaterThanOrEqual(2);
  });

  it('posts a new message when the old one cannot be updated (message_not_found)', async () => {
    const { api, scrub } = clients();
    await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('gone/c'),
      scrub,
    );
    fake.fail('chat.update', { error: 'message_not_found' });
    const outcome = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('gone/c'),
      scrub,
    );
    expect(outcome.kind).toBe('posted');
    expect(ownMessages('gone/c')).toHaveLength(2);
  });

  it('without channels:history (missing_scope) it still posts, and says how to keep one message', async () => {
    const { api, scrub } = clients();
    fake.fail('conversations.history', { error: 'missing_scope' });
    const outcome = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('scope/i'),
      scrub,
    );
    expect(outcome).toMatchObject({ kind: 'posted' });
    expect(outcome.kind === 'posted' && outcome.note).toMatch(
      /conversations\.history: missing_scope: posted a new message.*channels:history/,
    );
    expect(ownMessages('scope/i')).toHaveLength(1);
  });

  it('the note of a posted message goes through the Slack scrubber: a token in the error detail is not in it', async () => {
    const { api, scrub } = clients();
    // A history error whose detail echoes the token (a proxy, or a future SDK message).
    const echoing: SlackApi = {
      ...api,
      history: () =>
        Promise.reject(
          new SlackCallError('conversations.history', 'missing_scope', `Bearer ${fake.token}`),
        ),
    };
    const outcome = await publishSlack(
      livingMessagePublisher(async () => echoing, CHANNEL),
      content('scope/echo'),
      scrub,
    );
    expect(outcome).toMatchObject({ kind: 'posted' });
    const note = outcome.kind === 'posted' ? (outcome.note ?? '') : '';
    expect(note).toMatch(
      /conversations\.history: missing_scope \(Bearer \*\*\*\): posted a new message/,
    );
    expect(note).not.toContain(fake.token);
  });

  it('waits out a 429 ratelimited for its Retry-After (shared/http), once, then posts', async () => {
    // The wait is on the injected clock (shared/http sleeps through it): no real second passes.
    const clock = new ManualClock(Date.now());
    const { api, scrub, logger } = clients(fake.token, 10_000, clock);
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const before = fake.calls('chat.postMessage').length;
    const started = clock.now();
    const outcome = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('rate/d'),
      scrub,
    );
    expect(outcome.kind).toBe('posted');
    expect(clock.now() - started).toBeGreaterThanOrEqual(900);
    expect(clock.sleeps).toEqual([1000]);
    expect(fake.calls('chat.postMessage').length - before).toBe(2);
    expect(ownMessages('rate/d')).toHaveLength(1);
    expect(logger.records.some((r) => /429/.test(r.message))).toBe(true);
  });

  it('a rate limit longer than the timeout is a failure named ratelimited, not a wait past it', async () => {
    const clock = new ManualClock(Date.now());
    const { api, scrub } = clients(fake.token, 1500, clock);
    fake.fail('chat.postMessage', { status: 429, retryAfter: 30 });
    const started = clock.now();
    const outcome = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('rate/e'),
      scrub,
    );
    expect(outcome).toMatchObject({ kind: 'failed', slackError: 'ratelimited' });
    expect(clock.now() - started).toBeLessThan(5000);
    expect(clock.sleeps).toEqual([]);
  });

  it.each([
    [
      'not_in_channel',
      'C0PRIVATE1',
      undefined,
      /not_in_channel: the bot is not a member.*\/invite/,
    ],
    ['channel_not_found', 'C0MISSING1', undefined, /channel_not_found: no such channel/],
    [
      'invalid_auth',
      CHANNEL,
      'xoxb-999-wrong-tokenValue',
      /auth\.test: invalid_auth: the token is not valid/,
    ],
  ])(
    '%s is a failure outcome that names it, without the token',
    async (name, channel, token, text) => {
      const { api, scrub } = clients(token ?? fake.token);
      const outcome = await publishSlack(
        livingMessagePublisher(async () => api, channel),
        content(`err/${name}`),
        scrub,
      );
      expect(outcome).toMatchObject({ kind: 'failed', slackError: name });
      expect(outcome.kind === 'failed' && outcome.message).toMatch(text);
      expect(JSON.stringify(outcome)).not.toContain(token ?? fake.token);
    },
  );

  it('Slack unreachable: a request_failed outcome, never a throw', async () => {
    const { http, signal, logger, scrub } = clients(fake.token, 2000);
    const api = createSlackApi({
      http,
      signal,
      logger,
      scrub,
      token: fake.token,
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    const outcome = await publishSlack(
      livingMessagePublisher(async () => api, CHANNEL),
      content('down/f'),
      scrub,
    );
    expect(outcome.kind).toBe('failed');
  });
});

describe('Slack incoming webhook', () => {
  it('sends a new message per status (webhooks cannot edit)', async () => {
    const { http, signal, logger } = clients();
    const scrub = scrubber({ kind: 'webhook', url: fake.webhookUrl });
    const webhook = createSlackWebhook({ http, signal, logger, scrub, url: fake.webhookUrl });
    const before = fake.webhookMessages.length;
    for (const status of ['in-progress', 'success']) {
      const outcome = await publishSlack(
        webhookPublisher(async () => webhook),
        content('hook/g', status),
        scrub,
      );
      expect(outcome).toEqual({ kind: 'sent' });
    }
    expect(fake.webhookMessages.length - before).toBe(2);
    expect(fake.webhookMessages.at(-1)?.text).toContain('Deployed');
  });

  it('a disabled webhook (404 no_service) is a failure named no_service; the URL and its secret are not in it', async () => {
    const { http, signal, logger } = clients();
    const url = `${fake.url}/services/T0TEAM/B0HOOK/revokedSecretValue99`;
    const scrub = scrubber({ kind: 'webhook', url });
    const webhook = createSlackWebhook({ http, signal, logger, scrub, url });
    const outcome = await publishSlack(
      webhookPublisher(async () => webhook),
      content('hook/h'),
      scrub,
    );
    expect(outcome).toMatchObject({ kind: 'failed', slackError: 'no_service' });
    expect(JSON.stringify(outcome)).not.toContain('revokedSecretValue99');
    expect(logger.records.map((r) => r.message).join('\n')).not.toContain('revokedSecretValue99');
  });
});

describe('Slack message content', () => {
  it('escapes mrkdwn control characters: no mention or link can be injected from a metric', () => {
    const inputs = commentInputs({
      key: 'inj',
      metrics: JSON.stringify({
        '<!channel>': 1,
        '<@U0BOSS> & <https://evil.example|click>': 'x<!here>',
      }),
      endpoint: 'https://model.example.com/v1?a=1&b=2',
    });
    const message = slackMessage(inputs, { now: new Date(0) });
    const all = JSON.stringify(message);
    expect(all).not.toMatch(/<!channel>|<!here>|<@U0BOSS>|<https:\/\/evil/);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;@U0BOSS&gt; &amp; &lt;https://evil.example|click&gt;');
    // The endpoint is a link whose target is escaped too.
    expect(all).toContain('<https://model.example.com/v1?a=1&amp;b=2|');
    expect(escapeMrkdwn('a&<b>')).toBe('a&amp;&lt;b&gt;');
  });

  it('shows status, environment, endpoint, image, digest, metrics with deltas and the run', () => {
    const inputs = commentInputs({
      key: 'facts',
      endpoint: 'https://m.example.com',
      image: 'ghcr.io/org/model:v2',
      digest: `sha256:${'a'.repeat(64)}`,
      metrics: '{"accuracy": 0.95}',
      'metrics-baseline': '{"accuracy": 0.9}',
    });
    const text = JSON.stringify(
      slackMessage(inputs, {
        now: new Date(0),
        runUrl: 'https://github.com/o/r/actions/runs/1',
        runLabel: 'deploy #4',
      }),
    );
    for (const part of [
      'Deployed to staging',
      'https://m.example.com',
      'ghcr.io/org/model:v2',
      'sha256:aaaaaaaaaaaa',
      'accuracy',
      '↑ +0.05 (+5.6%)',
      'deploy #4',
    ]) {
      expect(text).toContain(part);
    }
  });
});

describe('Slack inputs', () => {
  const parse = (values: Record<string, string>) => {
    const run = () => slackTarget(new Inputs(mapInputs(values)));
    return {
      run,
      get masked() {
        return slackSecrets(run());
      },
    };
  };

  it('parsing has no side effect: no ::add-mask:: (wiring masks, as for the other secrets)', () => {
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      commentInputs({ 'slack-token': 'xoxb-1-2-abc', 'slack-channel': 'C0123ABCD' });
      commentInputs({
        'slack-webhook-url': 'https://hooks.slack.com/services/T1/B2/secretpart123',
      });
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toBe('');
  });

  it('gives the token and the webhook URL (and its secret path) as the secrets to mask', () => {
    const token = parse({ 'slack-token': 'xoxb-1-2-abc', 'slack-channel': 'C0123ABCD' });
    expect(token.run()).toEqual({
      kind: 'api',
      token: 'xoxb-1-2-abc',
      channel: 'C0123ABCD',
      apiUrl: 'https://slack.com/api/',
    });
    expect(token.masked).toEqual(['xoxb-1-2-abc']);
    const rotating = parse({ 'slack-token': 'xoxe.xoxb-1-2-abc', 'slack-channel': 'G0123ABCD' });
    expect(rotating.run()).toMatchObject({ kind: 'api', token: 'xoxe.xoxb-1-2-abc' });
    const hook = parse({
      'slack-webhook-url': 'https://hooks.slack.com/services/T1/B2/secretpart123',
    });
    expect(hook.run()).toEqual({
      kind: 'webhook',
      url: 'https://hooks.slack.com/services/T1/B2/secretpart123',
    });
    expect(hook.masked).toContain('secretpart123');
  });

  it('a webhook URL without a secret path masks the URL, never a bare `/` or a short part', () => {
    expect(slackSecrets({ kind: 'webhook', url: 'https://hooks.example.com/' })).toEqual([
      'https://hooks.example.com/',
    ]);
    expect(slackSecrets({ kind: 'webhook', url: 'https://hooks.example.com/x/ab' })).toEqual([
      'https://hooks.example.com/x/ab',
    ]);
    const scrub = scrubber({ kind: 'webhook', url: 'https://hooks.example.com/' });
    expect(scrub('GET /api/ failed')).toBe('GET /api/ failed');
  });

  it.each([
    [{ 'slack-token': 'xoxb-1-2-abc' }, /'slack-token' needs 'slack-channel'/],
    [
      { 'slack-token': 'xoxb-1-2-abc', 'slack-channel': '#deploys' },
      /'slack-channel' must be a channel id/,
    ],
    [
      { 'slack-token': 'hunter2-not-a-token', 'slack-channel': 'C0123ABCD' },
      /'slack-token' must be a Slack token.*not shown/,
    ],
    [
      { 'slack-token': 'xoxb-1', 'slack-webhook-url': 'https://hooks.slack.com/services/x' },
      /both set/,
    ],
    [
      { 'slack-webhook-url': 'http://hooks.example.com/services/T/B/secretpart' },
      /'slack-webhook-url' must use https \(plain http only on loopback\)/,
    ],
    [
      { 'slack-webhook-url': 'https://hooks.slack.com/services/x', 'slack-channel': 'C0123ABCD' },
      /'slack-channel' applies to 'slack-token' only/,
    ],
    [{ 'slack-channel': 'C0123ABCD' }, /need 'slack-token'/],
    [
      {
        'slack-token': 'xoxb-1',
        'slack-channel': 'C0123ABCD',
        'slack-api-url': 'file:///etc/passwd',
      },
      /'slack-api-url'/,
    ],
  ])('%j is an error naming the input, without the secret', (values, message) => {
    const { run } = parse(values);
    expect(run).toThrow(message);
    const text = (() => {
      try {
        run();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(text).not.toBe('');
    for (const secret of ['hunter2-not-a-token', 'secretpart', 'xoxb-1']) {
      expect(text).not.toContain(secret);
    }
  });

  // shared/inputs.ts parseHttpUrl with `secret`: the rule of every URL input, quoting nothing.
  it.each([
    ['not a URL', 'hooks.slack.com/services/T1/B2/hookSecret42', /must be an incoming webhook URL/],
    ['another scheme', 'ftp://hooks.slack.com/services/T1/B2/hookSecret42', /must use https/],
    ['http off loopback', 'http://hooks.slack.com/services/T1/B2/hookSecret42', /must use https/],
    ['credentials', 'https://u:hookSecret42@hooks.slack.com/services/T1/B2/x', /credentials/],
    ['a fragment', 'https://hooks.slack.com/services/T1/B2/hookSecret42#x', /fragment/],
  ])(
    'a bad webhook URL (%s) is refused naming the input and the rule, not the URL',
    (_n, url, rule) => {
      const error = (() => {
        try {
          slackTarget(new Inputs(mapInputs({ 'slack-webhook-url': url })));
        } catch (e) {
          return e as Error;
        }
        throw new Error('accepted');
      })();
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^Input 'slack-webhook-url' /);
      expect(error.message).toMatch(rule);
      expect(error.message).not.toContain('hookSecret42');
      expect(error.message).not.toContain('hooks.slack.com/services/T1');
    },
  );

  it('a webhook URL over plain http on loopback (a local fake) or with a query is accepted', () => {
    for (const url of [
      'http://127.0.0.1:8080/services/T1/B2/hookSecret42',
      'http://localhost/services/T1/B2/hookSecret42',
      'https://hooks.example.com/hook?channel=x',
    ]) {
      expect(slackTarget(new Inputs(mapInputs({ 'slack-webhook-url': url })))).toEqual({
        kind: 'webhook',
        url,
      });
    }
  });

  it('slack-api-url is not a secret: its error quotes the value, and loopback http is accepted', () => {
    const target = (apiUrl: string) =>
      slackTarget(
        new Inputs(
          mapInputs({
            'slack-token': 'xoxb-1-2-abc',
            'slack-channel': 'C0123ABCD',
            'slack-api-url': apiUrl,
          }),
        ),
      );
    expect(target('http://127.0.0.1:9/api')).toMatchObject({ apiUrl: 'http://127.0.0.1:9/api/' });
    expect(() => target('http://slack.example/api/')).toThrow(
      "Input 'slack-api-url': http://slack.example/api/ must use https (plain http only on loopback).",
    );
  });
});
