/**
 * How a KServe InferenceService is followed (FollowRules): Ready by its conditions; its pods by
 * the `serving.kserve.io/inferenceservice` label, the new revision's by the Knative revision
 * its status names (pods of earlier revisions, e.g. the failed one after a restore, are not
 * this revision's).
 */
import { inferenceServiceStatus, isvcPodRevision, REVISION_POD_LABEL } from './isvc-status.ts';
import type { FollowRules } from './types.ts';

export const isvcFollowRules: FollowRules = {
  verdict: (_w, current) => inferenceServiceStatus(current),
  failureReason: () => 'InferenceServiceNotReady',
  doneOnError: () => false,
  podSelector: (w) => `serving.kserve.io/inferenceservice=${w.name}`,
  revisionKey: (_w, current) => isvcPodRevision(current) ?? '',
  revisionPods(_w, current) {
    const revision = isvcPodRevision(current);
    if (revision === 'unknown') return Promise.resolve({ pods: 'unknown' });
    return Promise.resolve({
      pods: (pod) => {
        const podRevision = pod.metadata.labels?.[REVISION_POD_LABEL];
        return !revision || !podRevision || podRevision === revision;
      },
    });
  },
};
