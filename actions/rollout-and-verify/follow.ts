/**
 * Follows one workload to completion with watches (the object, and its pods for fail-fast):
 * Deployments, StatefulSets and DaemonSets by kubectl's rollout-status rules, KServe
 * InferenceServices until Ready.
 */
import type { Clock } from '../../shared/clock.ts';
import {
  labelSelector,
  resourcePath,
  watchLoop,
  type KubeClient,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import { Changes, waitFor } from '../../shared/wait.ts';
import {
  autoscalerAnswer,
  clusterFacts,
  judgeUnschedulable,
  type AutoscalerAnswer,
  type ClusterFacts,
} from './gpu-memory.ts';
import { podProblem, unreadyProblem, type PodProblem } from './pods.ts';
import { isvcPodRevision, REVISION_POD_LABEL } from './isvc.ts';
import { FIELD_MANAGER, supersededBy, type Ownership } from './ownership.ts';
import type { RunRecord, Tracked } from './record.ts';
import { REVISION_ANNOTATION, rolloutStatus, type WorkloadLike } from './rollout-status.ts';

/** The label of the new revision's pods; undefined: any pod counts; 'unknown': not known yet. */
type RevisionLabel = { key: string; value: string } | undefined | 'unknown';

export const FOLLOWED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'InferenceService'];

export interface Workload {
  apiVersion: string;
  kind: string;
  plural: string;
  name: string;
  namespace: string;
  /** The object as the apply (or a GET) returned it. */
  initial?: KubeObject;
  /** What this run applied (undefined with apply: false: nothing is this run's). */
  owner?: Ownership;
}

export type FollowOutcome =
  | { state: 'done'; message: string; object: KubeObject }
  | { state: 'failed'; reason: string; message: string; problem?: PodProblem; object?: KubeObject }
  | { state: 'timeout'; message: string; object?: KubeObject; problem?: PodProblem }
  | { state: 'superseded'; message: string; by: string; object: KubeObject }
  | { state: 'cancelled'; message: string };

export interface FollowOptions {
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  deadline: number;
  failFast: boolean;
  unschedulableGraceMs: number;
  signal: AbortSignal;
  /** Called with kubectl's progress message whenever it changes. */
  onProgress: (message: string) => void;
}

