/**
 * The baseline of an `inference-service` with no `baseline-*` input: when the InferenceService
 * holds a canary (rollout-and-verify `canary: hold`), the candidate is the canary revision and
 * the baseline the stable one — the split's other side (tag `prev`), KServe's
 * latestRolledoutRevision — each reached through its Knative private Service
 * `<revision>-private`, port `http` (knative serving pkg/reconciler/serverlessservice/resources),
 * through the API server's service proxy. Without a split the candidate stays the predictor
 * Service and there is no baseline; the note says why (the summary shows it).
 */
import { canarySplit } from '../../shared/kube/revisions.ts';
import type { KubeClient, KubeObject } from '../../shared/kube/types.ts';
import type { AnalyzeInputs } from './inputs.ts';
import type { Check } from './report.ts';
import { inferenceServiceOf, type TargetSpec } from './targets.ts';

/** The port name of Knative's private Service of a revision (80 → the queue-proxy). */
export const REVISION_PORT = 'http';

export interface CanaryTargets {
  /** The inputs with the targets resolved (unchanged when nothing was resolved). */
  inputs: AnalyzeInputs;
  /** What the targets are and why (for the summary and the log). */
  note?: string;
  /** A comparison was asked for but no baseline exists: an inconclusive check. */
  missingBaseline?: Check;
}

function revisionTarget(namespace: string, revision: string, role: string): TargetSpec {
  return {
    kind: 'service',
    namespace,
    name: `${revision}-private`,
    port: REVISION_PORT,
    label: `${role} revision ${revision}`,
  };
}

/** An `inference-service` with no `baseline-*`: its canary split decides the targets. */
function needsCanaryLookup(inputs: AnalyzeInputs): boolean {
  return inputs.targets.length === 1 && inferenceServiceOf(inputs.targets[0]) !== undefined;
}

/** Resolves the targets as the module comment says; `client` reads the InferenceService. */
export async function canaryTargets(
  inputs: AnalyzeInputs,
  client: Pick<KubeClient, 'request' | 'namespace'>,
): Promise<CanaryTargets> {
  const ref = inferenceServiceOf(inputs.targets[0]);
  if (!ref || !needsCanaryLookup(inputs)) return { inputs };
  const namespace = ref.namespace ?? inputs.namespace ?? client.namespace ?? 'default';
  const what = `InferenceService ${namespace}/${ref.name}`;
  const res = await client.request({
    method: 'GET',
    path: `/apis/serving.kserve.io/v1beta1/namespaces/${namespace}/inferenceservices/${ref.name}`,
    okStatuses: [404],
  });
  const { split, found } =
    res.status === 404
      ? { split: undefined, found: 'it was not found' }
      : canarySplit(res.json<KubeObject>());
  if (split) {
    return {
      inputs: {
        ...inputs,
        targets: [
          revisionTarget(namespace, split.canary, 'canary'),
          revisionTarget(namespace, split.stable, 'stable'),
        ],
      },
      note: `${what} holds a canary at ${split.percent} %: the candidate is the canary revision ${split.canary}, the baseline the stable revision ${split.stable} (KServe's latestRolledoutRevision), each through its Service ${split.canary}-private / ${split.stable}-private.`,
    };
  }
  const note = `No baseline: ${what} holds no canary: ${found}; the candidate is its predictor Service ${namespace}/${ref.name}-predictor, judged by the thresholds only.`;
  const asked = inputs.maxRegression.length > 0 || inputs.predictionPath !== undefined;
  // Without a baseline the predictions cannot be compared: not tracked at all.
  const rest = { ...inputs };
  delete rest.predictionPath;
  delete rest.maxPredictionChange;
  return {
    inputs: rest,
    note,
    ...(asked
      ? {
          missingBaseline: {
            name: 'baseline',
            kind: 'regression',
            measured: `none: ${what} holds no canary`,
            verdict: 'inconclusive',
          },
        }
      : {}),
  };
}
