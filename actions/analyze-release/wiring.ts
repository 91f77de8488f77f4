/**
 * analyze-release's body, loaded once the inputs are valid: the load's pools and clock, and
 * outputs, summary and verdict derived from the report the phases filled in.
 */
import { writeStepFile } from '../../shared/step-files.ts';
import type { ActionBody, ActionOutputs } from '../../shared/define-action.ts';
import { systemClock } from '../../shared/clock.ts';
import { coreLogger } from '../../shared/logger.ts';
import { secretHeaderValues, type AnalyzeInputs } from './inputs.ts';
import { analyzeReport, type AnalyzeContext, type AnalyzeReport } from './report.ts';
import { canaryTargets } from './canary-targets.ts';
import type { KubeClient } from '../../shared/kube/types.ts';

import { analyzePhases } from './run.ts';
import { prometheusApi } from './prometheus.ts';
import { QueryWatch } from './query-watch.ts';
import { createSender, type Sender } from './sender.ts';
import { targetUrl } from './targets.ts';
import { connectToCluster, type ClusterConnection } from '../../shared/kube/auth.ts';
import { kubeClientFor } from '../../shared/kube/client.ts';
import { HpaWatch } from './hpa.ts';
import { createHttpClient } from '../../shared/http.ts';
import { analyzeSummary } from './summary.ts';

/**
 * The run's one cluster connection (one kubeconfig read, one exec-plugin credential), shared
 * by the load's service targets and the API client; made only when something needs it.
 */
interface Cluster {
  connection: ClusterConnection;
  /** The API client (retries, deadline) for what reads objects: the HPA, a canary. */
  client: KubeClient;
}

/** Service targets (an inference-service is one) and `hpa` need the cluster; URLs do not. */
function needsCluster(inputs: AnalyzeInputs): boolean {
  return inputs.hpa !== undefined || inputs.targets.some((t) => t.kind === 'service');
}

async function clusterOf(inputs: AnalyzeInputs, signal: AbortSignal): Promise<Cluster | undefined> {
  if (inputs.kubeconfig === undefined || !needsCluster(inputs)) return undefined;
  // The kubeconfig's credentials are masked by connectToCluster before anything is logged.
  const connection = await connectToCluster(inputs.kubeconfig, undefined, coreLogger);
  const client = kubeClientFor(connection, {
    logger: coreLogger,
    clock: systemClock,
    signal,
    requestTimeoutMs: 10_000,
  });
  return { connection, client };
}

/** One sender per target; service targets go through the API server on the run's connection. */
function sendersOf(inputs: AnalyzeInputs, conn: ClusterConnection | undefined): Sender[] {
  const cluster = conn && {
    server: conn.server,
    namespace: inputs.namespace ?? conn.namespace,
  };
  return inputs.targets.map((target) => {
    const viaApi = target.kind === 'service' && conn;
    const agent = viaApi ? conn.agent() : undefined;
    return createSender({
      url: targetUrl(target, inputs.path, cluster),
      method: inputs.method,
      headers: inputs.headers,
      timeoutMs: inputs.requestTimeoutMs,
      clock: systemClock,
      keepBodies: inputs.predictionPath !== undefined,
      ...(agent ? { agent } : {}),
      ...(viaApi ? { authHeaders: () => conn.authHeaders() } : {}),
    });
  });
}

/** The HPA, watched through the shared Kubernetes client. */
function hpaWatch(inputs: AnalyzeInputs, client: KubeClient): HpaWatch {
  const ref = inputs.hpa as NonNullable<AnalyzeInputs['hpa']>;
  const namespace = ref.namespace ?? inputs.namespace ?? client.namespace ?? 'default';
  return new HpaWatch(client, namespace, ref.name, systemClock, coreLogger);
}

