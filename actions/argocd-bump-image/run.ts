/**
 * argocd-bump-image's logic as named phases over a typed report: check Argo CD → clone → edit
 * and push (edit → commit → push; on a race: fetch, re-apply the edit on the new tip, retry
 * with jittered backoff) → pull request → Argo CD sync and wait. Dependencies are injected. `report` is filled as the phases go, so that a
 * failure after the push still says (outputs, summary) what was changed.
 */
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { CancelledError, cancellation, InputError } from '../../shared/errors.ts';
import { expandPatterns } from '../../shared/files.ts';
import type { Git } from '../../shared/git.ts';
import { formatDuration } from '../../shared/inputs.ts';
import type { Logger } from '../../shared/logger.ts';
import { phase, runPhases, type Phase, type PhaseReport } from '../../shared/phases.ts';
import { RetryDeadlineError, withRetry } from '../../shared/retry.ts';
import { argoPhase } from './argo-phase.ts';
import { locateOurSources, type OurSources } from './argo-sources.ts';
import type { ArgoClient } from './argocd.ts';
import { editText, noMatchError, type FileEdit } from './edit.ts';
import { noStorageUriError } from './storage-edit.ts';
import type { GitHubPulls } from './github.ts';
import type { BumpInputs } from './inputs.ts';
import { pushRetryDelay, RETRY_CAP_MS } from './push-backoff.ts';
import { pushAndConfirm, type PushResult } from './push.ts';

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

export interface BumpReport extends PhaseReport {
  /** What was asked (the image, the target, Argo CD), without the tokens: the summary says it. */
  readonly inputs: BumpInputs;
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
  /** Set when a push was interrupted and the remote could not say whether it landed. */
  pushUnknown: string;
  /** Set when the push landed although the job was cancelled while it ran. */
  pushNote: string;
  phase: string;
  startedAt: number;
  durationMs: number;
  /** Our repository among the Argo CD application's sources (checked before the push). */
  ours?: OurSources;
  clone?: Clone;
}

export function newReport(inputs: BumpInputs, clock: Clock): BumpReport {
  // The report is what the summary reads: it holds no token.
  const { argocd } = inputs;
  return {
    inputs: { ...inputs, token: '', ...(argocd ? { argocd: { ...argocd, token: '' } } : {}) },
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
    pushUnknown: '',
    pushNote: '',
    phase: 'clone',
    phases: [],
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
  const { storageUri } = inputs;
  return storageUri
    ? `Bump ${inputs.imageName} to ${version}, storageUri to ${storageUri}\n\nimage: ${inputs.imageText}\nstorageUri: ${storageUri}\n`
    : `Bump ${inputs.imageName} to ${version}\n\nimage: ${inputs.imageText}\n`;
}

/** What is bumped, for the log and the pull request: the image and, when asked, the storageUri. */
export function bumpedText(inputs: BumpInputs): string {
  return `${inputs.imageText}${inputs.storageUri ? ` and storageUri ${inputs.storageUri}` : ''}`;
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
        ...(inputs.storageUri ? { storageUri: inputs.storageUri } : {}),
      }),
    );
  }
  if (!edits.some((e) => e.matched > 0)) throw noMatchError(edits, inputs.imageName);
  if (inputs.storageUri && !edits.some((e) => e.storageMatched > 0)) throw noStorageUriError(edits);
  for (const e of edits) {
    if (e.after !== e.before) await writeFile(path.join(dir, e.file), e.after, 'utf8');
  }
  return edits;
}

