/**
 * `finish-canary`: the step after the analysis of a canary held by `canary: hold`. It reads the
 * InferenceService (`inference-service`), refuses when it holds no canary, and then
 * - promote: clears `canaryTrafficPercent` and waits until the canary revision serves 100 %;
 * - rollback: sets it to 0 (KServe's rollback) and waits until the stable revision — the one
 *   the split's `prev` side names, KServe's latestRolledoutRevision — serves 100 % again.
 * Both by server-side apply as field manager mlops-actions (only the fields it owns, so
 * nothing another manager set is removed), on the version just read; the waits watch.
 */
import { generationObserved, KubeApiError, type KubeObject } from '../../shared/kube/index.ts';
import {
  canarySplit,
  predictorStatus,
  shownTraffic,
  type CanarySplit,
} from '../../shared/kube/revisions.ts';
import { withRetry } from '../../shared/retry.ts';
import { checkedEndpoint, failureReasonOutput } from './cluster-values.ts';
import { isRecord } from '../../shared/server-values.ts';
import { applySpec, ISVC_KIND, isvcPath, ownedSpec, waitIsvc } from './isvc.ts';
import type { Manifest } from './manifests.ts';
import type { ResourceRow } from './record.ts';
import type { FinishCanaryInputs } from './inputs.ts';
import type { RolloutContext, RolloutReport } from './pipeline.ts';

export const ISVC_API_VERSION = 'serving.kserve.io/v1beta1';

/** The object the finish works on, as a manifest of its own (no file). */
export function isvcManifest(namespace: string, name: string): Manifest {
  return {
    object: { apiVersion: ISVC_API_VERSION, kind: ISVC_KIND, metadata: { name, namespace } },
    apiVersion: ISVC_API_VERSION,
    kind: ISVC_KIND,
    name,
    namespace,
    plural: 'inferenceservices',
    file: '',
    line: undefined,
  };
}

/** What this field manager owns of the spec, with the canary percentage set (undefined: cleared). */
function specWithPercent(live: KubeObject, percent: number | undefined): Record<string, unknown> {
  const spec = ownedSpec(live);
  const predictor = isRecord(spec.predictor) ? spec.predictor : {};
  if (percent === undefined) delete predictor.canaryTrafficPercent;
  else predictor.canaryTrafficPercent = percent;
  spec.predictor = predictor;
  return spec;
}

/** Reads the InferenceService: it must exist and hold a canary (one clear error otherwise). */
async function readHeld(
  ctx: RolloutContext,
  finish: FinishCanaryInputs,
  m: Manifest,
): Promise<{ live: KubeObject; canary: CanarySplit }> {
  const what = `InferenceService ${m.namespace ?? 'default'}/${m.name}`;
  const verb = finish.action === 'promote' ? 'promote' : 'roll back';
  const res = await ctx.client.request({ method: 'GET', path: isvcPath(m), okStatuses: [404] });
  if (res.status === 404) {
    throw new Error(`finish-canary: ${what} not found: there is no canary to ${verb}`);
  }
  const live = res.json<KubeObject>();
  const held = canarySplit(live);
  if (!held.split) {
    throw new Error(
      `finish-canary: ${what} holds no canary to ${verb}: ${held.found}. Apply it with 'canary: hold' first.`,
    );
  }
  return { live, canary: held.split };
}

/** Applies the finish on the version just read; a 409 (it changed since) reads it again. */
async function applyFinish(
  ctx: RolloutContext,
  finish: FinishCanaryInputs,
  m: Manifest,
): Promise<{ canary: CanarySplit; generation: number }> {
  const once = async (): Promise<{ canary: CanarySplit; generation: number }> => {
    const { live, canary } = await readHeld(ctx, finish, m);
    const spec = specWithPercent(live, finish.action === 'promote' ? undefined : 0);
    const applied = await applySpec(
      m,
      spec,
      ctx.inputs.runId,
      ctx.client,
      live.metadata.resourceVersion,
    );
    return { canary, generation: applied.metadata.generation ?? 0 };
  };
  return withRetry(
    once,
    (error) => ({ retry: error instanceof KubeApiError && error.status === 409 }),
    { attempts: 5, baseDelayMs: 1, minDelayMs: 0, clock: ctx.clock, signal: ctx.signal },
  );
}

