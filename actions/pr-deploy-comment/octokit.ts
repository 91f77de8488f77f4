/**
 * CommentsApi over the shared GitHub client (shared/github.ts: Octokit whose requests go
 * through shared/http.ts, which retries 429/5xx and waits out GitHub's primary and secondary
 * rate limits within the deadline; GITHUB_API_URL for GitHub Enterprise Server). Every request
 * carries one signal that aborts at the step's deadline or on cancellation, and a wait is taken
 * only when it ends before the deadline: no wait is unbounded. A rate-limit wait is a warning.
 */
import type { Clock } from '../../shared/clock.ts';
import { cancellation } from '../../shared/errors.ts';
import { createGitHubClient, type GitHubClient } from '../../shared/github.ts';
import { createHttpClient, redactUrl, type HttpClient } from '../../shared/http.ts';
import { formatDuration } from '../../shared/inputs.ts';
import type { Logger } from '../../shared/logger.ts';
import {
  checkedServerInteger,
  checkedServerString,
  GIT_COMMIT,
  OPAQUE_ID,
} from '../../shared/server-values.ts';
import { checkedWebUrl, GITHUB_LOGIN, webHosts } from './comment-values.ts';
import { GitHubApiError, type CommentsApi, type IssueComment, type PullRequestRef } from './api.ts';

export interface OctokitApiOptions {
  token: string;
  owner: string;
  repo: string;
  /** REST base URL: GITHUB_API_URL (https://api.github.com, or https://ghes/api/v3). */
  baseUrl: string;
  /** GITHUB_SERVER_URL: comment URLs may name its host too. */
  serverUrl?: string;
  logger: Logger;
  signal: AbortSignal;
  /** Epoch ms after which no retry is started. */
  deadline: number;
  /** The step's whole budget, for messages. */
  timeoutMs: number;
  /** Every wait and timeout of the default transport. */
  clock?: Clock;
  /** The transport (default: a client with this step's deadline and timeout). */
  http?: HttpClient;
}

const USER_AGENT = 'mlops-actions/pr-deploy-comment';

interface RestComment {
  id: unknown;
  node_id: unknown;
  body?: string | undefined;
  html_url: unknown;
  created_at: string;
  user?: { login?: unknown } | null;
  minimized?: { reason?: string | null } | null;
}

/** A REST comment with every value we use checked (ids reach URLs, the URL an output). */
function toComment(c: RestComment, hosts: ReadonlySet<string>): IssueComment {
  const login = c.user?.login;
  return {
    id: checkedServerInteger(c.id, 'GitHub comment id'),
    nodeId: checkedServerString(c.node_id, OPAQUE_ID, 'GitHub comment node_id'),
    body: c.body ?? '',
    htmlUrl: checkedWebUrl(c.html_url, hosts, 'GitHub comment html_url'),
    createdAt: c.created_at,
    minimized: c.minimized != null,
    // A login outside GitHub's grammar is nobody's: such a comment is never ours.
    authorLogin: typeof login === 'string' && GITHUB_LOGIN.test(login) ? login : '',
  };
}

interface OctokitErrorShape {
  status?: number;
  message?: string;
  request?: { method?: string; url?: string };
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  name?: string;
}

/** Octokit's RequestError (or a fetch failure) as a GitHubApiError naming method, URL and status. */
export function wrapError(error: unknown, fallback: { method: string; url: string }): unknown {
  if (error instanceof GitHubApiError) return error;
  if (typeof error !== 'object' || error === null) return error;
  const e = error as OctokitErrorShape;
  const method = e.request?.method ?? fallback.method;
  const url = redactUrl(e.request?.url ?? fallback.url);
  const status = typeof e.status === 'number' && e.status > 0 ? e.status : undefined;
  const headers = e.response?.headers ?? {};
  const message = (e.message ?? 'request failed').split(' - https://docs.github.com')[0] ?? '';
  const rateLimited =
    headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message) || status === 429;
  const timedOut = e.name === 'AbortError' || e.name === 'TimeoutError';
  return new GitHubApiError(
    method,
    url,
    status,
    message,
    rateLimited,
    timedOut ? { timedOut } : {},
  );
}

function abortError(signal: AbortSignal): Error {
  const error = new Error(`aborted (${String(signal.reason)})`);
  error.name = 'AbortError';
  return error;
}

/** The shared GitHub client, with this step's signal on every request and every wait. */
async function stepOctokit(o: OctokitApiOptions): Promise<GitHubClient> {
  const http =
    o.http ??
    createHttpClient({
      userAgent: USER_AGENT,
      timeoutMs: o.timeoutMs,
      deadline: () => o.deadline,
      ...(o.clock ? { clock: o.clock } : {}),
      // A rate limit is the job's own doing (or its neighbours'): worth a warning, not a 5xx.
      onRetry: (m, notice) => (notice.reason ? o.logger.warning(m) : o.logger.info(m)),
      onGiveUp: (m) => o.logger.warning(m),
    });
  const octokit = await createGitHubClient({
    token: o.token,
    baseUrl: o.baseUrl,
    http,
    userAgent: USER_AGENT,
    signal: o.signal,
    // Octokit reports a failed fetch as HTTP 500: once the step's signal has fired (deadline
    // or cancellation), say AbortError.
    wrapFetch: (base) => async (input, init) => {
      try {
        return await base(input, init);
      } catch (error) {
        if (!o.signal.aborted) throw error;
        throw abortError(o.signal);
      }
    },
    debug: (m) => o.logger.debug(m),
  });
  return octokit;
}

