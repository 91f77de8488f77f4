/**
 * Publishes the deployment report as the one sticky comment of its key:
 *
 * - upsert: edit the comment in place (create it when there is none);
 * - recreate: post a new one, then delete the old one (or minimize it, `hide-previous`);
 * - append: add a section to the comment.
 *
 * Race safety: after creating a comment, the comments of the key are listed again and the
 * oldest one wins, deterministically, in every job that raced: newer duplicates are deleted,
 * and a job whose own comment lost writes its content into the winner. Two jobs posting the
 * same key at once end with exactly one comment.
 */
import type { Logger } from '../../shared/logger.ts';
import { GitHubApiError, isReadOnlyToken, type CommentsApi, type IssueComment } from './api.ts';
import type { CommentInputs } from './inputs.ts';
import { readEvent, resolvePullRequest } from './pull-request.ts';
import {
  appendSection,
  commentBody,
  markerOf,
  renderSection,
  supersededMarkerOf,
  type RenderContext,
} from './render.ts';

export interface RunDeps {
  api: CommentsApi;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

/** What this run changed on GitHub, for the summary and the outputs. */
export interface Changes {
  created?: number;
  updated?: number;
  deleted: number[];
  minimized: number[];
}

export type Outcome =
  | {
      kind: 'posted';
      pr: number;
      prSource: string;
      comment: IssueComment;
      action: 'created' | 'updated' | 'unchanged' | 'recreated' | 'appended';
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
  const marker = markerOf(inputs.key);
  const isOurs = (c: IssueComment): boolean => !c.minimized && c.body.startsWith(marker);
  const listedAt = deps.now().getTime();
  const existing = (await api.listComments(pr)).filter(isOurs);
  logger.info(
    `PR #${pr} (from ${choice.source}): ${existing.length} comment(s) with key "${inputs.key}".`,
  );

  const remove = async (comments: readonly IssueComment[]): Promise<void> => {
    for (const c of comments) if (await api.deleteComment(c.id)) changes.deleted.push(c.id);
  };

  /**
   * After creating `mine`: list the key's comments again (only those updated since just before
   * the first listing: a racing job's comment is among them) and let the oldest win.
   */
  const settle = async (
    mine: IssueComment,
    merge: (winnerBody: string) => string,
    superseded: ReadonlySet<number>,
  ): Promise<IssueComment> => {
    const created = Date.parse(mine.createdAt);
    const since = Number.isFinite(created)
      ? new Date(created - (deps.now().getTime() - listedAt) - 60_000).toISOString()
      : undefined;
    const fresh = (await api.listComments(pr, since)).filter(
      (c) => isOurs(c) && !superseded.has(c.id),
    );
    if (!fresh.some((c) => c.id === mine.id)) fresh.push(mine);
    fresh.sort((a, b) => a.id - b.id);
    const winner = fresh[0] ?? mine;
    if (fresh.length > 1) {
      // A normal outcome of parallel jobs (a matrix), not a problem: info, not a warning.
      logger.info(
        `Another job posted key "${inputs.key}" at the same time: keeping comment ${winner.id} (the oldest), removing ${fresh
          .slice(1)
          .map((c) => c.id)
          .join(', ')}.`,
      );
    }
    await remove(fresh.filter((c) => c.id !== winner.id));
    if (winner.id === mine.id) return mine;
    changes.created = undefined;
    const body = merge(winner.body);
    if (body === winner.body) return winner;
    const updated = await api.updateComment(winner.id, body);
    changes.updated = updated.id;
    return updated;
  };

  const body = commentBody(inputs.key, rendered.section);
  try {
    if (inputs.mode === 'upsert' || inputs.mode === 'append') {
      const [current, ...duplicates] = existing;
      const desired =
        inputs.mode === 'append'
          ? appendSection(current?.body, inputs.key, rendered.section)
          : body;
      // Deleted by someone between our listing and our edit: post it afresh instead.
      const updated =
        current && current.body !== desired
          ? await api.updateComment(current.id, desired).catch((error: unknown) => {
              if (error instanceof GitHubApiError && error.status === 404) return undefined;
              throw error;
            })
          : current;
      if (current && updated) {
        const comment = updated;
        if (comment !== current) changes.updated = comment.id;
        await remove(duplicates);
        const action =
          comment === current ? 'unchanged' : inputs.mode === 'append' ? 'appended' : 'updated';
        return result({ kind: 'posted', pr, prSource: choice.source, comment, action, changes });
      }
      const mine = await api.createComment(
        pr,
        inputs.mode === 'append' ? appendSection(undefined, inputs.key, rendered.section) : body,
      );
      changes.created = mine.id;
      const merge =
        inputs.mode === 'append'
          ? (winnerBody: string) => appendSection(winnerBody, inputs.key, rendered.section)
          : () => body;
      const comment = await settle(mine, merge, new Set());
      return result({
        kind: 'posted',
        pr,
        prSource: choice.source,
        comment,
        action: 'created',
        changes,
      });
    }

    // recreate: the new comment first, so the PR never shows none; then the old ones go.
    const mine = await api.createComment(pr, body);
    changes.created = mine.id;
    try {
      for (const old of existing) {
        if (inputs.hidePrevious) {
          await api.minimizeComment(old.nodeId);
          changes.minimized.push(old.id);
          await api.updateComment(
            old.id,
            supersededMarkerOf(inputs.key) + old.body.slice(marker.length),
          );
        } else if (await api.deleteComment(old.id)) changes.deleted.push(old.id);
      }
    } catch (error) {
      // Leave the PR as it was rather than with two live comments: take ours back.
      await api.deleteComment(mine.id).catch(() => false);
      changes.created = undefined;
      throw error;
    }
    const comment = await settle(mine, () => body, new Set(existing.map((c) => c.id)));
    const action = existing.length ? 'recreated' : 'created';
    return result({ kind: 'posted', pr, prSource: choice.source, comment, action, changes });
  } catch (error) {
    if (isReadOnlyToken(error)) {
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
