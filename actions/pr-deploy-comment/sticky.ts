/**
 * Writes the sticky comment of one key on one pull request:
 *
 * - upsert: edit the comment in place (create it when there is none);
 * - recreate: post a new one, then delete the old one (or minimize it, `hide-previous`);
 * - append: add a section to the comment.
 *
 * Ours means: written by the token's own identity (GraphQL `viewer`) AND starting with the
 * key's marker. Anyone can type the marker into a comment; such a comment is never edited,
 * deleted or minimized.
 *
 * Race safety: after creating a comment, the comments of the key are listed again and the
 * oldest one wins, deterministically, in every job that raced: newer duplicates are deleted,
 * and a job whose own comment lost writes its content into the winner. Two jobs posting the
 * same key at once end with exactly one comment.
 */
import type { Logger } from '../../shared/logger.ts';
import { GitHubApiError, isReadOnlyToken, type CommentsApi, type IssueComment } from './api.ts';
import { sameLogin } from './comment-values.ts';
import type { CommentInputs } from './inputs.ts';
import { appendSection, commentBody, markerOf, supersededMarkerOf } from './render.ts';

/** What this run changed on GitHub, for the summary and the outputs. */
export interface Changes {
  created?: number;
  updated?: number;
  deleted: number[];
  minimized: number[];
}

export type StickyAction = 'created' | 'updated' | 'unchanged' | 'recreated' | 'appended';

export interface StickyResult {
  comment: IssueComment;
  action: StickyAction;
}

export interface StickyRun {
  api: CommentsApi;
  logger: Logger;
  inputs: CommentInputs;
  pr: number;
  /** Where the PR number came from, for the log. */
  prSource: string;
  /** The report (without the marker). */
  section: string;
  changes: Changes;
  now: () => Date;
}

/** A refusal that is not a rate limit or a 404: the token may not change this comment. */
function isRefused(error: unknown): error is GitHubApiError {
  return isReadOnlyToken(error);
}

function isGone(error: unknown): boolean {
  return error instanceof GitHubApiError && error.status === 404;
}

export class Sticky {
  readonly marker: string;
  private readonly run: StickyRun;
  private me = '';
  private listedAt = 0;
  constructor(run: StickyRun) {
    this.run = run;
    this.marker = markerOf(run.inputs.key);
  }

  /** The comment for upsert/recreate, from the run's section as it is when written. */
  get body(): string {
    return commentBody(this.run.inputs.key, this.run.section);
  }

  isOurs = (c: IssueComment): boolean =>
    !c.minimized && c.body.startsWith(this.marker) && sameLogin(c.authorLogin, this.me);

  /**
   * The key's comments written by the token's identity, oldest first. The identity is asked
   * (GraphQL `viewer`) only when some comment carries the marker; otherwise the comment we
   * create tells it.
   */
  async list(): Promise<IssueComment[]> {
    const { api, logger, pr, inputs } = this.run;
    this.listedAt = this.run.now().getTime();
    const marked = (await api.listComments(pr)).filter(
      (c) => !c.minimized && c.body.startsWith(this.marker),
    );
    if (marked.length > 0) this.me = await api.viewerLogin();
    const ours = marked.filter(this.isOurs);
    const others = marked.length - ours.length;
    logger.info(
      `PR #${pr} (from ${this.run.prSource}): ${ours.length} comment(s) with key "${inputs.key}"${this.me ? ` by ${this.me}` : ''}${others ? `; ${others} by others carry the marker and are left alone` : ''}.`,
    );
    return ours;
  }

  async remove(comments: readonly IssueComment[]): Promise<void> {
    const { api, changes } = this.run;
    for (const c of comments) if (await api.deleteComment(c.id)) changes.deleted.push(c.id);
  }

  async create(body: string): Promise<IssueComment> {
    const mine = await this.run.api.createComment(this.run.pr, body);
    this.run.changes.created = mine.id;
    // What we just wrote is by the token's identity: no need to ask for it.
    if (!this.me) this.me = mine.authorLogin;
    return mine;
  }

