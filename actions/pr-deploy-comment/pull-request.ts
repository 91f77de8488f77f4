/**
 * Which pull request to comment on: `pr-number`, else the event's (pull_request,
 * pull_request_target, issue_comment on a PR), else — on push and other events that carry no
 * PR — the open PR whose head is the commit. None is a normal outcome, not an error.
 */
import { readFileSync } from 'node:fs';
import type { CommentsApi } from './api.ts';

export interface EventFacts {
  name: string;
  /** The PR (or issue) number the payload names, and whether it is a PR. */
  number?: number;
  isPullRequest: boolean;
  /** The PR head commit: what was built and deployed (GITHUB_SHA is the merge commit). */
  headSha?: string;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);

interface Payload {
  number?: number;
  pull_request?: { number?: number; head?: { sha?: string } };
  issue?: { number?: number; pull_request?: unknown };
}

/** Reads GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH; a missing file is an empty payload. */
export function readEvent(env: NodeJS.ProcessEnv): EventFacts {
  const name = env.GITHUB_EVENT_NAME ?? '';
  let payload: Payload = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Payload;
    } catch {
      payload = {};
    }
  }
  if (PR_EVENTS.has(name)) {
    const number = payload.pull_request?.number ?? payload.number;
    const headSha = payload.pull_request?.head?.sha;
    return {
      name,
      ...(number ? { number } : {}),
      isPullRequest: true,
      ...(headSha ? { headSha } : {}),
    };
  }
  if (name === 'issue_comment' && payload.issue?.number) {
    return {
      name,
      number: payload.issue.number,
      isPullRequest: payload.issue.pull_request != null,
    };
  }
  return { name, isPullRequest: false };
}

export type PullRequestChoice =
  | { found: true; number: number; source: string; headSha?: string }
  | { found: false; reason: string };

export async function resolvePullRequest(
  prNumber: number | undefined,
  event: EventFacts,
  sha: string | undefined,
  ref: string | undefined,
  api: Pick<CommentsApi, 'pullRequestsOfCommit'>,
): Promise<PullRequestChoice> {
  if (prNumber !== undefined) return { found: true, number: prNumber, source: "input 'pr-number'" };
  if (event.number !== undefined && event.isPullRequest) {
    return {
      found: true,
      number: event.number,
      source: `the ${event.name} event`,
      ...(event.headSha ? { headSha: event.headSha } : {}),
    };
  }
  if (event.name === 'issue_comment') {
    return {
      found: false,
      reason: `the comment that triggered this run is on issue #${event.number ?? '?'}, not a pull request`,
    };
  }
  if (!sha)
    return {
      found: false,
      reason: `the ${event.name || 'unknown'} event names no pull request and GITHUB_SHA is not set`,
    };
  const open = (await api.pullRequestsOfCommit(sha)).filter((pr) => pr.state === 'open');
  const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  // Several open PRs can contain a commit: prefer the one whose head is this branch and commit.
  const best =
    open.find((pr) => pr.headSha === sha && pr.headRef === branch) ??
    open.find((pr) => pr.headRef === branch) ??
    open.find((pr) => pr.headSha === sha) ??
    open[0];
  if (!best) {
    return {
      found: false,
      reason: `no open pull request is associated with commit ${sha.slice(0, 7)}`,
    };
  }
  return {
    found: true,
    number: best.number,
    source: `the open pull request of commit ${sha.slice(0, 7)}`,
    headSha: sha,
  };
}