async function contextOf(given: AnalyzeInputs, signal: AbortSignal): Promise<AnalyzeContext> {
  for (const secret of secretHeaderValues(given)) coreLogger.secret(secret);
  const cluster = await clusterOf(given, signal);
  const client = cluster?.client;
  // An inference-service with a held canary: canary vs stable revision (canary-targets.ts).
  const resolved = client ? await canaryTargets(given, client) : { inputs: given };
  const inputs = resolved.inputs;
  if (resolved.note) coreLogger.info(resolved.note);
  const prom = inputs.prometheus;
  // Prometheus is an API: the one HTTP client (bounded, two attempts, redacted errors).
  const queries =
    prom &&
    new QueryWatch(
      prometheusApi(
        prom.url,
        prom.token,
        createHttpClient({ clock: systemClock, timeoutMs: 10_000, attempts: 2 }),
      ),
      prom.queries,
      prom.failureLimit,
    );
  const hpa = inputs.hpa && client ? hpaWatch(inputs, client) : undefined;
  return {
    inputs,
    ...(resolved.note ? { targetsNote: resolved.note } : {}),
    ...(resolved.missingBaseline ? { missingBaseline: resolved.missingBaseline } : {}),
    ...(queries ? { queries } : {}),
    ...(hpa ? { hpa } : {}),
    clock: systemClock,
    logger: coreLogger,
    signal,
    senders: sendersOf(inputs, cluster?.connection),
    writeReport: (json) => writeStepFile(inputs.outputDir, 'analyze-release', 'report.json', json),
  };
}

/** Outputs once judged (a failed phase before that sets none); the load's figures with a load. */
function outputsOf(report: AnalyzeReport): ActionOutputs {
  const c = report.candidate;
  if (!report.verdict) return {};
  const judged = { verdict: report.verdict, report: report.reportPath };
  if (!c) return judged;
  return {
    ...judged,
    'latency-p50': String(c.latencyMs.p50),
    'latency-p95': String(c.latencyMs.p95),
    'latency-p99': String(c.latencyMs.p99),
    'error-rate': String(Number(c.errorRate.toFixed(6))),
    throughput: String(c.throughput),
  };
}

/** The report; a comparison asked for with no baseline to compare with is inconclusive. */
function reportOf(ctx: AnalyzeContext): AnalyzeReport {
  const r = analyzeReport(ctx);
  if (ctx.missingBaseline) r.checks.push(ctx.missingBaseline);
  return { ...r, ...(ctx.targetsNote ? { targetsNote: ctx.targetsNote } : {}) };
}

function summaryOf(report: AnalyzeReport, error?: unknown): string | undefined {
  if (error !== undefined || !report.verdict) return undefined;
  const text = analyzeSummary(report);
  if (!report.targetsNote) return text;
  // The targets under the heading: canary vs stable revision, or why there is no baseline.
  const cut = text.indexOf('\n\n');
  const note = report.targetsNote;
  return cut < 0 ? `${text}\n\n${note}\n` : `${text.slice(0, cut)}\n\n${note}${text.slice(cut)}`;
}

function verdictOf(report: AnalyzeReport): void {
  const verdict = report.verdict ?? 'inconclusive';
  const failOn = report.inputs.failOn;
  const failing = report.checks
    .filter((c) => c.verdict !== 'pass')
    .map((c) => `${c.name} ${c.verdict} (${c.measured})`);
  if (verdict === 'fail' && failOn !== 'never') {
    throw new Error(`verdict fail: ${failing.join('; ')}`);
  }
  if (verdict === 'inconclusive' && failOn === 'inconclusive') {
    throw new Error(`verdict inconclusive (fail-on: inconclusive): ${failing.join('; ')}`);
  }
  coreLogger.info(`Verdict: ${verdict}`);
}

const body: ActionBody<AnalyzeInputs, AnalyzeContext, AnalyzeReport> = {
  context: contextOf,
  report: reportOf,
  phases: analyzePhases,
  outputs: outputsOf,
  summary: summaryOf,
  verdict: verdictOf,
  group: () => 'analyze-release: load and judge',
};
export const { context, report, phases, outputs, summary, verdict } = body;
