/**
 * Follows one workload to completion with watches (the object, and its pods for fail-fast):
 * Deployments, StatefulSets and DaemonSets by kubectl's rollout-status rules, KServe
 * InferenceServices until Ready. `followAll` follows a list at once (fail fast across it).
 */
import type { Deadline } from '../../shared/deadline.ts';
import {
  labelSelector,
  resourcePath,
  type KubeClient,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { waitFor } from '../../shared/wait.ts';
import { clusterFacts, judgeUnschedulable } from './gpu-memory.ts';
import { inferenceServiceStatus, isvcPodRevision, REVISION_POD_LABEL } from './isvc-status.ts';
import { FIELD_MANAGER, supersededBy } from './ownership.ts';
import { podProblem, unreadyProblem } from './pods.ts';
import { REVISION_ANNOTATION, rolloutStatus, type WorkloadLike } from './rollout-status.ts';
import type { FollowContext, FollowOptions, FollowOutcome, Tracked, Workload } from './types.ts';
import { FollowWatches, type RevisionLabel } from './watches.ts';

export type { FollowOptions, FollowOutcome, Workload } from './types.ts';

const ISVC = 'InferenceService';

function selectorOf(obj: KubeObject | undefined): string | undefined {
  const sel = obj?.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
  return labelSelector(sel?.matchLabels);
}

/** The label a pod of the current (new) revision carries, or undefined when any pod counts. */
async function newRevisionLabel(
  client: KubeClient,
  w: Workload,
  obj: KubeObject,
): Promise<RevisionLabel> {
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

/** The verdict on the object itself: deleted, superseded, done, failed; undefined: go on. */
function judgeObject(
  w: Workload,
  o: FollowOptions,
  s: FollowWatches,
  current: KubeObject,
): FollowOutcome | undefined {
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
    w.kind === ISVC
      ? inferenceServiceStatus(current)
      : (rolloutStatus(w.kind, current as WorkloadLike) ?? { done: true, message: '' });
  if (verdict.message && verdict.message !== s.lastMessage) {
    s.lastMessage = verdict.message;
    if (!verdict.done) o.onProgress(verdict.message.trim());
  }
  if (verdict.error) {
    if (verdict.done && w.kind !== 'Deployment') {
      // kubectl: OnDelete strategies have no rollout status; the apply itself is the result.
      return { state: 'done', message: `${w.kind} "${w.name}": ${verdict.error}`, object: current };
    }
    const reason = /exceeded its progress deadline/.test(verdict.error)
      ? 'ProgressDeadlineExceeded'
      : w.kind === ISVC
        ? 'InferenceServiceNotReady'
        : 'RolloutError';
    return { state: 'failed', reason, message: verdict.error, object: current };
  }
  if (verdict.done) return { state: 'done', message: verdict.message.trim(), object: current };
  return undefined;
}

/** A pod of the new revision: the revision label's, or (InferenceService) the latest created's. */
function ofThisRevision(
  w: Workload,
  pod: KubeObject,
  label: RevisionLabel,
  isvcRevision: string | undefined,
): boolean {
  const podRevision = pod.metadata.labels?.[REVISION_POD_LABEL];
  if (isvcRevision && podRevision && podRevision !== isvcRevision) return false;
  if (w.kind === ISVC || !label || label === 'unknown') return true;
  return pod.metadata.labels?.[label.key] === label.value;
}

/** Fail fast: the first pod of the new revision with a problem that will not fix itself. */
async function judgePods(
  w: Workload,
  o: FollowOptions,
  s: FollowWatches,
  current: KubeObject,
): Promise<FollowOutcome | undefined> {
  if (w.kind !== ISVC) {
    const key = `${current.metadata.generation ?? 0}/${current.metadata.annotations?.[REVISION_ANNOTATION] ?? ''}/${(current.status as { updateRevision?: string } | undefined)?.updateRevision ?? ''}`;
    if (key !== s.revisionKey || s.revisionLabel === 'unknown') {
      s.revisionLabel = await newRevisionLabel(o.client, w, current);
      s.revisionKey = key;
    }
    const sel = selectorOf(current);
    if (sel) s.watchPods(sel);
  }
  const label = s.revisionLabel;
  // An InferenceService's pods of earlier revisions (e.g. the failed one, after a restore)
  // are not this revision's.
  const isvcRevision = w.kind === ISVC ? isvcPodRevision(current) : undefined;
  if (isvcRevision === 'unknown' || (w.kind !== ISVC && label === 'unknown')) return undefined;
  for (const pod of s.pods.values()) {
    if (!ofThisRevision(w, pod, label, isvcRevision)) continue;
    const problem = podProblem(pod);
    if (!problem) {
      s.unschedulableSince.delete(pod.metadata.name);
      continue;
    }
    if (problem.unschedulable) {
      s.watchAutoscalerEvents();
      s.facts ??= await clusterFacts(o.client);
      const answer = s.answers.get(pod.metadata.uid ?? pod.metadata.name);
      const verdict = judgeUnschedulable(problem, pod, answer, s.facts);
      problem.message = verdict.message;
      const since = s.unschedulableSince.get(pod.metadata.name) ?? o.clock.now();
      s.unschedulableSince.set(pod.metadata.name, since);
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
}

/** One evaluation of everything known; an outcome ends the wait. */
async function evaluate(
  w: Workload,
  o: FollowOptions,
  s: FollowWatches,
): Promise<FollowOutcome | undefined> {
  if (s.watchError) throw s.watchError;
  if (s.deleted) {
    const message = `${w.kind} "${w.name}" was deleted while waiting for it`;
    return { state: 'failed', reason: 'Deleted', message };
  }
  if (!s.obj) return undefined;
  const current: KubeObject = s.obj;
  const verdict = judgeObject(w, o, s, current);
  if (verdict || !o.failFast) return verdict;
  return judgePods(w, o, s, current);
}

/** At the deadline: the last state, and which pods of this revision never became Ready. */
function timedOut(w: Workload, s: FollowWatches): FollowOutcome {
  const label = s.revisionLabel;
  const unready = [...s.pods.values()]
    .filter(
      (pod) =>
        label !== 'unknown' &&
        (w.kind === ISVC || !label || pod.metadata.labels?.[label.key] === label.value),
    )
    .map(unreadyProblem)
    .find((p) => p !== undefined);
  return {
    state: 'timeout',
    message: s.lastMessage.trim() || `no status for ${w.kind} "${w.name}" yet`,
    ...(s.obj ? { object: s.obj } : {}),
    ...(unready ? { problem: unready } : {}),
  };
}

export async function follow(w: Workload, o: FollowOptions): Promise<FollowOutcome> {
  const s = new FollowWatches(w, o);
  o.signal.addEventListener('abort', s.stop);
  s.watchObject();
  if (w.kind === ISVC) s.watchPods(`serving.kserve.io/inferenceservice=${w.name}`);
  try {
    const result = await waitFor(() => evaluate(w, o, s), {
      clock: o.clock,
      deadline: o.deadline,
      signal: o.signal,
      changes: s.changed,
      // An unschedulable pod is judged again when its grace ends, even if nothing changes.
      recheckAt: () => {
        const ends = [...s.unschedulableSince.values()].map((t) => t + o.unschedulableGraceMs);
        return ends.length > 0 ? Math.min(...ends) : undefined;
      },
    });
    if (result.done) return result.value;
    if (result.reason === 'aborted') return { state: 'cancelled', message: s.lastMessage.trim() };
    return timedOut(w, s);
  } finally {
    o.signal.removeEventListener('abort', s.stop);
    s.close();
  }
}

/** Writes one workload's outcome to its row, progress and the timeline. */
function recordOutcome(t: Tracked, outcome: FollowOutcome, o: FollowContext): void {
  const { record } = o;
  t.outcome = outcome;
  // A cancelled follow leaves the workload as it was: still rolling out in the cluster.
  if (outcome.state !== 'cancelled') {
    t.progress.state = outcome.state;
    t.progress.message = outcome.message;
    t.row.state = outcome.message;
    t.row.ok = outcome.state === 'done';
  }
  record.save();
  const what = `${t.manifest.kind} ${t.manifest.name}`;
  if (outcome.state === 'failed') record.note(`${what} failed: ${outcome.message}`, 'failure');
  else if (outcome.state === 'done') record.note(`${what}: ${outcome.message}`, 'success');
  else if (outcome.state === 'superseded') record.note(outcome.message, 'warning');
}

/**
 * The follow phase: every workload at once until done, failed or `deadline`. One failure stops
 * the others (fail fast); a cancelled job stops everything. Outcomes land on each Tracked;
 * `followOne` is the object's kind handler's follow.
 */
export async function followAll(
  list: readonly Tracked[],
  deadline: Deadline,
  o: FollowContext,
  followOne: (w: Workload, options: FollowOptions) => Promise<FollowOutcome> = follow,
): Promise<void> {
  const group = new AbortController();
  const onOuterAbort = (): void => group.abort();
  o.signal.addEventListener('abort', onOuterAbort);
  try {
    await Promise.all(
      list.map(async (t) => {
        const outcome = await followOne(t.workload, {
          client: o.client,
          logger: o.logger,
          clock: o.clock,
          deadline: deadline.at,
          failFast: o.failFast,
          unschedulableGraceMs: o.unschedulableGraceMs,
          signal: group.signal,
          onProgress: (message) => {
            t.progress.message = message;
            t.row.state = message;
            o.record.note(`${t.manifest.kind} ${t.manifest.name}: ${message}`);
            o.record.save();
          },
        });
        recordOutcome(t, outcome, o);
        if (outcome.state === 'failed') group.abort();
      }),
    );
  } finally {
    o.signal.removeEventListener('abort', onOuterAbort);
  }
}
