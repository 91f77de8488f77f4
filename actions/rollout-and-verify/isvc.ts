/**
 * KServe InferenceServices, first class: a snapshot of the live spec before the apply and its
 * restore on failure, the canary (verify the split, then promote or hold; on failure KServe's
 * own rollback: 0 %), and the diagnosis of a model that failed to load.
 */
import { errorMessage } from '../../shared/errors.ts';
import {
  KubeApiError,
  resourcePath,
  watchLoop,
  type KubeClient,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { Changes, waitFor } from '../../shared/wait.ts';
import type { FollowAllOptions } from './follow.ts';
import type { Manifest } from './manifests.ts';
import { FIELD_MANAGER, notOursToUndo, otherOwner, RUN_ANNOTATION } from './ownership.ts';
import type { Tracked } from './record.ts';

export const ISVC_KIND = 'InferenceService';
/** The label KServe puts on every predictor pod. */
export const ISVC_POD_LABEL = 'serving.kserve.io/inferenceservice';
/** The label Knative puts on the pods of one revision. */
export const REVISION_POD_LABEL = 'serving.knative.dev/revision';
export const STORAGE_INITIALIZER = 'storage-initializer';

export interface IsvcSnapshot {
  /** false: the InferenceService did not exist before this run's apply. */
  existed: boolean;
  /** What this field manager owned of the spec (the whole spec when it owned nothing). */
  spec?: Record<string, unknown>;
  /** The revision that served before the apply. */
  revision?: string;
}

interface TrafficTarget {
  revisionName?: string;
  percent?: number;
  latestRevision?: boolean;
  tag?: string;
}

interface PredictorStatus {
  latestCreatedRevision?: string;
  latestReadyRevision?: string;
  traffic?: TrafficTarget[];
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

export function predictorStatus(obj: KubeObject | undefined): PredictorStatus {
  const status = (obj?.status ?? {}) as { components?: { predictor?: PredictorStatus } };
  return status.components?.predictor ?? {};
}

/** The revision taking the most traffic (else the latest ready one). */
export function servingRevision(obj: KubeObject | undefined): string {
  const p = predictorStatus(obj);
  const top = [...(p.traffic ?? [])].sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
  return top?.revisionName ?? p.latestReadyRevision ?? '';
}

export function canaryPercent(spec: unknown): number | undefined {
  const predictor = isRecord(spec) ? spec.predictor : undefined;
  const p = isRecord(predictor) ? predictor.canaryTrafficPercent : undefined;
  return typeof p === 'number' ? p : undefined;
}

function formatTraffic(p: PredictorStatus): string {
  return (p.traffic ?? []).map((t) => `${t.revisionName ?? '?'} ${t.percent ?? 0} %`).join(', ');
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

function isvcPath(m: Manifest): string {
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
  ctx: FollowAllOptions,
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
async function applySpec(
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
function withCanary(m: Manifest, percent: number | undefined): Record<string, unknown> {
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
  ctx: FollowAllOptions,
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
    const message = `canary ${r.value.latestCreatedRevision ?? ''} ready with ${percent} % of the traffic (${formatTraffic(r.value)})`;
    ctx.record.note(`InferenceService ${t.manifest.name}: ${message}`, 'success');
    return { ok: true, message };
  }
  const p = predictorStatus(r.last);
  return {
    ok: false,
    message: `InferenceService ${keyOf(t.manifest)}: canary ${p.latestCreatedRevision ?? '?'} does not hold ${percent} % of the traffic (traffic: ${formatTraffic(p) || 'none'})`,
  };
}

/** Promotes the canary: the percentage cleared, then 100 % on the new revision. */
export async function promoteCanary(
  t: Tracked,
  runId: string,
  deadline: number,
  ctx: FollowAllOptions,
): Promise<{ ok: boolean; message: string; object?: KubeObject }> {
  const applied = await applySpec(t.manifest, withCanary(t.manifest, undefined), runId, ctx.client);
  const generation = applied.metadata.generation ?? 0;
  const r = await waitIsvc(
    t.manifest,
    (obj) => {
      const observed =
        (obj.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0;
      const p = predictorStatus(obj);
      const full = p.traffic?.find((x) => x.percent === 100);
      return observed >= generation && full && full.revisionName === p.latestCreatedRevision
        ? obj
        : undefined;
    },
    deadline,
    ctx,
  );
  if (r.value) {
    const rev = predictorStatus(r.value).latestCreatedRevision ?? '';
    ctx.record.note(
      `InferenceService ${t.manifest.name}: canary promoted, ${rev} serves 100 %`,
      'success',
    );
    return { ok: true, message: `promoted: ${rev} serves 100 %`, object: r.value };
  }
  return {
    ok: false,
    message: `InferenceService ${keyOf(t.manifest)}: the promoted revision did not take 100 % of the traffic (traffic: ${formatTraffic(predictorStatus(r.last)) || 'none'})`,
  };
}

export interface IsvcRollback {
  /** Something was undone (restored, set back to 0 %, or deleted). */
  undone: boolean;
  /** The undo is complete: the earlier revision serves (or the new object is gone). */
  healthy: boolean;
  note: string;
  /** The revision that serves after the rollback. */
  revision?: string;
}

export interface IsvcRollbackOptions {
  runId: string;
  applied: boolean;
  deleteNew: boolean;
  deadline: number;
}

/**
 * Undoes this run's apply of one InferenceService: a canary goes back to 0 % (KServe's own
 * rollback); otherwise the snapshot is applied back and followed until its revision is the
 * latest ready one. A new InferenceService is deleted only with `deleteNew`. Never touches an
 * InferenceService that another run applied since.
 */
export async function rollBackIsvc(
  t: Tracked,
  snapshot: IsvcSnapshot | undefined,
  o: IsvcRollbackOptions,
  ctx: FollowAllOptions,
  follow: (list: Tracked[], deadline: number) => Promise<void>,
): Promise<IsvcRollback> {
  const m = t.manifest;
  const what = `InferenceService ${keyOf(m)}`;
  const none = (note: string): IsvcRollback => ({
    undone: false,
    healthy: false,
    note: `${what}: ${note}`,
  });
  if (t.outcome?.state === 'superseded') return none(`not rolled back: ${t.outcome.message}`);
  if (!o.applied)
    return none('not rolled back (apply: false — this run did not apply its revision)');
  if (!snapshot) return none('not rolled back (no snapshot was taken before the apply)');
  // The restore applies on the version the ownership check read (its resourceVersion): a
  // 409 means it changed since, and the check runs again (a status write), or the run stops
  // (another release: never overwritten).
  const once = async (): Promise<IsvcRollback> => {
    const live = await ctx.client.json<KubeObject>({ method: 'GET', path: isvcPath(m) });
    const other = otherOwner(live, o.runId);
    if (other) return none(notOursToUndo(other));
    if (!snapshot.existed) {
      if (!o.deleteNew) {
        return none(
          'created by this run, no earlier spec: left applied, not deleted (delete-new-on-failure: true deletes it)',
        );
      }
      await ctx.client.request({
        method: 'DELETE',
        path: isvcPath(m),
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          preconditions: { uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion },
        },
        contentType: 'application/json',
      });
      t.row.action = 'deleted';
      ctx.record.note(`${what}: created by this run; deleted (delete-new-on-failure)`, 'warning');
      return {
        undone: true,
        healthy: true,
        note: `${what}: created by this run; deleted (delete-new-on-failure)`,
        revision: '',
      };
    }
    const canary = canaryPercent(m.object.spec);
    if (canary !== undefined) {
      const failed = predictorStatus(live).latestCreatedRevision ?? '?';
      await applySpec(m, withCanary(m, 0), o.runId, ctx.client, live.metadata.resourceVersion);
      const r = await waitIsvc(
        m,
        (obj) => {
          const p = predictorStatus(obj);
          const full = p.traffic?.find((x) => x.percent === 100);
          return full?.revisionName && full.revisionName !== failed ? full.revisionName : undefined;
        },
        o.deadline,
        ctx,
      );
      t.row.action = 'rolled back';
      if (!r.value) {
        return {
          undone: true,
          healthy: false,
          note: `${what}: canary ${failed} set to 0 %, but no earlier revision took 100 % of the traffic (traffic: ${formatTraffic(predictorStatus(r.last)) || 'none'})`,
        };
      }
      const note = `${what}: canary set back to 0 %: revision ${failed} (failed) gets 0 %, revision ${r.value} serves 100 %`;
      ctx.record.note(note, 'warning');
      t.progress.state = 'rolled-back';
      return { undone: true, healthy: true, note, revision: r.value };
    }
    const restored = await applySpec(
      m,
      snapshot.spec ?? {},
      o.runId,
      ctx.client,
      live.metadata.resourceVersion,
    );
    ctx.record.note(`${what}: earlier spec applied back`, 'warning');
    t.workload = { ...t.workload, initial: restored, owner: { run: o.runId, template: undefined } };
    t.progress.state = 'waiting';
    t.progress.message = 'restoring the earlier spec';
    await follow([t], o.deadline);
    t.row.action = 'rolled back';
    const object = t.outcome && 'object' in t.outcome ? t.outcome.object : undefined;
    if (t.outcome?.state !== 'done') {
      return {
        undone: true,
        healthy: false,
        note: `${what}: the restored spec did not become ready: ${t.outcome?.message ?? ''}`,
      };
    }
    t.progress.state = 'rolled-back';
    const revision = predictorStatus(object).latestReadyRevision ?? '';
    const note = `${what}: earlier spec restored; revision ${revision} is the latest ready one${snapshot.revision ? ` (before this run: ${snapshot.revision})` : ''}`;
    ctx.record.note(note, 'success');
    return { undone: true, healthy: true, note, revision };
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 409 && attempt < 5) continue;
      return {
        undone: true,
        healthy: false,
        note: `${what}: rollback failed: ${errorMessage(error)}`,
      };
    }
  }
}

/** A failed model load, told plainly: modelStatus, predictor pods, download log, events. */
export async function diagnoseIsvc(m: Manifest, client: KubeClient): Promise<string> {
  const ns = m.namespace ?? 'default';
  const lines: string[] = [`InferenceService ${ns}/${m.name}:`];
  const get = async <T>(
    path: string,
    query?: Record<string, string | number | boolean>,
  ): Promise<T | undefined> =>
    client.json<T>({ method: 'GET', path, ...(query ? { query } : {}) }).catch(() => undefined);
  const obj = await get<KubeObject>(isvcPath(m));
  const ms = (obj?.status as { modelStatus?: Record<string, unknown> } | undefined)?.modelStatus;
  if (ms) {
    const info = isRecord(ms.lastFailureInfo) ? ms.lastFailureInfo : undefined;
    lines.push(`  modelStatus.transitionStatus: ${String(ms.transitionStatus ?? '?')}`);
    if (info) {
      lines.push(
        `  modelStatus.lastFailureInfo: ${String(info.reason ?? '')}: ${String(info.message ?? '')}${info.location ? ` (at ${String(info.location)})` : ''}`,
      );
    }
  }
  const p = predictorStatus(obj);
  if (p.latestCreatedRevision) {
    lines.push(
      `  revisions: latest created ${p.latestCreatedRevision}, latest ready ${p.latestReadyRevision ?? 'none'}${p.traffic?.length ? `; traffic: ${formatTraffic(p)}` : ''}`,
    );
  }
  const pods = await get<KubeList>(resourcePath('v1', 'pods', ns), {
    labelSelector: `${ISVC_POD_LABEL}=${m.name}`,
  });
  const names: string[] = [];
  for (const pod of pods?.items ?? []) {
    names.push(pod.metadata.name);
    const st = (pod.status ?? {}) as {
      phase?: string;
      initContainerStatuses?: {
        name: string;
        restartCount?: number;
        state?: Record<string, { reason?: string }>;
      }[];
      containerStatuses?: {
        name: string;
        restartCount?: number;
        state?: Record<string, { reason?: string }>;
      }[];
    };
    const cs = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]
      .map((c) => {
        const [state, detail] = Object.entries(c.state ?? {})[0] ?? ['unknown', {}];
        return `${c.name} ${detail.reason ?? state}${c.restartCount ? ` (restarts ${c.restartCount})` : ''}`;
      })
      .join(', ');
    lines.push(
      `  pod ${pod.metadata.name} (${pod.metadata.labels?.[REVISION_POD_LABEL] ?? 'predictor'}): ${st.phase ?? '?'}; ${cs}`,
    );
    const init = st.initContainerStatuses?.find((c) => c.name === STORAGE_INITIALIZER);
    if (!init || (init.state?.terminated?.reason === 'Completed' && !init.restartCount)) continue;
    for (const previous of [true, false]) {
      const res = await client
        .request({
          method: 'GET',
          path: `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`,
          query: {
            container: STORAGE_INITIALIZER,
            tailLines: 10,
            ...(previous ? { previous: true } : {}),
          },
          okStatuses: [400, 404],
        })
        .catch(() => undefined);
      if (res?.status === 200 && res.body.trim()) {
        lines.push(
          `  ${STORAGE_INITIALIZER} log (${pod.metadata.name}):`,
          ...res.body
            .trimEnd()
            .split('\n')
            .slice(-10)
            .map((l) => `    ${l}`),
        );
        break;
      }
    }
  }
  if (names.length === 0) lines.push(`  no predictor pods (label ${ISVC_POD_LABEL}=${m.name})`);
  const events = await get<KubeList>(`/api/v1/namespaces/${ns}/events`);
  const relevant = (events?.items ?? [])
    .map(
      (e) =>
        e as unknown as {
          involvedObject?: { name?: string };
          type?: string;
          reason?: string;
          message?: string;
          count?: number;
          lastTimestamp?: string;
        },
    )
    .filter(
      (e) => e.involvedObject?.name === m.name || names.includes(e.involvedObject?.name ?? ''),
    )
    .sort((a, b) => String(a.lastTimestamp ?? '').localeCompare(String(b.lastTimestamp ?? '')))
    .slice(-8);
  if (relevant.length > 0) {
    lines.push(
      '  events:',
      ...relevant.map(
        (e) =>
          `    ${e.involvedObject?.name ?? ''}: ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`,
      ),
    );
  }
  return lines.join('\n');
}

/**
 * Which of an InferenceService's pods the follow judges: those of the latest created revision
 * (Knative's revision label); 'unknown' while the status has not caught up with the spec.
 */
export function isvcPodRevision(obj: KubeObject): string | undefined | 'unknown' {
  const observed =
    (obj.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0;
  if ((obj.metadata.generation ?? 0) > observed) return 'unknown';
  return predictorStatus(obj).latestCreatedRevision;
}
