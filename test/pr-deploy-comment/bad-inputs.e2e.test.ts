/**
 * Bad input fails the bundle before any request, with one line naming the input, and posts
 * nothing (the fake records every request).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGitHubApi, type GitHubFake } from '../harness/fakes/github-api.ts';
import { expectNoToken, runComment, sticky } from './helpers.ts';

let fake: GitHubFake;
let workspace: string;
/** A directory beside the workspace (not in it, not RUNNER_TEMP): a path input must not reach it. */
let outside: string;
/** What the outside files hold: it must not reach GitHub, the log or the summary. */
const OUTSIDE_TEXT = 'OUTSIDE-FILE-CONTENT-7f3a';
beforeAll(async () => {
  fake = await startGitHubApi();
  workspace = mkdtempSync(path.join(tmpdir(), 'pr-comment-ws-'));
  outside = mkdtempSync(path.join(tmpdir(), 'pr-comment-outside-'));
  writeFileSync(path.join(workspace, 'notes.txt'), 'just some words, not a mapping');
  writeFileSync(path.join(workspace, 'broken.json'), '{"accuracy": 0.9,');
  writeFileSync(path.join(outside, 'notes.md'), `notes: ${OUTSIDE_TEXT}`);
  writeFileSync(path.join(outside, 'metrics.json'), JSON.stringify({ leak: OUTSIDE_TEXT }));
  // What a pull request can carry: symlinks to the job's environment and to files elsewhere.
  symlinkSync('/proc/self/environ', path.join(workspace, 'environ.md'));
  symlinkSync('/proc/self/environ', path.join(workspace, 'environ.json'));
  symlinkSync(path.join(outside, 'notes.md'), path.join(workspace, 'outside-link.md'));
  symlinkSync(path.join(outside, 'metrics.json'), path.join(workspace, 'outside-link.json'));
});
afterAll(async () => {
  await fake.stop();
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
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
    ['body-file missing', { 'body-file': 'nope.md' }, /Input 'body-file': "nope.md" not found/],
    [
      'allow-outside-workspace not a boolean',
      { 'allow-outside-workspace': 'yes' },
      /Input 'allow-outside-workspace' must be true or false/,
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

/** Path inputs read only the workspace (and RUNNER_TEMP), after resolving symlinks. */
describe('pr-deploy-comment: path inputs stay in the workspace', () => {
  const pseudo = (input: string): RegExp =>
    new RegExp(`Input '${input}': "[^"]+" resolves to /proc/\\d+/environ, a kernel pseudo-file`);
  const lift = /\(set 'allow-outside-workspace: true' to lift this\)/;
  const rel = (file: string): string => `../${path.basename(outside)}/${file}`;
  it.each([
    ['body-file -> /proc/self/environ', () => ({ 'body-file': 'environ.md' }), pseudo('body-file')],
    [
      'body-file -> /proc/self/environ, also with allow-outside-workspace',
      () => ({ 'body-file': 'environ.md', 'allow-outside-workspace': 'true' }),
      pseudo('body-file'),
    ],
    ['metrics -> /proc/self/environ', () => ({ metrics: 'environ.json' }), pseudo('metrics')],
    [
      'metrics-baseline -> /proc/self/environ, also with allow-outside-workspace',
      () => ({
        metrics: '{"accuracy": 0.9}',
        'metrics-baseline': 'environ.json',
        'allow-outside-workspace': 'true',
      }),
      pseudo('metrics-baseline'),
    ],
    [
      'body-file ../ out of the workspace',
      () => ({ 'body-file': rel('notes.md') }),
      /Input 'body-file': "\.\.\/pr-comment-outside-[^"]+\/notes\.md" is outside the workspace/,
    ],
    [
      'metrics as an absolute path elsewhere',
      () => ({ metrics: path.join(outside, 'metrics.json') }),
      /Input 'metrics': "\/[^"]+\/metrics\.json" is outside the workspace/,
    ],
    [
      'metrics-baseline ../ out of the workspace',
      () => ({ metrics: '{"accuracy": 0.9}', 'metrics-baseline': rel('metrics.json') }),
      /Input 'metrics-baseline': "[^"]+" is outside the workspace/,
    ],
    [
      'body-file symlink to a file outside',
      () => ({ 'body-file': 'outside-link.md' }),
      /Input 'body-file': "outside-link\.md" resolves to \/[^ ]+\/notes\.md, outside the workspace/,
    ],
    [
      'metrics symlink to a file outside',
      () => ({ metrics: 'outside-link.json' }),
      /Input 'metrics': "outside-link\.json" resolves to [^ ]+, outside the workspace/,
    ],
  ])('%s: one error naming the input, nothing sent', async (name, inputs, message) => {
    const before = fake.apiCalls().length;
    const result = await runComment(fake, { inputs: inputs(), workspace });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(message);
    if (!name.includes('environ')) expect(errors[0]!.message).toMatch(lift);
    // Nothing reached GitHub: no comment written, no byte of the file or the environment.
    const sent = fake.apiCalls().slice(before);
    expect(sent).toEqual([]);
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
    for (const text of [result.log, result.summary, ...sent.map((r) => r.body)]) {
      expect(text).not.toContain(OUTSIDE_TEXT);
      expect(text).not.toContain('INPUT_TOKEN=');
      expect(text).not.toContain(`=${fake.token}`);
    }
    expectNoToken(result, fake);
    expect(result.outputs).toEqual({});
  });

  it('allow-outside-workspace: true reads a file outside (absolute, ../ or a symlink)', async () => {
    const result = await runComment(fake, {
      inputs: {
        'allow-outside-workspace': 'true',
        'body-file': 'outside-link.md',
        metrics: path.join(outside, 'metrics.json'),
        'metrics-baseline': rel('metrics.json'),
        'pr-number': '31',
      },
      workspace,
    });
    expect(result.exitCode).toBe(0);
    const [comment] = sticky(fake, 31);
    expect(comment!.body).toContain(`notes: ${OUTSIDE_TEXT}`);
    expect(comment!.body).toContain(`| \`leak\` | \`${OUTSIDE_TEXT}\` | \`${OUTSIDE_TEXT}\` | = |`);
    expectNoToken(result, fake);
  });
});