  /**
   * After creating `mine`: list the key's comments again (only those updated since just before
   * the first listing: a racing job's comment is among them) and let the oldest win.
   */
  async settle(
    mine: IssueComment,
    merge: (winnerBody: string) => string,
    superseded: ReadonlySet<number>,
  ): Promise<IssueComment> {
    const { api, logger, pr, inputs, changes, now } = this.run;
    const created = Date.parse(mine.createdAt);
    const since = Number.isFinite(created)
      ? new Date(created - (now().getTime() - this.listedAt) - 60_000).toISOString()
      : undefined;
    const fresh = (await api.listComments(pr, since)).filter(
      (c) => this.isOurs(c) && !superseded.has(c.id),
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
    await this.remove(fresh.filter((c) => c.id !== winner.id));
    if (winner.id === mine.id) return mine;
    changes.created = undefined;
    const body = merge(winner.body);
    if (body === winner.body) return winner;
    const updated = await api.updateComment(winner.id, body);
    changes.updated = updated.id;
    return updated;
  }
}

/**
 * upsert and append: edit our comment; when it is gone (404) or GitHub refuses the edit (403),
 * post a fresh one rather than end with none — if that is refused too, the token may not
 * write at all (the caller's read-only warning).
 */
async function upsertOrAppend(
  s: Sticky,
  run: StickyRun,
  existing: IssueComment[],
): Promise<StickyResult> {
  const { api, inputs, section, changes, logger } = run;
  const append = inputs.mode === 'append';
  const [current, ...duplicates] = existing;
  const desired = append ? appendSection(current?.body, inputs.key, section) : s.body;
  let updated: IssueComment | undefined = current;
  if (current && current.body !== desired) {
    updated = await api.updateComment(current.id, desired).catch((error: unknown) => {
      if (isGone(error)) return undefined;
      if (!isRefused(error)) throw error;
      logger.warning(
        `GitHub refused to edit comment ${current.id} (${error.message}); posting a fresh comment instead and leaving that one as it is.`,
      );
      return undefined;
    });
  }
  if (current && updated) {
    if (updated !== current) changes.updated = updated.id;
    await s.remove(duplicates);
    const action = updated === current ? 'unchanged' : append ? 'appended' : 'updated';
    return { comment: updated, action };
  }
  const mine = await s.create(append ? appendSection(undefined, inputs.key, section) : s.body);
  const merge = append
    ? (winnerBody: string) => appendSection(winnerBody, inputs.key, section)
    : () => s.body;
  // A comment we could not edit is not a candidate to write into.
  const skip = new Set(current ? [current.id] : []);
  return { comment: await s.settle(mine, merge, skip), action: 'created' };
}

/** recreate: the new comment first, so the PR never shows none; then the old ones go. */
async function recreate(
  s: Sticky,
  run: StickyRun,
  existing: IssueComment[],
): Promise<StickyResult> {
  const { api, inputs, changes } = run;
  const mine = await s.create(s.body);
  try {
    for (const old of existing) {
      if (inputs.hidePrevious) {
        await api.minimizeComment(old.nodeId);
        changes.minimized.push(old.id);
        const rest = old.body.slice(s.marker.length);
        await api.updateComment(old.id, supersededMarkerOf(inputs.key) + rest);
      } else if (await api.deleteComment(old.id)) changes.deleted.push(old.id);
    }
  } catch (error) {
    // Leave the PR as it was rather than with two live comments: take ours back. The token
    // could create, so this is a failure to report, not a read-only token.
    await api.deleteComment(mine.id).catch(() => false);
    changes.created = undefined;
    throw new StickyWriteError(
      error,
      `replacing the previous comment failed, so comment ${mine.id} was taken back`,
    );
  }
  const comment = await s.settle(mine, () => s.body, new Set(existing.map((c) => c.id)));
  return { comment, action: existing.length ? 'recreated' : 'created' };
}

/**
 * A write that failed after another write of this run succeeded: never taken for a read-only
 * token (the token can write), so the step fails with what happened.
 */
export class StickyWriteError extends Error {
  override name = 'StickyWriteError';
  constructor(cause: unknown, what: string) {
    super(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Writes the key's one comment, given its comments as `sticky.list()` found them. */
export async function writeListed(
  sticky: Sticky,
  run: StickyRun,
  existing: IssueComment[],
): Promise<StickyResult> {
  return run.inputs.mode === 'recreate'
    ? recreate(sticky, run, existing)
    : upsertOrAppend(sticky, run, existing);
}

/** Publishes the report as the key's one comment; `run.changes` says what was changed. */
export async function writeSticky(run: StickyRun): Promise<StickyResult> {
  const sticky = new Sticky(run);
  return writeListed(sticky, run, await sticky.list());
}
