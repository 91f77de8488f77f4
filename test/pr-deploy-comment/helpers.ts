import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runAction, type ActionRunResult, type RunActionOptions } from '../harness/runner.ts';
import type { FakeComment, GitHubFake } from '../harness/fakes/github-api.ts';

export const HEAD_SHA = 'feedc0de00000000000000000000000000000001';
export const MERGE_SHA = '0123456789abcdef0123456789abcdef01234567';

export interface CommentRun {
  inputs?: Record<string, string>;
  /** The event name and its payload (written to GITHUB_EVENT_PATH). */
  event?: { name: string; payload: object };
  env?: Record<string, string>;
  workspace?: string;
  onStart?: RunActionOptions['onStart'];
}

export function pullRequestEvent(
  number: number,
  name = 'pull_request',
): NonNullable<CommentRun['event']> {
  return {
    name,
    payload: {
      action: 'synchronize',
      number,
      pull_request: { number, head: { sha: HEAD_SHA, ref: 'feature' } },
    },
  };
}

/** Runs the real bundle against the fake, as the runner would on a pull_request event by default. */
export async function runComment(fake: GitHubFake, run: CommentRun = {}): Promise<ActionRunResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pr-comment-event-'));
  try {
    const event = run.event ?? pullRequestEvent(7);
    const eventPath = path.join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event.payload));
    return await runAction('pr-deploy-comment', {
      inputs: { token: fake.token, status: 'success', environment: 'staging', ...run.inputs },
      env: {
        ...fake.env(),
        GITHUB_EVENT_NAME: event.name,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_RUN_NUMBER: '42',
        GITHUB_SHA: MERGE_SHA,
        ...run.env,
      },
      ...(run.workspace ? { workspace: run.workspace } : {}),
      ...(run.onStart ? { onStart: run.onStart } : {}),
      timeoutMs: 60_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The comments of a PR that carry the marker of `key`, oldest first. */
export function sticky(fake: GitHubFake, pr: number, key = 'deploy/staging'): FakeComment[] {
  return (fake.comments.get(pr) ?? []).filter((c) =>
    c.body.startsWith(`<!-- mlops-actions/pr-deploy-comment key="${key}" -->`),
  );
}

/** Every test asserts this: the token never shows in what the runner would display. */
export function expectNoToken(result: ActionRunResult, fake: GitHubFake): void {
  if (result.maskedLog.includes(fake.token) || result.summary.includes(fake.token)) {
    throw new Error('the token appears in the log or the summary');
  }
  if (!result.masks.includes(fake.token) && result.log.includes(fake.token)) {
    throw new Error('the token was printed without being masked');
  }
}
