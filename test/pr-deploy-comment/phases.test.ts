/**
 * pr-deploy-comment's orchestration (run.ts phases) with a fake CommentsApi in memory: no
 * runner, no network. Which phases run, what the report says, what is changed on GitHub.
 */
import { describe, expect, it } from '@jest/globals';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { runPhases } from '../../shared/phases.ts';
import {
  GitHubApiError,
  type CommentsApi,
  type IssueComment,
  type PullRequestRef,
} from '../../actions/pr-deploy-comment/api.ts';
import { getInputs } from '../../actions/pr-deploy-comment/inputs.ts';
import { markerOf } from '../../actions/pr-deploy-comment/render.ts';
import { SlackCallError, type SlackApi } from '../../actions/pr-deploy-comment/slack-api.ts';
import { livingMessagePublisher } from '../../actions/pr-deploy-comment/slack.ts';
import {
  commentPhases,
  commentReport,
  type CommentContext,
  type CommentReport,
} from '../../actions/pr-deploy-comment/run.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const ME = 'github-actions[bot]';

/** GitHub's issue comments of one repository, in memory; `refuse` makes writes answer 403. */
class FakeComments implements CommentsApi {
  comments: IssueComment[] = [];
  pulls: PullRequestRef[] = [];
  calls: string[] = [];
  refuse = false;
  private next = 100;
  private refused(method: string): void {
    if (this.refuse)
      throw new GitHubApiError(
        method,
        'https://api.github.com/x',
        403,
        'Resource not accessible by integration',
        false,
      );
  }
  async viewerLogin(): Promise<string> {
    this.calls.push('viewer');
    return ME;
  }
  async listComments(): Promise<IssueComment[]> {
    this.calls.push('list');
    return [...this.comments];
  }
  async createComment(_issue: number, body: string): Promise<IssueComment> {
    this.calls.push('create');
    this.refused('POST');
    const id = this.next++;
    const c: IssueComment = {
      id,
      nodeId: `IC_${id}`,
      body,
      htmlUrl: `https://github.com/o/r/pull/7#issuecomment-${id}`,
      createdAt: '2026-12-07T18:00:00Z',
      minimized: false,
      authorLogin: ME,
    };
    this.comments.push(c);
    return c;
  }
  async updateComment(id: number, body: string): Promise<IssueComment> {
    this.calls.push(`update ${id}`);
    this.refused('PATCH');
    const c = this.comments.find((x) => x.id === id);
    if (!c) throw new GitHubApiError('PATCH', 'x', 404, 'Not Found', false);
    c.body = body;
    return { ...c };
  }
  async deleteComment(id: number): Promise<boolean> {
    this.calls.push(`delete ${id}`);
    const before = this.comments.length;
    this.comments = this.comments.filter((c) => c.id !== id);
    return this.comments.length < before;
  }
  async minimizeComment(): Promise<void> {
    this.calls.push('minimize');
  }
  async pullRequestsOfCommit(): Promise<PullRequestRef[]> {
    this.calls.push('pulls of commit');
    return this.pulls;
  }
}

const SHA = 'feedc0de00000000000000000000000000000001';

function setup(values: Record<string, string>) {
  const env = {
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
  };
  const inputs = getInputs(
    new Inputs(
      mapInputs({
        token: 'ghs_secret0token',
        status: 'success',
        environment: 'staging',
        ...values,
      }),
    ),
    env,
  );
  const api = new FakeComments();
  const logger = new RecordingLogger();
  const ctx: CommentContext = {
    inputs,
    api,
    logger,
    env,
    clock: new ManualClock(Date.UTC(2026, 11, 7, 18)),
    signal: new AbortController().signal,
  };
  return { ctx, api, logger };
}

const outcomes = (r: CommentReport): string[] => r.phases.map((p) => `${p.name}: ${p.outcome}`);

