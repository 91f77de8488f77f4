/** The GitHub REST calls of mode: pull-request — find the open PR of a branch, or open one. */
import { HttpError } from '../../shared/errors.ts';
import type { HttpClient } from '../../shared/http.ts';

interface PullRequest {
  number: number;
  html_url: string;
}

export class GitHubPulls {
  private readonly http: HttpClient;
  private readonly apiUrl: string;
  private readonly token: string;
  private readonly repo: string;
  constructor(http: HttpClient, apiUrl: string, token: string, owner: string, repo: string) {
    this.http = http;
    this.apiUrl = apiUrl;
    this.token = token;
    this.repo = `${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  }

  private headers(): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    };
  }

  async find(owner: string, head: string, base: string): Promise<PullRequest | undefined> {
    const q = new URLSearchParams({ state: 'open', head: `${owner}:${head}`, base, per_page: '1' });
    const res = await this.http.request({
      url: `${this.apiUrl}/repos/${this.repo}/pulls?${q.toString()}`,
      headers: this.headers(),
    });
    return res.json<PullRequest[]>()[0];
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
    try {
      const res = await this.http.request({
        method: 'POST',
        url: `${this.apiUrl}/repos/${this.repo}/pulls`,
        headers: { ...this.headers(), 'content-type': 'application/json' },
        body: JSON.stringify({ title, head, base, body }),
        // Safe to repeat: a second PR for this head and base is refused (422), then found.
        idempotent: true,
      });
      return { pr: res.json<PullRequest>(), created: true };
    } catch (error) {
      if (error instanceof HttpError && error.status === 422) {
        const again = await this.find(owner, head, base);
        if (again) return { pr: again, created: false };
      }
      if (error instanceof HttpError && error.status === 403) {
        throw new Error(
          `${error.message} — the token needs pull-requests: write on ${this.repo.replace('%2F', '/')}`,
        );
      }
      throw error;
    }
  }
}
