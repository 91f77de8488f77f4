/**
 * argocd-bump-image's bundle run as the runner runs it, against real git: bare repositories
 * served by `git http-backend` behind a loopback server with Basic auth, and file://.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  commitTo,
  createBareRepo,
  history,
  readAt,
  startGitServer,
} from '../harness/git-server.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';
import { gitFixture } from './git-fixture.ts';

const TOKEN = 'ghs_pushToken0123456789abcdef';
const READ_ONLY = 'ghs_readOnly0123456789abcdef';
const DEPLOY = `# managed by CI
apiVersion: apps/v1
kind: Deployment
metadata: {name: recommender}
spec:
  template:
    spec:
      containers:
        - name: server
          image: "ghcr.io/octo-org/recommender:v1"   # bumped by CI
        - name: exporter
          image: ghcr.io/octo-org/metrics-exporter:1.0.0
`;

function app(i: number): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: model-${i}
spec:
  predictor:
    containers:
      - name: kserve-container
        image: ghcr.io/octo-org/model-${i}:v1
`;
}

/** The log without the ::add-mask:: commands themselves: what could leak. */
function unmaskedLog(r: ActionRunResult): string {
  return r.log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

const fixture = gitFixture('config', { push: TOKEN, readOnly: [READ_ONLY] });
const { repo, bump } = fixture;
const failure = lastError;

describe('argocd-bump-image: push over HTTPS-style auth', () => {
  it('edits only the image value, commits as the author, pushes; token masked and sent only as a header', async () => {
    const { url, bare } = repo({ 'apps/recommender/deploy.yaml': DEPLOY });
    const before = fixture.server().requests.length;
    const r = await bump({
      repository: url,
      branch: 'main',
      files: 'apps/recommender/deploy.yaml',
      image: 'ghcr.io/octo-org/recommender:v2',
      'author-name': 'Deploy Bot',
      'author-email': 'deploy@example.com',
    });
    expect(failure(r)).toBe('');
    expect(r.exitCode).toBe(0);
    expect(readAt(bare, 'main', 'apps/recommender/deploy.yaml')).toBe(
      DEPLOY.replace('"ghcr.io/octo-org/recommender:v1"', '"ghcr.io/octo-org/recommender:v2"'),
    );
    const log = history(bare);
    expect(log).toHaveLength(2);
    expect(r.outputs).toEqual({
      changed: 'true',
      'commit-sha': log[0]?.sha,
      'pr-url': '',
      'sync-status': '',
      'health-status': '',
    });
    expect(log[0]?.subject).toBe('Bump ghcr.io/octo-org/recommender to v2');
    expect(readAt(bare, 'main', '')).toBeDefined();
    // Summary: the diff of the changed line.
    expect(r.summary).toContain(
      '-          image: "ghcr.io/octo-org/recommender:v1"   # bumped by CI',
    );
    expect(r.summary).toContain(
      '+          image: "ghcr.io/octo-org/recommender:v2"   # bumped by CI',
    );
    // The token: masked, never printed, never in a URL; every request authenticated by header.
    expect(r.masks).toContain(TOKEN);
    expect(unmaskedLog(r)).not.toContain(TOKEN);
    expect(r.summary).not.toContain(TOKEN);
    const mine = fixture.server().requests.slice(before);
    expect(mine.some((q) => q.url.includes('git-receive-pack'))).toBe(true);
    for (const q of mine) {
      expect(q.url).not.toContain(TOKEN);
      expect(q.user).toBe('x-access-token');
      expect(q.authorized).toBe(true);
    }
  });

  it('the author of the commit is the one asked for', async () => {
    const { url, bare } = repo({ 'a.yaml': app(1) });
    const r = await bump({
      repository: url,
      files: 'a.yaml',
      image: 'ghcr.io/octo-org/model-1:v9',
      'author-name': 'Deploy Bot',
      'author-email': 'deploy@example.com',
    });
    expect(r.exitCode).toBe(0);
    const { spawnSync } = await import('node:child_process');
    const who = spawnSync('git', ['log', '-1', '--format=%an <%ae> / %cn <%ce>', 'main'], {
      cwd: bare,
      encoding: 'utf8',
    }).stdout.trim();
    expect(who).toBe('Deploy Bot <deploy@example.com> / Deploy Bot <deploy@example.com>');
  });

  it('bumping to the current image is a no-op: changed false, no commit', async () => {
    const { url, bare } = repo({ 'a.yaml': app(1) });
    const head = history(bare)[0]?.sha;
    const r = await bump({
      repository: url,
      files: 'a.yaml',
      image: 'ghcr.io/octo-org/model-1:v1',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.changed).toBe('false');
    expect(r.outputs['commit-sha']).toBe(head);
    expect(history(bare)).toHaveLength(1);
    expect(r.summary).toContain('is already');
  });

  it('works over file:// without a token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bump-file-'));
    try {
      const bare = path.join(dir, 'config.git');
      createBareRepo(bare, { 'a.yaml': app(3) });
      const r = await runAction('argocd-bump-image', {
        inputs: {
          repository: `file://${bare}`,
          token: '',
          files: '*.yaml',
          image: 'ghcr.io/octo-org/model-3:v2',
        },
      });
      expect(failure(r)).toBe('');
      expect(readAt(bare, 'main', 'a.yaml')).toBe(app(3).replace(':v1', ':v2'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('argocd-bump-image: bad input changes nothing', () => {
  it('an invalid image ref fails before any request to the Git host', async () => {
    const { url, bare } = repo({ 'a.yaml': app(1) });
    const before = fixture.server().requests.length;
    const r = await bump({
      repository: url,
      files: 'a.yaml',
      image: 'ghcr.io/octo-org/Model-1:v2',
    });
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toMatch(/^argocd-bump-image: Input 'image' is not a valid image reference/);
    expect(fixture.server().requests.length).toBe(before);
    expect(history(bare)).toHaveLength(1);
  });

  it.each([
    [
      'a missing file',
      { files: 'apps/nope.yaml' },
      `Input 'files': "apps/nope.yaml" matched no file in the repository.`,
    ],
    [
      'an image no file names (the error lists the images there)',
      { files: 'a.yaml', image: 'ghcr.io/octo-org/other:v2' },
      'The images there: ghcr.io/octo-org/model-1:v1.',
    ],
    [
      'an absent yaml-path',
      { files: 'a.yaml', 'yaml-path': 'image.tag' },
      `Input 'yaml-path': "image.tag" is not in this file`,
    ],
    [
      'a file outside the repository through a symlink',
      { files: 'link.yaml' },
      `Input 'files': "link.yaml" points outside the repository.`,
    ],
  ])('%s', async (_name, inputs, message) => {
    const { spawnSync } = await import('node:child_process');
    const { url, bare } = repo({ 'a.yaml': app(1) });
    if (inputs.files === 'link.yaml') {
      // Add a symlink to a file outside the clone.
      const work = mkdtempSync(path.join(tmpdir(), 'bump-link-'));
      try {
        const g = (...a: string[]) =>
          spawnSync('git', a, {
            cwd: work,
            encoding: 'utf8',
            env: {
              ...process.env,
              GIT_AUTHOR_NAME: 'x',
              GIT_AUTHOR_EMAIL: 'x@x',
              GIT_COMMITTER_NAME: 'x',
              GIT_COMMITTER_EMAIL: 'x@x',
            },
          });
        g('clone', '--quiet', bare, '.');
        g('-c', 'core.symlinks=true', 'checkout', '--quiet', 'main');
        const { symlinkSync } = await import('node:fs');
        symlinkSync('/etc/hostname', path.join(work, 'link.yaml'));
        g('add', 'link.yaml');
        g('commit', '--quiet', '-m', 'link');
        g('push', '--quiet', 'origin', 'main');
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    const head = history(bare)[0]?.sha;
    const r = await bump({ repository: url, image: 'ghcr.io/octo-org/model-1:v2', ...inputs });
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toContain(message);
    expect(history(bare)[0]?.sha).toBe(head);
    expect(r.summary).toContain('unchanged: nothing was pushed');
  });

  it('a push the host denies (403) fails at once, names the token, leaves the remote unchanged', async () => {
    const { url, bare } = repo({ 'a.yaml': app(1) });
    const r = await runAction('argocd-bump-image', {
      inputs: {
        repository: url,
        token: READ_ONLY,
        files: 'a.yaml',
        image: 'ghcr.io/octo-org/model-1:v2',
      },
    });
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toContain('was refused (nothing was pushed)');
    expect(failure(r)).toContain(
      `Input 'token': the git server ${new URL(fixture.server().url).host} refused the token (HTTP 403)`,
    );
    expect(failure(r)).toContain('pushing needs contents: write');
    expect(history(bare)).toHaveLength(1);
    expect(unmaskedLog(r)).not.toContain(READ_ONLY);
    expect(r.outputs.changed).toBe('false');
  });
});

describe('argocd-bump-image: a token the git server rejects', () => {
  it('names the input and the host with HTTP 401, never the token, and changes nothing', async () => {
    const wrong = 'ghs_wrongToken0123456789abcdef';
    const { url, bare } = repo({ 'a.yaml': app(1) });
    const r = await bump({
      repository: url,
      token: wrong,
      files: 'a.yaml',
      image: 'ghcr.io/octo-org/model-1:v2',
    });
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toBe(
      `argocd-bump-image: Input 'token': the git server ${new URL(fixture.server().url).host} rejected the token (HTTP 401): it is not valid there (wrong, expired or revoked).`,
    );
    expect(r.log).not.toContain('could not read Username');
    expect(unmaskedLog(r)).not.toContain(wrong);
    expect(r.summary).not.toContain(wrong);
    expect(r.summary).toContain('unchanged: nothing was pushed');
    expect(history(bare)).toHaveLength(1);
  });
});

describe('argocd-bump-image: a push that loses the race is fetched, re-applied and retried', () => {
  /** A host where another writer pushes right before each of our pushes arrives, `times` times. */
  async function racingHost(times: number) {
    let raced = 0;
    const host = await startGitServer({
      tokens: [TOKEN],
      beforeReceivePack: (bare) => {
        if (raced >= times) return;
        raced++;
        commitTo(bare, { 'other.yaml': `writer: ${raced}\n` }, `other writer ${raced}`);
      },
    });
    const url = host.createRepo('org/raced', { 'a.yaml': app(1), 'other.yaml': 'writer: 0\n' });
    return { host, url, bare: host.repoPath('org/raced') };
  }

  it("lands on top of the other writer's commits, keeping them", async () => {
    const { host, url, bare } = await racingHost(2);
    try {
      const r = await bump({
        repository: url,
        files: 'a.yaml',
        image: 'ghcr.io/octo-org/model-1:v2',
        'max-retries': '3',
      });
      expect(failure(r)).toBe('');
      expect(history(bare).map((c) => [c.subject, c.parents])).toEqual([
        ['Bump ghcr.io/octo-org/model-1 to v2', 1],
        ['other writer 2', 1],
        ['other writer 1', 1],
        ['initial config', 0],
      ]);
      expect(readAt(bare, 'main', 'other.yaml')).toBe('writer: 2\n');
      expect(readAt(bare, 'main', 'a.yaml')).toBe(app(1).replace(':v1', ':v2'));
      expect(r.log.match(/Push rejected/g)).toHaveLength(2);
      expect(r.summary).toContain('| Push attempts | 3');
    } finally {
      await host.stop();
    }
  });

  it('gives up after max-retries with nothing of ours pushed, and never forces', async () => {
    const { host, url, bare } = await racingHost(100);
    try {
      const r = await bump({
        repository: url,
        files: 'a.yaml',
        image: 'ghcr.io/octo-org/model-1:v2',
        'max-retries': '2',
      });
      expect(r.exitCode).toBe(1);
      expect(failure(r)).toContain('lost the race 3 times');
      expect(failure(r)).toContain("Nothing was pushed; raise 'max-retries'");
      // The other writer's three commits are all there; ours is not.
      expect(history(bare).map((c) => c.subject)).toEqual([
        'other writer 3',
        'other writer 2',
        'other writer 1',
        'initial config',
      ]);
      expect(readAt(bare, 'main', 'a.yaml')).toBe(app(1));
    } finally {
      await host.stop();
    }
  });
});

describe('argocd-bump-image: concurrent bumps never lose an update', () => {
  it('20 bumps of different apps at once: all 20 land, history linear', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`apps/model-${i}/isvc.yaml`] = app(i);
    const { url, bare } = repo(files);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bump({
          repository: url,
          files: `apps/model-${i}/isvc.yaml`,
          image: `ghcr.io/octo-org/model-${i}:v2`,
        }),
      ),
    );
    expect(results.map((r) => failure(r))).toEqual(Array(20).fill(''));
    const log = history(bare);
    expect(log).toHaveLength(21);
    expect(log.every((c) => c.parents <= 1)).toBe(true);
    for (let i = 0; i < 20; i++) {
      expect(readAt(bare, 'main', `apps/model-${i}/isvc.yaml`)).toBe(app(i).replace(':v1', ':v2'));
      expect(log.map((c) => c.sha)).toContain(results[i]?.outputs['commit-sha']);
    }
    // The races happened and were retried (not serialised by luck).
    expect(results.some((r) => r.log.includes('Push rejected'))).toBe(true);
  }, 300_000);

  it('5 bumps of the same app: the file ends at one requested image, never corrupted', async () => {
    const { url, bare } = repo({ 'isvc.yaml': app(7) });
    const images = [2, 3, 4, 5, 6].map((v) => `ghcr.io/octo-org/model-7:v${v}`);
    const results = await Promise.all(
      images.map((image) => bump({ repository: url, files: 'isvc.yaml', image })),
    );
    expect(results.map((r) => r.exitCode)).toEqual([0, 0, 0, 0, 0]);
    const text = readAt(bare, 'main', 'isvc.yaml');
    const final = (parse(text) as { spec: { predictor: { containers: { image: string }[] } } }).spec
      .predictor.containers[0]?.image;
    expect(images).toContain(final);
    expect(text).toBe(app(7).replace('ghcr.io/octo-org/model-7:v1', final ?? ''));
    expect(history(bare).every((c) => c.parents <= 1)).toBe(true);
  }, 120_000);
});
