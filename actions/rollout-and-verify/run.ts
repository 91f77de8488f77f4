/**
 * rollout-and-verify's logic: apply (server-side, in dependency order), follow every workload
 * with watches, fail fast on broken pods, roll back, smoke-test. Dependencies are injected.
 */
import type { Clock } from '../../shared/clock.ts';
import { errorMessage } from '../../shared/errors.ts';
import { formatDuration } from '../../shared/inputs.ts';
import type { KubeClient, KubeObject } from '../../shared/kube.ts';
import type { Logger } from '../../shared/logger.ts';
import { follow, FOLLOWED_KINDS, type FollowOutcome, type Workload } from './follow.ts';
import type { RolloutInputs } from './inputs.ts';
import { loadManifests, resourcePath, type Manifest } from './manifests.ts';
import { diagnose, formatDiagnosis, type Diagnosis } from './pods.ts';
import { undoDeployment } from './rollback.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';
import { smokeTest } from './smoke.ts';
import { Notifier, watchLoop } from './watch-loop.ts';

export const FIELD_MANAGER = 'mlops-actions';

export type RolloutStatusOutput = 'succeeded' | 'failed' | 'rolled-back';

export interface TimelineEntry {
  atMs: number;
  text: string;
  level: 'info' | 'success' | 'failure' | 'warning';
}

export interface ResourceRow {
  kind: string;
  namespace: string;
  name: string;
  action: string;
  state: string;
  ok: boolean | undefined;
}

export interface WorkloadProgress {
  kind: string;
  namespace: string;
  name: string;
  state: 'waiting' | 'done' | 'failed' | 'timeout' | 'cancelled' | 'rolled-back';
  message: string;
}

export interface Progress {
  phase: string;
  startedAt: number;
  workloads: WorkloadProgress[];
}

export interface RolloutResult {
  status: RolloutStatusOutput;
  endpoint: string;
  revision: string;
  failureReason: string;
  /** The full failure message (error + diagnosis) when not succeeded. */
  error?: string;
  diagnosis?: string;
  timeline: TimelineEntry[];
  resources: ResourceRow[];
  durationMs: number;
}

export interface RunDeps {
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  createClient(): Promise<KubeClient>;
  saveProgress(progress: Progress): void;
}

interface Tracked {
  manifest: Manifest;
  workload: Workload;
  row: ResourceRow;
  progress: WorkloadProgress;
  /** The Deployment revision before this run's apply (undefined: created by this run). */
  previousRevision?: number;
  outcome?: FollowOutcome;
}

