/**
 * KServe InferenceServices, first class: a snapshot of the live spec before the apply, and
 * the canary (verify the split, then promote or hold). Its rollback (isvc-rollback.ts) and the
 * diagnosis of a model that failed to load (isvc-diagnose.ts) build on these.
 */
import {
  generationObserved,
  resourcePath,
  watchLoop,
  type KubeClient,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { Changes, waitFor } from '../../shared/wait.ts';
import type { Manifest } from './manifests.ts';
import { FIELD_MANAGER, RUN_ANNOTATION } from './ownership.ts';
import {
  canaryPercent,
  checkedRevision,
  predictorStatus,
  shownRevision,
  shownTraffic,
} from '../../shared/kube/revisions.ts';
import type { FollowContext, Tracked } from './types.ts';
import { isRecord } from '../../shared/server-values.ts';

export const ISVC_KIND = 'InferenceService';
export const STORAGE_INITIALIZER = 'storage-initializer';

export interface IsvcSnapshot {
  /** false: the InferenceService did not exist before this run's apply. */
  existed: boolean;
  /** What this field manager owned of the spec (the whole spec when it owned nothing). */
  spec?: Record<string, unknown>;
  /** The revision that served before the apply. */
  revision?: string;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function isIsvc(m: { kind: string }): boolean {
  return m.kind === ISVC_KIND;
}

export function keyOf(m: { namespace?: string | undefined; name: string }): string {
  return `${m.namespace ?? 'default'}/${m.name}`;
}

/** The revision taking the most traffic (else the latest ready one); '' when not a name. */
export function servingRevision(obj: KubeObject | undefined): string {
  const p = predictorStatus(obj);
  const top = [...(p.traffic ?? [])].sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
  return checkedRevision(top?.revisionName ?? p.latestReadyRevision);
}

/** The part of `value` that a FieldsV1 set names (lists are taken whole). */
function pick(
  value: Record<string, unknown>,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, sub] of Object.entries(fields)) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    if (!(name in value)) continue;
    const v = value[name];
    const nested = isRecord(sub) && Object.keys(sub).some((x) => x.startsWith('f:'));
    out[name] = isRecord(v) && nested ? pick(v, sub) : clone(v);
  }
  return out;
}

