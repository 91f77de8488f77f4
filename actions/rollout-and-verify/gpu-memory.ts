/**
 * GPU and memory, told plainly. An Unschedulable pod is judged with what the cluster autoscaler
 * said about it (its NotTriggerScaleUp / TriggeredScaleUp events) and what the nodes have: it
 * fails at once when no node will come, waits the grace while one is coming. An OOMKilled
 * container is explained by its memory limit and request.
 */
import type { KubeClient, KubeList, KubeObject } from '../../shared/kube/index.ts';
import type { PodProblem } from './types.ts';

export const AUTOSCALER_REASONS = ['NotTriggerScaleUp', 'TriggeredScaleUp'] as const;

/** The cluster autoscaler's last word on one pod. */
export interface AutoscalerAnswer {
  reason: (typeof AUTOSCALER_REASONS)[number];
  message: string;
  /** lastTimestamp (or eventTime) of the event, to keep the newest. */
  at: string;
}

/** What the cluster can offer; undefined fields: not readable (RBAC), so not relied on. */
export interface ClusterFacts {
  /** A cluster autoscaler runs (its status ConfigMap kube-system/cluster-autoscaler-status). */
  autoscaler: boolean | undefined;
  /** Resource names some node has a non-zero allocatable amount of. */
  nodeResources: Set<string> | undefined;
}

interface EventLike {
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; uid?: string };
}

/**
 * The autoscaler answer an event carries, if any, keyed by the pod's uid (a StatefulSet's pod
 * comes back under the same name: an answer about its predecessor is not about it).
 */
export function autoscalerAnswer(
  event: KubeObject,
): { pod: string; answer: AutoscalerAnswer } | undefined {
  const e = event as unknown as EventLike;
  const reason = AUTOSCALER_REASONS.find((r) => r === e.reason);
  const pod = e.involvedObject?.uid || e.involvedObject?.name;
  if (!reason || !pod || e.involvedObject?.kind !== 'Pod') return undefined;
  return {
    pod,
    answer: { reason, message: e.message ?? '', at: e.lastTimestamp ?? e.eventTime ?? '' },
  };
}

function isZero(quantity: unknown): boolean {
  return /^0+(\.0*)?[a-zA-Z]*$/.test(String(quantity ?? '0'));
}

/** Reads whether an autoscaler runs and what the nodes have (each best effort). */
export async function clusterFacts(client: KubeClient): Promise<ClusterFacts> {
  let autoscaler: boolean | undefined;
  try {
    const res = await client.request({
      method: 'GET',
      path: '/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status',
      okStatuses: [404],
    });
    autoscaler = res.status === 200;
  } catch {
    autoscaler = undefined;
  }
  let nodeResources: Set<string> | undefined;
  try {
    const nodes = await client.json<KubeList>({ method: 'GET', path: '/api/v1/nodes' });
    nodeResources = new Set(
      nodes.items.flatMap((n) =>
        Object.entries(
          (n.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable ?? {},
        )
          .filter(([, q]) => !isZero(q))
          .map(([k]) => k),
      ),
    );
  } catch {
    nodeResources = undefined;
  }
  return { autoscaler, nodeResources };
}

/** The resources a scheduler message calls insufficient ("1 Insufficient nvidia.com/gpu"). */
export function insufficientResources(schedulerMessage: string): string[] {
  const before = schedulerMessage.split(/preemption:/)[0] ?? '';
  const names = [...before.matchAll(/Insufficient (\S+)/g)].map((m) =>
    (m[1] ?? '').replace(/[.,;]+$/, ''),
  );
  return [...new Set(names)].filter(Boolean);
}

interface ContainerSpec {
  name?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

function containers(pod: KubeObject): ContainerSpec[] {
  const spec = (pod.spec ?? {}) as {
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
  };
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** "nvidia.com/gpu: 1" — what the pod asks of `resource` (requests, else limits). */
function requested(pod: KubeObject, resource: string): string {
  const amounts = containers(pod)
    .map((c) => c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource])
    .filter((q) => q !== undefined)
    .map(String);
  return amounts.length ? `${resource}: ${amounts.join(' + ')}` : resource;
}

/** What the autoscaler said about the node group ("1 max node group size reached"). */
function autoscalerReason(message: string): string {
  return message.replace(/^pod didn't trigger scale-up:\s*/i, '').trim() || message;
}

export interface UnschedulableVerdict {
  /** Fail now (no node will come), or wait the grace. */
  failNow: boolean;
  /** The plain reason, for the failure message. */
  message: string;
}

/** Judges an Unschedulable pod by what the autoscaler said and what the nodes have. */
export function judgeUnschedulable(
  problem: PodProblem,
  pod: KubeObject,
  answer: AutoscalerAnswer | undefined,
  facts: ClusterFacts | undefined,
): UnschedulableVerdict {
  const wanted = insufficientResources(problem.message);
  const asks = wanted.length ? wanted.map((r) => requested(pod, r)).join(', ') : undefined;
  const scheduler = problem.message;
  if (answer?.reason === 'NotTriggerScaleUp') {
    return {
      failNow: true,
      message: `${asks ? `the pod requests ${asks}, which no node can provide, ` : 'no node can take the pod, '}and the cluster autoscaler will not add one (node group limit: ${autoscalerReason(answer.message)}). Scheduler: ${scheduler}`,
    };
  }
  if (answer?.reason === 'TriggeredScaleUp') {
    return {
      failNow: false,
      message: `${asks ? `the pod requests ${asks}; ` : ''}the cluster autoscaler started a scale-up (${answer.message}) but no node could take the pod within unschedulable-grace. Scheduler: ${scheduler}`,
    };
  }
  const absent =
    facts?.nodeResources === undefined
      ? []
      : wanted.filter((r) => !(facts.nodeResources as Set<string>).has(r));
  if (facts?.autoscaler === false && absent.length > 0) {
    return {
      failNow: true,
      message: `the pod requests ${absent.map((r) => requested(pod, r)).join(', ')}, which no node has, and no cluster autoscaler runs to add such a node (no kube-system/cluster-autoscaler-status). Scheduler: ${scheduler}`,
    };
  }
  return { failNow: false, message: scheduler };
}

/** "memory limit 256Mi, request 128Mi" of `container`, for an OOMKilled diagnosis. */
export function memoryOf(pod: KubeObject, container: string | undefined): string {
  const c = containers(pod).find((x) => x.name === container);
  const limit = c?.resources?.limits?.memory;
  const request = c?.resources?.requests?.memory;
  const parts = [
    limit === undefined ? 'no memory limit' : `memory limit ${String(limit)}`,
    request === undefined ? 'no memory request' : `request ${String(request)}`,
  ];
  const hint =
    limit === undefined
      ? 'the node ran out of memory; set resources.requests.memory to what the model needs'
      : 'the container used more than its limit; raise resources.limits.memory (and the request) or load a smaller model';
  return `OOMKilled: ${parts.join(', ')} — ${hint}`;
}
