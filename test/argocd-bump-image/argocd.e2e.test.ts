/**
 * argocd-bump-image's bundle with its HTTP peers: a local Argo CD API (sync, get, states moving
 * OutOfSync → Syncing → Synced/Healthy, Degraded, a failed sync, 401, unknown app, busy) and a
 * local GitHub REST for pull requests; git is real (http-backend behind Basic auth).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFakeArgo, type FakeArgo } from '../harness/fakes/argocd-api.ts';
import { bearer, json, startFake, type FakeServer } from '../harness/fakes/http-fake.ts';
import { history, readAt, startGitServer, type GitServer } from '../harness/git-server.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';

const TOKEN = 'ghs_prToken0123456789abcdef';
const ARGO_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.argo-project-token.c2lnbmF0dXJl';
/** The commit Argo CD last synced the applications to (not in the config repositories). */
const OLD = 'a'.repeat(40);
const PLATFORM = 'c'.repeat(40);
const ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: recommender}
spec:
  predictor:
    model:
      storageUri: gs://models/recommender/v1
    containers:
      - name: kserve-container
        image: ghcr.io/octo-org/recommender:v1
`;

function unmaskedLog(r: ActionRunResult): string {
  return r.log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}

let git: GitServer;
let argo: FakeArgo;
let github: FakeServer;
const pulls: { number: number; head: string; base: string; title: string; html_url: string }[] = [];
let seq = 0;
const created = new Map<string, number>();

beforeAll(async () => {
  git = await startGitServer({ tokens: [TOKEN] });
  const head = (name: string) => () => history(git.repoPath(name))[0]?.sha ?? '';
  argo = await startFakeArgo(ARGO_TOKEN, [
    { name: 'healthy', revision: OLD, outcome: 'healthy' },
    { name: 'degraded', revision: OLD, outcome: 'degraded' },
    { name: 'failed', revision: OLD, outcome: 'sync-failed' },
    { name: 'busy', revision: OLD, outcome: 'healthy', busySyncs: 2 },
    { name: 'auto', revision: OLD, outcome: 'healthy', autoSync: true, head: head('org/auto') },
    {
      name: 'multi',
      revision: '',
      outcome: 'healthy',
      sources: [
        {
          repoURL: 'https://charts.example.com/kserve',
          chart: 'model-server',
          targetRevision: '1.4.0',
          revision: '1.4.0',
        },
        // The config repository as Argo CD may spell it: other case, no .git suffix.
        {
          repoURL: `${git.url.replace('http://', 'HTTP://')}/Org/Multi`,
          ref: 'values',
          targetRevision: 'main',
          revision: OLD,
        },
        {
          repoURL: 'https://github.com/octo-org/platform.git',
          path: 'base',
          targetRevision: 'main',
          revision: PLATFORM,
        },
      ],
    },
    {
      name: 'elsewhere',
      revision: '',
      outcome: 'healthy',
      sources: [
        {
          repoURL: 'https://charts.example.com/kserve',
          chart: 'model-server',
          targetRevision: '1.4.0',
          revision: '1.4.0',
        },
        {
          repoURL: 'https://github.com/octo-org/platform.git',
          path: 'base',
          targetRevision: 'main',
          revision: PLATFORM,
        },
      ],
    },
    {
      name: 'hostile',
      revision: OLD,
      outcome: 'degraded',
      busySyncs: 1,
      busyMessage: `another operation is already in progress\n::error title=forged::from the busy message\n::add-mask::Healthy`,
      healthMessage: `crash\n::error title=forged::from the health message\n##[error]v1 command`,
    },
    {
      name: 'badrev',
      revision: 'main\n::warning title=forged::from a revision',
      outcome: 'healthy',
    },
  ]);
  github = await startFake('github', (req) => {
    if (bearer(req) !== TOKEN) return json(401, { message: 'Bad credentials' });
    if (req.path === '/repos/org/prs/pulls' && req.method === 'GET') {
      const head = req.query.get('head')?.replace(/^org:/, '');
      return json(
        200,
        pulls.filter((p) => p.head === head && p.base === req.query.get('base')),
      );
    }
    if (req.path === '/repos/org/prs/pulls' && req.method === 'POST') {
      const body = JSON.parse(req.body) as { head: string; base: string; title: string };
      const number = pulls.length + 1;
      const pr = { ...body, number, html_url: `${git.url}/org/prs/pull/${number}` };
      pulls.push(pr);
      return json(201, pr);
    }
    throw new Error(`unexpected ${req.method} ${req.url}`);
  });
});
afterAll(async () => {
  await Promise.all([git.stop(), argo.stop(), github.stop()]);
});

