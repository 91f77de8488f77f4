import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { systemClock } from '../../shared/clock.ts';
import { errorMessage, InputError } from '../../shared/errors.ts';
import { processRunner, which } from '../../shared/exec.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import { configDirState } from './cleanup.ts';
import type { BuildInputs } from './inputs.ts';
import { loginProviderFor } from './login.ts';
import { buildPushImage, newReport, type Report } from './run.ts';
import { installTrivy } from './scan.ts';
import { buildSummary } from './summary.ts';

function setOutputs(r: Report): void {
  core.setOutput('image', r.refs[0] ?? '');
  core.setOutput('tags', r.refs.join('\n'));
  core.setOutput('digest', r.digest ?? '');
  core.setOutput('image-ref', r.imageRef ?? '');
  core.setOutput('skipped', String(r.skipped));
}

/** Builder output shown live, fenced so a RUN step cannot issue workflow commands. */
async function streamOutput<T>(fn: (write: (chunk: string) => void) => Promise<T>): Promise<T> {
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n`);
  try {
    return await fn((chunk) => process.stdout.write(chunk));
  } finally {
    process.stdout.write(`\n::${token}::\n`);
  }
}

/** Runs the logic with the runner's dependencies; outputs and summary also on failure. */
export async function main(inputs: BuildInputs, signal: AbortSignal): Promise<void> {
  if (inputs.password) coreLogger.secret(inputs.password);
  const report = newReport(systemClock);
  const http = createHttpClient({
    userAgent: 'mlops-actions/build-push-image',
    timeoutMs: 30_000,
    deadline: () => report.startedAt + inputs.timeoutMs,
    onRetry: (m) => coreLogger.info(m),
  });
  const loginProvider = loginProviderFor(
    inputs.registryType,
    inputs.username !== undefined && inputs.password !== undefined
      ? { username: inputs.username, password: inputs.password }
      : undefined,
  );
  try {
    await buildPushImage(
      inputs,
      {
        runner: processRunner,
        http,
        clock: systemClock,
        logger: coreLogger,
        env: process.env,
        signal,
        workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
        tempDir: process.env.RUNNER_TEMP || tmpdir(),
        ...(loginProvider ? { loginProvider } : {}),
        onConfigDir: (dir) => configDirState.save(runnerState, dir),
        streamOutput,
        trivy: async () => {
          const tc = await import('@actions/tool-cache');
          return installTrivy({
            version: inputs.scanVersion,
            ...(inputs.scanChecksum ? { checksum: inputs.scanChecksum } : {}),
            tc,
            which: async () => which('trivy'),
          });
        },
      },
      report,
    );
  } catch (error) {
    report.durationMs = systemClock.now() - report.startedAt;
    // A bad input (a missing Dockerfile) changed nothing: no outputs, as for the other inputs.
    if (!(error instanceof InputError)) setOutputs(report);
    await writeSummary(buildSummary(inputs, report, errorMessage(error)));
    throw error;
  }
  report.durationMs = systemClock.now() - report.startedAt;
  setOutputs(report);
  await writeSummary(buildSummary(inputs, report));
}
