/**
 * The real bundle (dist/pr-deploy-comment) against the fake GitHub API: each mode, the
 * marker lookup across pages, and what the summary and outputs say.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGitHubApi, type GitHubFake } from '../harness/fakes/github-api.ts';
import { expectNoToken, HEAD_SHA, runComment, sticky } from './helpers.ts';

let fake: GitHubFake;
beforeEach(async () => {
  fake = await startGitHubApi();
});
afterEach(async () => {
  await fake.stop();
});

const writes = (f: GitHubFake): string[] =>
  f
    .apiCalls()
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);

describe('pr-deploy-comment modes', () => {
  it('upsert creates the comment, then edits the same one in place', async () => {
    const first = await runComment(fake, {
      inputs: {
        endpoint: 'https://model.example.com',
        image: 'ghcr.io/octo-org/model:v1',
        digest: `sha256:${'a'.repeat(64)}`,
      },
    });
    expect(first.exitCode).toBe(0);
    expectNoToken(first, fake);
    const [created] = sticky(fake, 7);
    expect(created).toBeDefined();
    expect(first.outputs['comment-id']).toBe(String(created!.id));
    expect(first.outputs['comment-url']).toBe(created!.html_url);
    expect(created!.body).toContain('### ✅ Deployed to `staging`');
    expect(created!.body).toContain('<https://model.example.com>');
    expect(created!.body).toContain(`\`sha256:${'a'.repeat(12)}…\``);
    expect(created!.body).toContain(`ghcr.io/octo-org/model:v1@sha256:${'a'.repeat(64)}`);
    // The PR head, not the merge commit GITHUB_SHA.
    expect(created!.body).toContain(
      `[\`${HEAD_SHA.slice(0, 7)}\`](https://github.com/octo-org/model-service/commit/${HEAD_SHA})`,
    );
    expect(created!.body).toContain(
      '[deploy #42](https://github.com/octo-org/model-service/actions/runs/1001)',
    );
    // The same report goes to the job summary, with what changed.
    expect(first.summary).toContain('### ✅ Deployed to `staging`');
    expect(first.summary).toContain(`created comment ${created!.id}`);

    const second = await runComment(fake, { inputs: { status: 'failure' } });
    expect(second.exitCode).toBe(0);
    const after = sticky(fake, 7);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(created!.id);
    expect(after[0]!.body).toContain('### ❌ Deployment to `staging` failed');
    expect(second.outputs['comment-id']).toBe(String(created!.id));
    expect(second.summary).toContain(`updated comment ${created!.id}`);
  });

  it('recreate posts a new comment and deletes the old one', async () => {
    await runComment(fake);
    const [old] = sticky(fake, 7);
    fake.seed(7, 'a reviewer writes something');
    const result = await runComment(fake, { inputs: { mode: 'recreate', status: 'in-progress' } });
    expect(result.exitCode).toBe(0);
    const now = sticky(fake, 7);
    expect(now).toHaveLength(1);
    expect(now[0]!.id).toBeGreaterThan(old!.id);
    expect(now[0]!.body).toContain('⏳ Deploying to `staging`…');
    expect(fake.comments.get(7)!.at(-1)!.id).toBe(now[0]!.id);
    expect(result.summary).toContain(`deleted ${old!.id}`);
  });

  it('recreate with hide-previous minimizes the old comment (GraphQL minimizeComment, OUTDATED)', async () => {
    await runComment(fake);
    const [old] = sticky(fake, 7);
    const result = await runComment(fake, {
      inputs: { mode: 'recreate', 'hide-previous': 'true' },
    });
    expect(result.exitCode).toBe(0);
    expect(old!.minimized).toEqual({ reason: 'outdated' });
    const graphql = fake
      .apiCalls()
      .filter((r) => r.path === '/graphql' && r.body.includes('minimizeComment'));
    expect(graphql).toHaveLength(1);
    expect(JSON.parse(graphql[0]!.body)).toMatchObject({
      variables: { input: { subjectId: old!.node_id, classifier: 'OUTDATED' } },
    });
    const live = sticky(fake, 7).filter((c) => c.minimized === null);
    expect(live).toHaveLength(1);
    expect(result.outputs['comment-id']).toBe(String(live[0]!.id));
    // The hidden one's marker says it is superseded; a later upsert edits the live one.
    expect(
      old!.body.startsWith(
        '<!-- mlops-actions/pr-deploy-comment superseded key="deploy/staging" -->',
      ),
    ).toBe(true);
    await runComment(fake, { inputs: { status: 'rolled-back' } });
    expect(live[0]!.body).toContain('↩️ Deployment to `staging` rolled back');
    expect(old!.body).not.toContain('rolled back');
  });

  it('hide-previous also works where REST comments carry no `minimized` field (older servers)', async () => {
    const older = await startGitHubApi({ restMinimized: false });
    try {
      await runComment(older);
      await runComment(older, { inputs: { mode: 'recreate', 'hide-previous': 'true' } });
      await runComment(older, { inputs: { status: 'failure' } });
      const [hidden, live, ...rest] = older.comments.get(7)!;
      expect(rest).toHaveLength(0);
      expect(hidden!.minimized).toEqual({ reason: 'outdated' });
      expect(hidden!.body).not.toContain('failed');
      expect(live!.body).toContain('❌ Deployment to `staging` failed');
      expect(older.errors).toEqual([]);
    } finally {
      await older.stop();
    }
  });

  it('append adds a section to the one comment', async () => {
    await runComment(fake, { inputs: { mode: 'append', status: 'in-progress' } });
    const result = await runComment(fake, { inputs: { mode: 'append', status: 'success' } });
    expect(result.exitCode).toBe(0);
    const [only, ...rest] = sticky(fake, 7);
    expect(rest).toHaveLength(0);
    const inProgress = only!.body.indexOf('⏳ Deploying');
    const success = only!.body.indexOf('✅ Deployed');
    expect(inProgress).toBeGreaterThan(0);
    expect(success).toBeGreaterThan(inProgress);
    expect(only!.body.match(/<!-- mlops-actions\/pr-deploy-comment section -->/g)).toHaveLength(2);
  });

  it('finds its comment past the first 100 (pagination by Link headers) and edits it with ≤ 5 calls', async () => {
    for (let i = 0; i < 130; i++) fake.seed(7, `comment ${i}`);
    await runComment(fake);
    const [mine] = sticky(fake, 7);
    for (let i = 0; i < 120; i++) fake.seed(7, `later comment ${i}`);
    const before = fake.apiCalls().length;
    const result = await runComment(fake, { inputs: { status: 'failure' } });
    expect(result.exitCode).toBe(0);
    const calls = fake.apiCalls().slice(before);
    expect(
      calls.map(
        (r) =>
          `${r.method} ${r.path.endsWith('/graphql') ? 'viewer' : (r.query.get('page') ?? '')}`,
      ),
    ).toEqual([
      'GET ',
      'GET 2',
      'GET 3',
      // A comment carries the marker: whose is it? (GraphQL viewer, once)
      'POST viewer',
      'PATCH ',
    ]);
    expect(sticky(fake, 7)).toHaveLength(1);
    expect(mine!.body).toContain('failed');
    expect(result.outputs['comment-id']).toBe(String(mine!.id));
  });

  it('keys are separate: another environment gets its own comment', async () => {
    await runComment(fake);
    await runComment(fake, { inputs: { environment: 'production' } });
    expect(sticky(fake, 7)).toHaveLength(1);
    expect(sticky(fake, 7, 'deploy/production')).toHaveLength(1);
    await runComment(fake, { inputs: { key: 'custom key' } });
    expect(sticky(fake, 7, 'custom key')).toHaveLength(1);
    expect(writes(fake).filter((w) => w.startsWith('POST'))).toHaveLength(3);
  });

  it('works against GitHub Enterprise Server paths (/api/v3, GraphQL at /api/graphql)', async () => {
    const ghes = await startGitHubApi({ prefix: '/api/v3' });
    try {
      await runComment(ghes);
      const result = await runComment(ghes, {
        inputs: { mode: 'recreate', 'hide-previous': 'true' },
      });
      expect(result.exitCode).toBe(0);
      expect(ghes.errors).toEqual([]);
      expect(ghes.apiCalls().some((r) => r.path === '/api/graphql')).toBe(true);
      expect(ghes.apiCalls().every((r) => r.path.startsWith('/api/'))).toBe(true);
    } finally {
      await ghes.stop();
    }
  });

  it('metrics from a YAML file, a JSON baseline as text: a table with a delta column', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'pr-comment-ws-'));
    try {
      writeFileSync(path.join(workspace, 'metrics.yaml'), 'accuracy: 0.95\neval:\n  loss: 0.2\n');
      const withBaseline = await runComment(fake, {
        workspace,
        inputs: {
          metrics: 'metrics.yaml',
          'metrics-baseline': '{"accuracy": 0.9, "eval": {"loss": 0.25}}',
        },
      });
      expect(withBaseline.exitCode).toBe(0);
      const body = sticky(fake, 7)[0]!.body;
      expect(body).toContain('| Metric | Value | Baseline | Δ |');
      expect(body).toContain('| `accuracy` | 0.95 | 0.9 | ↑ +0.05 (+5.6%) |');
      expect(body).toContain('| `eval.loss` | 0.2 | 0.25 | ↓ −0.05 (−20%) |');
      expect(withBaseline.summary).toContain('| `accuracy` | 0.95 | 0.9 | ↑ +0.05 (+5.6%) |');

      await runComment(fake, { workspace, inputs: { metrics: 'metrics.yaml' } });
      const plain = sticky(fake, 7)[0]!.body;
      expect(plain).toContain('| Metric | Value |\n| --- | --- |\n| `accuracy` | 0.95 |');
      expect(plain).not.toContain('Baseline');
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('a body past 65,536 characters is cut with a note; the summary keeps it whole', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'pr-comment-ws-'));
    try {
      const huge = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'z'.repeat(60)}`).join('\n');
      writeFileSync(path.join(workspace, 'report.md'), `${huge}\nTHE END`);
      const result = await runComment(fake, { workspace, inputs: { 'body-file': 'report.md' } });
      expect(result.exitCode).toBe(0);
      expect(fake.errors).toEqual([]);
      const body = sticky(fake, 7)[0]!.body;
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body).toContain(
        "Body truncated: the comment would exceed GitHub's 65,536-character limit",
      );
      expect(body).not.toContain('THE END');
      expect(result.summary).toContain('THE END');
      expect(result.summary).toContain("Cut in the comment to fit GitHub's limit: body");
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('a comment deleted between listing and editing is posted afresh', async () => {
    await runComment(fake);
    const [old] = sticky(fake, 7);
    // The PATCH finds it gone (someone deleted it meanwhile): GitHub answers 404.
    fake.faults.push({
      times: 1,
      match: (r) => r.method === 'PATCH',
      response: (f) => {
        f.comments.set(7, []);
        return {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: { message: 'Not Found' },
        };
      },
    });
    const result = await runComment(fake, { inputs: { status: 'failure' } });
    expect(result.exitCode).toBe(0);
    const [fresh, ...rest] = sticky(fake, 7);
    expect(rest).toHaveLength(0);
    expect(fresh!.id).not.toBe(old!.id);
    expect(fresh!.body).toContain('failed');
    expect(result.outputs['comment-id']).toBe(String(fresh!.id));
  });

  it('upsert keeps the oldest and removes newer duplicates; a failure after the edit says what it changed', async () => {
    const marker = '<!-- mlops-actions/pr-deploy-comment key="deploy/staging" -->';
    const first = fake.seed(7, `${marker}\nfirst`, 'github-actions[bot]');
    const duplicate = fake.seed(7, `${marker}\nduplicate`, 'github-actions[bot]');
    fake.faults.push({
      times: 1,
      match: (r) => r.method === 'DELETE',
      response: () => ({
        status: 410,
        headers: { 'content-type': 'application/json' },
        body: { message: 'Gone', documentation_url: 'https://docs.github.com/rest', status: '410' },
      }),
    });
    const failed = await runComment(fake);
    expect(failed.exitCode).toBe(1);
    expect(failed.summary).toContain(`Changed before the failure: updated comment ${first.id}.`);
    const again = await runComment(fake);
    expect(again.exitCode).toBe(0);
    expect(sticky(fake, 7).map((c) => c.id)).toEqual([first.id]);
    expect(again.summary).toContain(`deleted ${duplicate.id}`);
  });
});
