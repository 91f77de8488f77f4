/**
 * argocd-bump-image's logic as named phases: clone → edit → commit → push (on a race: fetch,
 * re-apply the edit on the new tip, retry with jittered backoff) → (pull request) → Argo CD
 * sync → wait. Dependencies are injected. `report` is filled as the phases go, so that a
 * failure after the push still says (outputs, summary) what was changed.
 */
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { cancellation, InputError } from '../../shared/errors.ts';
import { expandPatterns } from '../../shared/files.ts';
import type { Git } from '../../shared/git.ts';
import { formatDuration } from '../../shared/inputs.ts';
import type { Logger } from '../../shared/logger.ts';
import { pause, waitFor } from '../../shared/wait.ts';
import { unhealthyResources, type ArgoApplication, type ArgoClient } from './argocd.ts';
import { editText, noMatchError, type FileEdit } from './edit.ts';
import type { GitHubPulls } from './github.ts';
import type { BumpInputs } from './inputs.ts';
import { pushRetryDelay } from './push-backoff.ts';

export interface BumpDeps {
  /** A Git bound to `dir` (the clone). */
  git(dir: string): Git;
  argo?(): ArgoClient;
  pulls?(): GitHubPulls;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** An empty directory for the clone. */
  workdir: string;
  random?: () => number;
}

export interface BumpReport {
  repository: string;
  branch: string;
  /** The branch pushed to (the PR branch in pull-request mode). */
  pushBranch: string;
  changed: boolean;
  pushed: boolean;
  commitSha: string;
  prUrl: string;
  prCreated: boolean;
  attempts: number;
  files: FileEdit[];
  syncStatus: string;
  healthStatus: string;
  argoMessage: string;
  phase: string;
  startedAt: number;
  durationMs: number;
}

export function newReport(inputs: BumpInputs, clock: Clock): BumpReport {
  return {
    repository: inputs.remote.display,
    branch: inputs.branch ?? '',
    pushBranch: '',
    changed: false,
    pushed: false,
    commitSha: '',
    prUrl: '',
    prCreated: false,
    attempts: 0,
    files: [],
    syncStatus: '',
    healthStatus: '',
    argoMessage: '',
    phase: 'clone',
    startedAt: clock.now(),
    durationMs: 0,
  };
}

/** The PR branch of an image and a base branch: one PR per (image, base), updated in place. */
export function pullRequestBranch(imageName: string, base: string): string {
  const slug = imageName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `mlops-actions/bump/${base}/${slug}`;
}

export function defaultCommitMessage(inputs: BumpInputs): string {
  const version = inputs.image.tag ?? inputs.image.digest ?? '';
  return `Bump ${inputs.imageName} to ${version}\n\nimage: ${inputs.imageText}\n`;
}

/** Reads, edits and writes the files in the clone; returns the edits (empty `changes` = nothing to do). */
export async function editFiles(dir: string, inputs: BumpInputs): Promise<FileEdit[]> {
  const { matches, unmatched } = await expandPatterns(inputs.files, dir);
  if (unmatched.length > 0) {
    throw new InputError(
      `Input 'files': ${unmatched.map((p) => `"${p}"`).join(', ')} matched no file in the repository.`,
    );
  }
  const root = await realpath(dir);
  const edits: FileEdit[] = [];
  for (const match of matches) {
    const rel = path.relative(dir, match.path).split(path.sep).join('/');
    if (match.isDirectory) {
      throw new InputError(
        `Input 'files': "${match.pattern}" is a directory; list files or a glob such as ${rel}/*.yaml.`,
      );
    }
    const real = await realpath(match.path);
    if (real !== root && !real.startsWith(root + path.sep)) {
      throw new InputError(`Input 'files': "${rel}" points outside the repository.`);
    }
    if (rel.split('/')[0] === '.git')
      throw new InputError(`Input 'files': "${rel}" is inside .git.`);
    const text = await readFile(match.path, 'utf8');
    edits.push(
      editText(text, rel, {
        image: inputs.image,
        imageName: inputs.imageName,
        ...(inputs.yamlPath ? { yamlPath: inputs.yamlPath } : {}),
        ...(inputs.yamlPathText ? { yamlPathText: inputs.yamlPathText } : {}),
      }),
    );
  }
  if (!edits.some((e) => e.matched > 0)) throw noMatchError(edits, inputs.imageName);
  for (const e of edits) {
    if (e.after !== e.before) await writeFile(path.join(dir, e.file), e.after, 'utf8');
  }
  return edits;
}

