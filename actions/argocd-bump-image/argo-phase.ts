/**
 * The Argo CD phases after the push: sync the application to the pushed commit (at the
 * source(s) that are our repository), then wait until Argo CD reports it Synced at that
 * commit, or a later one on the branch, and Healthy. Everything Argo CD says is logged through
 * the logger (whose info level cannot start a workflow command); revisions are checked to be
 * git commits before they are printed or compared.
 */
import { cancellation } from '../../shared/errors.ts';
import type { Git } from '../../shared/git.ts';
import { formatDuration } from '../../shared/inputs.ts';
import { checkedServerString } from '../../shared/server-values.ts';
import { waitFor } from '../../shared/wait.ts';
import { ourRevisions, syncTarget, type OurSources } from './argo-sources.ts';
import { unhealthyResources, type ArgoApplication, type ArgoClient } from './argocd.ts';
import type { ArgoInputs, BumpInputs } from './inputs.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';

/** What these phases use of the run's dependencies (run.ts's ArgoDeps has them). */
interface ArgoDeps {
  argo?(): ArgoClient;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
}

/** What these phases read and fill in the run's report (run.ts's ArgoReport). */
interface ArgoReport {
  commitSha: string;
  pushBranch: string;
  phase: string;
  syncStatus: string;
  healthStatus: string;
  argoMessage: string;
}

/** Sync and health codes are single words (Synced, OutOfSync, Healthy, Progressing, …). */
const STATUS_CODE = /^[A-Za-z]{1,40}$/;

