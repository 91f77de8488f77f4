/** The outcome of a run as the outputs and the summary give it, from the report. */
import { formatDuration } from '../../shared/inputs.ts';
import type { KubeObject } from '../../shared/kube/index.ts';
import { checkedEndpoint } from './cluster-values.ts';
import { checkedRevision } from '../../shared/kube/revisions.ts';
import { formatDiagnosis } from './pods.ts';
import { REVISION_ANNOTATION } from './rollout-status.ts';
import type { Diagnosis, Failure, PodProblem, Tracked } from './types.ts';

/** The `revision` output of one object: its revision annotation, else what its status says. */
export function revisionOutput(t: Tracked | undefined): string {
  const obj = t?.outcome && 'object' in t.outcome ? t.outcome.object : t?.workload.initial;
  if (!obj) return '';
  const rev = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (rev) return checkedRevision(rev);
  const status = (obj.status ?? {}) as {
    updateRevision?: string;
    components?: { predictor?: { latestReadyRevision?: string } };
  };
  // A server value: left out when it is not a revision name (messages show it quoted).
  return checkedRevision(
    status.components?.predictor?.latestReadyRevision ??
      status.updateRevision ??
      String(obj.metadata.generation ?? ''),
  );
}

/** The object a follow ended with (or the one it started from). */
export function objectOf(t: Tracked): KubeObject | undefined {
  return t.outcome && 'object' in t.outcome ? t.outcome.object : undefined;
}

/** The failure of the follow phase: the first failed workload, else every timed-out one. */
export function judge(
  tracked: readonly Tracked[],
  timeoutMs: number,
): { failure?: Failure; problem?: PodProblem } {
  // A superseded workload's pods are another release's: its state says nothing of this one.
  const failed = tracked.find((t) => t.outcome?.state === 'failed');
  if (failed?.outcome?.state === 'failed') {
    const { kind, namespace, name } = failed.manifest;
    return {
      failure: {
        reason: failed.outcome.reason,
        message: `${kind} ${namespace}/${name}: ${failed.outcome.message}`,
      },
      ...(failed.outcome.problem ? { problem: failed.outcome.problem } : {}),
    };
  }
  if (!tracked.some((t) => t.outcome?.state === 'timeout')) return {};
  const states = tracked.map(
    (t) =>
      `  - ${t.manifest.kind} ${t.manifest.namespace}/${t.manifest.name}: ${t.outcome?.state ?? 'waiting'}: ${t.outcome?.message ?? t.progress.message}`,
  );
  const unready = tracked
    .map((t) => (t.outcome?.state === 'timeout' ? t.outcome.problem : undefined))
    .find((p) => p !== undefined);
  return {
    failure: {
      reason: 'Timeout',
      message: `timed out after ${formatDuration(timeoutMs)}; state of every workload:\n${states.join('\n')}`,
    },
    ...(unready ? { problem: unready } : {}),
  };
}

/** The URL a ready workload reports (a KServe InferenceService's status.url), when a plain URL. */
export function endpointOf(tracked: readonly Tracked[]): string {
  for (const t of tracked) {
    const url =
      t.outcome?.state === 'done'
        ? (t.outcome.object.status as { url?: unknown } | undefined)?.url
        : undefined;
    if (checkedEndpoint(url)) return checkedEndpoint(url);
  }
  return '';
}

/** The failure as one message: what failed, the diagnoses, what the rollback did. */
export function failureText(
  failure: Failure,
  diagnosis: Diagnosis | undefined,
  kindDiagnosis: string | undefined,
  rollbackNote: string | undefined,
): { error: string; diagnosis?: string } {
  const parts = [failure.message];
  let text = diagnosis ? formatDiagnosis(diagnosis) : undefined;
  if (text) parts.push(text);
  if (rollbackNote) parts.push(rollbackNote);
  let error = parts.join('\n');
  if (kindDiagnosis) {
    text = text ? `${text}\n${kindDiagnosis}` : kindDiagnosis;
    error = `${error}\n${kindDiagnosis}`;
  }
  return { error, ...(text ? { diagnosis: text } : {}) };
}
