/**
 * Phase 1, apply: a server-side dry run of every object (so a missing namespace, an admission
 * denial or an invalid object fails before the cluster changes), then server-side apply in
 * dependency order. Followed workloads carry this run's id (RUN_ANNOTATION). With
 * apply: false, nothing is applied and the workloads are only followed.
 */
import { errorMessage, LocatedError, LocatedErrors } from '../../shared/errors.ts';
import {
  KubeApiError,
  resourcePath,
  type KubeClient,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { builtinKind } from '../../shared/kubernetes/kinds.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Manifest } from './manifests.ts';
import { FIELD_MANAGER, ownershipOf, RUN_ANNOTATION } from './ownership.ts';
import type { ResourceRow, RunRecord } from './record.ts';
import type { Tracked, Workload } from './types.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';
import { currentControllerRevision, REVISION_KINDS } from './undo-controller-revision.ts';

export interface ApplyOptions {
  /** false: only verify what is in the cluster. */
  apply: boolean;
  forceConflicts: boolean;
  /** This run's id, written to RUN_ANNOTATION of every followed workload. */
  runId: string;
  /** Objects of this kind are followed after the apply (and carry the run's id). */
  followed(kind: string): boolean;
}

/** An apply that failed after earlier objects were applied: those are in `tracked`/`applied`. */
export class PartialApplyError extends Error {
  override name = 'PartialApplyError';
  readonly tracked: Tracked[];
  readonly applied: string[];
  constructor(message: string, tracked: Tracked[], applied: string[]) {
    super(message);
    this.tracked = tracked;
    this.applied = applied;
  }
}

export function toWorkload(m: Manifest): Workload {
  return {
    apiVersion: m.apiVersion,
    kind: m.kind,
    plural: m.plural,
    name: m.name,
    namespace: m.namespace ?? 'default',
  };
}

function track(m: Manifest, row: ResourceRow, message: string): Tracked {
  return {
    manifest: m,
    workload: toWorkload(m),
    row,
    progress: {
      kind: m.kind,
      namespace: m.namespace ?? '',
      name: m.name,
      state: 'waiting',
      message,
    },
  };
}

function label(m: Manifest): string {
  return `${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
}

/** The object to apply: followed workloads get this run's id. */
function withRunId(m: Manifest, o: ApplyOptions): KubeObject {
  if (!o.followed(m.kind)) return m.object;
  return {
    ...m.object,
    metadata: {
      ...m.object.metadata,
      annotations: { ...(m.object.metadata.annotations ?? {}), [RUN_ANNOTATION]: o.runId },
    },
  };
}

/**
 * Objects whose dry run cannot succeed before the batch itself is applied: those in a
 * Namespace the batch creates, and custom resources when the batch brings CRDs.
 */
function needsEarlierObjects(m: Manifest, batch: readonly Manifest[]): boolean {
  const namespaces = new Set(batch.filter((b) => b.kind === 'Namespace').map((b) => b.name));
  const bringsCrds = batch.some((b) => b.kind === 'CustomResourceDefinition');
  return (
    (m.namespace !== undefined && namespaces.has(m.namespace)) ||
    (bringsCrds && !builtinKind(m.apiVersion, m.kind))
  );
}

async function dryRun(
  manifests: readonly Manifest[],
  o: ApplyOptions,
  deps: { client: KubeClient; logger: Logger },
): Promise<void> {
  const problems: LocatedError[] = [];
  for (const m of manifests) {
    if (needsEarlierObjects(m, manifests)) {
      deps.logger.info(`${label(m)}: no dry run (its namespace or CRD is created by this apply)`);
      continue;
    }
    try {
      await deps.client.request({
        method: 'PATCH',
        path: resourcePath(m.apiVersion, m.plural, m.namespace, m.name),
        query: { fieldManager: FIELD_MANAGER, force: o.forceConflicts, dryRun: 'All' },
        contentType: 'application/apply-patch+yaml',
        body: withRunId(m, o),
      });
    } catch (error) {
      // The API server, not this object: no point trying the others.
      if (!isObjectProblem(error)) throw error;
      problems.push(
        new LocatedError(
          `${m.file}:${m.line ?? 1}: ${label(m)}: ${errorMessage(error)}`,
          m.file,
          m.line,
        ),
      );
    }
  }
  if (problems.length > 0) {
    throw new LocatedErrors(
      `${problems.length} object(s) failed the server-side dry run; nothing was applied:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
      problems,
    );
  }
}