export async function rolloutAndVerify(
  inputs: RolloutInputs,
  deps: RunDeps,
): Promise<RolloutResult> {
  const { logger, clock } = deps;
  const started = clock.now();
  const deadline = started + inputs.timeoutMs;
  const timeline: TimelineEntry[] = [];
  const note = (text: string, level: TimelineEntry['level'] = 'info'): void => {
    timeline.push({ atMs: clock.now() - started, text, level });
    logger.info(text);
  };
  // Credentials are read (and masked) before the manifests, so nothing can print them.
  const client = await deps.createClient();
  const defaultNamespace = inputs.namespace ?? client.namespace ?? 'default';
  const manifests = await loadManifests(inputs.manifests, inputs.workspace, defaultNamespace);
  const rows: ResourceRow[] = [];
  const tracked: Tracked[] = [];
  const progress: Progress = { phase: 'apply', startedAt: started, workloads: [] };
  const save = (): void => deps.saveProgress(progress);
  save();

  for (const m of manifests) {
    const row: ResourceRow = {
      kind: m.kind,
      namespace: m.namespace ?? '',
      name: m.name,
      action: inputs.apply ? 'pending' : 'verify',
      state: '',
      ok: undefined,
    };
    rows.push(row);
  }

  if (inputs.apply) {
    await logger.group(
      `Apply ${manifests.length} object(s) (server-side, field manager ${FIELD_MANAGER})`,
      async () => {
        for (const [i, m] of manifests.entries()) {
          const row = rows[i] as ResourceRow;
          const res = await client.request({
            method: 'PATCH',
            path: resourcePath(m.apiVersion, m.plural, m.namespace, m.name),
            query: { fieldManager: FIELD_MANAGER, force: inputs.forceConflicts },
            contentType: 'application/apply-patch+yaml',
            body: m.object,
          });
          const applied = res.json<KubeObject>();
          row.action = res.status === 201 ? 'created' : 'applied';
          row.ok = true;
          note(`${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name} ${row.action}`);
          if (FOLLOWED_KINDS.includes(m.kind)) {
            const rev = applied.metadata.annotations?.[REVISION_ANNOTATION];
            tracked.push({
              manifest: m,
              workload: { ...toWorkload(m), initial: applied },
              row,
              progress: {
                kind: m.kind,
                namespace: m.namespace ?? '',
                name: m.name,
                state: 'waiting',
                message: 'applied',
              },
              ...(res.status === 201 || rev === undefined ? {} : { previousRevision: Number(rev) }),
            });
          }
        }
      },
    );
  } else {
    for (const [i, m] of manifests.entries()) {
      if (!FOLLOWED_KINDS.includes(m.kind)) continue;
      const row = rows[i] as ResourceRow;
      tracked.push({
        manifest: m,
        workload: toWorkload(m),
        row,
        progress: {
          kind: m.kind,
          namespace: m.namespace ?? '',
          name: m.name,
          state: 'waiting',
          message: 'verifying',
        },
      });
    }
  }
  progress.phase = 'rollout';
  progress.workloads = tracked.map((t) => t.progress);
  save();

  const followAll = async (list: Tracked[], until: number): Promise<void> => {
    // One failure stops the others (fail fast); a cancelled job stops everything.
    const group = new AbortController();
    const onOuterAbort = (): void => group.abort();
    deps.signal.addEventListener('abort', onOuterAbort);
    try {
      await Promise.all(
        list.map(async (t) => {
          const outcome = await follow(t.workload, {
            client,
            logger,
            clock,
            deadline: until,
            failFast: inputs.failFast,
            unschedulableGraceMs: inputs.unschedulableGraceMs,
            signal: group.signal,
            onProgress: (message) => {
              t.progress.message = message;
              t.row.state = message;
              note(`${t.manifest.kind} ${t.manifest.name}: ${message}`);
              save();
            },
          });
          t.outcome = outcome;
          t.progress.state = outcome.state;
          t.progress.message = outcome.message;
          t.row.state = outcome.message;
          t.row.ok = outcome.state === 'done';
          save();
          if (outcome.state === 'failed') {
            note(`${t.manifest.kind} ${t.manifest.name} failed: ${outcome.message}`, 'failure');
            group.abort();
          } else if (outcome.state === 'done') {
            note(`${t.manifest.kind} ${t.manifest.name}: ${outcome.message}`, 'success');
          }
        }),
      );
    } finally {
      deps.signal.removeEventListener('abort', onOuterAbort);
    }
  };

  let failure: { reason: string; message: string } | undefined;
  let diagnosis: Diagnosis | undefined;
  let endpoint = '';
  await logger.group(`Wait for ${tracked.length} workload(s)`, () => followAll(tracked, deadline));
  if (deps.signal.aborted) throw new Error('cancelled');

  const failed = tracked.find((t) => t.outcome?.state === 'failed');
  const timedOut = tracked.filter((t) => t.outcome?.state === 'timeout');
  if (failed && failed.outcome?.state === 'failed') {
    failure = {
      reason: failed.outcome.reason,
      message: `${failed.manifest.kind} ${failed.manifest.namespace}/${failed.manifest.name}: ${failed.outcome.message}`,
    };
    if (failed.outcome.problem) {
      diagnosis = await diagnose(client, failed.outcome.problem);
    }
  } else if (timedOut.length > 0) {
    failure = {
      reason: 'Timeout',
      message: `timed out after ${formatDuration(inputs.timeoutMs)}; state of every workload:\n${tracked
        .map(
          (t) =>
            `  - ${t.manifest.kind} ${t.manifest.namespace}/${t.manifest.name}: ${t.outcome?.state ?? 'waiting'}: ${t.outcome?.message ?? t.progress.message}`,
        )
        .join('\n')}`,
    };
  }

  for (const t of tracked) {
    const url =
      t.outcome?.state === 'done'
        ? (t.outcome.object.status as { url?: string } | undefined)?.url
        : undefined;
    if (url && !endpoint) endpoint = url;
  }

  // Load balancer and smoke test, once everything rolled out.
  if (!failure) {
    if (inputs.waitForLoadBalancer) {
      const services = manifests.filter(
        (m) =>
          m.kind === 'Service' &&
          (m.object.spec as { type?: string } | undefined)?.type === 'LoadBalancer',
      );
      for (const svc of services) {
        const lb = await waitForIngress(client, svc, deadline, deps);
        if (!lb) {
          failure = {
            reason: 'LoadBalancerPending',
            message: `Service ${svc.namespace}/${svc.name} got no load balancer ingress within ${formatDuration(inputs.timeoutMs)}`,
          };
          break;
        }
        note(`Service ${svc.name}: load balancer at ${lb}`, 'success');
        if (!endpoint || !inputs.smoke.url) endpoint = lb;
      }
    }
    if (inputs.smoke.url) endpoint = inputs.smoke.url;
    const smokeBase = inputs.smoke.url ?? (inputs.waitForLoadBalancer ? endpoint : '');
    if (!failure && smokeBase) {
      const r = await logger.group('Smoke test', () =>
        smokeTest(smokeBase, inputs.smoke, { deadline, clock, logger, signal: deps.signal }),
      );
      if (r.ok)
        note(
          `Smoke test ${inputs.smoke.method} ${r.url}: ${r.detail} (attempt ${r.attempts})`,
          'success',
        );
      else {
        failure = {
          reason: 'SmokeTestFailed',
          message: `smoke test ${inputs.smoke.method} ${r.url} failed after ${r.attempts} attempt(s): ${r.detail}`,
        };
        note(failure.message, 'failure');
      }
    }
  }

  let status: RolloutStatusOutput = failure ? 'failed' : 'succeeded';
  let rollbackNote = '';
  if (failure && inputs.rollback && !deps.signal.aborted) {
    const result = await logger.group('Roll back', () =>
      rollBack(tracked, inputs, deps, client, note, followAll),
    );
    rollbackNote = result.note;
    if (result.rolledBack) status = 'rolled-back';
  }

  const deployment = tracked.find((t) => t.manifest.kind === 'Deployment');
  const isvc = tracked.find((t) => t.manifest.kind === 'InferenceService');
  const revision = revisionOutput(deployment ?? isvc ?? tracked[0]);
  const result: RolloutResult = {
    status,
    endpoint,
    revision,
    failureReason: failure ? `${failure.reason}: ${failure.message.split('\n')[0] ?? ''}` : '',
    timeline,
    resources: rows,
    durationMs: clock.now() - started,
  };
  if (failure) {
    const parts = [failure.message];
    if (diagnosis) {
      result.diagnosis = formatDiagnosis(diagnosis);
      parts.push(result.diagnosis);
    }
    if (rollbackNote) parts.push(rollbackNote);
    result.error = parts.join('\n');
  }
  progress.phase = 'finished';
  save();
  return result;
}

