/**
 * The GitHub REST calls of mode: pull-request — find the open PR of a branch, or open one —
 * through the one GitHub client (shared/github.ts: Octokit over the step's HTTP client, so
 * its retries and deadline apply).
 */
import { createGitHubClient, type GitHubClient } from '../../shared/github.ts';
import type { HttpClient } from '../../shared/http.ts';

interface PullRequest {
  number: number;
  html_url: string;
}

/** Octokit's RequestError, as much of it as we read. */
interface GitHubRequestError {
  status?: number;
  message?: string;
}

const USER_AGENT = 'mlops-actions/argocd-bump-image';

export class GitHubPulls {
  private readonly owner: string;
  private readonly repo: string;
  private readonly client: () => Promise<GitHubClient>;
  constructor(http: HttpClient, apiUrl: string, token: string, owner: string, repo: string) {
    this.owner = owner;
    this.repo = repo;
    let made: Promise<GitHubClient> | undefined;
    // Made at the first call: Octokit loads only in mode: pull-request.
    this.client = () =>
      (made ??= createGitHubClient({ token, baseUrl: apiUrl, http, userAgent: USER_AGENT }));
  }

  async find(owner: string, head: string, base: string): Promise<PullRequest | undefined> {
    const octokit = await this.client();
    const { data } = await octokit.rest.pulls.list({
      owner: this.owner,
      repo: this.repo,
      state: 'open',
      head: `${owner}:${head}`,
      base,
      per_page: 1,
    });
    return data[0];
  }

  /** The open PR from `head` into `base`: found, else created (a concurrent creation is found again). */
  async upsert(
    owner: string,
    head: string,
    base: string,
    title: string,
    body: string,
  ): Promise<{ pr: PullRequest; created: boolean }> {
    const existing = await this.find(owner, head, base);
    if (existing) return { pr: existing, created: false };
    const octokit = await this.client();
    try {
      const { data } = await octokit.rest.pulls.create({
        owner: this.owner,
        repo: this.repo,
        title,
        head,
        base,
        body,
      });
      return { pr: data, created: true };
    } catch (error) {
      const { status, message } = error as GitHubRequestError;
      if (status === 422) {
        const again = await this.find(owner, head, base);
        if (again) return { pr: again, created: false };
      }
      const what = `GitHub POST /repos/${this.owner}/${this.repo}/pulls failed`;
      const detail = `${status === undefined ? '' : ` with HTTP ${status}`}: ${message ?? String(error)}`;
      throw new Error(
        status === 403
          ? `${what}${detail} — the token needs pull-requests: write on ${this.owner}/${this.repo}`
          : `${what}${detail}`,
        { cause: error },
      );
    }
  }
}
