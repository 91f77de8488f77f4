/** Fail-fast detection on pods of the new revision, and the diagnosis of a failed pod. */
import type { KubeClient, KubeList, KubeObject } from '../../shared/kube/index.ts';
import { memoryOf } from './gpu-memory.ts';
import type { Diagnosis, PodProblem } from './types.ts';

export type { Diagnosis, PodProblem } from './types.ts';

/** Container waiting reasons that will not fix themselves: the rollout fails at once. */
export const FAIL_FAST_REASONS = [
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CrashLoopBackOff',
] as const;

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

/** The first fail-fast problem of a pod, or undefined when it looks fine (or merely slow). */
export function podProblem(pod: KubeObject): PodProblem | undefined {
  const status = (pod.status ?? {}) as {
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
  const base = { pod: pod.metadata.name, namespace: pod.metadata.namespace ?? '' };
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const reason = c.state?.waiting?.reason;
    if (reason && (FAIL_FAST_REASONS as readonly string[]).includes(reason)) {
      const last = c.lastState?.terminated;
      const message =
        c.state?.waiting?.message ??
        (last ? `last exit code ${last.exitCode ?? '?'} (${last.reason ?? 'terminated'})` : '');
      return {
        ...base,
        container: c.name,
        reason,
        message:
          (reason === 'CrashLoopBackOff' && last
            ? `${message}; last exit code ${last.exitCode ?? '?'} (${last.reason ?? 'terminated'})`
            : message) + (last?.reason === 'OOMKilled' ? `; ${memoryOf(pod, c.name)}` : ''),
        ...(c.restartCount ? { restartCount: c.restartCount } : {}),
      };
    }
  }
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return {
      ...base,
      reason: 'Unschedulable',
      message: scheduled.message ?? '',
      unschedulable: true,
    };
  }
  return undefined;
}

/**
 * A pod that runs but is not Ready (its readiness probe keeps failing): not a fail-fast
 * reason — it may still become Ready — but the diagnosis when the deadline comes.
 */
export function unreadyProblem(pod: KubeObject): PodProblem | undefined {
  const status = (pod.status ?? {}) as {
    phase?: string;
    containerStatuses?: (ContainerStatus & { ready?: boolean; state?: { running?: unknown } })[];
  };
  if (status.phase !== 'Running') return undefined;
  const unready = status.containerStatuses?.find((c) => c.state?.running && c.ready === false);
  if (!unready) return undefined;
  return {
    pod: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    container: unready.name,
    reason: 'Unready',
    message: `container ${unready.name} is running but not Ready (its readiness probe is failing; the events below say why)`,
  };
}

/** Recent events of the pod and the last log lines of the failing container (best effort). */
export async function diagnose(client: KubeClient, problem: PodProblem): Promise<Diagnosis> {
  const ns = problem.namespace;
  let events: string[] = [];
  try {
    const list = await client.json<KubeList>({
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/events`,
      query: { fieldSelector: `involvedObject.name=${problem.pod}` },
    });
    events = list.items
      .map(
        (e) =>
          e as unknown as {
            type?: string;
            reason?: string;
            message?: string;
            count?: number;
            lastTimestamp?: string;
            eventTime?: string;
          },
      )
      .sort((a, b) =>
        String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(
          String(b.lastTimestamp ?? b.eventTime ?? ''),
        ),
      )
      .slice(-8)
      .map(
        (e) =>
          `${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`,
      );
  } catch (error) {
    events = [`(events unavailable: ${(error as Error).message})`];
  }
  let logs: string[] = [];
  if (
    problem.container &&
    !problem.unschedulable &&
    !/Image|ContainerConfig/.test(problem.reason)
  ) {
    for (const previous of [true, false]) {
      const res = await client
        .request({
          method: 'GET',
          path: `/api/v1/namespaces/${ns}/pods/${problem.pod}/log`,
          query: {
            container: problem.container,
            tailLines: 20,
            ...(previous ? { previous: true } : {}),
          },
          okStatuses: [400, 404],
        })
        .catch(() => undefined);
      if (res && res.status === 200 && res.body.trim()) {
        logs = res.body.trimEnd().split('\n').slice(-20);
        break;
      }
    }
  }
  return { problem, events, logs };
}

export function formatDiagnosis(d: Diagnosis): string {
  const p = d.problem;
  const lines = [
    `pod ${p.namespace}/${p.pod}${p.container ? `, container ${p.container}` : ''}: ${p.reason}${p.message ? ` — ${p.message}` : ''}${p.restartCount ? ` (restarts: ${p.restartCount})` : ''}`,
  ];
  if (d.events.length) lines.push('recent events:', ...d.events.map((e) => `  ${e}`));
  if (d.logs.length) lines.push('last log lines:', ...d.logs.map((l) => `  ${l}`));
  return lines.join('\n');
}
