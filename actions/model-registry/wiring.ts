/**
 * model-registry's body, loaded once the inputs are valid: the MLflow client on the one HTTP
 * stack, and outputs, summary and verdict derived from the report the phases filled in.
 */
import { writeStepFile } from '../../shared/step-files.ts';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { secretsOf, type RegistryInputs } from './inputs.ts';
import { MlflowClient } from './mlflow.ts';
import {
  registryReport,
  type RegistryContext,
  type RegistryReport,
  type RunFacts,
} from './report.ts';
import { registryPhases } from './run.ts';
import { registrySummary } from './summary.ts';

function authHeader(inputs: RegistryInputs): Record<string, string> {
  const a = inputs.auth;
  if (a.kind === 'token') return { authorization: `Bearer ${a.token}` };
  if (a.kind === 'basic') {
    return {
      authorization: `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`,
    };
  }
  return {};
}

function runFacts(env: NodeJS.ProcessEnv): RunFacts {
  const { GITHUB_SHA, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  const runUrl =
    GITHUB_SERVER_URL && GITHUB_REPOSITORY && /^\d+$/.test(GITHUB_RUN_ID ?? '')
      ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
      : undefined;
  return { ...(GITHUB_SHA ? { commit: GITHUB_SHA } : {}), ...(runUrl ? { runUrl } : {}) };
}

function contextOf(inputs: RegistryInputs, signal: AbortSignal): RegistryContext {
  for (const secret of secretsOf(inputs)) coreLogger.secret(secret);
  const deadline = systemClock.now() + inputs.timeoutMs;
  const headers = authHeader(inputs);
  const http = createHttpClient({
    userAgent: 'mlops-actions/model-registry',
    clock: systemClock,
    timeoutMs: 30_000,
    connectTimeoutMs: 15_000,
    // The step's timeout: every request's timeout shrinks to the time left, and no retry (nor
    // a server's Retry-After) is waited for past it.
    deadline: () => deadline,
    authHeaders: () => Promise.resolve(headers),
    onRetry: (message) => coreLogger.info(message),
  });
  return {
    inputs,
    mlflow: new MlflowClient({ trackingUri: inputs.trackingUri, http, signal }),
    clock: systemClock,
    logger: coreLogger,
    signal,
    facts: runFacts(process.env),
    writeMetrics: (json) => writeStepFile(inputs.outputDir, 'model-registry', 'metrics.json', json),
  };
}

/** Outputs as far as the phases got; `passed` only when a gate ran. */
function outputsOf(report: RegistryReport): ActionOutputs {
  const { operation } = report.inputs;
  const v = report.version;
  const a = report.alias;
  const moved = a?.after !== undefined;
  // promote: the version only once the alias points at it (a later rollback keys on it);
  // rollback: where the alias points now.
  const shown = operation === 'resolve' || (operation === 'promote' && moved) ? v : undefined;
  return {
    version: operation === 'rollback' ? (moved ? a.after : undefined) : shown?.version,
    source: shown?.source,
    'run-id': shown?.runId,
    metrics: report.metricsPath,
    params: report.params && JSON.stringify(report.params),
    passed: report.passed === undefined ? undefined : String(report.passed),
    'champion-version': report.champion ? (report.champion.version ?? '') : undefined,
    'previous-version': moved ? a.before : undefined,
  };
}

function summaryOf(report: RegistryReport, error?: unknown): string | undefined {
  if (error !== undefined) return undefined;
  return registrySummary(report);
}

function verdictOf(report: RegistryReport): void {
  if (report.passed !== false) return;
  const failing = report.checks.filter((c) => c.verdict === 'fail').map((c) => c.why);
  const text = `gate failed for model '${report.inputs.modelName}' version ${report.version?.version ?? '?'}: ${failing.join('; ')}`;
  if (report.inputs.failOnGate) throw new Error(text);
  coreLogger.warning(`${text} (fail-on-gate: false)`);
}

const body: ActionBody<RegistryInputs, RegistryContext, RegistryReport> = {
  context: contextOf,
  report: registryReport,
  phases: registryPhases,
  outputs: outputsOf,
  summary: summaryOf,
  verdict: verdictOf,
  group: (ctx) => `model-registry: ${ctx.inputs.operation} '${ctx.inputs.modelName}'`,
};
export const { context, report, phases, outputs, summary, verdict } = body;
