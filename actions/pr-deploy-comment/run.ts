/**
 * Publishes the deployment report, as named phases over a typed report: find the pull request
 * → render the report → find the key's sticky comment → write it (sticky.ts: update, create,
 * replace, hide or delete the previous ones). The report says what happened (its outcome) and
 * what was changed on GitHub, also when a phase fails.
 */
import type { Clock } from '../../shared/clock.ts';
import { cancellation } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { phase, runPhases, type Phase, type PhaseReport } from '../../shared/phases.ts';
import { isReadOnlyToken, type CommentsApi, type IssueComment } from './api.ts';
import type { CommentInputs } from './inputs.ts';
import {
  readEvent,
  resolvePullRequest,
  type EventFacts,
  type PullRequestChoice,
} from './pull-request.ts';
import { renderSection, type RenderContext, type Rendered } from './render.ts';
import { slackMessage, slackReply } from './slack-blocks.ts';
import {
  publishSlack,
  slackHintLine,
  slackHintOf,
  type SlackOutcome,
  type SlackPublisher,
} from './slack.ts';
import { Sticky, writeListed, type Changes, type StickyAction, type StickyRun } from './sticky.ts';

export type { Changes } from './sticky.ts';

export interface RunDeps {
  api: CommentsApi;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  clock: Pick<Clock, 'now'>;
  /** Where the Slack message goes; none when no Slack input is set. */
  slack?: SlackPublisher;
  /** Removes the Slack secrets from text that reaches a warning or the summary. */
  scrub?: (text: string) => string;
}

/** What every phase gets: the inputs and the injected dependencies. */
export interface CommentContext extends RunDeps {
  inputs: CommentInputs;
  signal: AbortSignal;
}

function nothingChanged(changes: Changes): boolean {
  return (
    changes.created === undefined &&
    changes.updated === undefined &&
    changes.deleted.length === 0 &&
    changes.minimized.length === 0
  );
}

export type Outcome =
  | {
      kind: 'posted';
      pr: number;
      prSource: string;
      comment: IssueComment;
      action: StickyAction;
      changes: Changes;
    }
  | { kind: 'no-pull-request'; reason: string }
  | { kind: 'read-only'; pr?: number; message: string; changes: Changes };

export interface PublishResult {
  outcome: Outcome;
  /** The report as posted (the comment without its marker). */
  section: string;
  truncated: string[];
  /** The report uncut (up to what a job summary holds): the job summary shows it. */
  fullSection: string;
}

/** The runner rejects a step summary over 1024 KiB: leave room for the footer. */
const SUMMARY_BUDGET = 900_000;

/** Why a 403 happened and what to do: the fork PR case is the common one. */
export const READ_ONLY_ADVICE =
  "the token may not write pull-request comments. On a pull request from a fork, GITHUB_TOKEN is read-only: post the comment from a workflow_run workflow (or pull_request_target, without checking out the PR's code). Otherwise grant `permissions: pull-requests: write` to the job.";

function renderContext(
  inputs: CommentInputs,
  env: NodeJS.ProcessEnv,
  now: Date,
  commitSha: string | undefined,
): RenderContext {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY;
  const derivedRunUrl =
    repository && env.GITHUB_RUN_ID
      ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const runUrl = inputs.runUrl ?? derivedRunUrl;
  const label = [env.GITHUB_WORKFLOW, env.GITHUB_RUN_NUMBER ? `#${env.GITHUB_RUN_NUMBER}` : '']
    .filter(Boolean)
    .join(' ')
    // The label is a link's text: brackets would end it, backslashes escape.
    .replace(/[[\]\\]/g, '');
  return {
    now,
    ...(commitSha && /^[0-9a-f]{7,64}$/.test(commitSha) ? { commitSha } : {}),
    ...(repository ? { repositoryUrl: `${server}/${repository}` } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(label ? { runLabel: label } : {}),
  };
}

/** What the phases found and did; `outcome` once the step knows how it ends. */
export interface CommentReport extends PhaseReport {
  /** What was changed on GitHub so far (also when a later phase fails). */
  changes: Changes;
  event?: EventFacts;
  choice?: PullRequestChoice;
  rendered?: Rendered & { fullSection: string };
  sticky?: { sticky: Sticky; run: StickyRun; existing: IssueComment[] };
  outcome?: Outcome;
  /** What the render phase rendered from: the Slack message shows the same facts. */
  renderContext?: RenderContext;
  /** What happened on Slack (when a Slack input is set). */
  slack?: SlackOutcome;
  /** The report as the job summary shows it after a failure (no pull request facts). */
  failureSection?: string;
}

type CommentPhase = Phase<CommentContext, CommentReport>;

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`pr-deploy-comment: ${what} is missing`);
  return value;
}

const now = (ctx: CommentContext): Date => new Date(ctx.clock.now());

async function findPullRequest(ctx: CommentContext, report: CommentReport): Promise<void> {
  const { api, env, inputs } = ctx;
  const event = readEvent(env);
  report.event = event;
  report.choice = await resolvePullRequest(
    inputs.prNumber,
    event,
    env.GITHUB_SHA,
    env.GITHUB_REF,
    api,
  ).catch((error: unknown) => {
    if (isReadOnlyToken(error))
      return {
        found: false as const,
        reason: `cannot look up the commit's pull requests: ${error.detail}`,
      };
    throw error;
  });
  if (!report.choice.found)
    report.outcome = { kind: 'no-pull-request', reason: report.choice.reason };
}

