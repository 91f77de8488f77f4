import { describe, expect, it } from '@jest/globals';
import {
  locateOurSources,
  normaliseRepoUrl,
  ourRevisions,
  syncTarget,
} from '../../actions/argocd-bump-image/argo-sources.ts';

describe('normaliseRepoUrl (as Argo CD NormalizeGitURL, scheme and user aside)', () => {
  it.each([
    ['https .git suffix', 'https://github.com/Org/Config.git', 'github.com/org/config'],
    ['host case, trailing slash', 'https://GitHub.com/org/config/', 'github.com/org/config'],
    ['scp-style ssh', 'git@github.com:org/config.git', 'github.com/org/config'],
    ['ssh:// with user', 'ssh://git@github.com/org/config', 'github.com/org/config'],
    ['port kept', 'http://127.0.0.1:8080/org/config.git', '127.0.0.1:8080/org/config'],
  ])('%s', (_name, url, normal) => {
    expect(normaliseRepoUrl(url)).toBe(normal);
  });
});

describe('locateOurSources', () => {
  const repo = 'https://github.com/org/config.git';
  it('finds every position of our repository among spec.sources, 1-based', () => {
    const app = {
      spec: {
        sources: [
          { repoURL: 'https://charts.example.com', chart: 'model' },
          { repoURL: 'git@github.com:Org/config.git', ref: 'values' },
          { repoURL: 'https://github.com/org/config', path: 'overlays/prod' },
        ],
      },
    };
    expect(locateOurSources(app, 'app', repo, 'org/config')).toEqual({ positions: [2, 3] });
  });
  it('a single source elsewhere only warns', () => {
    const app = { spec: { source: { repoURL: 'https://github.com/org/other.git' } } };
    expect(locateOurSources(app, 'app', repo, 'org/config').warning).toContain('org/other');
  });
  it('a multi-source application without our repository is an input error', () => {
    const app = { spec: { sources: [{ repoURL: 'https://charts.example.com', chart: 'm' }] } };
    expect(() => locateOurSources(app, 'app', repo, 'org/config')).toThrow(
      "Input 'application': Argo CD application app has 1 sources",
    );
  });
});

describe('revisions at our sources', () => {
  const sha = 'b'.repeat(40);
  it('sync target: revision for one source, revisions at positions for several', () => {
    expect(syncTarget(sha, {})).toEqual({ revision: sha });
    expect(syncTarget(sha, { positions: [2] })).toEqual({ revisions: [sha], sourcePositions: [2] });
  });
  it('reads our positions only; a chart version elsewhere is not checked', () => {
    expect(ourRevisions({ revisions: ['1.4.0', sha] }, { positions: [2] }, 'status.sync')).toEqual([
      sha,
    ]);
    expect(ourRevisions({ revision: '' }, {}, 'status.sync')).toEqual([undefined]);
  });
  it('refuses a revision that is not a git commit, naming the field', () => {
    expect(() =>
      ourRevisions({ revisions: [sha, '../x\n::error::y'] }, { positions: [2] }, 'status.sync'),
    ).toThrow('Argo CD status.sync.revisions[1] from the server is not a valid value');
  });
});
