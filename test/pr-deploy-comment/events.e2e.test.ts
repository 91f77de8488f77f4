/**
 * Which PR the bundle comments on for each event, the race of two jobs on one key, the
 * read-only token of a fork PR, and rate limits — against the fake GitHub API.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  primaryRateLimit,
  secondaryRateLimit,
  startGitHubApi,
  type GitHubFake,
} from '../harness/fakes/github-api.ts';
import {
  expectNoToken,
  HEAD_SHA,
  MERGE_SHA,
  pullRequestEvent,
  runComment,
  sticky,
} from './helpers.ts';

let fake: GitHubFake;
beforeEach(async () => {
  fake = await startGitHubApi();
});
afterEach(async () => {
  await fake.stop();
});

describe('pr-deploy-comment: which pull request', () => {
  it.each([
    ['pull_request', pullRequestEvent(11, 'pull_request')],
    ['pull_request_target', pullRequestEvent(11, 'pull_request_target')],
    [
      'issue_comment on a PR',
      {
        name: 'issue_comment',
        payload: {
          action: 'created',
          issue: { number: 11, pull_request: { url: 'x' } },
          comment: { id: 1 },
        },
      },
    ],
  ])('%s: the event names the PR', async (_, event) => {
    const result = await runComment(fake, { event });
    expect(result.exitCode).toBe(0);
    expect(sticky(fake, 11)).toHaveLength(1);
    expect(fake.apiCalls().some((r) => r.path.includes('/commits/'))).toBe(false);
    // The PR head when the payload has it; on issue_comment GITHUB_SHA is the default
    // branch's head, so no commit is shown rather than a wrong one.
    const body = sticky(fake, 11)[0]!.body;
    if (event.name === 'issue_comment') expect(body).not.toContain('| Commit |');
    else expect(body).toContain(`| Commit | [\`${HEAD_SHA.slice(0, 7)}\`]`);
    expect(body).not.toContain(MERGE_SHA.slice(0, 7));
  });

  it('pr-number wins over the event', async () => {
    const result = await runComment(fake, { inputs: { 'pr-number': '12' } });
    expect(result.exitCode).toBe(0);
    expect(sticky(fake, 12)).toHaveLength(1);
    expect(sticky(fake, 7)).toHaveLength(0);
  });

  it('push: the open PR of the commit (its branch preferred), with that commit in the comment', async () => {
    fake.pulls.set(MERGE_SHA, [
      { number: 3, state: 'closed', headRef: 'feature', headSha: MERGE_SHA },
      { number: 4, state: 'open', headRef: 'other', headSha: HEAD_SHA },
      { number: 5, state: 'open', headRef: 'feature', headSha: MERGE_SHA },
    ]);
    const result = await runComment(fake, {
      event: { name: 'push', payload: { ref: 'refs/heads/feature' } },
      env: { GITHUB_REF: 'refs/heads/feature' },
    });
    expect(result.exitCode).toBe(0);
    expect(sticky(fake, 5)).toHaveLength(1);
    expect(sticky(fake, 5)[0]!.body).toContain(MERGE_SHA.slice(0, 7));
    expect(result.outputs['comment-id']).toBe(String(sticky(fake, 5)[0]!.id));
  });

  it.each([
    ['push with no open PR', { name: 'push', payload: {} }],
    ['workflow_dispatch', { name: 'workflow_dispatch', payload: {} }],
    [
      'issue_comment on a plain issue',
      { name: 'issue_comment', payload: { issue: { number: 9 } } },
    ],
  ])('%s: a notice, no comment, no failure; the summary still has the report', async (_, event) => {
    fake.pulls.set(MERGE_SHA, [
      { number: 3, state: 'closed', headRef: 'main', headSha: MERGE_SHA },
    ]);
    const result = await runComment(fake, { event });
    expect(result.exitCode).toBe(0);
    expect(
      result.annotations
        .filter((a) => a.level === 'notice')
        .map((a) => a.message)
        .join(),
    ).toMatch(/no comment posted/);
    expect(result.outputs['comment-id']).toBe('');
    expect([...fake.comments.values()].flat()).toHaveLength(0);
    expect(result.summary).toContain('✅ Deployed to `staging`');
    expect(result.summary).toContain('no comment posted');
  });
});

describe('pr-deploy-comment: concurrency and permissions', () => {
  it('two jobs posting the same key at once end with exactly one comment', async () => {
    // Both jobs list before either creates: the race the marker lookup alone cannot prevent.
    const met = fake.holdListings(2);
    const [a, b] = await Promise.all([
      runComment(fake, { inputs: { status: 'in-progress' } }),
      runComment(fake, { inputs: { status: 'success' } }),
    ]);
    await expect(met).resolves.toBeUndefined();
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    const creates = fake.apiCalls().filter((r) => r.method === 'POST');
    expect(creates).toHaveLength(2);
    const left = sticky(fake, 7);
    expect(left).toHaveLength(1);
    // The oldest wins, in both jobs: both report the comment that is left.
    expect(a.outputs['comment-id']).toBe(String(left[0]!.id));
    expect(b.outputs['comment-id']).toBe(String(left[0]!.id));
    expect(fake.errors).toEqual([]);
  });

  it('a read-only token (fork PR): a warning with advice, no failure, the summary has the report', async () => {
    fake.readOnly = true;
    const result = await runComment(fake);
    expect(result.exitCode).toBe(0);
    expectNoToken(result, fake);
    const warning = result.annotations.find((a) => a.level === 'warning');
    expect(warning?.message).toMatch(/Resource not accessible by integration/);
    expect(warning?.message).toMatch(/fork/);
    expect(warning?.message).toMatch(/pull-requests: write/);
    expect(result.outputs['comment-id']).toBe('');
    expect(result.summary).toContain('✅ Deployed to `staging`');
    expect(result.summary).toContain('no comment posted on PR #7');
  });

  it('a wrong token fails with the status and the endpoint, and is never printed', async () => {
    const result = await runComment(fake, { inputs: { token: 'ghp_wrongwrongwrong123' } });
    expect(result.exitCode).toBe(1);
    expect(result.maskedLog).not.toContain('ghp_wrongwrongwrong123');
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /GET .*\/repos\/octo-org\/model-service\/issues\/7\/comments.* failed with HTTP 401: Bad credentials/,
    );
    expect(result.summary).toContain('not published');
    expect(result.summary).toContain('Nothing was changed on the pull request.');
  });

  it.each([
    ['primary rate limit (x-ratelimit-remaining: 0)', () => primaryRateLimit(1)],
    ['secondary rate limit (Retry-After)', () => secondaryRateLimit(1)],
  ])('%s: waits as told, then succeeds', async (_, response) => {
    fake.faults.push({ times: 1, match: (r) => r.method === 'POST', response });
    const result = await runComment(fake);
    expect(result.exitCode).toBe(0);
    expect(sticky(fake, 7)).toHaveLength(1);
    expect(
      result.annotations.some((a) => a.level === 'warning' && /rate limit/.test(a.message)),
    ).toBe(true);
  });

  it('a rate limit that outlasts `timeout` fails at once instead of waiting', async () => {
    fake.faults.push({
      times: 5,
      match: (r) => r.method === 'POST',
      response: () => secondaryRateLimit(600),
    });
    const result = await runComment(fake, { inputs: { timeout: '5s' } });
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /secondary rate limit/,
    );
    expect([...fake.comments.values()].flat()).toHaveLength(0);
  });

  it('a 502 is retried', async () => {
    fake.faults.push({
      times: 1,
      match: (r) => r.method === 'GET',
      response: () => ({ status: 502, body: 'bad gateway' }),
    });
    const result = await runComment(fake);
    expect(result.exitCode).toBe(0);
    expect(sticky(fake, 7)).toHaveLength(1);
  });

  it('a GitHub that does not answer: the step fails at `timeout`, naming it', async () => {
    // An answer that never comes; stop() closes the connection at the end of the test.
    fake.faults.push({ times: 10, response: () => new Promise<never>(() => undefined) });
    const result = await runComment(fake, { inputs: { timeout: '2s' } });
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /GET .*issues\/7\/comments failed: no answer within the step's timeout \(2s\)/,
    );
    expect(result.summary).toContain('not published');
    expect(result.summary).toContain('Nothing was changed on the pull request.');
  });

  it.each(['recreate', 'append'])(
    '%s: two jobs at once also end with exactly one comment',
    async (mode) => {
      await runComment(fake, { inputs: { mode } });
      const met = fake.holdListings(2);
      const [a, b] = await Promise.all([
        runComment(fake, { inputs: { mode, status: 'in-progress' } }),
        runComment(fake, { inputs: { mode, status: 'success' } }),
      ]);
      await expect(met).resolves.toBeUndefined();
      expect(fake.errors).toEqual([]);
      expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
      const left = sticky(fake, 7).filter((c) => c.minimized === null);
      expect(left).toHaveLength(1);
      expect(a.outputs['comment-id']).toBe(String(left[0]!.id));
      expect(b.outputs['comment-id']).toBe(String(left[0]!.id));
    },
  );

  it('recreate that cannot remove the old comment takes its new one back: nothing half-done', async () => {
    await runComment(fake);
    const [old] = sticky(fake, 7);
    fake.faults.push({
      times: 1,
      match: (r) => r.method === 'DELETE' && r.path.endsWith(`/${old!.id}`),
      response: () => ({
        status: 410,
        headers: { 'content-type': 'application/json' },
        body: { message: 'Gone', documentation_url: 'https://docs.github.com/rest', status: '410' },
      }),
    });
    const result = await runComment(fake, { inputs: { mode: 'recreate', status: 'failure' } });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /DELETE .*issues\/comments\/\d+ failed with HTTP 410: Gone/,
    );
    // Only the old comment is left, unchanged; the report still reached the summary.
    expect(sticky(fake, 7).map((c) => c.id)).toEqual([old!.id]);
    expect(old!.body).toContain('✅ Deployed');
    expect(result.summary).toContain('❌ Deployment to `staging` failed');
    expect(result.summary).toContain('not published');
    // Its own comment was taken back: net, the PR is unchanged.
    expect(result.summary).toContain('Nothing was changed on the pull request.');
  });

  it('a cancelled job (SIGTERM) stops waiting for GitHub and says so', async () => {
    // The first request hangs; the test cancels once it has arrived (an event, not a sleep).
    let arrived: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    fake.faults.push({
      times: 10,
      response: () => {
        arrived();
        return new Promise<never>(() => undefined);
      },
    });
    let child: import('node:child_process').ChildProcess | undefined;
    const running = runComment(fake, {
      inputs: { timeout: '1m' },
      onStart: (c) => {
        child = c;
      },
    });
    await waiting;
    child!.kill('SIGTERM');
    const result = await running;
    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(20_000);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/cancelled/);
    expect(error).not.toMatch(/HTTP 500/);
  });
});
