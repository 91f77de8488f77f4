/**
 * Follows one object to completion with watches (the object, and its pods for fail-fast), by
 * its kind's FollowRules (workload-follow.ts: kubectl's rollout-status rules; isvc-follow.ts:
 * KServe's Ready): this module knows no kinds. `followAll` follows a list at once (fail fast
 * across it).
 */
import type { Deadline } from '../../shared/deadline.ts';
import type { KubeObject } from '../../shared/kube/index.ts';
import { waitFor } from '../../shared/wait.ts';
import { clusterFacts, judgeUnschedulable } from './gpu-memory.ts';
import { FIELD_MANAGER, supersededBy } from './ownership.ts';
import { podProblem, unreadyProblem } from './pods.ts';
import type {
  FollowContext,
  FollowOptions,
  FollowOutcome,
  FollowRules,
  Tracked,
  Workload,
} from './types.ts';
import { FollowWatches } from './watches.ts';

export type { FollowOptions, FollowOutcome, Workload } from './types.ts';

/** The verdict on the object itself: deleted, superseded, done, failed; undefined: go on. */
function judgeObject(
  w: Workload,
  rules: FollowRules,
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
  const verdict = rules.verdict(w, current);
  if (verdict.message && verdict.message !== s.lastMessage) {
    s.lastMessage = verdict.message;
    if (!verdict.done) o.onProgress(verdict.message.trim());
  }
  if (verdict.error) {
    if (verdict.done && rules.doneOnError(w)) {
      return { state: 'done', message: `${w.kind} "${w.name}": ${verdict.error}`, object: current };
    }
    const reason = rules.failureReason(w, verdict.error);
    return { state: 'failed', reason, message: verdict.error, object: current };
  }
  if (verdict.done) return { state: 'done', message: verdict.message.trim(), object: current };
  return undefined;
}

/** The new revision's pods as of `current`, worked out again only when the rules' key moves. */
async function revisionPods(
  w: Workload,
  rules: FollowRules,
  o: FollowOptions,
  s: FollowWatches,
  current: KubeObject,
): Promise<FollowWatches['revisionPods']> {
  const key = rules.revisionKey(w, current);
  if (key !== s.revisionKey || s.revisionPods === 'unknown') {
    const answer = await rules.revisionPods(w, current, o.client);
    s.revisionPods = answer.pods;
    s.revisionKey = key;
    if (answer.selector) s.watchPods(answer.selector);
  }
  return s.revisionPods;
}

/** Fail fast: the first pod of the new revision with a problem that will not fix itself. */
async function judgePods(
  w: Workload,
  rules: FollowRules,
  o: FollowOptions,
  s: FollowWatches,
  current: KubeObject,
): Promise<FollowOutcome | undefined> {
  const ofRevision = await revisionPods(w, rules, o, s, current);
  if (ofRevision === 'unknown') return undefined;
  for (const pod of s.pods.values()) {
    if (!ofRevision(pod)) continue;
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
  rules: FollowRules,
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
  const verdict = judgeObject(w, rules, o, s, current);
  if (verdict || !o.failFast) return verdict;
  return judgePods(w, rules, o, s, current);
}

/** At the deadline: the last state, and which pods of this revision never became Ready. */
function timedOut(w: Workload, s: FollowWatches): FollowOutcome {
  const ofRevision = s.revisionPods;
  const unready = [...s.pods.values()]
    .filter((pod) => ofRevision !== 'unknown' && ofRevision(pod))
    .map(unreadyProblem)
    .find((p) => p !== undefined);
  return {
    state: 'timeout',
    message: s.lastMessage.trim() || `no status for ${w.kind} "${w.name}" yet`,
    ...(s.obj ? { object: s.obj } : {}),
    ...(unready ? { problem: unready } : {}),
  };
}

/** Follows `w` by its kind's `rules` until an outcome, the deadline or the signal. */
export async function follow(
  w: Workload,
  rules: FollowRules,
  o: FollowOptions,
): Promise<FollowOutcome> {
  const s = new FollowWatches(w, o);
  o.signal.addEventListener('abort', s.stop);
  s.watchObject();
  const selector = rules.podSelector(w);
  if (selector) s.watchPods(selector);
  try {
    const result = await waitFor(() => evaluate(w, rules, o, s), {
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
  followOne: (w: Workload, options: FollowOptions) => Promise<FollowOutcome>,
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
