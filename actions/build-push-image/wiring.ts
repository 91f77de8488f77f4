/**
 * build-push-image wired to the runner: the real command runner, HTTP client, clock, logger,
 * logins and Trivy install; the outputs and summary derived from the report. Loaded by main.ts
 * only once the inputs are valid.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { systemClock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { errorMessage } from '../../shared/errors.ts';
import { processRunner, which } from '../../shared/exec.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import { configDirState } from './cleanup.ts';
import { newContext, type BuildContext } from './context.ts';
import type { BuildInputs } from './inputs.ts';
import { acrLogin } from './acr-login.ts';
import { loginProviderFor } from './login.ts';
import { newReport, reportOutputs, type BuildReport } from './report.ts';
import { PHASES } from './run.ts';
import { installTrivy } from './scan.ts';
import { buildSummary } from './summary.ts';

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

/** Trivy from PATH, else installed at the pinned version (checksum verified). */
async function trivyFor(inputs: BuildInputs): Promise<{ path: string; source: string }> {
  const tc = await import('@actions/tool-cache');
  const { downloadToFile } = await import('../../shared/download.ts');
  // The release is fetched over the one transport (proxy, retry, redaction); tool-cache only
  // extracts and caches it.
  const http = createHttpClient({
    userAgent: 'mlops-actions/build-push-image',
    timeoutMs: 300_000,
  });
  return installTrivy({
    version: inputs.scanVersion,
    ...(inputs.scanChecksum ? { checksum: inputs.scanChecksum } : {}),
    tc: { ...tc, downloadTool: (url) => downloadToFile(http, url) },
    which: async () => which('trivy'),
  });
}

/** The post step's state, from the report: the credentials directory to remove. */
function savePostState(report: BuildReport): void {
  if (report.configDir) configDirState.save(runnerState, report.configDir);
}

export function context(inputs: BuildInputs, signal: AbortSignal): BuildContext {
  if (inputs.password) coreLogger.secret(inputs.password);
  const azure = inputs.azure?.credentials;
  if (azure?.kind === 'oidc') coreLogger.secret(azure.oidc.token);
  if (azure?.kind === 'secret') coreLogger.secret(azure.secret);
  const deadline = Deadline.after(inputs.timeoutMs, systemClock);
  const http = createHttpClient({
    userAgent: 'mlops-actions/build-push-image',
    timeoutMs: 30_000,
    deadline: () => deadline.at,
    onRetry: (m) => coreLogger.info(m),
  });
  const loginProvider = inputs.azure
    ? acrLogin(inputs.azure, () => ({
        http,
        clock: systemClock,
        onSecret: (v) => coreLogger.secret(v),
      }))
    : loginProviderFor(
        inputs.registryType,
        inputs.username !== undefined && inputs.password !== undefined
          ? { username: inputs.username, password: inputs.password }
          : undefined,
      );
  const deps = {
    runner: processRunner,
    http,
    clock: systemClock,
    logger: coreLogger,
    env: process.env,
    signal,
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: process.env.RUNNER_TEMP || tmpdir(),
    ...(loginProvider ? { loginProvider } : {}),
    savePostState,
    streamOutput,
    trivy: () => trivyFor(inputs),
  };
  return newContext(inputs, deps, deadline);
}

export const report = (ctx: BuildContext): BuildReport => newReport(ctx.inputs.image);

export const phases = PHASES;

export const outputs = reportOutputs;

export function summary(r: BuildReport, error?: unknown): string {
  return buildSummary(r, error === undefined ? undefined : errorMessage(error));
}
