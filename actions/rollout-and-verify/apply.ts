/** Phase 1, apply: server-side apply of every object in dependency order (or, with apply: false, nothing). */
import { resourcePath, type KubeClient, type KubeObject } from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import { FOLLOWED_KINDS, type Workload } from './follow.ts';
import type { Manifest } from './manifests.ts';
import type { ResourceRow, RunRecord, Tracked } from './record.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';

export const FIELD_MANAGER = 'mlops-actions';

export interface ApplyOptions {
  /** false: only verify what is in the cluster. */
  apply: boolean;
  forceConflicts: boolean;
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
      if (FOLLOWED_KINDS.includes(m.kind))
        tracked.push(track(m, rows[i] as ResourceRow, 'verifying'));
    }
    return tracked;
  }
  await deps.logger.group(
    `Apply ${manifests.length} object(s) (server-side, field manager ${FIELD_MANAGER})`,
    async () => {
      for (const [i, m] of manifests.entries()) {
        const row = rows[i] as ResourceRow;
        const res = await client.request({
          method: 'PATCH',
          path: resourcePath(m.apiVersion, m.plural, m.namespace, m.name),
          query: { fieldManager: FIELD_MANAGER, force: o.forceConflicts },
          contentType: 'application/apply-patch+yaml',
          body: m.object,
        });
        const applied = res.json<KubeObject>();
        row.action = res.status === 201 ? 'created' : 'applied';
        row.ok = true;
        record.note(`${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name} ${row.action}`);
        if (!FOLLOWED_KINDS.includes(m.kind)) continue;
        const t = track(m, row, 'applied');
        t.workload.initial = applied;
        const rev = applied.metadata.annotations?.[REVISION_ANNOTATION];
        if (res.status !== 201 && rev !== undefined) t.previousRevision = Number(rev);
        tracked.push(t);
      }
    },
  );
  return tracked;
}
