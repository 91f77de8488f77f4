/**
 * Which run a workload's current revision belongs to. Every workload this action applies
 * carries the run's id in an annotation; a run follows, verifies and rolls back only what it
 * applied: when another writer moves the workload past it (another run of this action, or
 * anyone changing the pod template), the run is `superseded` and leaves the workload alone.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient, KubeObject } from '../../shared/kube/index.ts';

export const RUN_ANNOTATION = 'mlops-actions.io/run';

/** The field manager of every server-side apply of this action (all runs share it). */
export const FIELD_MANAGER = 'mlops-actions';

/** What this run applied to one workload. */
export interface Ownership {
  /** The value of RUN_ANNOTATION this run wrote. */
  run: string;
  /** The pod template as applied (canonical JSON); undefined for kinds without one. */
  template: string | undefined;
}

/** This run's id: repository, run, attempt and job, plus a nonce (matrix legs share a job id). */
export function runId(env: NodeJS.ProcessEnv): string {
  const nonce = randomBytes(3).toString('hex');
  if (!env.GITHUB_RUN_ID) return `local ${nonce}`;
  return `${env.GITHUB_REPOSITORY ?? '?'} run ${env.GITHUB_RUN_ID} attempt ${env.GITHUB_RUN_ATTEMPT ?? '1'} job ${env.GITHUB_JOB ?? '?'} (${nonce})`;
}

/** Stable JSON (key order independent), for comparing templates. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The pod template of a Deployment, StatefulSet or DaemonSet, as canonical JSON. */
export function templateOf(obj: KubeObject): string | undefined {
  const template = obj.spec?.template;
  return template === undefined ? undefined : canonical(template);
}

export function ownershipOf(applied: KubeObject, run: string): Ownership {
  return { run, template: templateOf(applied) };
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  time?: string;
}

/** The field manager that wrote last, other than `except`: who most likely moved the workload. */
function lastWriter(obj: KubeObject, except: string): string | undefined {
  const entries = (obj.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  return entries
    .filter((e) => e.manager && e.manager !== except && !e.operation?.startsWith('Status'))
    .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0]?.manager;
}

/**
 * Who moved `current` past what this run applied, or undefined while it is still this run's:
 * another run (its annotation), or whoever changed the pod template (its field manager).
 */
export function supersededBy(
  current: KubeObject,
  owner: Ownership,
  fieldManager: string,
): string | undefined {
  const run = current.metadata.annotations?.[RUN_ANNOTATION];
  if (run !== undefined && run !== owner.run) return `another run of rollout-and-verify (${run})`;
  if (owner.template === undefined) return undefined;
  const template = templateOf(current);
  if (template === undefined || template === owner.template) return undefined;
  const writer = lastWriter(current, fieldManager);
  return writer ? `field manager "${writer}"` : 'another writer';
}

/** The run (or 'another writer') that owns `obj` now when it is not `ownRun`; undefined while it is. */
export function otherOwner(obj: KubeObject, ownRun: string | undefined): string | undefined {
  const run = obj.metadata.annotations?.[RUN_ANNOTATION];
  return ownRun !== undefined && run !== ownRun ? (run ?? 'another writer') : undefined;
}

/** What a rollback says when the workload is no longer this run's. */
export function notOursToUndo(by: string): string {
  return `not rolled back: another release replaced this run's (${by}); it is not this run's to undo`;
}

/**
 * A JSON patch applied only while the object is still `ownRun`'s: the patch starts with a
 * `test` of RUN_ANNOTATION, so a release applied between the caller's GET and this patch is
 * never overwritten. Returns who owns it instead when the test failed for that reason.
 */
export async function patchIfStillOwned(
  client: KubeClient,
  path: string,
  ownRun: string | undefined,
  ops: readonly Record<string, unknown>[],
): Promise<{ patched: KubeObject } | { supersededBy: string }> {
  const guard =
    ownRun === undefined
      ? []
      : [
          {
            op: 'test',
            path: `/metadata/annotations/${RUN_ANNOTATION.replace('/', '~1')}`,
            value: ownRun,
          },
        ];
  try {
    const patched = await client.json<KubeObject>({
      method: 'PATCH',
      path,
      contentType: 'application/json-patch+json',
      body: [...guard, ...ops],
    });
    return { patched };
  } catch (error) {
    const now =
      ownRun === undefined ? undefined : await client.json<KubeObject>({ method: 'GET', path });
    const by = now ? otherOwner(now, ownRun) : undefined;
    if (by) return { supersededBy: by };
    throw error;
  }
}