export async function bumpImage(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport = newReport(inputs, deps.clock),
): Promise<BumpReport> {
  const { logger, clock, signal } = deps;
  const deadline = report.startedAt + inputs.timeoutMs;
  const checkCancelled = (): void => {
    if (signal.aborted) throw cancellation(signal, report.phase);
  };
  const dir = path.join(deps.workdir, 'repo');
  await mkdir(deps.workdir, { recursive: true });
  const git = deps.git(dir);

  if (inputs.argocd && deps.argo) {
    // A wrong token or application fails here, before anything is pushed.
    report.phase = 'check Argo CD';
    await deps.argo().get(inputs.argocd.application, { signal });
  }

  report.phase = 'clone';
  let attemptStart = clock.now(); // the clone is the first attempt's fetch
  await logger.group(`Clone ${inputs.remote.display}`, () =>
    git.cloneShallow(inputs.remote.url, inputs.branch),
  );
  const branch = inputs.branch ?? (await git.currentBranch());
  report.branch = branch;
  const pushBranch =
    inputs.mode === 'pull-request' ? pullRequestBranch(inputs.imageName, branch) : branch;
  report.pushBranch = pushBranch;
  if (inputs.mode === 'pull-request') {
    // An open bump PR is updated in place: its branch is the base of the edit.
    const existing = await git.fetch(`refs/heads/${pushBranch}`);
    await git.checkoutNewBranch(pushBranch, existing ?? 'HEAD');
  }
  checkCancelled();

  const message = inputs.commitMessage ?? defaultCommitMessage(inputs);
  for (let attempt = 1; ; attempt++) {
    report.attempts = attempt;
    report.phase = 'edit';
    const edits = await editFiles(dir, inputs);
    report.files = edits;
    const changedFiles = edits.filter((e) => e.after !== e.before).map((e) => e.file);
    if (changedFiles.length === 0) {
      report.changed = false;
      report.commitSha = await git.head();
      logger.info(
        `${inputs.imageName} is already ${inputs.imageText} in ${edits.map((e) => e.file).join(', ')}: nothing to commit.`,
      );
      break;
    }
    report.phase = 'commit';
    const sha = await git.commit(changedFiles, message, inputs.author);
    report.phase = 'push';
    const outcome = await git.push(pushBranch);
    if (outcome.ok) {
      report.changed = true;
      report.pushed = true;
      report.commitSha = sha;
      logger.info(`Pushed ${sha} to ${pushBranch} (attempt ${attempt}).`);
      break;
    }
    if (!outcome.race) {
      throw new Error(
        `push to ${inputs.remote.display} ${pushBranch} was refused (nothing was pushed): ${outcome.detail}${/403|denied|permission/i.test(outcome.detail) ? "\nThe 'token' needs contents: write on the repository (and the branch must not be protected against it)." : ''}`,
      );
    }
    if (attempt > inputs.maxRetries || clock.now() >= deadline) {
      throw new Error(
        `push to ${pushBranch} lost the race ${attempt} times (another writer pushed first each time); gave up after ${attempt - 1} retries${clock.now() >= deadline ? ` and ${formatDuration(inputs.timeoutMs)}` : ''}. Nothing was pushed; raise 'max-retries'. Last answer: ${outcome.detail}`,
      );
    }
    const delay = pushRetryDelay(attempt, clock.now() - attemptStart, deps.random ?? Math.random);
    logger.info(
      `Push rejected: ${pushBranch} moved on. Fetching it, re-applying the edit, retry ${attempt} in ${delay} ms.`,
    );
    if (!(await pause(delay, clock, signal))) throw cancellation(signal, 'push retry');
    report.phase = 'fetch';
    attemptStart = clock.now();
    const tip = await git.fetch(`refs/heads/${pushBranch}`);
    if (!tip)
      throw new Error(
        `branch ${pushBranch} disappeared from ${inputs.remote.display} while retrying`,
      );
    await git.resetHard(tip);
  }
  checkCancelled();

  if (inputs.mode === 'pull-request' && deps.pulls && inputs.remote.github) {
    report.phase = 'pull request';
    const { owner } = inputs.remote.github;
    const title = (inputs.commitMessage ?? defaultCommitMessage(inputs)).split('\n')[0] ?? '';
    const body = `Bumps \`${inputs.imageName}\` to \`${inputs.imageText}\` on \`${branch}\`.\n\nOpened by mlops-actions/argocd-bump-image; later bumps of this image update this pull request.`;
    if (report.changed || (await git.fetch(`refs/heads/${pushBranch}`))) {
      const { pr, created } = await deps.pulls().upsert(owner, pushBranch, branch, title, body);
      report.prUrl = pr.html_url;
      report.prCreated = created;
      logger.info(`${created ? 'Opened' : 'Updated'} pull request ${pr.html_url}`);
    }
  }

  if (inputs.argocd && deps.argo) {
    await argoPhase(inputs, deps, report, git, deadline);
  }
  report.phase = 'done';
  report.durationMs = clock.now() - report.startedAt;
  return report;
}