function statusCode(value: string | undefined, what: string): string {
  return value ? checkedServerString(value, STATUS_CODE, `Argo CD ${what}`) : '';
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

interface ArgoContext {
  argo: ArgoInputs;
  client: ArgoClient;
  deps: ArgoDeps;
  report: ArgoReport;
  ours: OurSources;
  deadline: number;
  timeoutMs: number;
}

function noteStatus(report: ArgoReport, app: ArgoApplication): void {
  report.syncStatus = statusCode(app.status?.sync?.status, 'status.sync.status');
  report.healthStatus = statusCode(app.status?.health?.status, 'status.health.status');
}

async function syncPhase(c: ArgoContext): Promise<void> {
  const { argo, client, report } = c;
  const { logger, clock, signal } = c.deps;
  const sha = report.commitSha;
  const where = c.ours.positions ? ` (source ${c.ours.positions.join(', ')})` : '';
  report.phase = 'sync';
  const done = await waitFor(
    async () => {
      const r = await client.sync(argo.application, syncTarget(sha, c.ours), signal);
      if (r.state === 'started') {
        noteStatus(report, r.app);
        logger.info(`Argo CD: sync of ${argo.application} to ${sha.slice(0, 12)}${where} started.`);
        return true;
      }
      if (r.state === 'auto') {
        logger.info(`Argo CD: ${r.message}; its automated sync will deploy the commit.`);
        return true;
      }
      logger.info(`Argo CD: ${r.message}; retrying the sync.`);
      return undefined;
    },
    { clock, deadline: c.deadline, signal, intervalMs: 1000, factor: 1.5, maxIntervalMs: 10_000 },
  );
  if (!done.done) {
    if (done.reason === 'aborted') throw cancellation(signal, 'sync');
    throw new Error(
      `Argo CD: could not start a sync of ${argo.application} within ${formatDuration(c.timeoutMs)}: another operation stayed in progress. The commit ${sha} is pushed; Argo CD will pick it up.`,
    );
  }
}

type Verdict = { ok: true } | { ok: false; message: string };

/** One look at the application: a verdict, or undefined to look again. */
async function judge(
  app: ArgoApplication,
  c: ArgoContext,
  includes: (rev: string | undefined) => Promise<boolean>,
): Promise<{ verdict?: Verdict; line: string }> {
  const st = app.status ?? {};
  const op = st.operationState;
  const synced = ourRevisions(st.sync, c.ours, 'status.sync');
  const line = `sync ${c.report.syncStatus || '?'} at ${synced.map((r) => (r ?? '?').slice(0, 12)).join(', ')}, health ${c.report.healthStatus || '?'}${op?.phase ? `, operation ${statusCode(op.phase, 'operationState.phase')}` : ''}`;
  const opRevisions = ourRevisions(
    op?.syncResult ?? op?.operation?.sync,
    c.ours,
    'status.operationState',
  );
  const every = async (revs: (string | undefined)[]): Promise<boolean> => {
    for (const rev of revs) if (!(await includes(rev))) return false;
    return true;
  };
  if (op && (op.phase === 'Failed' || op.phase === 'Error') && (await every(opRevisions))) {
    return {
      line,
      verdict: { ok: false, message: `sync operation ${op.phase}: ${op.message ?? ''}` },
    };
  }
  const inProgress =
    Boolean(app.operation) || op?.phase === 'Running' || op?.phase === 'Terminating';
  if (inProgress || st.sync?.status !== 'Synced' || !(await every(synced))) return { line };
  if (st.health?.status === 'Healthy') return { line, verdict: { ok: true } };
  if (st.health?.status === 'Degraded') {
    const message = `health Degraded${st.health.message ? `: ${st.health.message}` : ''}`;
    return { line, verdict: { ok: false, message } };
  }
  return { line };
}

function withDetails(message: string, last: ArgoApplication | undefined): string {
  const details = last ? unhealthyResources(last) : [];
  return `${message}${details.length ? `\n${details.map((d) => `  - ${d}`).join('\n')}` : ''}`;
}

async function waitPhase(c: ArgoContext, git: Git): Promise<void> {
  const { argo, client, report } = c;
  const { logger, clock, signal } = c.deps;
  const sha = report.commitSha;
  const includes = revisionChecker(git, report.pushBranch, sha);
  report.phase = 'wait';
  let first = !argo.sync;
  let last: ArgoApplication | undefined;
  let lastLine = '';
  const outcome = await logger.group(
    `Wait for ${argo.application} to be Synced at ${sha.slice(0, 12)} and Healthy`,
    () =>
      waitFor<Verdict>(
        async () => {
          // The first look asks Argo to compare with git now instead of at its next poll.
          const app = await client.get(argo.application, { refresh: first, signal });
          first = false;
          last = app;
          noteStatus(report, app);
          const { verdict, line } = await judge(app, c, includes);
          if (line !== lastLine) logger.info(`Argo CD: ${line}`);
          lastLine = line;
          return verdict;
        },
        { clock, deadline: c.deadline, signal, intervalMs: 500, factor: 1.5, maxIntervalMs: 5000 },
      ),
  );
  if (!outcome.done) {
    if (outcome.reason === 'aborted') throw cancellation(signal, 'wait');
    throw new Error(
      withDetails(
        `Argo CD: ${argo.application} was not Synced at ${sha.slice(0, 12)} and Healthy within ${formatDuration(c.timeoutMs)} (last: ${lastLine || 'no answer'}).`,
        last,
      ),
    );
  }
  if (!outcome.value.ok) {
    report.argoMessage = outcome.value.message;
    throw new Error(withDetails(`Argo CD: ${argo.application} ${outcome.value.message}`, last));
  }
  logger.info(`Argo CD: ${argo.application} is Synced at ${sha.slice(0, 12)} and Healthy.`);
}

export async function argoPhase(
  inputs: BumpInputs,
  deps: ArgoDeps,
  report: ArgoReport,
  git: Git,
  context: { deadline: number; ours: OurSources },
): Promise<void> {
  const argo = inputs.argocd;
  if (!argo || !deps.argo) return;
  const c: ArgoContext = {
    argo,
    client: deps.argo(),
    deps,
    report,
    ours: context.ours,
    deadline: context.deadline,
    timeoutMs: inputs.timeoutMs,
  };
  if (argo.sync) await syncPhase(c);
  if (argo.wait) await waitPhase(c, git);
  else if (argo.sync)
    noteStatus(report, await c.client.get(argo.application, { signal: deps.signal }));
}