/** The spec fields FIELD_MANAGER applied (its managedFields entry), else the whole spec. */
export function ownedSpec(obj: KubeObject): Record<string, unknown> {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const entry = ((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).find(
    (e) => e.manager === FIELD_MANAGER && e.operation === 'Apply' && !e.subresource,
  );
  const fields = entry?.fieldsV1?.['f:spec'];
  if (!isRecord(fields)) return clone(spec);
  const owned = pick(spec, fields);
  return Object.keys(owned).length > 0 ? owned : clone(spec);
}

export function isvcPath(m: Manifest): string {
  return resourcePath(m.apiVersion, m.plural, m.namespace ?? 'default', m.name);
}

/** Before the apply: every InferenceService's live spec (or that it does not exist yet). */
export async function snapshotIsvcs(
  manifests: readonly Manifest[],
  client: KubeClient,
): Promise<Map<string, IsvcSnapshot>> {
  const snapshots = new Map<string, IsvcSnapshot>();
  for (const m of manifests.filter(isIsvc)) {
    const res = await client.request({ method: 'GET', path: isvcPath(m), okStatuses: [404] });
    if (res.status === 404) {
      snapshots.set(keyOf(m), { existed: false });
      continue;
    }
    const live = res.json<KubeObject>();
    const revision = servingRevision(live);
    snapshots.set(keyOf(m), {
      existed: true,
      spec: ownedSpec(live),
      ...(revision ? { revision } : {}),
    });
  }
  return snapshots;
}

/** Waits (watching the object) until `check` returns a value; undefined at the deadline. */
export async function waitIsvc<T>(
  m: Manifest,
  check: (obj: KubeObject) => T | undefined,
  deadline: number,
  ctx: FollowContext,
): Promise<{ value?: T; last?: KubeObject }> {
  const controller = new AbortController();
  const changed = new Changes();
  let last: KubeObject | undefined;
  const loop = watchLoop({
    client: ctx.client,
    path: resourcePath(m.apiVersion, m.plural, m.namespace ?? 'default'),
    fieldSelector: `metadata.name=${m.name}`,
    onEvent: (e) => {
      last = e.object;
      changed.notify();
    },
    onError: () => changed.notify(),
    signal: controller.signal,
    logger: ctx.logger,
    clock: ctx.clock,
    what: `${m.kind} ${keyOf(m)}`,
  });
  try {
    const r = await waitFor(() => (last ? check(last) : undefined), {
      clock: ctx.clock,
      deadline,
      signal: ctx.signal,
      changes: changed,
    });
    return { ...(r.done ? { value: r.value } : {}), ...(last ? { last } : {}) };
  } finally {
    controller.abort();
    await loop;
  }
}

/** Server-side apply of `spec` as this run (field manager mlops-actions, force). */
export async function applySpec(
  m: Manifest,
  spec: Record<string, unknown>,
  runId: string,
  client: KubeClient,
  /** Precondition: the object is still this version (what the ownership check read). */
  resourceVersion?: string,
): Promise<KubeObject> {
  return client.json<KubeObject>({
    method: 'PATCH',
    path: isvcPath(m),
    query: { fieldManager: FIELD_MANAGER, force: true },
    contentType: 'application/apply-patch+yaml',
    body: {
      apiVersion: m.apiVersion,
      kind: m.kind,
      metadata: {
        name: m.name,
        namespace: m.namespace ?? 'default',
        annotations: { [RUN_ANNOTATION]: runId },
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec,
    },
  });
}

/** The applied spec with the canary percentage set to `percent` (undefined: cleared). */
export function withCanary(m: Manifest, percent: number | undefined): Record<string, unknown> {
  const spec = clone(isRecord(m.object.spec) ? m.object.spec : {});
  const predictor = isRecord(spec.predictor) ? spec.predictor : {};
  if (percent === undefined) delete predictor.canaryTrafficPercent;
  else predictor.canaryTrafficPercent = percent;
  spec.predictor = predictor;
  return spec;
}

/** Checks that the canary revision is ready and holds its share of the traffic. */
export async function verifyCanaryShare(
  t: Tracked,
  deadline: number,
  ctx: FollowContext,
): Promise<{ ok: boolean; message: string }> {
  const percent = canaryPercent(t.manifest.object.spec) ?? 0;
  const r = await waitIsvc(
    t.manifest,
    (obj) => {
      const p = predictorStatus(obj);
      const latest = p.latestCreatedRevision;
      const share = p.traffic?.find((x) => x.revisionName === latest);
      return latest && latest === p.latestReadyRevision && share?.percent === percent
        ? p
        : undefined;
    },
    deadline,
    ctx,
  );
  if (r.value) {
    const message = `canary ${shownRevision(r.value.latestCreatedRevision)} ready with ${percent} % of the traffic (${shownTraffic(r.value)})`;
    ctx.record.note(`InferenceService ${t.manifest.name}: ${message}`, 'success');
    return { ok: true, message };
  }
  const p = predictorStatus(r.last);
  return {
    ok: false,
    message: `InferenceService ${keyOf(t.manifest)}: canary ${p.latestCreatedRevision === undefined ? '?' : shownRevision(p.latestCreatedRevision)} does not hold ${percent} % of the traffic (traffic: ${shownTraffic(p) || 'none'})`,
  };
}

/** Promotes the canary: the percentage cleared, then 100 % on the new revision. */
export async function promoteCanary(
  t: Tracked,
  runId: string,
  deadline: number,
  ctx: FollowContext,
): Promise<{ ok: boolean; message: string; object?: KubeObject }> {
  const applied = await applySpec(t.manifest, withCanary(t.manifest, undefined), runId, ctx.client);
  const generation = applied.metadata.generation ?? 0;
  const r = await waitIsvc(
    t.manifest,
    (obj) => {
      const p = predictorStatus(obj);
      const full = p.traffic?.find((x) => x.percent === 100);
      return generationObserved(obj, generation) &&
        full &&
        full.revisionName === p.latestCreatedRevision
        ? obj
        : undefined;
    },
    deadline,
    ctx,
  );
  if (r.value) {
    const rev = shownRevision(predictorStatus(r.value).latestCreatedRevision);
    ctx.record.note(
      `InferenceService ${t.manifest.name}: canary promoted, ${rev} serves 100 %`,
      'success',
    );
    return { ok: true, message: `promoted: ${rev} serves 100 %`, object: r.value };
  }
  return {
    ok: false,
    message: `InferenceService ${keyOf(t.manifest)}: the promoted revision did not take 100 % of the traffic (traffic: ${shownTraffic(predictorStatus(r.last)) || 'none'})`,
  };
}
