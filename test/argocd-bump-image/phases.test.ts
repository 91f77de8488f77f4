/**
 * argocd-bump-image's orchestration (run.ts phases) with a fake Git (a clone in a temp dir,
 * pushes answered from a script) and a fake Argo CD client: no runner, no network, no git.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import type { Git, PushOutcome } from '../../shared/git.ts';
import { runPhases } from '../../shared/phases.ts';
import type { ArgoClient } from '../../actions/argocd-bump-image/argocd.ts';
import { getInputs } from '../../actions/argocd-bump-image/inputs.ts';
import {
  bumpContext,
  bumpPhases,
  newReport,
  type BumpReport,
} from '../../actions/argocd-bump-image/run.ts';
import * as body from '../../actions/argocd-bump-image/wiring.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const TIP = 'a'.repeat(40);
const SHA = 'b'.repeat(40);

/** The Git calls the phases make; the clone is a directory with one manifest. */
function fakeGit(dir: string, pushes: PushOutcome[], calls: string[], image: string): Git {
  const git = {
    cloneShallow: async () => {
      calls.push('clone');
      mkdirSync(path.join(dir, 'apps'), { recursive: true });
      writeFileSync(path.join(dir, 'apps/x.yaml'), `spec:\n  image: ${image}\n`);
    },
    currentBranch: async () => 'main',
    head: async () => TIP,
    fetch: async () => TIP,
    resetHard: async () => {
      calls.push('reset');
    },
    commit: async () => {
      calls.push('commit');
      return SHA;
    },
    push: async () => {
      calls.push('push');
      return pushes.shift() ?? { ok: true };
    },
  };
  return git as unknown as Git;
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'argocd-phases-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function setup(values: Record<string, string>, o: { image?: string; argoFails?: boolean } = {}) {
  const env = { GITHUB_REPOSITORY: 'octo-org/model-service' };
  const inputs = getInputs(
    new Inputs(
      mapInputs({
        repository: 'octo-org/gitops',
        files: 'apps/x.yaml',
        image: 'ghcr.io/o/m:v2',
        token: 't0ken-secret',
        ...values,
      }),
    ),
    env,
  );
  const calls: string[] = [];
  const clock = new ManualClock(1_700_000_000_000);
  const dir = path.join(work, 'repo');
  const argo = {
    get: async () => {
      calls.push('argo get');
      throw new Error('Argo CD: application "model" not found (404)');
    },
  } as unknown as ArgoClient;
  const deps = {
    git: () => fakeGit(dir, [], calls, o.image ?? 'ghcr.io/o/m:v1'),
    ...(o.argoFails ? { argo: () => argo } : {}),
    logger: new RecordingLogger(),
    clock,
    signal: new AbortController().signal,
    workdir: work,
    random: () => 0,
  };
  const report = newReport(inputs, clock);
  return { ctx: bumpContext(inputs, deps, report), report, calls, dir };
}

const outcomes = (r: BumpReport): string[] => r.phases.map((p) => `${p.name}: ${p.outcome}`);

describe('argocd-bump-image phases', () => {
  it('push mode: clone → edit and push → done; the report drives the outputs', async () => {
    const { ctx, report, calls, dir } = setup({});
    await runPhases(bumpPhases, ctx, report);
    expect(outcomes(report)).toEqual([
      'check Argo CD: skipped',
      'clone: done',
      'edit and push: done',
      'pull request: done',
      'Argo CD: skipped',
      'done: done',
    ]);
    expect(calls).toEqual(['clone', 'commit', 'push']);
    expect(readFileSync(path.join(dir, 'apps/x.yaml'), 'utf8')).toContain('ghcr.io/o/m:v2');
    expect(body.outputs(report)).toEqual({
      changed: 'true',
      'commit-sha': SHA,
      'pr-url': '',
      'sync-status': '',
      'health-status': '',
    });
    expect(JSON.stringify(report)).not.toContain('t0ken-secret');
  });

  it('already at the image: nothing is committed or pushed', async () => {
    const { ctx, report, calls } = setup({}, { image: 'ghcr.io/o/m:v2' });
    await runPhases(bumpPhases, ctx, report);
    expect(calls).toEqual(['clone']);
    expect(report.changed).toBe(false);
    expect(report.commitSha).toBe(TIP);
    expect(body.outputs(report).changed).toBe('false');
  });

  it('Argo CD is checked before anything is cloned or pushed: its failure stops the step', async () => {
    const { ctx, report, calls } = setup(
      {
        sync: 'true',
        'argocd-server': 'https://argocd.example.com',
        application: 'model',
        'argocd-token': 'argo-t0ken',
      },
      { argoFails: true },
    );
    await expect(runPhases(bumpPhases, ctx, report)).rejects.toThrow(/not found/);
    expect(outcomes(report)).toEqual(['check Argo CD: failed']);
    expect(calls).toEqual(['argo get']);
    // The summary of the failure says nothing was pushed.
    expect(body.outputs(report).changed).toBe('false');
    expect(body.summary(report, new Error('not found'))).toContain('not found');
    // The report (what outputs and the summary read) holds neither token.
    expect(JSON.stringify(report)).not.toMatch(/argo-t0ken|t0ken-secret/);
  });

  it('a cancelled job stops before the next phase: nothing is cloned', async () => {
    const { ctx, report, calls } = setup({});
    const controller = new AbortController();
    controller.abort('SIGTERM');
    await expect(
      runPhases(bumpPhases, { ...ctx, signal: controller.signal }, report),
    ).rejects.toThrow(/cancelled \(SIGTERM\) during check Argo CD/);
    expect(calls).toEqual([]);
  });
});
