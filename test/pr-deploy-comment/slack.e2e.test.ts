/**
 * The real bundle (dist/pr-deploy-comment) against the GitHub fake and the Slack fake: the
 * living Slack message across runs, webhook mode, Slack failures as warnings on a green step,
 * a rate limit waited out, escaping, and the Slack secrets nowhere a person could read them.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActionRunResult } from '../harness/runner.ts';
import { startGitHubApi, type GitHubFake } from '../harness/fakes/github-api.ts';
import { startSlackFake, type SlackFake } from '../harness/fakes/slack-api.ts';
import { expectNoToken, runComment, sticky } from './helpers.ts';

const CHANNEL = 'C0DEPLOYS1';
let github: GitHubFake;
let slack: SlackFake;
beforeEach(async () => {
  github = await startGitHubApi();
  slack = await startSlackFake({ channels: [CHANNEL, 'C0OTHER001'], notMember: ['C0OTHER001'] });
});
afterEach(async () => {
  await github.stop();
  await slack.stop();
  expect(slack.errors).toEqual([]);
});

const tokenInputs = (): Record<string, string> => ({
  'slack-token': slack.token,
  'slack-channel': CHANNEL,
  'slack-api-url': slack.apiUrl,
});

/** The Slack secrets are masked, and appear in no output, summary, PR comment or displayed log. */
function expectNoSlackSecret(result: ActionRunResult, secrets: string[]): void {
  const comments = [...github.comments.values()].flat().map((c) => c.body);
  for (const secret of secrets) {
    expect(result.masks).toContain(secret);
    expect(result.maskedLog).not.toContain(secret);
    expect(result.summary).not.toContain(secret);
    expect(Object.values(result.outputs).join('\n')).not.toContain(secret);
    expect(comments.join('\n')).not.toContain(secret);
    for (const a of result.annotations) expect(a.message).not.toContain(secret);
  }
}

const warnings = (r: ActionRunResult): string[] =>
  r.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