/** Which branch the clone is on, and (pull-request mode) the PR branch checked out on top. */
async function cloneAndCheckout(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport,
  git: Git,
): Promise<{ branch: string; pushBranch: string; remoteTip: string | undefined }> {
  report.phase = 'clone';
  await deps.logger.group(`Clone ${inputs.remote.display}`, () =>
    git.cloneShallow(inputs.remote.url, inputs.branch),
  );
  const branch = inputs.branch ?? (await git.currentBranch());
  report.branch = branch;
  const pushBranch =
    inputs.mode === 'pull-request' ? pullRequestBranch(inputs.imageName, branch) : branch;
  report.pushBranch = pushBranch;
  if (inputs.mode !== 'pull-request') return { branch, pushBranch, remoteTip: await git.head() };
  // An open bump PR is updated in place: its branch is the base of the edit.
  const existing = await git.fetch(`refs/heads/${pushBranch}`);
  await git.checkoutNewBranch(pushBranch, existing ?? 'HEAD');
  return { branch, pushBranch, remoteTip: existing };
}

/**
 * A push that did not land, or whose fate is unknown, ends the step; one that landed although
 * the job was cancelled in the middle ends it too, saying so (the outputs carry the commit).
 */
function pushFailure(
  inputs: BumpInputs,
  report: BumpReport,
  pushed: Exclude<PushResult, { state: 'race' }>,
  sha: string,
  signal: AbortSignal,
): Error | undefined {
  const where = `${inputs.remote.display} ${report.pushBranch}`;
  if (pushed.state === 'pushed') {
    if (!signal.aborted) return undefined;
    report.pushNote = `the commit landed; the job was cancelled after the push (${pushed.interrupted ?? 'cancelled'})`;
    return new CancelledError(
      `cancelled after the push: ${sha} is on ${where} (confirmed with git ls-remote); nothing after the push ran`,
    );
  }
  if (pushed.state === 'unknown') {
    report.pushUnknown = `whether ${sha} reached ${report.pushBranch} could not be told: ${pushed.interrupted}; ${pushed.detail}`;
    const text = `the outcome of the push to ${where} is unknown: ${report.pushUnknown}. Check the branch before retrying.`;
    return signal.aborted ? new CancelledError(`cancelled during push; ${text}`) : new Error(text);
  }
  const why = pushed.rejected ?? pushed.detail;
  if (pushed.interrupted) {
    const text = `the push to ${where} did not land (nothing was pushed): ${pushed.interrupted}; ${pushed.detail}`;
    return signal.aborted ? new CancelledError(`cancelled during push; ${text}`) : new Error(text);
  }
  return new Error(
    `push to ${where} was refused (nothing was pushed): ${why}${!pushed.rejected && /403|denied|permission/i.test(why) ? "\nThe 'token' needs contents: write on the repository (and the branch must not be protected against it)." : ''}`,
  );
}

/** A push that lost the race (another writer pushed first): retried by the one policy. */
class LostRace extends Error {
  override name = 'LostRace';
  readonly attempt: number;
  /** How long the lost attempt took: the unit of the next wait (push-backoff.ts). */
  readonly attemptMs: number;
  constructor(detail: string, attempt: number, attemptMs: number) {
    super(detail);
    this.attempt = attempt;
    this.attemptMs = attemptMs;
  }
}

/**
 * One attempt: (after a lost race: fetch the branch and reset onto it) edit, commit, push.
 * Returns when done or nothing changed; throws LostRace when another writer pushed first.
 */
