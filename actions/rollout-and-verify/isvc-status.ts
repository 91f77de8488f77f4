/** KServe's readiness rules for an InferenceService, as kubectl's are for workloads. */
import { generationObserved, type KubeObject } from '../../shared/kube/index.ts';
import { shownEndpoint } from './cluster-values.ts';
import { predictorStatus, shownRevision } from '../../shared/kube/revisions.ts';

/** The label KServe puts on every predictor pod. */
export const ISVC_POD_LABEL = 'serving.kserve.io/inferenceservice';
/** The label Knative puts on the pods of one revision. */
export const REVISION_POD_LABEL = 'serving.knative.dev/revision';

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
  if (!generationObserved(isvc)) {
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
      message: `Waiting for inference service "${name}": revision ${shownRevision(predictorRev.latestCreatedRevision)} is not ready yet...`,
    };
  }
  if (ready?.status === 'True') {
    return {
      done: true,
      message: `inference service "${name}" is ready${status.url ? ` at ${shownEndpoint(status.url)}` : ''}`,
    };
  }
  const waiting = conds.find((c) => c.status !== 'True' && c.type !== 'Ready');
  return {
    done: false,
    message: `Waiting for inference service "${name}" to be Ready${waiting ? ` (${waiting.type}: ${waiting.reason ?? waiting.status}${waiting.message ? ` — ${waiting.message}` : ''})` : ''}...`,
  };
}

/**
 * Which of an InferenceService's pods the follow judges: those of the latest created revision
 * (Knative's revision label); 'unknown' while the status has not caught up with the spec.
 */
export function isvcPodRevision(obj: KubeObject): string | undefined | 'unknown' {
  if (!generationObserved(obj)) return 'unknown';
  return predictorStatus(obj).latestCreatedRevision;
}
