// The reusable workflows in workflows-examples/ keep the conventions their README promises,
// beyond what actionlint and the reference checker see: each has a caller that calls it as a
// user would after copying; permissions are least privilege and a caller grants every
// permission the called jobs ask for (GitHub refuses the run otherwise: "The nested job is
// requesting 'id-token: write', but is only allowed 'none'"); deploy jobs hold one
// concurrency group per environment and are never cancelled half-way; deploy callers that
// run on pull requests skip forks; our actions are referenced as org/mlops-actions/<a>@v1.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';

const DIR = path.join(repoRoot, 'workflows-examples');

type Permissions = Record<string, string> | string | undefined;
interface Job {
  uses?: string;
  if?: string;
  permissions?: Permissions;
  environment?: string | { name: string };
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean } | string;
  steps?: { uses?: string }[];
}
interface Workflow {
  on?: Record<string, unknown> | string | string[];
  permissions?: Permissions;
  concurrency?: Job['concurrency'];
  jobs: Record<string, Job>;
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const load = (f: string): Workflow => parse(readFileSync(path.join(DIR, f), 'utf8')) as Workflow;
const triggers = (wf: Workflow): string[] =>
  typeof wf.on === 'string' ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on ?? {});
const reusable = files.filter((f) => triggers(load(f)).includes('workflow_call'));
const callers = files.filter((f) => !reusable.includes(f));

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };
const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'security-events',
  'statuses',
];

/** Scope → level; a missing permissions block means the repository default (treated as write-all). */
function levels(p: Permissions): Record<string, number> {
  if (p === undefined || p === 'write-all') return Object.fromEntries(SCOPES.map((s) => [s, 2]));
  if (p === 'read-all') return Object.fromEntries(SCOPES.map((s) => [s, 1]));
  return Object.fromEntries(
    SCOPES.map((s) => [s, LEVEL[(p as Record<string, string>)[s] ?? 'none'] ?? 0]),
  );
}

describe('workflows-examples', () => {
  it('pairs every reusable workflow with a caller named after it, and nothing else', () => {
    expect(reusable.length).toBeGreaterThanOrEqual(6);
    expect(callers.sort()).toEqual(reusable.map((f) => f.replace(/\.yml$/, '-caller.yml')).sort());
    expect(reusable).toEqual(
      expect.arrayContaining([
        'ci.yml',
        'deploy-gke.yml',
        'deploy-eks.yml',
        'deploy-aks.yml',
        'gitops-kserve.yml',
        'continuous-training.yml',
        'promote.yml',
      ]),
    );
  });

  it.each(callers)(
    '%s calls its workflow (and others beside it) as ./.github/workflows/<name>.yml',
    (caller) => {
      const uses = Object.values(load(caller).jobs)
        .map((j) => j.uses)
        .filter((u): u is string => u !== undefined);
      expect(uses).toContain(`./.github/workflows/${caller.replace('-caller', '')}`);
      for (const u of uses) expect(reusable.map((f) => `./.github/workflows/${f}`)).toContain(u);
    },
  );

  it.each(reusable)('%s: top-level permissions hold no write; jobs ask for their own', (f) => {
    const wf = load(f);
    expect(wf.permissions).toBeDefined();
    expect(Object.values(levels(wf.permissions)).every((l) => l < 2)).toBe(true);
  });

  it.each(callers)('%s grants each called job every permission it asks for, no more', (caller) => {
    const cw = load(caller);
    for (const [id, job] of Object.entries(cw.jobs)) {
      if (!job.uses) continue;
      const granted = levels(job.permissions ?? cw.permissions);
      const called = load(path.basename(job.uses));
      const needed: Record<string, number> = Object.fromEntries(SCOPES.map((s) => [s, 0]));
      for (const j of Object.values(called.jobs))
        for (const [s, l] of Object.entries(levels(j.permissions ?? called.permissions)))
          needed[s] = Math.max(needed[s]!, l);
      const short = SCOPES.filter((s) => granted[s]! < needed[s]!);
      const extra = SCOPES.filter((s) => granted[s]! > needed[s]!);
      expect({ job: id, short, extra }).toEqual({ job: id, short: [], extra: [] });
    }
  });

  it.each(reusable)('%s: jobs with an environment hold a concurrency group for it', (f) => {
    const wf = load(f);
    for (const [id, job] of Object.entries(wf.jobs)) {
      if (!job.environment) continue;
      const c = job.concurrency ?? wf.concurrency;
      const group = typeof c === 'string' ? c : c?.group;
      const env = typeof job.environment === 'string' ? job.environment : job.environment.name;
      expect({ id, group: typeof group }).toEqual({ id, group: 'string' });
      // Per environment: the group names it (the same expression or the literal name).
      expect(group!.includes(env.replace(/^\$\{\{\s*|\s*\}\}$/g, '')) || group!.includes(env)).toBe(
        true,
      );
      expect(typeof c === 'object' && c['cancel-in-progress']).toBe(false);
    }
  });

  it.each(callers)('%s: a caller run by pull requests that gets tokens skips forks', (caller) => {
    const wf = load(caller);
    if (!triggers(wf).includes('pull_request')) return;
    for (const [id, job] of Object.entries(wf.jobs)) {
      const p = levels(job.permissions ?? wf.permissions);
      if (!job.uses || p['id-token']! < 2) continue;
      expect({ id, if: job.if }).toEqual({
        id,
        if: expect.stringContaining(
          'github.event.pull_request.head.repo.full_name == github.repository',
        ),
      });
      // And something tells the fork's author why nothing was deployed.
      const notice = Object.values(wf.jobs).find(
        (j) => !j.uses && (j.if ?? '').includes('head.repo.full_name != github.repository'),
      );
      expect(
        notice?.steps?.some((s) => s.uses?.startsWith('org/mlops-actions/pr-deploy-comment@')),
      ).toBe(true);
    }
  });

  it.each(files)('%s references our actions as org/mlops-actions/<action>@v1', (f) => {
    const text = readFileSync(path.join(DIR, f), 'utf8');
    for (const m of text.matchAll(/uses:\s*(\S+)/g)) {
      const ref = m[1]!;
      if (ref.startsWith('./')) expect(ref).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.yml$/);
      else if (ref.startsWith('org/')) expect(ref).toMatch(/^org\/mlops-actions\/[a-z-]+@v1$/);
      else expect(ref).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
    }
  });
});
