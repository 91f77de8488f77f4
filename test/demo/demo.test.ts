/**
 * `npm run demo` works: the demo's pipeline (scripts/demo-pipeline.ts) — the real bundles of all
 * nine actions against the local stand-ins: train and gate (model-registry), build, a good
 * release (PR comment + living Slack message), analysis, the promotion, a broken release rolled
 * back, the GitOps bump — ends with every outcome as expected, and leaves nothing behind.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Job } from '../../scripts/demo-job.ts';
import { BAD_IMAGE, runDemo } from '../../scripts/demo-pipeline.ts';

describe('npm run demo', () => {
  it('trains, gates and promotes the model, builds, rolls out, keeps one Slack message, fails release 2 fast and rolls it back, bumps GitOps, reports, cleans up', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
    try {
      const reportPath = path.join(dir, 'report.md');
      const result = await runDemo({
        speed: 20,
        color: false,
        out: (l) => lines.push(l),
        reportPath,
      });
      const text = lines.join('\n');

      const failed = result.checks.filter((c) => !c.ok);
      expect(failed).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.checks.length).toBeGreaterThanOrEqual(39);

      // The digest built is the digest deployed, commented on and pinned in GitOps.
      const built = result.outputs.build!.build!;
      expect(built['image-ref']).toMatch(
        /^127\.0\.0\.1:\d+\/octo-org\/recommender@sha256:[0-9a-f]{64}$/,
      );
      expect(result.imageRef).toBe(built['image-ref']);
      expect(result.outputs.build!.rebuild!.skipped).toBe('true');
      expect(result.outputs.build!.rebuild!.digest).toBe(built.digest);
      expect(result.outputs.train!.kfp!.state).toBe('SUCCEEDED');

      // model-registry: the challenger the pipeline registered passes the gate against the
      // champion; an earlier, worse version does not; after release 1 is verified the champion
      // alias moves to the new version.
      const model = result.outputs.train!.model!;
      expect(model).toMatchObject({
        version: '3',
        source: 'gs://octo-ml-models/iris/v3',
        passed: 'true',
        'champion-version': '2',
      });
      expect(model['run-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(result.outputs['gate-worse']!.model).toMatchObject({ version: '1', passed: 'false' });
      expect(result.outputs.promote!.promote).toMatchObject({
        version: '3',
        'previous-version': '2',
      });

      const one = result.outputs['release-1']!;
      expect(one.render!.images).toContain(built['image-ref']);
      expect(one.auth!.context).toBe('kube-sim');
      expect(one.rollout!.status).toBe('succeeded');
      expect(one.rollout!['failure-reason']).toBe('');
      expect(one.comment!['comment-url']).toContain('/pull/7#issuecomment-');
      // The living Slack message: posted by release 1, updated by release 2.
      expect(one.comment!['slack-ts']).toMatch(/^\d+\.\d{6}$/);

      // analyze-release through the simulator's service proxy: release 1 passes, the slower
      // canary that changes predictions is judged fail.
      expect(result.outputs['analyze-1']!.analyze!.verdict).toBe('pass');
      expect(result.outputs['analyze-canary']!.analyze!.verdict).toBe('fail');
      // The slower release was held as a canary, judged against the stable revision and
      // rolled back by rollout-and-verify's finish-canary.
      const canary = result.outputs['analyze-canary']!;
      expect(canary.hold!.status).toBe('succeeded');
      expect(canary.finish!.status).toBe('rolled-back');
      expect(canary.finish!.revision).toBe('recommender-predictor-00001');

      const two = result.outputs['release-2']!;
      expect(two.render!.images).toContain(BAD_IMAGE);
      expect(two.rollout!.status).toBe('rolled-back');
      expect(two.rollout!['failure-reason']).toMatch(/ImagePullBackOff|ErrImagePull/);
      // The same comment, edited in place.
      expect(two.comment!['comment-id']).toBe(one.comment!['comment-id']);
      expect(two.comment!['slack-ts']).toBe(one.comment!['slack-ts']);

      const gitops = result.outputs.gitops!.bump!;
      expect(gitops).toMatchObject({
        changed: 'true',
        'sync-status': 'Synced',
        'health-status': 'Healthy',
      });

      // Seconds, not the progress deadline (300 simulated seconds).
      expect(result.failFast.detectedSimS).toBeLessThan(30);
      expect(result.failFast.progressDeadlineS).toBe(300);

      // Outputs and job summaries are printed; secrets are not.
      for (const heading of [
        '== Train',
        '== Gate',
        '== Build',
        '== Release 1',
        '== Promote',
        '== Release 2',
        '== Fail-fast',
        '== GitOps',
      ]) {
        expect(text).toContain(heading);
      }
      expect(text).toContain('rollout-and-verify: succeeded');
      expect(text).toContain('rollout-and-verify: failed and rolled back');
      expect(text).toContain('status          rolled-back');
      expect(text).toContain('champion: version 2 → version 3');
      expect(text).toContain('demo: every outcome as expected');
      // Kubernetes, KFP, GitOps, Argo CD, GitHub, MLflow and the Slack bot token.
      expect(result.secrets.length).toBe(7);
      expect(result.secrets.some((x) => x.startsWith('xoxb-'))).toBe(true);
      for (const secret of result.secrets) expect(text).not.toContain(secret);

      // One Markdown report: the checks, every job's summaries, the PR comment.
      expect(result.reportPath).toBe(reportPath);
      const report = readFileSync(reportPath, 'utf8');
      expect(report).toContain('Every outcome as expected');
      for (const job of [
        'train',
        'gate-worse',
        'build',
        'release-1',
        'promote',
        'release-2',
        'gitops',
      ]) {
        expect(report).toContain(`## Job \`${job}\``);
      }
      expect(report).toContain('## The pull-request comment');
      expect(report).toContain('<!-- mlops-actions/pr-deploy-comment');
      expect(report).toContain(built.digest!);
      expect(report).toContain('**alias** `champion`: version 2 → version 3');
      // The Slack message next to the PR comment: the final text, edited, and its thread reply.
      const slack = report.slice(report.indexOf('## The Slack message'));
      expect(report.indexOf('## The Slack message')).toBeGreaterThan(
        report.indexOf('## The pull-request comment'),
      );
      expect(slack).toContain(`message \`${one.comment!['slack-ts']}\` (edited)`);
      expect(slack).toContain('> **↩️ Deployment to pr-7 rolled back**');
      // The challenger's metrics (model-registry's file) against the champion's as baseline.
      // (the champion is seeded 0.01 below what train.py measured)
      expect(report).toMatch(/\| `accuracy` \| 0\.9\d* \| 0\.9\d* \| ↑ \+0\.01 \(\+1%\) \|/);
      expect(slack).toMatch(/accuracy +0\.9\d* +0\.9\d* +↑ \+0\.01 \(\+1%\)/);
      expect(slack).toContain('Thread reply');
      for (const secret of result.secrets) expect(report).not.toContain(secret);

      // Job dirs (workspace, RUNNER_TEMP), the simulator's and the Git server's dirs are gone.
      expect(result.tempDirs.length).toBe(11);
      expect(result.tempDirs.filter((d) => existsSync(d))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
