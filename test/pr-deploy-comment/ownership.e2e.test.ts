/**
 * Whose comment is the sticky one: only the token's own (GraphQL `viewer`), for each kind of
 * token (test/contracts/github/identity.md) — the real bundle against the fake GitHub API.
 * Anyone can type the marker into a comment; such a comment is never edited or deleted.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  startGitHubApi,
  type FakeComment,
  type GitHubFake,
  type TokenKind,
} from '../harness/fakes/github-api.ts';
import { expectNoToken, runComment, sticky } from './helpers.ts';

const MARKER = '<!-- mlops-actions/pr-deploy-comment key="deploy/staging" -->';

let fake: GitHubFake | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

/** Requests that change something, as `METHOD path`. */
function writes(f: GitHubFake): string[] {
  return f
    .apiCalls()
    .filter((r) => r.method !== 'GET' && !r.body.includes('viewer'))
    .map((r) => `${r.method} ${r.path}`);
}

function snapshot(c: FakeComment): string {
  return JSON.stringify(c);
}

describe.each<[TokenKind, boolean]>([
  ['github-token', false],
  ['github-token', true],
  ['app', false],
  ['pat', false],
])('token kind %s (others’ comments writable: %s)', (kind, othersCommentsWritable) => {
  it('a foreign comment carrying the marker is left untouched; ours is created, updated, recreated', async () => {
    const f = (fake = await startGitHubApi({ tokenKind: kind, othersCommentsWritable }));
    // Someone else's comments that start with our marker: a person, and a bot that is not us.
    const foreignAuthors = [
      'mallory',
      kind === 'github-token' ? 'other-app[bot]' : 'github-actions[bot]',
    ];
    const foreign = foreignAuthors.map((login) =>
      f.seed(7, `${MARKER}\n### ✅ Deployed (forged by ${login})`, login),
    );
    const before = foreign.map(snapshot);

    const first = await runComment(f);
    expect(first.exitCode).toBe(0);
    const ours = sticky(f, 7).filter((c) => (c.user as { login: string }).login === f.login);
    expect(ours).toHaveLength(1);
    expect(first.outputs['comment-id']).toBe(String(ours[0]!.id));
    expect(first.outputs['comment-url']).toBe(ours[0]!.html_url);

    const second = await runComment(f, { inputs: { status: 'failure' } });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['comment-id']).toBe(String(ours[0]!.id));
    expect(ours[0]!.body).toContain('failed');

    const third = await runComment(f, { inputs: { mode: 'recreate', status: 'rolled-back' } });
    expect(third.exitCode).toBe(0);
    const now = sticky(f, 7).filter((c) => (c.user as { login: string }).login === f.login);
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(ours[0]!.id);
    expect(third.outputs['comment-id']).toBe(String(now[0]!.id));

    // The foreign comments: still there, byte for byte; no write ever named them.
    expect(foreign.map(snapshot)).toEqual(before);
    expect(f.comments.get(7)!.filter((c) => foreign.includes(c))).toHaveLength(2);
    for (const c of foreign) {
      expect(writes(f).filter((w) => w.endsWith(`/comments/${c.id}`))).toEqual([]);
    }
    // The identity came from GraphQL viewer: GET /user is refused to installation tokens.
    expect(f.apiCalls().filter((r) => r.path === '/user')).toEqual([]);
    for (const r of [first, second, third]) expectNoToken(r, f);
    expect(third.log).toContain('by others carry the marker and are left alone');
  });
});

