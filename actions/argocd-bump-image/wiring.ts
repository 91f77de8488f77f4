/**
 * argocd-bump-image's body, loaded once the inputs are valid: the runner's dependencies, and
 * outputs and summary derived from the report (also after a failure: a push that landed is
 * said even when a later phase fails).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { errorMessage } from '../../shared/errors.ts';
import { processRunner } from '../../shared/exec.ts';
import { basicAuthHeader, Git } from '../../shared/git.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { ArgoClient } from './argocd.ts';
import { GitHubPulls } from './github.ts';
import type { BumpInputs } from './inputs.ts';
import { bumpPhases, newReport, type BumpContext, type BumpReport } from './run.ts';
import { bumpSummary } from './summary.ts';

function contextOf(inputs: BumpInputs, signal: AbortSignal): BumpContext {
  // Masked before anything can print them: the token, and the header git would send.
  if (inputs.token) {
    coreLogger.secret(inputs.token);
    coreLogger.secret(basicAuthHeader(inputs.token).replace(/^AUTHORIZATION: basic /, ''));
  }
  if (inputs.argocd) coreLogger.secret(inputs.argocd.token);
  const deadline = Deadline.after(inputs.timeoutMs, systemClock);
  const workdir = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), 'argocd-bump-image-'));
  const http = createHttpClient({
    userAgent: 'mlops-actions/argocd-bump-image',
    timeoutMs: 30_000,
    // No API call or retry outlives `timeout`.
    deadline: () => deadline.at,
    onRetry: (m) => coreLogger.info(m),
  });
  const { argocd } = inputs;
  const { github } = inputs.remote;
  return {
    inputs,
    deadline,
    git: (dir) =>
      new Git(processRunner, {
        cwd: dir,
        ...(inputs.remote.origin && inputs.token
          ? { auth: { origin: inputs.remote.origin, token: inputs.token } }
          : {}),
        timeoutMs: 300_000,
        signal,
      }),
    ...(argocd ? { argo: () => new ArgoClient(http, argocd.server, argocd.token) } : {}),
    ...(github
      ? {
          pulls: () =>
            new GitHubPulls(http, github.apiUrl, inputs.token, github.owner, github.repo),
        }
      : {}),
    logger: coreLogger,
    clock: systemClock,
    signal,
    workdir,
  };
}

/** Outputs also after a failure: a push that landed says so. */
function outputsOf(r: BumpReport): ActionOutputs {
  return {
    // `unknown`: an interrupted push whose landing the remote could not confirm or deny.
    changed: r.pushUnknown ? 'unknown' : String(r.changed),
    'commit-sha': r.commitSha,
    'pr-url': r.prUrl,
    'sync-status': r.syncStatus,
    'health-status': r.healthStatus,
  };
}

const body: ActionBody<BumpInputs, BumpContext, BumpReport> = {
  context: contextOf,
  report: (ctx) => newReport(ctx.inputs, ctx.clock),
  phases: bumpPhases,
  outputs: outputsOf,
  group: (ctx) => `Bump ${ctx.inputs.imageName} in ${ctx.inputs.remote.display}`,
  // The clone (with the token in its git config) goes however the step ends.
  dispose: (ctx) => rmSync(ctx.workdir, { recursive: true, force: true }),
  summary: (report, error) => {
    if (error !== undefined) report.durationMs = systemClock.now() - report.startedAt;
    return bumpSummary(
      report.inputs,
      report,
      error === undefined ? undefined : errorMessage(error),
    );
  },
};
export const { context, report, phases, outputs, summary, group, dispose } = body;