/** The phase: read, apply, watch until the revision it finishes on serves 100 %. */
export async function finishCanaryPhase(ctx: RolloutContext, r: RolloutReport): Promise<void> {
  const finish = ctx.inputs.finishCanary;
  if (!finish) return;
  const namespace = finish.namespace ?? ctx.inputs.namespace ?? ctx.client.namespace ?? 'default';
  const m = isvcManifest(namespace, finish.name);
  const what = `InferenceService ${namespace}/${finish.name}`;
  ctx.record.phase('finish-canary');
  const { canary, generation } = await applyFinish(ctx, finish, m);
  const target = finish.action === 'promote' ? canary.canary : canary.stable;
  const row: ResourceRow = {
    kind: ISVC_KIND,
    namespace,
    name: finish.name,
    action: finish.action === 'promote' ? 'canary promoted' : 'canary rolled back',
    state: '',
    ok: false,
  };
  ctx.record.rows.push(row);
  ctx.record.note(
    finish.action === 'promote'
      ? `${what}: canary ${canary.canary} (${canary.percent} %) promoted: canaryTrafficPercent cleared`
      : `${what}: canary ${canary.canary} (${canary.percent} %) rolled back: canaryTrafficPercent 0, ${canary.stable} takes the traffic back`,
  );
  const waited = await waitIsvc(
    m,
    (obj) => {
      const p = predictorStatus(obj);
      const full = p.traffic?.find((t) => t.percent === 100 && t.revisionName === target);
      return generationObserved(obj, generation) && full ? p : undefined;
    },
    ctx.deadlines.step.at,
    ctx,
  );
  r.finished = finishedResult(ctx, finish.action, what, target, waited);
  row.ok = r.finished.ok;
  row.state = r.finished.ok ? `${target} serves 100 %` : 'not finished';
}

function finishedResult(
  ctx: RolloutContext,
  action: FinishCanaryInputs['action'],
  what: string,
  target: string,
  waited: { value?: unknown; last?: KubeObject },
): NonNullable<RolloutReport['finished']> {
  if (waited.value) {
    const text = `${what}: ${target} serves 100 % of the traffic (${shownTraffic(predictorStatus(waited.last))})`;
    ctx.record.note(text, action === 'promote' ? 'success' : 'warning');
    // KServe's status.url (often plain http): a server value, used only when it is a plain URL.
    const endpoint = checkedEndpoint((waited.last?.status as { url?: unknown } | undefined)?.url);
    return { action, ok: true, revision: target, message: text, endpoint };
  }
  const traffic = shownTraffic(predictorStatus(waited.last)) || 'none';
  const text = `${what}: ${target} did not take 100 % of the traffic before the timeout (traffic: ${traffic})`;
  ctx.record.note(text, 'failure');
  return { action, ok: false, revision: target, message: text };
}

/** The run's outcome from the finish (status, revision, endpoint, failure). */
export function finishOutcome(ctx: RolloutContext, r: RolloutReport): void {
  const f = r.finished;
  if (!f) return;
  const status = !f.ok ? 'failed' : f.action === 'promote' ? 'succeeded' : 'rolled-back';
  r.result = {
    status,
    endpoint: f.endpoint ?? '',
    revision: f.ok ? f.revision : '',
    failureReason: f.ok ? '' : failureReasonOutput({ reason: 'Timeout', message: f.message }),
    timeline: ctx.record.timeline,
    resources: ctx.record.rows,
    durationMs: ctx.clock.now() - ctx.record.startedAt,
    finishedCanary: f.action,
    ...(f.ok ? {} : { error: f.message }),
  };
}