describe('pr-deploy-comment phases', () => {
  it('no comment yet: find pull request → render → find sticky → write; the comment is created', async () => {
    const { ctx, api } = setup({ 'pr-number': '7' });
    const report = await runPhases(commentPhases, ctx, commentReport());
    expect(outcomes(report)).toEqual([
      'find pull request: done',
      'render: done',
      'find sticky comment: done',
      'slack message: skipped',
      'write comment: done',
    ]);
    expect(report.outcome).toMatchObject({ kind: 'posted', pr: 7, action: 'created' });
    expect(report.changes.created).toBe(100);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]?.body.startsWith(markerOf(ctx.inputs.key))).toBe(true);
    // No comment carried the marker: the identity is not asked for.
    expect(api.calls).toEqual(['list', 'create', 'list']);
  });

  it('our comment exists: it is updated in place, nothing created', async () => {
    const { ctx, api } = setup({ 'pr-number': '7' });
    await runPhases(commentPhases, ctx, commentReport());
    api.calls = [];
    const report = await runPhases(
      commentPhases,
      { ...ctx, inputs: { ...ctx.inputs, status: 'failure' } },
      commentReport(),
    );
    expect(report.outcome).toMatchObject({ kind: 'posted', action: 'updated' });
    expect(api.calls).toEqual(['list', 'viewer', 'update 100']);
    expect(api.comments).toHaveLength(1);
  });

  it('no pull request for the commit: writing is skipped and GitHub is not changed', async () => {
    const { ctx, api } = setup({});
    const report = await runPhases(commentPhases, ctx, commentReport());
    expect(outcomes(report)).toEqual([
      'find pull request: done',
      'render: done',
      'find sticky comment: skipped',
      'slack message: skipped',
      'write comment: skipped',
    ]);
    expect(report.outcome).toEqual({
      kind: 'no-pull-request',
      reason: 'no open pull request is associated with commit feedc0d',
    });
    expect(api.calls).toEqual(['pulls of commit']);
    expect(report.rendered?.section).toContain('staging');
  });

  it('a read-only token (403 on the first write) is a read-only outcome, not a failure', async () => {
    const { ctx, api } = setup({ 'pr-number': '7' });
    api.refuse = true;
    const report = await runPhases(commentPhases, ctx, commentReport());
    expect(report.outcome).toMatchObject({ kind: 'read-only', pr: 7 });
    expect(report.outcome?.kind === 'read-only' && report.outcome.message).toContain(
      'Resource not accessible by integration',
    );
    expect(report.changes).toEqual({ deleted: [], minimized: [] });
  });

  it('a failure after a write fails its phase; the report keeps what was changed', async () => {
    const { ctx, api } = setup({ 'pr-number': '7', mode: 'recreate' });
    await runPhases(commentPhases, ctx, commentReport());
    // The old comment cannot be deleted: the new one is taken back and the phase fails.
    api.deleteComment = async (id: number) => {
      api.calls.push(`delete ${id}`);
      if (id === 100) throw new GitHubApiError('DELETE', 'x', 500, 'Server Error', false);
      return true;
    };
    const report = commentReport();
    await expect(runPhases(commentPhases, ctx, report)).rejects.toThrow(
      /replacing the previous comment failed/,
    );
    expect(report.phases.at(-1)).toMatchObject({ name: 'write comment', outcome: 'failed' });
    expect(report.outcome).toBeUndefined();
  });

  it('a cancelled job runs no phase and changes nothing', async () => {
    const { ctx, api } = setup({ 'pr-number': '7' });
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const report = commentReport();
    await expect(
      runPhases(commentPhases, { ...ctx, signal: controller.signal }, report),
    ).rejects.toThrow(/cancelled \(SIGTERM\) during find pull request/);
    expect(api.calls).toEqual([]);
  });

  it('the token never reaches the log', async () => {
    const { ctx, logger } = setup({ 'pr-number': '7' });
    await runPhases(commentPhases, ctx, commentReport());
    expect(JSON.stringify(logger.records)).not.toContain('ghs_secret0token');
  });
});

describe('pr-deploy-comment phases: Slack', () => {
  const slackInputs = {
    'pr-number': '7',
    'slack-token': 'xoxb-1-2-x',
    'slack-channel': 'C0DEPLOYS1',
  };

  it('runs before the comment is written; a Slack failure is the report’s outcome, not a failed phase', async () => {
    const { ctx, api } = setup(slackInputs);
    const failing: SlackApi = {
      whoAmI: async () => 'U0BOT',
      history: async () => ({ messages: [] }),
      post: async () => {
        throw new SlackCallError('chat.postMessage', 'not_in_channel');
      },
      update: async () => undefined,
    };
    const report = await runPhases(
      commentPhases,
      { ...ctx, slack: livingMessagePublisher(async () => failing, 'C0DEPLOYS1') },
      commentReport(),
    );
    expect(outcomes(report).slice(-2)).toEqual(['slack message: done', 'write comment: done']);
    expect(report.outcome?.kind).toBe('posted');
    expect(api.comments[0]?.body).not.toContain('slack=');
    expect(api.comments).toHaveLength(1);
    expect(report.slack).toMatchObject({ kind: 'failed', slackError: 'not_in_channel' });
  });

  it('posts to Slack also when there is no pull request', async () => {
    const { ctx } = setup({ 'slack-token': 'xoxb-1-2-x', 'slack-channel': 'C0DEPLOYS1' });
    const posted: string[] = [];
    const recording: SlackApi = {
      whoAmI: async () => 'U0BOT',
      history: async () => ({ messages: [] }),
      post: async (channel, message) => {
        posted.push(message.text);
        return { channel, ts: '1765000000.000001' };
      },
      update: async () => undefined,
    };
    const report = await runPhases(
      commentPhases,
      { ...ctx, slack: livingMessagePublisher(async () => recording, 'C0DEPLOYS1') },
      commentReport(),
    );
    expect(report.outcome?.kind).toBe('no-pull-request');
    expect(report.slack).toEqual({
      kind: 'posted',
      channel: 'C0DEPLOYS1',
      ts: '1765000000.000001',
    });
    expect(posted).toEqual(['✅ Deployed to staging']);
  });
});