/** A rejection of this object (invalid, forbidden, conflicting, missing namespace), not of the request. */
function isObjectProblem(error: unknown): boolean {
  return (
    error instanceof KubeApiError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 401 &&
    error.status !== 429
  );
}

/** Applies `manifests` (in the given order) and returns the workloads to follow. */
export async function applyManifests(
  manifests: readonly Manifest[],
  o: ApplyOptions,
  deps: { client: KubeClient; logger: Logger; record: RunRecord },
): Promise<Tracked[]> {
  const { client, record } = deps;
  const rows = manifests.map((m): ResourceRow => ({
    kind: m.kind,
    namespace: m.namespace ?? '',
    name: m.name,
    action: o.apply ? 'pending' : 'verify',
    state: '',
    ok: undefined,
  }));
  record.rows.push(...rows);
  const tracked: Tracked[] = [];
  if (!o.apply) {
    for (const [i, m] of manifests.entries()) {
      if (o.followed(m.kind)) tracked.push(track(m, rows[i] as ResourceRow, 'verifying'));
    }
    return tracked;
  }
  await deps.logger.group(`Dry run ${manifests.length} object(s) (server-side)`, () =>
    dryRun(manifests, o, deps),
  );
  await deps.logger.group(
    `Apply ${manifests.length} object(s) (server-side, field manager ${FIELD_MANAGER})`,
    async () => {
      const applied: string[] = [];
      for (const [i, m] of manifests.entries()) {
        const row = rows[i] as ResourceRow;
        // A StatefulSet's or DaemonSet's revision before the apply (its controller may number
        // the new one as soon as the apply lands). Unreadable history: 0, kubectl's "previous".
        const revisionBefore = REVISION_KINDS.includes(m.kind)
          ? await currentControllerRevision(client, m).catch((error: unknown) => {
              record.note(
                `${label(m)}: could not read its ControllerRevisions (${errorMessage(error)}); a rollback would go to the previous revision`,
                'warning',
              );
              return 0;
            })
          : undefined;
        let res;
        try {
          res = await client.request({
            method: 'PATCH',
            path: resourcePath(m.apiVersion, m.plural, m.namespace, m.name),
            query: { fieldManager: FIELD_MANAGER, force: o.forceConflicts },
            contentType: 'application/apply-patch+yaml',
            body: withRunId(m, o),
          });
        } catch (error) {
          row.action = 'failed';
          row.ok = false;
          row.state = errorMessage(error).split('\n')[0] ?? '';
          if (applied.length === 0) throw error;
          throw new PartialApplyError(
            `${label(m)} could not be applied after ${applied.length} object(s) were: ${errorMessage(error)}`,
            tracked,
            applied,
          );
        }
        const object = res.json<KubeObject>();
        row.action = res.status === 201 ? 'created' : 'applied';
        row.ok = true;
        applied.push(label(m));
        record.note(`${label(m)} ${row.action}`);
        if (!o.followed(m.kind)) continue;
        const t = track(m, row, 'applied');
        t.workload.initial = object;
        t.workload.owner = ownershipOf(object, o.runId);
        const rev = object.metadata.annotations?.[REVISION_ANNOTATION];
        if (res.status !== 201 && rev !== undefined) t.previousRevision = Number(rev);
        if (res.status !== 201 && revisionBefore !== undefined) t.previousRevision = revisionBefore;
        tracked.push(t);
      }
    },
  );
  return tracked;
}
