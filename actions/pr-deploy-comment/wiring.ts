/**
 * pr-deploy-comment's body, loaded once the inputs are valid (Octokit loads here): the
 * runner's dependencies, and outputs, summary and verdict derived from the report.
 */
import * as core from '@actions/core';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { errorMessage, InputError } from '../../shared/errors.ts';
import { coreLogger } from '../../shared/logger.ts';
import type { CommentInputs } from './inputs.ts';
import { createOctokitApi } from './octokit.ts';
import { renderSection } from './render.ts';
import {
  commentPhases,
  commentReport,
  publishResult,
  type CommentContext,
  type CommentReport,
} from './run.ts';
import { changeList, commentSummary } from './summary.ts';

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

function contextOf(inputs: CommentInputs, signal: AbortSignal): CommentContext {
  coreLogger.secret(inputs.token);
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
  return { inputs, api, logger: coreLogger, env, clock: systemClock, signal };
}

function outputsOf(report: CommentReport, error?: unknown): ActionOutputs {
  if (error !== undefined || !report.outcome) return {};
  const o = report.outcome;
  return o.kind === 'posted'
    ? { 'comment-id': String(o.comment.id), 'comment-url': o.comment.htmlUrl }
    : { 'comment-id': '', 'comment-url': '' };
}

/**
 * The report reaches the job summary also after a failure: the deployment facts are not
 * lost, and whatever was changed on the PR before the failure is said.
 */
function summaryOf(report: CommentReport, error?: unknown): string {
  if (error === undefined) return commentSummary(publishResult(report));
  const changed = changeList(report.changes);
  return `${report.failureSection}\n\n❌ pr-deploy-comment: the comment was not published: ${errorMessage(error)}\n\n${changed.length ? `Changed before the failure: ${changed.join('; ')}.` : 'Nothing was changed on the pull request.'}\n`;
}

function verdictOf(report: CommentReport): void {
  const o = report.outcome;
  if (o?.kind === 'posted')
    coreLogger.info(`Comment ${o.comment.id} ${o.action}: ${o.comment.htmlUrl}`);
  else if (o?.kind === 'no-pull-request')
    core.notice(`pr-deploy-comment: no comment posted: ${o.reason}.`);
  else if (o) core.warning(`pr-deploy-comment: no comment posted: ${o.message}`);
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
