/**
 * Publishes the deployment report: finds the pull request, renders the report and hands it to
 * sticky.ts, which writes the key's one comment; maps what happened to an outcome.
 */
import type { Logger } from '../../shared/logger.ts';
import { isReadOnlyToken, type CommentsApi, type IssueComment } from './api.ts';
import type { CommentInputs } from './inputs.ts';
import { readEvent, resolvePullRequest } from './pull-request.ts';
import { renderSection, type RenderContext } from './render.ts';
import { writeSticky, type Changes, type StickyAction } from './sticky.ts';

export type { Changes } from './sticky.ts';

export interface RunDeps {
  api: CommentsApi;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  now: () => Date;
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

/**
 * `changes` is filled in as GitHub is changed, so a caller can report what happened also when
 * a later call fails.
 */
export async function publishComment(
  inputs: CommentInputs,
  deps: RunDeps,
  changes: Changes = { deleted: [], minimized: [] },
): Promise<PublishResult> {
  const { api, logger, env } = deps;
  const event = readEvent(env);
  const choice = await resolvePullRequest(
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
  const headSha = choice.found ? choice.headSha : undefined;
  // On issue_comment, GITHUB_SHA is the default branch's head, not the PR's: show no commit
  // rather than a wrong one.
  const commit = headSha ?? (event.name === 'issue_comment' ? undefined : env.GITHUB_SHA);
  const context = renderContext(inputs, env, deps.now(), commit);
  const rendered = renderSection(inputs, context);
  const fullSection = rendered.truncated.length
    ? renderSection(inputs, context, SUMMARY_BUDGET).section
    : rendered.section;
  const result = (outcome: Outcome): PublishResult => ({ outcome, ...rendered, fullSection });
  if (!choice.found) return result({ kind: 'no-pull-request', reason: choice.reason });

  const pr = choice.number;
  try {
    const { comment, action } = await writeSticky({
      api,
      logger,
      inputs,
      pr,
      prSource: choice.source,
      section: rendered.section,
      changes,
      now: deps.now,
    });
    return result({ kind: 'posted', pr, prSource: choice.source, comment, action, changes });
  } catch (error) {
    // A 403 on the first write: the token may not write (a fork's GITHUB_TOKEN). After a write
    // succeeded, a refusal is a failure: it must not end green with no comment.
    if (isReadOnlyToken(error) && nothingChanged(changes)) {
      return result({
        kind: 'read-only',
        pr,
        message: `${error.message}: ${READ_ONLY_ADVICE}`,
        changes,
      });
    }
    throw error;
  }
}