async function bumpWithArgo(
  app: string,
  inputs: Record<string, string> = {},
): Promise<{ r: ActionRunResult; bare: string }> {
  const n = (created.get(app) ?? 0) + 1;
  created.set(app, n);
  const name = n === 1 ? `org/${app}` : `org/${app}-${n}`;
  const url = git.createRepo(name, { 'isvc.yaml': ISVC });
  const r = await runAction('argocd-bump-image', {
    inputs: {
      repository: url,
      token: TOKEN,
      files: 'isvc.yaml',
      image: `ghcr.io/octo-org/recommender:v${++seq + 1}`,
      'argocd-server': argo.url,
      'argocd-token': ARGO_TOKEN,
      application: app,
      sync: 'true',
      wait: 'true',
      timeout: '30s',
      ...inputs,
    },
  });
  return { r, bare: git.repoPath(name) };
}

describe('argocd-bump-image: Argo CD sync and wait', () => {
  it('syncs the pushed commit and waits for Synced at it and Healthy', async () => {
    const { r, bare } = await bumpWithArgo('healthy');
    expect(lastError(r)).toBe('');
    const sha = history(bare)[0]?.sha;
    expect(r.outputs).toMatchObject({
      changed: 'true',
      'commit-sha': sha,
      'sync-status': 'Synced',
      'health-status': 'Healthy',
    });
    expect(argo.syncRequests.filter((s) => s.app === 'healthy').map((s) => s.body)).toEqual([
      { name: 'healthy', revision: sha },
    ]);
    expect(argo.apps.get('healthy')?.revision).toBe(sha);
    expect(unmaskedLog(r)).not.toContain(ARGO_TOKEN);
    expect(r.masks).toContain(ARGO_TOKEN);
    expect(r.summary).toContain('Synced / Healthy');
  });

  it('Degraded fails with the unhealthy resources and their messages; the pushed commit is reported', async () => {
    const { r, bare } = await bumpWithArgo('degraded');
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('Argo CD: degraded health Degraded');
    expect(lastError(r)).toContain(
      'InferenceService models/degraded: Degraded: Predictor: RevisionMissing',
    );
    expect(r.outputs['commit-sha']).toBe(history(bare)[0]?.sha);
    expect(r.outputs['health-status']).toBe('Degraded');
  });

  it('a failed sync operation fails with the resources that failed to sync', async () => {
    const { r } = await bumpWithArgo('failed');
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('sync operation Failed: one or more objects failed to apply');
    expect(lastError(r)).toContain(
      'InferenceService models/failed: sync failed: admission webhook',
    );
  });

  it('"another operation is already in progress" is retried within timeout', async () => {
    const { r } = await bumpWithArgo('busy');
    expect(lastError(r)).toBe('');
    expect(argo.syncRequests.filter((s) => s.app === 'busy')).toHaveLength(3);
    expect(r.log).toContain('another operation is already in progress; retrying the sync');
  });

  it('wait without sync: automated sync deploys the branch head; success needs the pushed commit in it', async () => {
    const { r, bare } = await bumpWithArgo('auto', { sync: 'false' });
    expect(lastError(r)).toBe('');
    expect(argo.apps.get('auto')?.revision).toBe(history(bare)[0]?.sha);
    expect(argo.syncRequests.filter((s) => s.app === 'auto')).toEqual([]);
  });

  it('a rejected argocd-token (401) names the input, stays masked, and nothing is pushed', async () => {
    const { r, bare } = await bumpWithArgo('healthy', { 'argocd-token': 'eyJ.wrong-token.sig' });
    expect(r.exitCode).toBe(1);
    expect(history(bare)).toHaveLength(1);
    expect(lastError(r)).toContain("rejected 'argocd-token' (401: invalid session");
    expect(unmaskedLog(r)).not.toContain('eyJ.wrong-token.sig');
  });

  it('an unknown application names the input; nothing is pushed', async () => {
    const { r, bare } = await bumpWithArgo('healthy', { application: 'no-such-app' });
    expect(r.exitCode).toBe(1);
    expect(history(bare)).toHaveLength(1);
    expect(lastError(r)).toContain(
      `Input 'application': Argo CD application "no-such-app" was not found, or 'argocd-token' may not get it (403: permission denied)`,
    );
  });
});