function render(ctx: CommentContext, report: CommentReport): void {
  const { inputs, env } = ctx;
  const choice = required(report.choice, 'the pull request');
  const headSha = choice.found ? choice.headSha : undefined;
  // On issue_comment, GITHUB_SHA is the default branch's head, not the PR's: show no commit
  // rather than a wrong one.
  const commit = headSha ?? (report.event?.name === 'issue_comment' ? undefined : env.GITHUB_SHA);
  const context = renderContext(inputs, env, now(ctx), commit);
  report.renderContext = context;
  const rendered = renderSection(inputs, context);
  const fullSection = rendered.truncated.length
    ? renderSection(inputs, context, SUMMARY_BUDGET).section
    : rendered.section;
  report.rendered = { ...rendered, fullSection };
}

/**
 * A 403 before anything was written: the token may not write (a fork's GITHUB_TOKEN). After a
 * write succeeded, a refusal is a failure: it must not end green with no comment.
 */
function readOnlyOr(run: CommentPhase['run']): CommentPhase['run'] {
  return async (ctx, report) => {
    try {
      await run(ctx, report);
    } catch (error) {
      if (!isReadOnlyToken(error) || !nothingChanged(report.changes)) throw error;
      const pr = report.choice?.found ? report.choice.number : undefined;
      report.outcome = {
        kind: 'read-only',
        ...(pr !== undefined ? { pr } : {}),
        message: `${error.message}: ${READ_ONLY_ADVICE}`,
        changes: report.changes,
      };
    }
  };
}

async function findSticky(ctx: CommentContext, report: CommentReport): Promise<void> {
  const choice = required(report.choice, 'the pull request');
  if (!choice.found) return;
  const run: StickyRun = {
    api: ctx.api,
    logger: ctx.logger,
    inputs: ctx.inputs,
    pr: choice.number,
    prSource: choice.source,
    section: required(report.rendered, 'the rendered report').section,
    changes: report.changes,
    now: () => now(ctx),
  };
  const sticky = new Sticky(run);
  report.sticky = { sticky, run, existing: await sticky.list() };
}

async function writeComment(_: CommentContext, report: CommentReport): Promise<void> {
  const { sticky, run, existing } = required(report.sticky, 'the sticky comment');
  const { comment, action } = await writeListed(sticky, run, existing);
  report.outcome = {
    kind: 'posted',
    pr: run.pr,
    prSource: run.prSource,
    comment,
    action,
    changes: report.changes,
  };
}

/**
 * The Slack message, before the PR comment is written (also when there is no pull request or
 * the token is read-only): its failure is the report's `slack` outcome, a warning, never the
 * step's failure. Its wait is bounded short of the step's deadline (wiring.ts), so the comment
 * keeps time to be written.
 */
async function notifySlack(ctx: CommentContext, report: CommentReport): Promise<void> {
  const { inputs } = ctx;
  const publisher = required(ctx.slack, 'the Slack publisher');
  const context = required(report.renderContext, 'the render context');
  // The key's comment remembers the living message (see slackHintOf).
  const known = (report.sticky?.existing ?? []).map((c) => slackHintOf(c.body)).find(Boolean);
  const content = {
    key: inputs.key,
    status: inputs.status,
    message: slackMessage(inputs, context),
    reply: slackReply(inputs, context),
    ...(known ? { known } : {}),
  };
  const slack = await publishSlack(publisher, content, ctx.scrub ?? ((t) => t));
  report.slack = slack;
  if (ctx.signal.aborted) throw cancellation(ctx.signal, 'the Slack message');
  // The comment written next remembers it for the next run.
  if (report.sticky && (slack.kind === 'posted' || slack.kind === 'updated'))
    report.sticky.run.section += `\n${slackHintLine(slack.channel, slack.ts)}`;
}

/** The phases, in order: the whole orchestration is `runPhases` over these. */
export const commentPhases: readonly CommentPhase[] = [
  phase('find pull request', findPullRequest),
  phase('render', render),
  phase('find sticky comment', readOnlyOr(findSticky), (_, r) => r.outcome === undefined),
  phase('slack message', notifySlack, (ctx) => ctx.slack !== undefined),
  phase('write comment', readOnlyOr(writeComment), (_, r) => r.outcome === undefined),
];

export function commentReport(): CommentReport {
  return { phases: [], changes: { deleted: [], minimized: [] } };
}

/** The result the summary shows: the outcome and the rendered report. */
export function publishResult(report: CommentReport): PublishResult {
  const { section, truncated, fullSection } = required(report.rendered, 'the rendered report');
  return { outcome: required(report.outcome, 'the outcome'), section, truncated, fullSection };
}

/** The phases over `deps`: `report.changes` says what was changed, also after a failure. */
export async function publishComment(
  inputs: CommentInputs,
  deps: RunDeps & { signal?: AbortSignal },
  report: CommentReport = commentReport(),
): Promise<PublishResult> {
  const ctx: CommentContext = {
    ...deps,
    inputs,
    signal: deps.signal ?? new AbortController().signal,
  };
  await runPhases(commentPhases, ctx, report);
  return publishResult(report);
}