describe('pr-deploy-comment: Slack with a bot token', () => {
  it('first run posts the message, the second updates it in place and adds a thread reply', async () => {
    const first = await runComment(github, {
      inputs: {
        ...tokenInputs(),
        status: 'in-progress',
        endpoint: 'https://model.example.com',
        image: 'ghcr.io/octo-org/model:v1',
        metrics: '{"accuracy": 0.91}',
      },
    });
    expect(first.exitCode).toBe(0);
    expect(warnings(first)).toEqual([]);
    const posted = slack.messages.get(CHANNEL) ?? [];
    expect(posted).toHaveLength(1);
    const ts = posted[0]!.ts;
    expect(first.outputs['slack-ts']).toBe(ts);
    expect(posted[0]!.metadata?.event_payload).toEqual({
      key: 'deploy/staging',
      status: 'in-progress',
    });
    const blocks = JSON.stringify(posted[0]!.blocks);
    for (const part of [
      'Deploying to staging',
      'https://model.example.com',
      'ghcr.io/octo-org/model:v1',
      'accuracy',
      'deploy #42',
    ]) {
      expect(blocks).toContain(part);
    }
    expect(sticky(github, 7)).toHaveLength(1);
    expect(first.summary).toContain(`Slack: message ${ts} posted in channel ${CHANNEL}`);

    // The PR comment remembers the message: the next run needs no history lookup.
    expect(sticky(github, 7)[0]!.body).toContain(
      `<!-- mlops-actions/pr-deploy-comment slack="${CHANNEL}/${ts}" -->`,
    );
    const historyCalls = slack.calls('conversations.history').length;
    const second = await runComment(github, {
      inputs: {
        ...tokenInputs(),
        status: 'success',
        metrics: '{"accuracy": 0.95}',
        'metrics-baseline': '{"accuracy": 0.91}',
      },
    });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['slack-ts']).toBe(ts);
    expect(slack.calls('conversations.history')).toHaveLength(historyCalls);
    const all = slack.messages.get(CHANNEL) ?? [];
    expect(all.filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(all[0]!.edited).toBe(true);
    expect(JSON.stringify(all[0]!.blocks)).toContain('Deployed to staging');
    expect(JSON.stringify(all[0]!.blocks)).toContain('↑ +0.04');
    const replies = all.filter((m) => m.thread_ts === ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('Deployed to staging');
    expect(second.summary).toContain(`message ${ts} updated`);
    expect(sticky(github, 7)).toHaveLength(1);
    for (const r of [first, second]) {
      expectNoToken(r, github);
      expectNoSlackSecret(r, [slack.token]);
    }
  });

  it('GitHub refuses the comment after Slack posted: the step fails, the summary and slack-ts say what Slack got', async () => {
    github.faults.push({
      times: 1,
      match: (r) => r.method === 'POST' && r.path.endsWith('/comments'),
      response: () => ({ status: 422, body: { message: 'Validation Failed' } }),
    });
    const result = await runComment(github, { inputs: tokenInputs() });
    expect(result.exitCode).toBe(1);
    const ts = slack.messages.get(CHANNEL)![0]!.ts;
    expect(result.outputs['slack-ts']).toBe(ts);
    expect(result.summary).toContain('the comment was not published');
    expect(result.summary).toContain(`Slack: message ${ts} posted`);
  });

  it('a 429 ratelimited is waited out for its Retry-After and the message is posted', async () => {
    slack.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const result = await runComment(github, { inputs: tokenInputs() });
    expect(result.exitCode).toBe(0);
    expect(slack.calls('chat.postMessage')).toHaveLength(2);
    expect(slack.messages.get(CHANNEL)).toHaveLength(1);
    expect(result.outputs['slack-ts']).toBe(slack.messages.get(CHANNEL)![0]!.ts);
    expect(warnings(result)).toEqual([]);
  });

  it.each([
    ['not_in_channel', { 'slack-channel': 'C0OTHER001' }, /not_in_channel.*\/invite/],
    ['channel_not_found', { 'slack-channel': 'C0NOWHERE1' }, /channel_not_found/],
    ['invalid_auth', { 'slack-token': 'xoxb-000-wrong-secretTokenValue' }, /invalid_auth/],
  ])(
    '%s: a warning naming it, the PR comment is still posted, the step succeeds',
    async (_, extra, text) => {
      const inputs: Record<string, string> = { ...tokenInputs(), ...extra };
      const result = await runComment(github, { inputs });
      expect(result.exitCode).toBe(0);
      expect(warnings(result).join('\n')).toMatch(text);
      expect(warnings(result).join('\n')).toMatch(/Slack message not sent/);
      expect(result.outputs['slack-ts']).toBe('');
      expect(result.outputs['comment-id']).toBe(String(sticky(github, 7)[0]!.id));
      expect(result.summary).toMatch(text);
      expectNoSlackSecret(result, [inputs['slack-token'] ?? '']);
    },
  );

  it('Slack unreachable: a warning, the comment is posted, the step ends within its timeout', async () => {
    const result = await runComment(github, {
      inputs: { ...tokenInputs(), 'slack-api-url': 'http://127.0.0.1:9/api/', timeout: '10s' },
    });
    expect(result.exitCode).toBe(0);
    expect(warnings(result).join('\n')).toMatch(
      /Slack message not sent: auth\.test: (request_failed|timeout)/,
    );
    expect(sticky(github, 7)).toHaveLength(1);
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it('missing_scope whose detail echoes the token: the warning (the note) and the raw log lack the token', async () => {
    slack.fail('conversations.history', {
      error: 'missing_scope',
      messages: [`[ERROR] token ${slack.token} lacks channels:history`],
    });
    const result = await runComment(github, { inputs: tokenInputs() });
    expect(result.exitCode).toBe(0);
    expect(warnings(result).join('\n')).toMatch(
      /Slack: conversations\.history: missing_scope: posted a new message.*channels:history/,
    );
    expect(slack.messages.get(CHANNEL)).toHaveLength(1);
    // The raw log, before the runner's masking: only the ::add-mask:: line may hold the token.
    const unmasked = result.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(unmasked.join('\n')).not.toContain(slack.token);
    // …though the echo reached the bundle (the SDK logs Slack's detail lines, scrubbed).
    expect(unmasked.join('\n')).toContain('[ERROR] token *** lacks channels:history');
    expectNoSlackSecret(result, [slack.token]);
  });

  it('a metric name cannot mention @channel or a user: it is escaped', async () => {
    const result = await runComment(github, {
      inputs: { ...tokenInputs(), metrics: '{"<!channel> <@U0BOSS>": 1, "ok": "<!here|x>"}' },
    });
    expect(result.exitCode).toBe(0);
    const text = JSON.stringify(slack.messages.get(CHANNEL));
    expect(text).not.toMatch(/<!channel>|<@U0BOSS>|<!here/);
    expect(text).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt;');
  });

  it('without a pull request (a push): posted, then found again in the channel history by its metadata', async () => {
    const push = {
      inputs: tokenInputs(),
      event: { name: 'push', payload: {} },
      env: { GITHUB_REF: 'refs/heads/main' },
    };
    const result = await runComment(github, push);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['comment-id']).toBe('');
    expect(slack.messages.get(CHANNEL)).toHaveLength(1);
    const ts = slack.messages.get(CHANNEL)![0]!.ts;
    expect(result.outputs['slack-ts']).toBe(ts);
    for (let i = 0; i < 120; i += 1)
      slack.inject(CHANNEL, { user: 'U0HUMAN001', text: `msg ${i}` });
    const again = await runComment(github, push);
    expect(again.exitCode).toBe(0);
    expect(again.outputs['slack-ts']).toBe(ts);
    // One lookup on the first run, two pages (100 + 21 messages) on the second.
    expect(slack.calls('conversations.history')).toHaveLength(3);
    expect(slack.messages.get(CHANNEL)!.filter((m) => m.thread_ts === ts)).toHaveLength(1);
  });
});

describe('pr-deploy-comment: Slack incoming webhook', () => {
  it('posts a new message per status; slack-ts stays empty', async () => {
    for (const status of ['in-progress', 'success']) {
      const result = await runComment(github, {
        inputs: { 'slack-webhook-url': slack.webhookUrl, status },
      });
      expect(result.exitCode).toBe(0);
      expect(result.outputs['slack-ts']).toBe('');
      expect(warnings(result)).toEqual([]);
      expectNoSlackSecret(result, [slack.webhookUrl, 'fakeWebhookSecretX1234567']);
    }
    expect(slack.webhookMessages).toHaveLength(2);
    expect(slack.webhookMessages[1]!.text).toContain('Deployed to staging');
    expect(sticky(github, 7)).toHaveLength(1);
  });

  it('a revoked webhook (404 no_service) is a warning without the URL; the step succeeds', async () => {
    const url = `${slack.url}/services/T0TEAM/B0HOOK/revokedHookSecret777`;
    const result = await runComment(github, { inputs: { 'slack-webhook-url': url } });
    expect(result.exitCode).toBe(0);
    expect(warnings(result).join('\n')).toMatch(/no_service/);
    expectNoSlackSecret(result, [url, 'revokedHookSecret777']);
  });
});

describe('pr-deploy-comment: bad Slack inputs', () => {
  it.each([
    [{ 'slack-token': 'xoxb-1-2-badInputSecret' }, "'slack-token'"],
    [{ 'slack-token': 'not-a-token-badInputSecret', 'slack-channel': CHANNEL }, "'slack-token'"],
    [
      { 'slack-webhook-url': 'http://hooks.example.com/services/T/B/badInputSecret' },
      "'slack-webhook-url'",
    ],
  ])('%j fails before any request, naming the input, without the secret', async (inputs, name) => {
    const result = await runComment(github, {
      inputs: { ...inputs, 'slack-api-url': slack.apiUrl },
    });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(name);
    expect(result.maskedLog).not.toContain('badInputSecret');
    expect(slack.requests).toHaveLength(0);
    expect(github.apiCalls()).toHaveLength(0);
  });
});