function toWorkload(m: Manifest): Workload {
  return {
    apiVersion: m.apiVersion,
    kind: m.kind,
    plural: m.plural,
    name: m.name,
    namespace: m.namespace ?? 'default',
  };
}

function revisionOutput(t: Tracked | undefined): string {
  const obj = t?.outcome && 'object' in t.outcome ? t.outcome.object : t?.workload.initial;
  if (!obj) return '';
  const rev = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (rev) return rev;
  const status = (obj.status ?? {}) as {
    updateRevision?: string;
    components?: { predictor?: { latestReadyRevision?: string } };
  };
  return (
    status.components?.predictor?.latestReadyRevision ??
    status.updateRevision ??
    String(obj.metadata.generation ?? '')
  );
}

async function rollBack(
  tracked: Tracked[],
  inputs: RolloutInputs,
  deps: RunDeps,
  client: KubeClient,
  note: (text: string, level?: TimelineEntry['level']) => void,
  followAll: (list: Tracked[], until: number) => Promise<void>,
): Promise<{ rolledBack: boolean; note: string }> {
  const notes: string[] = [];
  const undone: Tracked[] = [];
  for (const t of tracked) {
    const { kind, namespace, name } = t.manifest;
    if (kind !== 'Deployment') {
      notes.push(
        `${kind} ${namespace}/${name}: not rolled back (rollback covers Deployments; ${kind} left as applied)`,
      );
      continue;
    }
    if (inputs.apply && t.previousRevision === undefined) {
      notes.push(
        `Deployment ${namespace}/${name}: no previous revision (created by this run); left in place, not deleted`,
      );
      continue;
    }
    try {
      const r = await undoDeployment(client, namespace ?? 'default', name, t.previousRevision ?? 0);
      if (r.state === 'skipped') {
        notes.push(`Deployment ${namespace}/${name}: ${r.message}`);
        continue;
      }
      note(`Deployment ${name}: rolled back to revision ${r.toRevision}`, 'warning');
      t.workload = { ...t.workload, initial: r.object };
      t.progress.state = 'waiting';
      t.progress.message = `rolling back to revision ${r.toRevision}`;
      undone.push(t);
    } catch (error) {
      notes.push(`Deployment ${namespace}/${name}: rollback failed: ${errorMessage(error)}`);
    }
  }
  if (undone.length === 0) {
    for (const n of notes) note(n, 'warning');
    return {
      rolledBack: false,
      note: `rollback: nothing rolled back\n${notes.map((n) => `  - ${n}`).join('\n')}`,
    };
  }
  await followAll(undone, deps.clock.now() + inputs.timeoutMs);
  const healthy = undone.every((t) => t.outcome?.state === 'done');
  for (const t of undone) {
    t.row.action = 'rolled back';
    if (t.outcome?.state === 'done') t.progress.state = 'rolled-back';
  }
  if (healthy) {
    note(
      `Rollback complete: ${undone.map((t) => t.manifest.name).join(', ')} healthy on the previous revision`,
      'success',
    );
  } else {
    note('Rollback did not become healthy', 'failure');
  }
  for (const n of notes) note(n, 'warning');
  const lines = [
    healthy
      ? `rolled back: ${undone.map((t) => `${t.manifest.kind} ${t.manifest.name}`).join(', ')} healthy on the previous revision`
      : `rollback did not become healthy: ${undone.map((t) => `${t.manifest.name}: ${t.outcome?.message ?? ''}`).join('; ')}`,
    ...notes.map((n) => `  - ${n}`),
  ];
  return { rolledBack: healthy, note: lines.join('\n') };
}

