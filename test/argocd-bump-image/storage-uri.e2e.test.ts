/**
 * argocd-bump-image's `storage-uri` through the real bundle, against real git (bare
 * repositories behind `git http-backend` with Basic auth): the image and the predictor's
 * storageUri in one commit, the no-op, the race path re-applying both, bad input.
 */
import { describe, expect, it } from '@jest/globals';
import { commitTo, history, readAt, startGitServer } from '../harness/git-server.ts';
import { lastError } from '../harness/runner.ts';
import { gitFixture } from './git-fixture.ts';

const TOKEN = 'ghs_storageToken0123456789abcdef';
const OLD_URI = 'gs://models/iris/1';
const NEW_URI = 's3://mlflow/1/0123abcd/artifacts/model';

const ISVC = `# the iris service: Argo CD syncs this
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: "${OLD_URI}"   # set by continuous-training
    containers:
      - name: kserve-container
        image: ghcr.io/octo-org/iris:v1
`;

const fixture = gitFixture('models', { push: TOKEN });
const { repo, bump } = fixture;
const failure = lastError;

/** The bundle bumping `files` of `url` to `image` and NEW_URI; `more` adds or overrides inputs. */
const bumpIris = (url: string, files: string, image: string, more: Record<string, string> = {}) =>
  bump({ repository: url, files, image, 'storage-uri': NEW_URI, ...more });

describe('argocd-bump-image storage-uri', () => {
  it('sets the image and the storageUri in one commit that names both; nothing else changes', async () => {
    const { url, bare } = repo({ 'apps/iris.yaml': ISVC });
    const r = await bumpIris(url, 'apps/iris.yaml', 'ghcr.io/octo-org/iris:v2');
    expect(failure(r)).toBe('');
    expect(r.exitCode).toBe(0);
    expect(readAt(bare, 'main', 'apps/iris.yaml')).toBe(
      ISVC.replace(`"${OLD_URI}"`, `"${NEW_URI}"`).replace('iris:v1', 'iris:v2'),
    );
    const log = history(bare);
    expect(log).toHaveLength(2);
    expect(log[0]?.subject).toBe(`Bump ghcr.io/octo-org/iris to v2, storageUri to ${NEW_URI}`);
    expect(r.outputs.changed).toBe('true');
    expect(r.outputs['commit-sha']).toBe(log[0]?.sha);
    expect(r.summary).toContain(`| storageUri | \`${NEW_URI}\` |`);
    expect(r.summary).toContain(`+      storageUri: "${NEW_URI}"   # set by continuous-training`);
    expect(r.summary).toContain('spec.predictor.model.storageUri');
  });

  it('only the storageUri is new: changed true; both already there: a no-op without a commit', async () => {
    const { url, bare } = repo({ 'iris.yaml': ISVC });
    const only = await bumpIris(url, 'iris.yaml', 'ghcr.io/octo-org/iris:v1');
    expect(failure(only)).toBe('');
    expect(only.outputs.changed).toBe('true');
    expect(readAt(bare, 'main', 'iris.yaml')).toBe(ISVC.replace(OLD_URI, NEW_URI));
    const head = history(bare)[0]?.sha;
    const again = await bumpIris(url, 'iris.yaml', 'ghcr.io/octo-org/iris:v1');
    expect(failure(again)).toBe('');
    expect(again.outputs.changed).toBe('false');
    expect(again.outputs['commit-sha']).toBe(head);
    expect(history(bare)).toHaveLength(2);
    expect(again.log).toContain(`is already ghcr.io/octo-org/iris:v1 and storageUri ${NEW_URI}`);
  });

  it('a storage-uri KServe cannot load fails before any request to the Git host', async () => {
    const { url, bare } = repo({ 'iris.yaml': ISVC });
    const before = fixture.server().requests.length;
    const r = await bumpIris(url, 'iris.yaml', 'ghcr.io/octo-org/iris:v2', {
      'storage-uri': 'mlflow-artifacts:/1/abc/artifacts/model',
    });
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toMatch(/^argocd-bump-image: Input 'storage-uri' is an MLflow URI/);
    expect(fixture.server().requests.length).toBe(before);
    expect(history(bare)).toHaveLength(1);
  });

  it('a signed URL (its token would be committed) is refused; the token reaches no log, summary or output', async () => {
    const { url, bare } = repo({ 'iris.yaml': ISVC });
    const before = fixture.server().requests.length;
    const sas = 'sv=2022-11-02&sig=SasToken0123456789abcdef';
    const r = await bumpIris(url, 'iris.yaml', 'ghcr.io/octo-org/iris:v2', {
      'storage-uri': `https://acct.blob.core.windows.net/models/iris.joblib?${sas}`,
    });
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toMatch(/^argocd-bump-image: Input 'storage-uri' must not carry a query/);
    expect(fixture.server().requests.length).toBe(before);
    expect(history(bare)).toHaveLength(1);
    for (const text of [r.log, r.summary, JSON.stringify(r.outputs)]) {
      expect(text).not.toContain('SasToken0123456789abcdef');
    }
  });

  it('files without a predictor storageUri: one error naming storage-uri, nothing pushed', async () => {
    const noUri = ISVC.replace(/ {6}storageUri:.*\n/, '');
    const { url, bare } = repo({ 'iris.yaml': noUri });
    const r = await bumpIris(url, 'iris.yaml', 'ghcr.io/octo-org/iris:v2');
    expect(r.exitCode).toBe(1);
    expect(failure(r)).toContain("Input 'storage-uri': no InferenceService in iris.yaml");
    expect(failure(r)).toContain('InferenceService iris: no spec.predictor.<framework>.storageUri');
    expect(history(bare)).toHaveLength(1);
    expect(readAt(bare, 'main', 'iris.yaml')).toBe(noUri);
  });
});

/** The other writer's version of the file: a label added. */
const LABELLED = ISVC.replace('  name: iris\n', '  name: iris\n  labels: {team: ml}\n');

describe('argocd-bump-image storage-uri: a lost race re-applies the storageUri on the new tip', () => {
  it("keeps the other writer's change to the same file and lands the image and storageUri", async () => {
    let raced = 0;
    const host = await startGitServer({
      tokens: [TOKEN],
      // Another writer edits the same InferenceService (a new annotation) right before our push.
      beforeReceivePack: (bare) => {
        if (raced >= 1) return;
        raced++;
        commitTo(bare, { 'iris.yaml': LABELLED }, 'label the service');
      },
    });
    try {
      const url = host.createRepo('org/raced', { 'iris.yaml': ISVC });
      const bare = host.repoPath('org/raced');
      const r = await bumpIris(url, 'iris.yaml', 'ghcr.io/octo-org/iris:v2', {
        'max-retries': '2',
      });
      expect(failure(r)).toBe('');
      expect(r.log.match(/Push rejected/g)).toHaveLength(1);
      expect(history(bare).map((c) => c.subject)).toEqual([
        `Bump ghcr.io/octo-org/iris to v2, storageUri to ${NEW_URI}`,
        'label the service',
        'initial config',
      ]);
      expect(readAt(bare, 'main', 'iris.yaml')).toBe(
        LABELLED.replace(OLD_URI, NEW_URI).replace('iris:v1', 'iris:v2'),
      );
    } finally {
      await host.stop();
    }
  });
});
