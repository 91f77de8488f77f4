/**
 * setup-cluster-auth wired to the runner (loaded once the inputs are valid): the HTTP client,
 * runner state, clock and the bundled credential command; outputs and the job summary come
 * from the report.
 */
import * as path from 'node:path';
import * as core from '@actions/core';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { which } from '../../shared/exec.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import type { SetupInputs } from './inputs.ts';
import type { RunDeps, SetupContext, SetupReport } from './report.ts';
import { setupPhases } from './run.ts';
import { setupSummary } from './summary.ts';
import { USER_AGENT } from './user-agent.ts';

export function runnerDeps(): RunDeps {
  const script = path.join(path.dirname(process.argv[1] ?? ''), 'exec-credential', 'index.js');
  return {
    logger: coreLogger,
    state: runnerState,
    http: createHttpClient({ userAgent: USER_AGENT, onRetry: (m) => coreLogger.info(m) }),
    env: process.env,
    which: (command) => which(command),
    userAgent: USER_AGENT,
    execCredential: { node: process.execPath, script },
    clock: systemClock,
    exportVariable: (name, value) => core.exportVariable(name, value),
  };
}

export function setupOutputs(report: SetupReport, error?: unknown): ActionOutputs {
  const result = report.result;
  if (error !== undefined || !result) return {};
  return {
    'kubeconfig-path': result.kubeconfigPath,
    context: result.context,
    'cluster-endpoint': result.endpoint,
  };
}

/** The body with the given dependencies (the runner's by default; tests pass fakes). */
export function setupBody(
  deps: () => RunDeps = runnerDeps,
): ActionBody<SetupInputs, SetupContext, SetupReport> {
  return {
    context: (inputs, signal) => ({ ...deps(), inputs, signal }),
    report: () => ({ phases: [], files: [] }),
    phases: setupPhases,
    group: (ctx) => `Set up ${ctx.inputs.provider} cluster credentials`,
    outputs: setupOutputs,
    // A failed setup writes no summary of its own: the failure summary says why.
    summary: (report, error) =>
      error !== undefined || !report.result ? undefined : setupSummary(report.result),
  };
}

export const { context, report, phases, outputs, summary, group } = setupBody();
