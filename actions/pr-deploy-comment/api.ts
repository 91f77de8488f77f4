/**
 * What the action needs from GitHub, as an interface: run.ts is plain logic over it, and the
 * Octokit implementation (octokit.ts, loaded only after the inputs validate) is the one place
 * that knows about REST paths, GraphQL and pagination.
 */
import { HttpError, type HttpErrorFacts } from '../../shared/errors.ts';

export interface IssueComment {
  id: number;
  /** The GraphQL id: `minimizeComment`'s subjectId. */
  nodeId: string;
  body: string;
  htmlUrl: string;
  createdAt: string;
  /** Minimized (hidden) comments are history, never the sticky comment. */
  minimized: boolean;
  /**
   * Who wrote it (REST `user.login`: `octocat`, `github-actions[bot]`, `<app-slug>[bot]`);
   * empty for a deleted account. Only the token's own comments are the sticky comment.
   */
  authorLogin: string;
}

export interface PullRequestRef {
  number: number;
  state: string;
  headRef: string;
  headSha: string;
}

export interface CommentsApi {
  /**
   * The login the token acts as (GraphQL `viewer { login }`): works for personal tokens and
   * for installation tokens (GITHUB_TOKEN, GitHub Apps), which may not call `GET /user`.
   */
  viewerLogin(): Promise<string>;
  /** Every comment of the issue or PR (all pages), ascending by id; `since` filters on updated_at. */
  listComments(issue: number, since?: string): Promise<IssueComment[]>;
  createComment(issue: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
  /** False when the comment was already gone (another job deleted it). */
  deleteComment(id: number): Promise<boolean>;
  minimizeComment(nodeId: string): Promise<void>;
  /** PRs associated with a commit (`GET /repos/{o}/{r}/commits/{sha}/pulls`). */
  pullRequestsOfCommit(sha: string): Promise<PullRequestRef[]>;
}

/** A GitHub API error, with what the caller needs to decide between warning and failing. */
export class GitHubApiError extends HttpError {
  override name = 'GitHubApiError';
  /** A primary or secondary rate limit (403/429 with rate-limit headers or message). */
  readonly rateLimited: boolean;
  constructor(
    method: string,
    url: string,
    status: number | undefined,
    detail: string,
    rateLimited: boolean,
    facts: HttpErrorFacts = {},
  ) {
    super(method, url, status, detail, '', facts);
    this.rateLimited = rateLimited;
  }
}

/**
 * A 403 that is not a rate limit: the token may read but not write — the GITHUB_TOKEN of a
 * pull request from a fork, or a workflow without `pull-requests: write`.
 */
export function isReadOnlyToken(error: unknown): error is GitHubApiError {
  return error instanceof GitHubApiError && error.status === 403 && !error.rateLimited;
}