describe('argocd-bump-image: multi-source applications', () => {
  it('syncs our repository at source position 2 to the commit and waits for it there', async () => {
    const { r, bare } = await bumpWithArgo('multi');
    expect(lastError(r)).toBe('');
    const sha = history(bare)[0]?.sha ?? '';
    expect(r.outputs).toMatchObject({
      changed: 'true',
      'commit-sha': sha,
      'sync-status': 'Synced',
      'health-status': 'Healthy',
    });
    expect(argo.syncRequests.filter((s) => s.app === 'multi').map((s) => s.body)).toEqual([
      { name: 'multi', revisions: [sha], sourcePositions: ['2'] },
    ]);
    // Our source is at the commit; the chart and the other repository are where they were.
    expect(argo.apps.get('multi')?.sources?.map((s) => s.revision)).toEqual([
      '1.4.0',
      sha,
      PLATFORM,
    ]);
    expect(r.log).toContain(`sync of multi to ${sha.slice(0, 12)} (source 2) started`);
    expect(r.log).toContain(`Argo CD: sync Synced at ${sha.slice(0, 12)}, health Healthy`);
  });

  it('a multi-source application none of whose sources is the repository fails before the push', async () => {
    const { r, bare } = await bumpWithArgo('elsewhere');
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(
      `Input 'application': Argo CD application elsewhere has 2 sources ("https://charts.example.com/kserve", "https://github.com/octo-org/platform.git") and none is`,
    );
    expect(history(bare)).toHaveLength(1);
    expect(argo.syncRequests.filter((s) => s.app === 'elsewhere')).toEqual([]);
  });
});

describe('argocd-bump-image: what Argo CD says cannot act as a workflow command', () => {
  const forged = (r: ActionRunResult) =>
    r.annotations.filter(
      (a) => a.properties.title === 'forged' || /^(from |v1 command)/.test(a.message),
    );

  it('messages holding ::error / ::add-mask:: / ##[ lines are logged as text', async () => {
    const { r, bare } = await bumpWithArgo('hostile');
    expect(r.exitCode).toBe(1);
    expect(forged(r)).toEqual([]);
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
    expect(r.masks).not.toContain('Healthy');
    expect(r.log).not.toMatch(/^\s*##\[error\]/m);
    // Still said, as data: the busy message and the health message.
    expect(r.log).toContain('from the busy message');
    expect(lastError(r)).toContain(
      'health Degraded: crash\n::error title=forged::from the health message',
    );
    expect(r.outputs['commit-sha']).toBe(history(bare)[0]?.sha);
  });

  it('a revision that is not a git commit is refused, named, and never printed as a command', async () => {
    const { r, bare } = await bumpWithArgo('badrev', { timeout: '10s' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain(
      'Argo CD status.sync.revision from the server is not a valid value (got "main\\n::warning title=forged::from a revision")',
    );
    expect(forged(r)).toEqual([]);
    expect(r.outputs['commit-sha']).toBe(history(bare)[0]?.sha);
  });
});

describe('argocd-bump-image: mode pull-request', () => {
  it('pushes a branch and opens one PR; the next bump updates the same PR; the base branch is untouched', async () => {
    const url = git.createRepo('org/prs', { 'isvc.yaml': ISVC });
    const bare = git.repoPath('org/prs');
    const base = history(bare)[0]?.sha;
    const env = { GITHUB_SERVER_URL: git.url, GITHUB_API_URL: github.url };
    const run = (image: string) =>
      runAction('argocd-bump-image', {
        inputs: {
          repository: 'org/prs',
          token: TOKEN,
          files: 'isvc.yaml',
          image,
          mode: 'pull-request',
        },
        env,
      });
    const first = await run('ghcr.io/octo-org/recommender:v2');
    expect(lastError(first)).toBe('');
    expect(first.outputs['pr-url']).toBe(`${git.url}/org/prs/pull/1`);
    const branch = 'mlops-actions/bump/main/ghcr.io-octo-org-recommender';
    expect(readAt(bare, branch, 'isvc.yaml')).toContain('image: ghcr.io/octo-org/recommender:v2');
    expect(url).toBe(`${git.url}/org/prs.git`);
    const second = await run('ghcr.io/octo-org/recommender:v3');
    expect(lastError(second)).toBe('');
    expect(second.outputs['pr-url']).toBe(first.outputs['pr-url']);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({
      head: branch,
      base: 'main',
      title: 'Bump ghcr.io/octo-org/recommender to v2',
    });
    // The PR branch moved forward (no force-push): v3 on top of v2.
    const prHistory = history(bare, branch);
    expect(prHistory.map((c) => c.subject)).toEqual([
      'Bump ghcr.io/octo-org/recommender to v3',
      'Bump ghcr.io/octo-org/recommender to v2',
      'initial config',
    ]);
    expect(history(bare)[0]?.sha).toBe(base);
    expect(github.errors).toEqual([]);
  });
});
