/**
 * `npm run demo` works: the demo's pipeline (scripts/demo-pipeline.ts) — the real bundles of
 * render-manifests → setup-cluster-auth → rollout-and-verify against the simulator, a good
 * release then a broken one — ends with every outcome as expected, and leaves nothing behind.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { Job } from '../scripts/demo-job.ts';
import { BAD_IMAGE, GOOD_IMAGE, runDemo } from '../scripts/demo-pipeline.ts';

describe('npm run demo', () => {
  it('rolls out release 1, fails release 2 fast and rolls it back, cleans up', async () => {
    const lines: string[] = [];
    const result = await runDemo({ speed: 20, color: false, out: (l) => lines.push(l) });
    const text = lines.join('\n');

    const failed = result.checks.filter((c) => !c.ok);
    expect(failed).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checks.length).toBeGreaterThanOrEqual(15);

    const one = result.outputs['release-1']!;
    expect(one.render!.images).toContain(GOOD_IMAGE);
    expect(one.auth!.context).toBe('kube-sim');
    expect(one.rollout!.status).toBe('succeeded');
    expect(one.rollout!['failure-reason']).toBe('');

    const two = result.outputs['release-2']!;
    expect(two.render!.images).toContain(BAD_IMAGE);
    expect(two.rollout!.status).toBe('rolled-back');
    expect(two.rollout!['failure-reason']).toMatch(/ImagePullBackOff|ErrImagePull/);

    // Seconds, not the progress deadline (300 simulated seconds).
    expect(result.failFast.detectedSimS).toBeLessThan(30);
    expect(result.failFast.progressDeadlineS).toBe(300);

    // Outputs and job summaries are printed; the kubeconfig secret and token are not.
    expect(text).toContain('== Release 1');
    expect(text).toContain('rollout-and-verify: succeeded');
    expect(text).toContain('rollout-and-verify: failed and rolled back');
    expect(text).toContain('status          rolled-back');
    expect(text).toContain('== Fail-fast');
    expect(text).toContain('demo: every outcome as expected');
    expect(text).not.toContain('demo-token');

    // Job dirs (workspace, RUNNER_TEMP) and the simulator's dir are gone.
    expect(result.tempDirs.length).toBe(3);
    expect(result.tempDirs.filter((d) => existsSync(d))).toEqual([]);
  });

  it('a job skips the steps after a failed one, still runs the posts, and cleans up', async () => {
    const job = new Job('skip-test');
    try {
      // No kubeconfig: setup-cluster-auth fails on its inputs, in milliseconds.
      const auth = await job.step('auth', 'setup-cluster-auth', { provider: 'kubeconfig' });
      expect(auth.result?.exitCode).toBe(1);
      const rollout = await job.step('rollout', 'rollout-and-verify', () => {
        throw new Error('inputs of a skipped step are not evaluated');
      });
      expect(rollout.result).toBeUndefined();
      await job.finish();
      expect(auth.post?.exitCode).toBe(0);
    } finally {
      job.cleanup();
    }
    expect(existsSync(job.dir)).toBe(false);
  });
});