async function pushAttempt(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport,
  git: Git,
  at: { dir: string; remoteTip: string | undefined; attempt: number },
): Promise<string | undefined> {
  const { logger, clock, signal } = deps;
  const { pushBranch } = report;
  const started = clock.now();
  let remoteTip = at.remoteTip;
  if (at.attempt > 1) {
    report.phase = 'fetch';
    remoteTip = await git.fetch(`refs/heads/${pushBranch}`);
    if (!remoteTip)
      throw new Error(
        `branch ${pushBranch} disappeared from ${inputs.remote.display} while retrying`,
      );
    await git.resetHard(remoteTip);
  }
  report.attempts = at.attempt;
  report.phase = 'edit';
  const edits = await editFiles(at.dir, inputs);
  report.files = edits;
  const changedFiles = edits.filter((e) => e.after !== e.before).map((e) => e.file);
  if (changedFiles.length === 0) {
    report.commitSha = await git.head();
    logger.info(
      `${inputs.imageName} is already ${bumpedText(inputs)} in ${edits.map((e) => e.file).join(', ')}: nothing to commit.`,
    );
    return remoteTip;
  }
  report.phase = 'commit';
  const message = inputs.commitMessage ?? defaultCommitMessage(inputs);
  const sha = await git.commit(changedFiles, message, inputs.author);
  report.phase = 'push';
  const pushed = await pushAndConfirm(git, pushBranch, sha, remoteTip, signal);
  if (pushed.state === 'pushed') {
    report.changed = true;
    report.pushed = true;
    report.commitSha = sha;
    const note = pushed.interrupted
      ? ` (git did not finish: ${pushed.interrupted}; the remote shows the commit)`
      : '';
    logger.info(`Pushed ${sha} to ${pushBranch} (attempt ${at.attempt})${note}.`);
  }
  if (pushed.state === 'race') throw new LostRace(pushed.detail, at.attempt, clock.now() - started);
  const failure = pushFailure(inputs, report, pushed, sha, signal);
  if (failure) throw failure;
  return remoteTip;
}

/**
 * Edit, commit, push; a lost race is fetched, re-applied and retried by the one retry policy
 * (shared/retry.ts) with the wait push-backoff.ts gives, within `max-retries` and the timeout.
 */
async function commitAndPush(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport,
  git: Git,
  start: { dir: string; remoteTip: string | undefined; deadline: number },
): Promise<void> {
  const { logger, clock, signal } = deps;
  const random = deps.random ?? Math.random;
  let remoteTip = start.remoteTip;
  try {
    await withRetry(
      async (attempt) => {
        remoteTip = await pushAttempt(inputs, deps, report, git, { ...start, remoteTip, attempt });
      },
      (error) =>
        error instanceof LostRace
          ? { retry: true, delayMs: pushRetryDelay(error.attempt, error.attemptMs, random) }
          : { retry: false },
      {
        attempts: inputs.maxRetries + 1,
        // The wait is push-backoff.ts's alone: the policy's own backoff stays below it.
        baseDelayMs: 1,
        minDelayMs: 0,
        maxDelayMs: RETRY_CAP_MS,
        clock,
        signal,
        deadline: start.deadline,
        random,
        onRetry: (_error, attempt, delay) =>
          logger.info(
            `Push rejected: ${report.pushBranch} moved on. Fetching it, re-applying the edit, retry ${attempt} in ${delay} ms.`,
          ),
      },
    );
  } catch (error) {
    if (signal.aborted && !(error instanceof CancelledError))
      throw cancellation(signal, 'push retry');
    const timedOut = error instanceof RetryDeadlineError;
    const lost = timedOut ? error.last : error;
    if (!(lost instanceof LostRace)) throw error;
    throw new Error(
      `push to ${report.pushBranch} lost the race ${lost.attempt} times (another writer pushed first each time); gave up after ${lost.attempt - 1} retries${timedOut ? ` and ${formatDuration(inputs.timeoutMs)}` : ''}. Nothing was pushed; raise 'max-retries'. Last answer: ${lost.message}`,
    );
  }
}

async function pullRequestPhase(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport,
  git: Git,
): Promise<void> {
  if (inputs.mode !== 'pull-request' || !deps.pulls || !inputs.remote.github) return;
  report.phase = 'pull request';
  const { owner } = inputs.remote.github;
  const title = (inputs.commitMessage ?? defaultCommitMessage(inputs)).split('\n')[0] ?? '';
  const storage = inputs.storageUri ? ` and storageUri to \`${inputs.storageUri}\`` : '';
  const body = `Bumps \`${inputs.imageName}\` to \`${inputs.imageText}\`${storage} on \`${report.branch}\`.\n\nOpened by mlops-actions/argocd-bump-image; later bumps of this image update this pull request.`;
  if (report.changed || (await git.fetch(`refs/heads/${report.pushBranch}`))) {
    const { pr, created } = await deps
      .pulls()
      .upsert(owner, report.pushBranch, report.branch, title, body);
    report.prUrl = pr.html_url;
    report.prCreated = created;
    deps.logger.info(`${created ? 'Opened' : 'Updated'} pull request ${pr.html_url}`);
  }
}