describe('refused or missing comments never end green without a comment', () => {
  it('upsert: GitHub refuses the edit (403) → a fresh comment is posted, with a warning', async () => {
    const f = (fake = await startGitHubApi());
    await runComment(f);
    const [old] = sticky(f, 7);
    f.faults.push({
      times: 1,
      match: (r) => r.method === 'PATCH',
      response: () => ({
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/comments#update-an-issue-comment',
          status: '403',
        },
      }),
    });
    const result = await runComment(f, { inputs: { status: 'failure' } });
    expect(result.exitCode).toBe(0);
    const fresh = sticky(f, 7).find((c) => c.id !== old!.id);
    expect(fresh?.body).toContain('failed');
    expect(result.outputs['comment-id']).toBe(String(fresh!.id));
    const warnings = result.annotations.filter((a) => a.level === 'warning');
    expect(warnings.map((w) => w.message).join('\n')).toMatch(
      new RegExp(`refused to edit comment ${old!.id}.*posting a fresh comment`),
    );
  });

  it('recreate: GitHub refuses to delete the old comment (403) → ours is taken back and the step fails', async () => {
    const f = (fake = await startGitHubApi());
    await runComment(f);
    const [old] = sticky(f, 7);
    f.faults.push({
      times: 1,
      match: (r) => r.method === 'DELETE' && r.path.endsWith(`/comments/${old!.id}`),
      response: () => ({
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
          status: '403',
        },
      }),
    });
    const result = await runComment(f, { inputs: { mode: 'recreate' } });
    expect(result.exitCode).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(
      /replacing the previous comment failed, so comment \d+ was taken back: DELETE .* HTTP 403/,
    );
    expect(sticky(f, 7).map((c) => c.id)).toEqual([old!.id]);
    expect(result.outputs['comment-id'] ?? '').toBe('');
  });

  it('a token that may not write at all is still the read-only warning, naming no comment', async () => {
    const f = (fake = await startGitHubApi());
    await runComment(f);
    f.readOnly = true;
    const result = await runComment(f, { inputs: { status: 'failure' } });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['comment-id']).toBe('');
    expect(result.annotations.map((a) => a.message).join('\n')).toMatch(/may not write/);
  });
});

describe('values GitHub returns are checked before use', () => {
  const created = (patch: object) => (f: GitHubFake) => {
    const body = {
      ...f.seed(9, `${MARKER}\nplaceholder`, f.login),
      ...patch,
    };
    f.comments.set(9, []);
    return { status: 201, headers: { 'content-type': 'application/json' }, body };
  };
  it.each([
    [
      'an html_url on another host',
      { html_url: 'https://evil.example/octo-org/model-service/pull/9' },
      /GitHub comment html_url from the server is not an https URL/,
    ],
    [
      'a javascript: html_url',
      { html_url: 'javascript:alert(1)' },
      /GitHub comment html_url from the server is not a valid value/,
    ],
    [
      'an id that is not an integer',
      { id: '../../x' },
      /GitHub comment id from the server is not a positive integer/,
    ],
  ])('%s: the step fails naming it, no output carries it', async (_, patch, message) => {
    const f = (fake = await startGitHubApi());
    f.faults.push({
      times: 1,
      match: (r) => r.method === 'POST' && r.path.endsWith('/9/comments'),
      response: created(patch),
    });
    const result = await runComment(f, { inputs: { 'pr-number': '9' } });
    expect(result.exitCode).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(message);
    expect(result.outputs['comment-url'] ?? '').toBe('');
    // Refused with the value quoted in the error, never logged or output as a link.
    expect(result.log).not.toMatch(/Comment \d+ \w+: /);
  });
});

describe('metric values from a file are literal text in the comment', () => {
  it('a mention, a tracking image, HTML and a marker-like comment render as code, not live', async () => {
    const f = (fake = await startGitHubApi());
    const hostile = {
      reviewers: '@octo-org/admins approve please',
      pixel: '![](https://tracker.example/p.gif)',
      html: '<details open><summary>x</summary></details>',
      marker: '<!-- mlops-actions/pr-deploy-comment key="deploy/staging" -->',
    };
    const result = await runComment(f, { inputs: { metrics: JSON.stringify(hostile) } });
    expect(result.exitCode).toBe(0);
    const [comment] = sticky(f, 7);
    for (const [name, value] of Object.entries(hostile)) {
      expect(comment!.body).toContain(`| \`${name}\` | \`${value}\` |`);
    }
    // Outside code spans, none of it appears.
    const outsideCode = comment!.body.replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toMatch(/@octo-org|tracker\.example|<details open>/);
    expect(outsideCode.split(MARKER)).toHaveLength(2); // only our own marker, at the top
  });
});