/** Whether Argo's revision contains our commit: the same, or a later commit on the branch. */
function revisionChecker(
  git: Git,
  branch: string,
  sha: string,
): (rev: string | undefined) => Promise<boolean> {
  const known = new Map<string, boolean>();
  let deepened = false;
  return async (rev) => {
    if (!rev) return false;
    if (rev === sha) return true;
    const cached = known.get(rev);
    if (cached !== undefined) return cached;
    if (!(await git.hasCommit(rev)) && !deepened) {
      deepened = true;
      await git.fetch(`refs/heads/${branch}`, 50);
    }
    if (!(await git.hasCommit(rev))) return false;
    const result = await git.isAncestor(sha, rev);
    known.set(rev, result);
    return result;
  };
}

async function argoPhase(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport,
  git: Git,
  deadline: number,
): Promise<void> {
  const argo = inputs.argocd;
  if (!argo || !deps.argo) return;
  const client = deps.argo();
  const { logger, clock, signal } = deps;
  const sha = report.commitSha;
  const includes = revisionChecker(git, report.pushBranch, sha);
  const note = (app: ArgoApplication): void => {
    report.syncStatus = app.status?.sync?.status ?? '';
    report.healthStatus = app.status?.health?.status ?? '';
  };

  if (argo.sync) {
    report.phase = 'sync';
    const done = await waitFor(
      async () => {
        const r = await client.sync(argo.application, sha, signal);
        if (r.state === 'started') {
          note(r.app);
          logger.info(`Argo CD: sync of ${argo.application} to ${sha.slice(0, 12)} started.`);
          return true;
        }
        if (r.state === 'auto') {
          logger.info(`Argo CD: ${r.message}; its automated sync will deploy the commit.`);
          return true;
        }
        logger.info(`Argo CD: ${r.message}; retrying the sync.`);
        return undefined;
      },
      { clock, deadline, signal, intervalMs: 1000, factor: 1.5, maxIntervalMs: 10_000 },
    );
    if (!done.done) {
      if (done.reason === 'aborted') throw cancellation(signal, 'sync');
      throw new Error(
        `Argo CD: could not start a sync of ${argo.application} within ${formatDuration(inputs.timeoutMs)}: another operation stayed in progress. The commit ${sha} is pushed; Argo CD will pick it up.`,
      );
    }
  }
  if (!argo.wait) {
    if (!argo.sync) return;
    note(await client.get(argo.application, { signal }));
    return;
  }

  report.phase = 'wait';
  let first = !argo.sync;
  let last: ArgoApplication | undefined;
  let lastLine = '';
  const outcome = await logger.group(
    `Wait for ${argo.application} to be Synced at ${sha.slice(0, 12)} and Healthy`,
    () =>
      waitFor<{ ok: true } | { ok: false; message: string }>(
        async () => {
          // The first look asks Argo to compare with git now instead of at its next poll.
          const app = await client.get(argo.application, { refresh: first, signal });
          first = false;
          last = app;
          note(app);
          const st = app.status ?? {};
          const op = st.operationState;
          const line = `sync ${st.sync?.status ?? '?'} at ${(st.sync?.revision ?? '?').slice(0, 12)}, health ${st.health?.status ?? '?'}${op?.phase ? `, operation ${op.phase}` : ''}`;
          if (line !== lastLine) logger.info(`Argo CD: ${line}`);
          lastLine = line;
          const opRevision = op?.syncResult?.revision ?? op?.operation?.sync?.revision;
          if (
            op &&
            (op.phase === 'Failed' || op.phase === 'Error') &&
            (await includes(opRevision))
          ) {
            return { ok: false, message: `sync operation ${op.phase}: ${op.message ?? ''}` };
          }
          const inProgress =
            Boolean(app.operation) || op?.phase === 'Running' || op?.phase === 'Terminating';
          if (inProgress || st.sync?.status !== 'Synced' || !(await includes(st.sync?.revision)))
            return undefined;
          if (st.health?.status === 'Healthy') return { ok: true };
          if (st.health?.status === 'Degraded') {
            return {
              ok: false,
              message: `health Degraded${st.health.message ? `: ${st.health.message}` : ''}`,
            };
          }
          return undefined;
        },
        { clock, deadline, signal, intervalMs: 500, factor: 1.5, maxIntervalMs: 5000 },
      ),
  );
  if (!outcome.done) {
    if (outcome.reason === 'aborted') throw cancellation(signal, 'wait');
    const details = last ? unhealthyResources(last) : [];
    throw new Error(
      `Argo CD: ${argo.application} was not Synced at ${sha.slice(0, 12)} and Healthy within ${formatDuration(inputs.timeoutMs)} (last: ${lastLine || 'no answer'}).${details.length ? `\n${details.map((d) => `  - ${d}`).join('\n')}` : ''}`,
    );
  }
  if (!outcome.value.ok) {
    const details = last ? unhealthyResources(last) : [];
    report.argoMessage = outcome.value.message;
    throw new Error(
      `Argo CD: ${argo.application} ${outcome.value.message}${details.length ? `\n${details.map((d) => `  - ${d}`).join('\n')}` : ''}`,
    );
  }
  logger.info(`Argo CD: ${argo.application} is Synced at ${sha.slice(0, 12)} and Healthy.`);
}