type Call = <T>(
  method: string,
  route: string,
  fn: (octokit: GitHubClient) => Promise<T>,
) => Promise<T>;

/** Runs one GitHub call; its failure becomes a GitHubApiError that says what happened. */
function stepCall(o: OctokitApiOptions, github: () => Promise<GitHubClient>): Call {
  return async (method, route, fn) => {
    try {
      return await fn(await github());
    } catch (error) {
      const url = redactUrl(`${o.baseUrl}${route}`);
      if (o.signal.aborted) {
        // Octokit reports an aborted fetch as HTTP 500: say what really happened.
        const reason: unknown = o.signal.reason;
        if (reason instanceof Error && reason.name === 'TimeoutError') {
          throw new GitHubApiError(
            method,
            url,
            undefined,
            `no answer within the step's timeout (${formatDuration(o.timeoutMs)}); raise 'timeout' if GitHub is slow`,
            false,
            { timedOut: true },
          );
        }
        throw cancellation(o.signal, `${method} ${url}`);
      }
      throw wrapError(error, { method, url });
    }
  };
}

export function createOctokitApi(o: OctokitApiOptions): CommentsApi {
  // Made at the first call: Octokit loads only when GitHub is asked something.
  let client: Promise<GitHubClient> | undefined;
  const call = stepCall(o, () => (client ??= stepOctokit(o)));
  return { ...commentCalls(o, call), ...graphqlAndPullCalls(o, call) };
}

/** The REST comment calls. */
function commentCalls(
  o: OctokitApiOptions,
  call: Call,
): Pick<CommentsApi, 'listComments' | 'createComment' | 'updateComment' | 'deleteComment'> {
  const repo = { owner: o.owner, repo: o.repo };
  const hosts = webHosts(o.baseUrl, o.serverUrl);
  return {
    async listComments(issue, since) {
      const route = `/repos/${o.owner}/${o.repo}/issues/${issue}/comments`;
      const comments = await call('GET', route, (octokit) =>
        octokit.paginate(octokit.rest.issues.listComments, {
          ...repo,
          issue_number: issue,
          per_page: 100,
          ...(since ? { since } : {}),
        }),
      );
      return comments.map((c) => toComment(c as RestComment, hosts)).sort((a, b) => a.id - b.id);
    },
    async createComment(issue, body) {
      const route = `/repos/${o.owner}/${o.repo}/issues/${issue}/comments`;
      const { data } = await call('POST', route, (octokit) =>
        octokit.rest.issues.createComment({ ...repo, issue_number: issue, body }),
      );
      return toComment(data as RestComment, hosts);
    },
    async updateComment(id, body) {
      const route = `/repos/${o.owner}/${o.repo}/issues/comments/${id}`;
      const { data } = await call('PATCH', route, (octokit) =>
        octokit.rest.issues.updateComment({ ...repo, comment_id: id, body }),
      );
      return toComment(data as RestComment, hosts);
    },
    async deleteComment(id) {
      const route = `/repos/${o.owner}/${o.repo}/issues/comments/${id}`;
      try {
        await call('DELETE', route, (octokit) =>
          octokit.rest.issues.deleteComment({ ...repo, comment_id: id }),
        );
        return true;
      } catch (error) {
        if (error instanceof GitHubApiError && error.status === 404) return false;
        throw error;
      }
    },
  };
}

/** The GraphQL calls and the pull requests of a commit. */
function graphqlAndPullCalls(
  o: OctokitApiOptions,
  call: Call,
): Pick<CommentsApi, 'viewerLogin' | 'minimizeComment' | 'pullRequestsOfCommit'> {
  const repo = { owner: o.owner, repo: o.repo };
  return {
    async viewerLogin() {
      const result = await call('POST', '/graphql', (octokit) =>
        octokit.graphql<{ viewer: { login: unknown } | null }>('query { viewer { login } }'),
      );
      return checkedServerString(result.viewer?.login, GITHUB_LOGIN, 'GitHub viewer login');
    },
    async minimizeComment(nodeId) {
      const result = await call('POST', '/graphql', (octokit) =>
        octokit.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean } | null } }>(
          `mutation($input: MinimizeCommentInput!) {
  minimizeComment(input: $input) { minimizedComment { isMinimized minimizedReason } }
}`,
          { input: { subjectId: nodeId, classifier: 'OUTDATED' } },
        ),
      );
      if (!result.minimizeComment.minimizedComment?.isMinimized) {
        throw new GitHubApiError(
          'POST',
          '/graphql',
          200,
          `comment ${nodeId} was not minimized`,
          false,
        );
      }
    },
    async pullRequestsOfCommit(sha) {
      const route = `/repos/${o.owner}/${o.repo}/commits/${sha}/pulls`;
      const { data } = await call('GET', route, (octokit) =>
        octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha }),
      );
      return data.map((pr): PullRequestRef => ({
        number: checkedServerInteger(pr.number, 'GitHub pull request number'),
        state: pr.state,
        headRef: pr.head.ref,
        headSha: checkedServerString(pr.head.sha, GIT_COMMIT, 'GitHub pull request head sha'),
      }));
    },
  };
}