/** Checks the application before anything is pushed, and finds our repository among its sources. */
async function checkArgo(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport,
): Promise<OurSources> {
  if (!inputs.argocd || !deps.argo) return {};
  // A wrong token or application fails here, before anything is pushed.
  report.phase = 'check Argo CD';
  const app = await deps.argo().get(inputs.argocd.application, { signal: deps.signal });
  const { warning, ...ours } = locateOurSources(
    app,
    inputs.argocd.application,
    inputs.remote.url,
    inputs.remote.display,
  );
  if (warning) deps.logger.warning(warning);
  return ours;
}

/** What every phase gets: the inputs, the dependencies and the step's one deadline. */
export interface BumpContext extends BumpDeps {
  inputs: BumpInputs;
  /** `timeout` from the step's start, on `clock`. */
  deadline: Deadline;
}

/** The clone and where the phases left it. */
interface Clone {
  dir: string;
  git: Git;
  remoteTip?: string | undefined;
}

function cloneOf(report: BumpReport): Clone {
  if (!report.clone) throw new Error('argocd-bump-image: the clone is missing');
  return report.clone;
}

const argoConfigured = ({ inputs, argo }: BumpContext): boolean =>
  inputs.argocd !== undefined && argo !== undefined;

type BumpPhase = Phase<BumpContext, BumpReport>;

/** The phases, in order: the whole orchestration is `runPhases` over these. */
export const bumpPhases: readonly BumpPhase[] = [
  phase(
    'check Argo CD',
    async (ctx, report) => {
      report.ours = await checkArgo(ctx.inputs, ctx, report);
    },
    argoConfigured,
  ),
  phase('clone', async (ctx, report) => {
    const dir = path.join(ctx.workdir, 'repo');
    await mkdir(ctx.workdir, { recursive: true });
    const git = ctx.git(dir);
    report.clone = { dir, git };
    report.clone.remoteTip = (await cloneAndCheckout(ctx.inputs, ctx, report, git)).remoteTip;
  }),
  // The push loop as it is (push.ts and its retry): one phase.
  phase('edit and push', async (ctx, report) => {
    const { dir, git, remoteTip } = cloneOf(report);
    await commitAndPush(ctx.inputs, ctx, report, git, {
      dir,
      remoteTip,
      deadline: ctx.deadline.at,
    });
  }),
  phase('pull request', (ctx, report) =>
    pullRequestPhase(ctx.inputs, ctx, report, cloneOf(report).git),
  ),
  phase(
    'Argo CD',
    (ctx, report) =>
      argoPhase(ctx.inputs, ctx, report, cloneOf(report).git, {
        deadline: ctx.deadline.at,
        ours: report.ours ?? {},
      }),
    argoConfigured,
  ),
  phase('done', (ctx, report) => {
    report.phase = 'done';
    report.durationMs = ctx.clock.now() - report.startedAt;
  }),
];

/** The context of `deps`: the step's deadline is `timeout` from the report's start. */
export function bumpContext(inputs: BumpInputs, deps: BumpDeps, report: BumpReport): BumpContext {
  return {
    ...deps,
    inputs,
    deadline: new Deadline(report.startedAt + inputs.timeoutMs, deps.clock),
  };
}

/** The phases over `deps`; `report` is filled as they go (also when one fails). */
export async function bumpImage(
  inputs: BumpInputs,
  deps: BumpDeps,
  report: BumpReport = newReport(inputs, deps.clock),
): Promise<BumpReport> {
  return runPhases(bumpPhases, bumpContext(inputs, deps, report), report);
}
