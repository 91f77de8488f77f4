/**
 * Bad input fails the bundle before any request, with one line naming the input, and posts
 * nothing (the fake records every request).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGitHubApi, type GitHubFake } from '../harness/fakes/github-api.ts';
import { runComment } from './helpers.ts';

let fake: GitHubFake;
let workspace: string;
beforeAll(async () => {
  fake = await startGitHubApi();
  workspace = mkdtempSync(path.join(tmpdir(), 'pr-comment-ws-'));
  writeFileSync(path.join(workspace, 'notes.txt'), 'just some words, not a mapping');
  writeFileSync(path.join(workspace, 'broken.json'), '{"accuracy": 0.9,');
});
afterAll(async () => {
  await fake.stop();
  rmSync(workspace, { recursive: true, force: true });
});

describe('pr-deploy-comment: bad input changes nothing', () => {
  it.each([
    [
      'unknown status',
      { status: 'done' },
      /Input 'status' must be one of 'success', 'failure', 'in-progress', 'rolled-back', 'cancelled' \(got "done"\)/,
    ],
    ['missing status', { status: '' }, /Input 'status' is required/],
    [
      'unknown mode',
      { mode: 'replace' },
      /Input 'mode' must be one of 'upsert', 'recreate', 'append' \(got "replace"\)/,
    ],
    ['no token', { token: '' }, /Input 'token' is empty/],
    [
      'metrics file missing',
      { metrics: 'metrics/eval.json' },
      /Input 'metrics': "metrics\/eval.json" not found/,
    ],
    [
      'metrics file not JSON/YAML',
      { metrics: 'broken.json' },
      /Input 'metrics' \(file "broken.json"\) is not valid JSON or YAML/,
    ],
    [
      'metrics text that is not a mapping',
      { metrics: 'notes.txt' },
      /Input 'metrics' \(file "notes.txt"\) must be a JSON or YAML mapping/,
    ],
    [
      'metrics inline text not JSON/YAML',
      { metrics: '{accuracy: [0.9' },
      /Input 'metrics' is not valid JSON or YAML/,
    ],
    [
      'baseline without metrics',
      { 'metrics-baseline': '{"accuracy": 0.9}' },
      /Input 'metrics-baseline' needs 'metrics'/,
    ],
    [
      'body-file missing',
      { 'body-file': 'nope.md' },
      /Input 'body-file': "nope.md" not found/,
    ],
    [
      'endpoint not http(s)',
      { endpoint: 'javascript:alert(1)' },
      /Input 'endpoint' must be an http\(s\) URL/,
    ],
    [
      'digest malformed',
      { digest: 'sha256:abc' },
      /Input 'digest' must be sha256: and 64 hex digits/,
    ],
    ['image malformed', { image: 'Not An Image' }, /Input 'image' must be an image reference/],
    ['key that could break the marker', { key: 'x --> <b>' }, /Input 'key' must be 1-100 letters/],
    ['pr-number not a number', { 'pr-number': '#12' }, /Input 'pr-number' must be a whole number/],
    [
      'hide-previous without recreate',
      { 'hide-previous': 'true' },
      /Input 'hide-previous' applies only to mode 'recreate'/,
    ],
    [
      'hide-previous not a boolean',
      { 'hide-previous': 'yes' },
      /Input 'hide-previous' must be true or false/,
    ],
    ['timeout not a duration', { timeout: 'soon' }, /Input 'timeout' must be a duration/],
  ])('%s', async (_, inputs, message) => {
    const before = fake.apiCalls().length;
    const result = await runComment(fake, { inputs, workspace });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^pr-deploy-comment: /);
    expect(errors[0]!.message).toMatch(message);
    expect(result.log).not.toMatch(/\n\s+at /); // no stack trace
    expect(fake.apiCalls().length).toBe(before);
    expect(result.outputs).toEqual({});
    expect(result.summary).toContain('pr-deploy-comment: failed');
  });
});