describe('pr-deploy-comment phases: Slack and cancellation', () => {
  it('a job cancelled during the Slack call ends the step as cancelled, not as a warning', async () => {
    const { ctx } = setup({
      'pr-number': '7',
      'slack-token': 'xoxb-1-2-x',
      'slack-channel': 'C0DEPLOYS1',
    });
    const job = new AbortController();
    const cancelled: SlackApi = {
      whoAmI: async () => {
        job.abort('the run was cancelled');
        throw new SlackCallError('auth.test', 'cancelled');
      },
      history: async () => ({ messages: [] }),
      post: async () => ({ channel: 'C0DEPLOYS1', ts: '1.1' }),
      update: async () => undefined,
    };
    const report = commentReport();
    await expect(
      runPhases(
        commentPhases,
        {
          ...ctx,
          signal: job.signal,
          slack: livingMessagePublisher(async () => cancelled, 'C0DEPLOYS1'),
        },
        report,
      ),
    ).rejects.toThrow(/cancelled \(the run was cancelled\) during the Slack message/);
    expect(report.outcome).toBeUndefined();
    expect(report.phases.at(-1)).toMatchObject({ name: 'slack message', outcome: 'failed' });
  });
});

describe('pr-deploy-comment phases: the PR comment remembers the Slack message', () => {
  /** A Slack API in memory: one channel, records the calls. */
  function memorySlack() {
    const calls: string[] = [];
    const live = new Set<string>();
    let next = 1;
    const api: SlackApi = {
      whoAmI: async () => {
        calls.push('auth.test');
        return 'U0BOT';
      },
      history: async () => {
        calls.push('history');
        return { messages: [] };
      },
      post: async (channel, _m, options) => {
        calls.push(options.threadTs ? `reply ${options.threadTs}` : 'post');
        const ts = `1765000000.00000${next++}`;
        if (!options.threadTs) live.add(ts);
        return { channel, ts };
      },
      update: async (_c, ts) => {
        calls.push(`update ${ts}`);
        if (!live.has(ts)) throw new SlackCallError('chat.update', 'message_not_found');
      },
    };
    return { api, calls, live };
  }
  const values = { 'pr-number': '7', 'slack-token': 'xoxb-1-2-x', 'slack-channel': 'C0DEPLOYS1' };

  it('the next run updates the remembered message without reading the channel history', async () => {
    const { ctx, api } = setup(values);
    const slack = memorySlack();
    const publisher = livingMessagePublisher(async () => slack.api, 'C0DEPLOYS1');
    await runPhases(commentPhases, { ...ctx, slack: publisher }, commentReport());
    expect(slack.calls).toEqual(['auth.test', 'history', 'post']);
    expect(api.comments[0]?.body).toContain(
      '<!-- mlops-actions/pr-deploy-comment slack="C0DEPLOYS1/1765000000.000001" -->',
    );
    slack.calls.length = 0;
    const second = await runPhases(commentPhases, { ...ctx, slack: publisher }, commentReport());
    expect(slack.calls).toEqual(['update 1765000000.000001', 'reply 1765000000.000001']);
    expect(second.slack).toMatchObject({ kind: 'updated', ts: '1765000000.000001' });
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0]?.body.match(/slack="/g)).toHaveLength(1);
  });

  it('a remembered message that is gone: looked up, then a new one is posted and remembered', async () => {
    const { ctx, api } = setup(values);
    const slack = memorySlack();
    const publisher = livingMessagePublisher(async () => slack.api, 'C0DEPLOYS1');
    await runPhases(commentPhases, { ...ctx, slack: publisher }, commentReport());
    slack.live.clear();
    slack.calls.length = 0;
    await runPhases(commentPhases, { ...ctx, slack: publisher }, commentReport());
    expect(slack.calls).toEqual(['update 1765000000.000001', 'auth.test', 'history', 'post']);
    expect(api.comments[0]?.body).toContain('slack="C0DEPLOYS1/1765000000.000002"');
  });
});
