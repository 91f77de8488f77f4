/**
 * argocd-bump-image's bundle cancelled (SIGTERM, as the runner cancels a job) while its push
 * is in flight, against the real git http-backend. The git host holds the push at a chosen
 * moment and tells the test, which then cancels: no sleeps. What the action reports must be
 * what happened on the remote — the commit landed, did not land, or nobody can tell.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { history, startGitServer, type GitServer } from '../harness/git-server.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';

const TOKEN = 'ghs_cancelToken0123456789abcdef';
const ISVC = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: recommender}
spec:
  predictor:
    containers:
      - name: kserve-container
        image: ghcr.io/octo-org/recommender:v1
`;

/** A promise and the function that settles it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

let host: GitServer | undefined;
const releases: (() => void)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await host?.stop();
  host = undefined;
});

type Hold = 'after-receive' | 'before-receive' | 'before-receive-and-refuse-the-rest';

/**
 * Bumps through a host that holds the push (after git receive-pack updated the ref, or before
 * it saw the pack) and cancels the step with SIGTERM once the push is held.
 */
async function cancelledDuringPush(hold: Hold): Promise<{ r: ActionRunResult; bare: string }> {
  const arrived = latch();
  const release = latch();
  releases.push(release.open);
  let held = false;
  const holdPush = (): Promise<void> => {
    held = true;
    arrived.open();
    return release.promise;
  };
  host = await startGitServer({
    tokens: [TOKEN],
    ...(hold === 'after-receive'
      ? { afterReceivePack: holdPush }
      : { beforeReceivePack: holdPush }),
    ...(hold === 'before-receive-and-refuse-the-rest'
      ? {
          intercept: () =>
            held ? { status: 503, body: 'Service Unavailable: maintenance\n' } : undefined,
        }
      : {}),
  });
  const url = host.createRepo('org/config', { 'isvc.yaml': ISVC });
  const r = await runAction('argocd-bump-image', {
    inputs: {
      repository: url,
      token: TOKEN,
      files: 'isvc.yaml',
      image: 'ghcr.io/octo-org/recommender:v2',
    },
    timeoutMs: 90_000,
    onStart: (child) => {
      void arrived.promise.then(() => child.kill('SIGTERM'));
    },
  });
  return { r, bare: host.repoPath('org/config') };
}

describe('argocd-bump-image: cancelled while the push is in flight', () => {
  it('the push landed: changed=true and the commit, and the summary says the job was cancelled after the push', async () => {
    const { r, bare } = await cancelledDuringPush('after-receive');
    const log = history(bare);
    expect(log.map((c) => c.subject)).toEqual([
      'Bump ghcr.io/octo-org/recommender to v2',
      'initial config',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.changed).toBe('true');
    expect(r.outputs['commit-sha']).toBe(log[0]?.sha);
    expect(lastError(r)).toContain(`cancelled after the push: ${log[0]?.sha} is on`);
    expect(r.summary).toContain('the job was cancelled after the push');
    expect(r.summary).not.toContain('nothing was pushed');
  }, 120_000);

  it('the push did not land: changed=false, the remote checked and unchanged', async () => {
    const { r, bare } = await cancelledDuringPush('before-receive');
    expect(history(bare)).toHaveLength(1);
    expect(r.exitCode).toBe(1);
    expect(r.outputs.changed).toBe('false');
    expect(r.outputs['commit-sha']).toBe('');
    expect(lastError(r)).toContain('cancelled during push; the push to');
    expect(lastError(r)).toContain('did not land (nothing was pushed)');
    expect(r.summary).toContain('unchanged: nothing was pushed');
  }, 120_000);

  it('the remote cannot be asked: changed=unknown, and the summary says the outcome is unknown', async () => {
    const { r } = await cancelledDuringPush('before-receive-and-refuse-the-rest');
    expect(r.exitCode).toBe(1);
    expect(r.outputs.changed).toBe('unknown');
    expect(r.outputs['commit-sha']).toBe('');
    expect(lastError(r)).toContain('the outcome of the push to');
    expect(lastError(r)).toMatch(/whether [0-9a-f]{40} reached main could not be told/);
    expect(r.summary).toContain('| Changed | unknown |');
    expect(r.summary).toContain('| Remote | unknown: whether');
    expect(r.summary).not.toContain('nothing was pushed');
    const printed = r.log.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(printed.join('\n')).not.toContain(TOKEN);
  }, 120_000);
});
