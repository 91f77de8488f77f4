/**
 * pr-deploy-comment's body, loaded once the inputs are valid (Octokit loads here): the
 * runner's dependencies, and outputs, summary and verdict derived from the report.
 */
import * as core from '@actions/core';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { errorMessage, InputError } from '../../shared/errors.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import type { CommentInputs } from './inputs.ts';
import { slackSecrets, type SlackTarget } from './slack-inputs.ts';
import { livingMessagePublisher, webhookPublisher, type SlackPublisher } from './slack.ts';
import { createOctokitApi } from './octokit.ts';
import { renderSection } from './render.ts';
import {
  commentPhases,
  commentReport,
  publishResult,
  type CommentContext,
  type CommentReport,
} from './run.ts';
import { changeList, commentSummary, slackLine } from './summary.ts';

function repository(env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const part = /^[A-Za-z0-9-_.]+$/;
  if (!owner || !repo || rest.length > 0 || !part.test(owner) || !part.test(repo)) {
    throw new InputError(
      `GITHUB_REPOSITORY must be owner/repo (got "${env.GITHUB_REPOSITORY ?? ''}"): run this action in a GitHub Actions job.`,
    );
  }
  return { owner, repo };
}

/** Replaces every Slack secret in `text` (SDK and transport messages may carry the URL). */
export function scrubber(target: SlackTarget | undefined): (text: string) => string {
  const ordered = slackSecrets(target)
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((t, secret) => t.split(secret).join('***'), text);
}

/** The Slack publisher; its SDK loads on first use (only when Slack is configured). */
function slackPublisher(
  target: SlackTarget,
  requestSignal: AbortSignal,
  deadline: Deadline,
  timeoutMs: number,
  scrub: (text: string) => string,
): SlackPublisher {
  // Slack goes before the PR comment is written: it stops short of the step's deadline, so a
  // long rate-limit wait on Slack cannot leave GitHub without time.
  const reserveMs = Math.min(30_000, timeoutMs / 2);
  const http = createHttpClient({
    userAgent: 'mlops-actions/pr-deploy-comment',
    timeoutMs: timeoutMs - reserveMs,
    deadline: () => deadline.at - reserveMs,
    clock: systemClock,
    onRetry: (m) => coreLogger.info(scrub(`Slack: ${m}`)),
    onGiveUp: (m) => coreLogger.info(scrub(`Slack: ${m}`)),
  });
  const options = { http, signal: requestSignal, logger: coreLogger, scrub };
  if (target.kind === 'webhook') {
    return webhookPublisher(async () =>
      (await import('./slack-client.ts')).createSlackWebhook({ ...options, url: target.url }),
    );
  }
  return livingMessagePublisher(
    async () =>
      (await import('./slack-client.ts')).createSlackApi({
        ...options,
        token: target.token,
        apiUrl: target.apiUrl,
      }),
    target.channel,
  );
}

function contextOf(inputs: CommentInputs, signal: AbortSignal): CommentContext {
  coreLogger.secret(inputs.token);
  for (const secret of slackSecrets(inputs.slack)) coreLogger.secret(secret);
  const env = process.env;
  const { owner, repo } = repository(env);
  const deadline = Deadline.after(inputs.timeoutMs, systemClock);
  const requestSignal = AbortSignal.any([signal, systemClock.timeout(inputs.timeoutMs)]);
  const api = createOctokitApi({
    token: inputs.token,
    owner,
    repo,
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    logger: coreLogger,
    signal: requestSignal,
    deadline: deadline.at,
    timeoutMs: inputs.timeoutMs,
    clock: systemClock,
  });
  const scrub = scrubber(inputs.slack);
  const slack = inputs.slack
    ? slackPublisher(inputs.slack, requestSignal, deadline, inputs.timeoutMs, scrub)
    : undefined;
  return {
    inputs,
    api,
    logger: coreLogger,
    env,
    clock: systemClock,
    signal,
    scrub,
    ...(slack ? { slack } : {}),
  };
}

function slackTs(report: CommentReport): string {
  const s = report.slack;
  return s?.kind === 'posted' || s?.kind === 'updated' ? s.ts : '';
}

function outputsOf(report: CommentReport, error?: unknown): ActionOutputs {
  const slack = { 'slack-ts': slackTs(report) };
  if (error !== undefined || !report.outcome) return slack;
  const o = report.outcome;
  return o.kind === 'posted'
    ? { 'comment-id': String(o.comment.id), 'comment-url': o.comment.htmlUrl, ...slack }
    : { 'comment-id': '', 'comment-url': '', ...slack };
}

/**
 * The report reaches the job summary also after a failure: the deployment facts are not
 * lost, and whatever was changed on the PR before the failure is said.
 */
function summaryOf(report: CommentReport, error?: unknown): string {
  if (error === undefined) return commentSummary(publishResult(report)) + slackLine(report.slack);
  const changed = changeList(report.changes);
  return (
    `${report.failureSection}\n\n❌ pr-deploy-comment: the comment was not published: ${errorMessage(error)}\n\n${changed.length ? `Changed before the failure: ${changed.join('; ')}.` : 'Nothing was changed on the pull request.'}\n` +
    slackLine(report.slack)
  );
}

function verdictOf(report: CommentReport): void {
  const o = report.outcome;
  if (o?.kind === 'posted')
    coreLogger.info(`Comment ${o.comment.id} ${o.action}: ${o.comment.htmlUrl}`);
  else if (o?.kind === 'no-pull-request')
    core.notice(`pr-deploy-comment: no comment posted: ${o.reason}.`);
  else if (o) core.warning(`pr-deploy-comment: no comment posted: ${o.message}`);
  const s = report.slack;
  if (s?.kind === 'failed') core.warning(`pr-deploy-comment: Slack message not sent: ${s.message}`);
  else if (s?.kind === 'sent') coreLogger.info('Slack: message sent through the incoming webhook');
  else if (s) coreLogger.info(`Slack: message ${s.ts} ${s.kind} in ${s.channel}`);
  if (s && 'note' in s && s.note) core.warning(`pr-deploy-comment: Slack: ${s.note}`);
}

const body: ActionBody<CommentInputs, CommentContext, CommentReport> = {
  context: contextOf,
  // What the summary shows when publishing fails: the report without the PR's facts.
  report: (ctx) => ({
    ...commentReport(),
    failureSection: renderSection(ctx.inputs, { now: new Date(ctx.clock.now()) }).section,
  }),
  phases: commentPhases,
  group: (ctx) => `Publish the ${ctx.inputs.mode} comment "${ctx.inputs.key}"`,
  outputs: outputsOf,
  summary: summaryOf,
  verdict: verdictOf,
};
export const { context, report, phases, outputs, summary, verdict, group } = body;
