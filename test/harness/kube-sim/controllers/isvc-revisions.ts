/**
 * KServe's (Knative's) view of an InferenceService's revisions, as the simulator keeps it:
 * - the traffic split (kserve pkg/controller/v1beta1/inferenceservice/reconcilers/knative/
 *   ksvc_reconciler.go): with `canaryTrafficPercent` and a rolled-out revision, the latest
 *   revision gets the percentage and the latest rolled-out one (tag `prev`) the rest;
 * - latestRolledoutRevision / previousRolledoutRevision (kserve pkg/apis/serving/v1beta1/
 *   inference_service_status.go, PropagateStatus): a latest ready revision that takes 100 %
 *   becomes the latest rolled-out one, and the one before it the previous;
 * - Knative's private Service per revision (knative serving pkg/reconciler/serverlessservice/
 *   resources: `<revision>-private`, port `http` 80 → the queue-proxy's 8012), selecting the
 *   revision's pods: what analyze-release reaches through the API server's service proxy.
 */
import { applyDefaults } from '../defaults.ts';
import type { KObj } from '../types.ts';
import type { Manager } from './manager.ts';
import { ownerRef, R } from './manager.ts';

export const REVISION_LABEL = 'serving.knative.dev/revision';

export interface RolledOut {
  latestRolledout?: string;
  previousRolledout?: string;
}

export interface TrafficEntry {
  tag?: string;
  revisionName: string;
  percent: number;
  latestRevision: boolean;
}

/** The traffic Knative routes, from the revisions and the canary percentage. */
export function trafficOf(
  ready: boolean,
  canary: number | undefined,
  latestCreated: string,
  latestReady: string | undefined,
  rolled: RolledOut,
): TrafficEntry[] {
  const stable = rolled.latestRolledout;
  if (ready && canary !== undefined && stable && stable !== latestCreated && canary < 100) {
    return [
      { tag: 'latest', revisionName: latestCreated, percent: canary, latestRevision: true },
      { tag: 'prev', revisionName: stable, percent: 100 - canary, latestRevision: false },
    ];
  }
  if (ready) return [{ revisionName: latestCreated, percent: 100, latestRevision: true }];
  // Knative routes `latestRevision` to the latest ready one while the newest is not ready.
  if (latestReady) return [{ revisionName: latestReady, percent: 100, latestRevision: false }];
  return [];
}

/** PropagateStatus: the latest ready revision with 100 % of the traffic is rolled out. */
export function propagateRolledOut(
  rolled: RolledOut,
  latestReady: string | undefined,
  traffic: readonly TrafficEntry[],
): void {
  const t = traffic.find((x) => x.revisionName === latestReady && x.latestRevision);
  if (!t || !latestReady || rolled.latestRolledout === latestReady) return;
  if (t.percent === 100) {
    rolled.previousRolledout = rolled.latestRolledout;
    rolled.latestRolledout = latestReady;
  }
}

/** The status fields KServe reports for them. */
export function rolledOutStatus(rolled: RolledOut): Record<string, string> {
  return {
    ...(rolled.latestRolledout ? { latestRolledoutRevision: rolled.latestRolledout } : {}),
    ...(rolled.previousRolledout ? { previousRolledoutRevision: rolled.previousRolledout } : {}),
  };
}

/** Knative's `<revision>-private` Service for a new revision (kept if it exists). */
export function ensureRevisionService(m: Manager, isvc: KObj, revision: string): void {
  const ns = isvc.metadata.namespace ?? 'default';
  const name = `${revision}-private`;
  if (m.store.get(R.svc, ns, name)) return;
  const svc: KObj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: ns,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: {
        'serving.kserve.io/inferenceservice': isvc.metadata.name,
        [REVISION_LABEL]: revision,
        'networking.internal.knative.dev/serviceType': 'Private',
      },
      ownerReferences: [ownerRef(isvc)],
    },
    spec: {
      type: 'ClusterIP',
      selector: { [REVISION_LABEL]: revision },
      ports: [{ name: 'http', port: 80, targetPort: 8012, protocol: 'TCP' }],
    },
  };
  applyDefaults(svc);
  m.store.create(R.svc, svc);
}