async function waitForIngress(
  client: KubeClient,
  svc: Manifest,
  deadline: number,
  deps: RunDeps,
): Promise<string | undefined> {
  const controller = new AbortController();
  const changed = new Notifier();
  let found: string | undefined;
  const ports = (svc.object.spec as { ports?: { port?: number }[] } | undefined)?.ports ?? [];
  const port = ports[0]?.port ?? 80;
  const loop = watchLoop({
    client,
    path: resourcePath('v1', 'services', svc.namespace),
    fieldSelector: `metadata.name=${svc.name}`,
    onEvent: (e) => {
      const ing = (
        e.object.status as
          { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined
      )?.loadBalancer?.ingress?.[0];
      const host = ing?.hostname ?? ing?.ip;
      if (host) {
        found = `${port === 443 ? 'https' : 'http'}://${host}${port === 80 || port === 443 ? '' : `:${port}`}`;
        changed.notify();
      }
    },
    onError: () => changed.notify(),
    signal: controller.signal,
    logger: deps.logger,
    clock: deps.clock,
    what: `Service ${svc.namespace}/${svc.name}`,
  });
  try {
    while (!found && deps.clock.now() < deadline && !deps.signal.aborted) {
      await changed.wait(deadline - deps.clock.now());
    }
  } finally {
    controller.abort();
    await loop;
  }
  return found;
}