function selectorOf(obj: KubeObject | undefined): string | undefined {
  const sel = obj?.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
  return labelSelector(sel?.matchLabels);
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** KServe readiness: Ready=True, observedGeneration caught up, latest revision ready. */
export function inferenceServiceStatus(isvc: KubeObject): {
  done: boolean;
  message: string;
  error?: string;
} {
  const name = isvc.metadata.name;
  const status = (isvc.status ?? {}) as {
    observedGeneration?: number;
    conditions?: Condition[];
    url?: string;
    components?: Record<string, { latestReadyRevision?: string; latestCreatedRevision?: string }>;
    modelStatus?: {
      transitionStatus?: string;
      lastFailureInfo?: { reason?: string; message?: string };
    };
  };
  const conds = status.conditions ?? [];
  const ready = conds.find((c) => c.type === 'Ready');
  const predictor = conds.find((c) => c.type === 'PredictorReady');
  const failure = status.modelStatus?.lastFailureInfo;
  const transition = status.modelStatus?.transitionStatus;
  // A status from before the latest spec (e.g. the failure a restore undoes) is not judged.
  if ((isvc.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return {
      done: false,
      message: `Waiting for inference service "${name}" spec update to be observed...`,
    };
  }
  if (transition === 'BlockedByFailedLoad' || transition === 'InvalidSpec') {
    return {
      done: false,
      message: '',
      error: `inference service "${name}": ${transition}${failure ? ` — ${failure.reason ?? ''}: ${failure.message ?? ''}` : ''}`,
    };
  }
  if (predictor?.status === 'False' && predictor.reason) {
    return {
      done: false,
      message: '',
      error: `inference service "${name}" predictor not ready: ${predictor.reason}${predictor.message ? ` — ${predictor.message}` : ''}`,
    };
  }
  const predictorRev = status.components?.predictor;
  if (
    predictorRev?.latestCreatedRevision &&
    predictorRev.latestCreatedRevision !== predictorRev.latestReadyRevision
  ) {
    return {
      done: false,
      message: `Waiting for inference service "${name}": revision ${predictorRev.latestCreatedRevision} is not ready yet...`,
    };
  }
  if (ready?.status === 'True') {
    return {
      done: true,
      message: `inference service "${name}" is ready${status.url ? ` at ${status.url}` : ''}`,
    };
  }
  const waiting = conds.find((c) => c.status !== 'True' && c.type !== 'Ready');
  return {
    done: false,
    message: `Waiting for inference service "${name}" to be Ready${waiting ? ` (${waiting.type}: ${waiting.reason ?? waiting.status}${waiting.message ? ` — ${waiting.message}` : ''})` : ''}...`,
  };
}

/** The label a pod of the current (new) revision carries, or undefined when any pod counts. */
async function newRevisionLabel(
  client: KubeClient,
  w: Workload,
  obj: KubeObject,
): Promise<{ key: string; value: string } | undefined | 'unknown'> {
  if (w.kind === 'Deployment') {
    const status = (obj.status ?? {}) as { observedGeneration?: number };
    if ((obj.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) return 'unknown';
    const revision = obj.metadata.annotations?.[REVISION_ANNOTATION];
    if (!revision) return 'unknown';
    const list = await client.json<KubeList>({
      method: 'GET',
      path: resourcePath('apps/v1', 'replicasets', w.namespace),
      query: { labelSelector: selectorOf(obj) },
    });
    const rs = list.items.find(
      (r) =>
        r.metadata.annotations?.[REVISION_ANNOTATION] === revision &&
        r.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid),
    );
    const hash = rs?.metadata.labels?.['pod-template-hash'];
    return hash ? { key: 'pod-template-hash', value: hash } : 'unknown';
  }
  if (w.kind === 'StatefulSet' || w.kind === 'DaemonSet') {
    const rev = (obj.status as { updateRevision?: string } | undefined)?.updateRevision;
    return rev ? { key: 'controller-revision-hash', value: rev } : undefined;
  }
  return undefined;
}

export async function follow(w: Workload, o: FollowOptions): Promise<FollowOutcome> {
  const controller = new AbortController();
  const changed = new Changes();
  const stop = (): void => {
    controller.abort();
    changed.notify();
  };
  o.signal.addEventListener('abort', stop);
  let obj: KubeObject | undefined = w.initial;
  let deleted = false;
  let watchError: Error | undefined;
  const pods = new Map<string, KubeObject>();
  const loops: Promise<void>[] = [];
  const common = {
    client: o.client,
    signal: controller.signal,
    logger: o.logger,
    clock: o.clock,
    onError: (e: Error) => {
      watchError = e;
      changed.notify();
    },
  };
  loops.push(
    watchLoop({
      ...common,
      path: resourcePath(w.apiVersion, w.plural, w.namespace),
      fieldSelector: `metadata.name=${w.name}`,
      ...(w.initial?.metadata.resourceVersion
        ? { resourceVersion: w.initial.metadata.resourceVersion }
        : {}),
      onEvent: (e) => {
        if (e.type === 'DELETED') deleted = true;
        else obj = e.object;
        changed.notify();
      },
      what: `${w.kind} ${w.namespace}/${w.name}`,
    }),
  );
  let podsWatched = false;
  const watchPods = (selector: string): void => {
    if (podsWatched || !o.failFast) return;
    podsWatched = true;
    loops.push(
      watchLoop({
        ...common,
        path: resourcePath('v1', 'pods', w.namespace),
        labelSelector: selector,
        onEvent: (e) => {
          if (e.type === 'DELETED') pods.delete(e.object.metadata.name);
          else pods.set(e.object.metadata.name, e.object);
          changed.notify();
        },
        what: `pods of ${w.kind} ${w.namespace}/${w.name}`,
      }),
    );
  };
  if (w.kind === 'InferenceService') watchPods(`serving.kserve.io/inferenceservice=${w.name}`);
  // The cluster autoscaler's answers about the pods (watched once a pod is Unschedulable).
  const answers = new Map<string, AutoscalerAnswer>();
  let facts: ClusterFacts | undefined;
  let eventsWatched = false;
  const watchAutoscalerEvents = (): void => {
    if (eventsWatched) return;
    eventsWatched = true;
    loops.push(
      watchLoop({
        ...common,
        // Best effort: without events the grace rules as before.
        onError: (e: Error) => o.logger.info(`Autoscaler events unavailable: ${e.message}`),
        path: resourcePath('v1', 'events', w.namespace),
        fieldSelector: 'involvedObject.kind=Pod',
        onEvent: (e) => {
          const found = e.type === 'DELETED' ? undefined : autoscalerAnswer(e.object);
          if (!found) return;
          const known = answers.get(found.pod);
          if (known && known.at > found.answer.at) return;
          answers.set(found.pod, found.answer);
          changed.notify();
        },
        what: `autoscaler events in ${w.namespace}`,
      }),
    );
  };
  let lastMessage = '';
  let revisionKey: string | undefined;
  let revisionLabel: RevisionLabel = 'unknown';
  const unschedulableSince = new Map<string, number>();

  /** One evaluation of everything known; an outcome ends the wait. */
  const evaluate = async (): Promise<FollowOutcome | undefined> => {
    if (watchError) throw watchError;
    if (deleted) {
      return {
        state: 'failed',
        reason: 'Deleted',
        message: `${w.kind} "${w.name}" was deleted while waiting for it`,
      };
    }
    if (!obj) return undefined;
    const current: KubeObject = obj;
    // Another release moved the workload past this run's: its verdict is not this run's.
    const by = w.owner ? supersededBy(current, w.owner, FIELD_MANAGER) : undefined;
    if (by) {
      return {
        state: 'superseded',
        by,
        message: `${w.kind} "${w.name}" was superseded by ${by} before this run's revision was verified`,
        object: current,
      };
    }
    const verdict =
      w.kind === 'InferenceService'
        ? inferenceServiceStatus(current)
        : (rolloutStatus(w.kind, current as WorkloadLike) ?? { done: true, message: '' });
    if (verdict.message && verdict.message !== lastMessage) {
      lastMessage = verdict.message;
      if (!verdict.done) o.onProgress(verdict.message.trim());
    }
    if (verdict.error) {
      const deadline = /exceeded its progress deadline/.test(verdict.error);
      if (verdict.done && w.kind !== 'Deployment') {
        // kubectl: OnDelete strategies have no rollout status; the apply itself is the result.
        return {
          state: 'done',
          message: `${w.kind} "${w.name}": ${verdict.error}`,
          object: current,
        };
      }
      return {
        state: 'failed',
        reason: deadline
          ? 'ProgressDeadlineExceeded'
          : w.kind === 'InferenceService'
            ? 'InferenceServiceNotReady'
            : 'RolloutError',
        message: verdict.error,
        object: current,
      };
    }
    if (verdict.done) return { state: 'done', message: verdict.message.trim(), object: current };
    if (!o.failFast) return undefined;
    if (w.kind !== 'InferenceService') {
      const key = `${current.metadata.generation ?? 0}/${current.metadata.annotations?.[REVISION_ANNOTATION] ?? ''}/${(current.status as { updateRevision?: string } | undefined)?.updateRevision ?? ''}`;
      if (key !== revisionKey || revisionLabel === 'unknown') {
        revisionLabel = await newRevisionLabel(o.client, w, current);
        revisionKey = key;
      }
      const sel = selectorOf(current);
      if (sel) watchPods(sel);
    }
    const label = revisionLabel;
    // An InferenceService's pods of earlier revisions (e.g. the failed one, after a restore)
    // are not this revision's.
    const isvcRevision = w.kind === 'InferenceService' ? isvcPodRevision(current) : undefined;
    for (const pod of pods.values()) {
      if (isvcRevision === 'unknown') break;
      const podRevision = pod.metadata.labels?.[REVISION_POD_LABEL];
      if (isvcRevision && podRevision && podRevision !== isvcRevision) continue;
      if (w.kind !== 'InferenceService') {
        if (label === 'unknown') break;
        if (label && pod.metadata.labels?.[label.key] !== label.value) continue;
      }
      const problem = podProblem(pod);
      if (!problem) {
        unschedulableSince.delete(pod.metadata.name);
        continue;
      }
      if (problem.unschedulable) {
        watchAutoscalerEvents();
        facts ??= await clusterFacts(o.client);
        const verdict = judgeUnschedulable(
          problem,
          pod,
          answers.get(pod.metadata.uid ?? pod.metadata.name),
          facts,
        );
        problem.message = verdict.message;
        const since = unschedulableSince.get(pod.metadata.name) ?? o.clock.now();
        unschedulableSince.set(pod.metadata.name, since);
        if (!verdict.failNow && o.clock.now() - since < o.unschedulableGraceMs) continue;
      }
      return {
        state: 'failed',
        reason: problem.reason,
        message: `pod ${problem.pod}${problem.container ? ` container ${problem.container}` : ''}: ${problem.reason}${problem.message ? ` — ${problem.message}` : ''}`,
        problem,
        object: current,
      };
    }
    return undefined;
  };

  try {
    const result = await waitFor(evaluate, {
      clock: o.clock,
      deadline: o.deadline,
      signal: o.signal,
      changes: changed,
      // An unschedulable pod is judged again when its grace ends, even if nothing changes.
      recheckAt: () => {
        const ends = [...unschedulableSince.values()].map((s) => s + o.unschedulableGraceMs);
        return ends.length > 0 ? Math.min(...ends) : undefined;
      },
    });
    if (result.done) return result.value;
    if (result.reason === 'aborted') return { state: 'cancelled', message: lastMessage.trim() };
    // Pods of this revision that run but never became Ready: say which, and why.
    // (Read through a function: TypeScript does not see the assignments made in evaluate.)
    const label = ((): RevisionLabel => revisionLabel)();
    const unready = [...pods.values()]
      .filter(
        (pod) =>
          label !== 'unknown' &&
          (w.kind === 'InferenceService' ||
            !label ||
            pod.metadata.labels?.[label.key] === label.value),
      )
      .map(unreadyProblem)
      .find((p) => p !== undefined);
    return {
      state: 'timeout',
      message: lastMessage.trim() || `no status for ${w.kind} "${w.name}" yet`,
      ...(obj ? { object: obj } : {}),
      ...(unready ? { problem: unready } : {}),
    };
  } finally {
    o.signal.removeEventListener('abort', stop);
    // The watches close in the background: the verdict is not held up by socket teardown
    // (watchLoop never rejects, so nothing is left unhandled).
    controller.abort();
    void Promise.allSettled(loops);
  }
}

export interface FollowAllOptions {
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  record: RunRecord;
  failFast: boolean;
  unschedulableGraceMs: number;
  /** The deadline the client's requests and retries keep to (a rollback moves it). */
  limits: { deadline: number };
}

/**
 * Phase 2, follow: every workload at once until done, failed or `deadline`. One failure stops
 * the others (fail fast); a cancelled job stops everything. Outcomes land on each Tracked.
 */
export async function followAll(
  list: readonly Tracked[],
  deadline: number,
  o: FollowAllOptions,
): Promise<void> {
  const group = new AbortController();
  const onOuterAbort = (): void => group.abort();
  o.signal.addEventListener('abort', onOuterAbort);
  const { record } = o;
  try {
    await Promise.all(
      list.map(async (t) => {
        const outcome = await follow(t.workload, {
          client: o.client,
          logger: o.logger,
          clock: o.clock,
          deadline,
          failFast: o.failFast,
          unschedulableGraceMs: o.unschedulableGraceMs,
          signal: group.signal,
          onProgress: (message) => {
            t.progress.message = message;
            t.row.state = message;
            record.note(`${t.manifest.kind} ${t.manifest.name}: ${message}`);
            record.save();
          },
        });
        t.outcome = outcome;
        // A cancelled follow leaves the workload as it was: still rolling out in the cluster.
        if (outcome.state !== 'cancelled') {
          t.progress.state = outcome.state;
          t.progress.message = outcome.message;
          t.row.state = outcome.message;
          t.row.ok = outcome.state === 'done';
        }
        record.save();
        if (outcome.state === 'failed') {
          record.note(
            `${t.manifest.kind} ${t.manifest.name} failed: ${outcome.message}`,
            'failure',
          );
          group.abort();
        } else if (outcome.state === 'done') {
          record.note(`${t.manifest.kind} ${t.manifest.name}: ${outcome.message}`, 'success');
        } else if (outcome.state === 'superseded') {
          record.note(outcome.message, 'warning');
        }
      }),
    );
  } finally {
    o.signal.removeEventListener('abort', onOuterAbort);
  }
}
