import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import { systemClock } from '../../shared/clock.ts';
import { errorMessage } from '../../shared/errors.ts';
import { processRunner } from '../../shared/exec.ts';
import { basicAuthHeader, Git } from '../../shared/git.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { writeSummary } from '../../shared/summary.ts';
import { ArgoClient } from './argocd.ts';
import { GitHubPulls } from './github.ts';
import type { BumpInputs } from './inputs.ts';
import { bumpImage, newReport, type BumpReport } from './run.ts';
import { bumpSummary } from './summary.ts';

function setOutputs(r: BumpReport): void {
  // `unknown`: an interrupted push whose landing the remote could not confirm or deny.
  core.setOutput('changed', r.pushUnknown ? 'unknown' : String(r.changed));
  core.setOutput('commit-sha', r.commitSha);
  core.setOutput('pr-url', r.prUrl);
  core.setOutput('sync-status', r.syncStatus);
  core.setOutput('health-status', r.healthStatus);
}

/** Runs the logic with the runner's dependencies; outputs and summary also on failure. */
export async function main(inputs: BumpInputs, signal: AbortSignal): Promise<void> {
  // Masked before anything can print them: the token, and the header git would send.
  if (inputs.token) {
    coreLogger.secret(inputs.token);
    coreLogger.secret(basicAuthHeader(inputs.token).replace(/^AUTHORIZATION: basic /, ''));
  }
  if (inputs.argocd) coreLogger.secret(inputs.argocd.token);
  const base = process.env.RUNNER_TEMP || tmpdir();
  const workdir = await mkdtemp(path.join(base, 'argocd-bump-image-'));
  const report = newReport(inputs, systemClock);
  const http = createHttpClient({
    userAgent: 'mlops-actions/argocd-bump-image',
    timeoutMs: 30_000,
    // No API call or retry outlives `timeout`.
    deadline: () => report.startedAt + inputs.timeoutMs,
    onRetry: (m) => coreLogger.info(m),
  });
  const { argocd } = inputs;
  const { github } = inputs.remote;
  try {
    await bumpImage(
      inputs,
      {
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
      },
      report,
    );
  } catch (error) {
    report.durationMs = systemClock.now() - report.startedAt;
    setOutputs(report);
    await writeSummary(bumpSummary(inputs, report, errorMessage(error)));
    throw error;
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
  setOutputs(report);
  await writeSummary(bumpSummary(inputs, report, undefined));
}
