/**
 * kubectl's rollout-status rules (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go
 * @ dee3483a), as pure functions: (object, revision) → { message, done, error }.
 * Messages are kubectl's, newline included. Tested against every upstream case in
 * test/contracts/kubernetes/rollout-status.cases.json.
 */

export interface RolloutStatus {
  message: string;
  done: boolean;
  error?: string;
}

/** The fields the rules read; everything is optional as in JSON from the API server. */
export interface WorkloadLike {
  kind?: string;
  metadata?: {
    name?: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } | null };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    updatedNumberScheduled?: number;
    desiredNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';

const n = (v: number | undefined): number => v ?? 0;

export function deploymentStatus(d: WorkloadLike, revision = 0): RolloutStatus {
  const name = d.metadata?.name ?? '';
  if (revision > 0) {
    const text = d.metadata?.annotations?.[REVISION_ANNOTATION];
    const have = text === undefined ? 0 : Number(text);
    if (!Number.isInteger(have)) {
      return {
        message: '',
        done: false,
        error: `cannot get the revision of deployment "${name}": invalid revision "${text}"`,
      };
    }
    if (have !== revision) {
      return {
        message: '',
        done: false,
        error: `desired revision (${revision}) is different from the running revision (${have})`,
      };
    }
  }
  const status = d.status ?? {};
  if (n(d.metadata?.generation) <= n(status.observedGeneration)) {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === TIMED_OUT_REASON) {
      return {
        message: '',
        done: false,
        error: `deployment "${name}" exceeded its progress deadline`,
      };
    }
    const replicas = d.spec?.replicas;
    const updated = n(status.updatedReplicas);
    if (replicas !== undefined && updated < replicas) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`,
        done: false,
      };
    }
    if (n(status.replicas) > updated) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${n(status.replicas) - updated} old replicas are pending termination...\n`,
        done: false,
      };
    }
    if (n(status.availableReplicas) < updated) {
      return {
        message: `Waiting for deployment "${name}" rollout to finish: ${n(status.availableReplicas)} of ${updated} updated replicas are available...\n`,
        done: false,
      };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

const STRATEGY_ERROR = 'rollout status is only available for RollingUpdate strategy type';

export function daemonSetStatus(ds: WorkloadLike): RolloutStatus {
  const name = ds.metadata?.name ?? '';
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') {
    return { message: '', done: true, error: STRATEGY_ERROR };
  }
  const status = ds.status ?? {};
  if (n(ds.metadata?.generation) <= n(status.observedGeneration)) {
    const desired = n(status.desiredNumberScheduled);
    if (n(status.updatedNumberScheduled) < desired) {
      return {
        message: `Waiting for daemon set "${name}" rollout to finish: ${n(status.updatedNumberScheduled)} out of ${desired} new pods have been updated...\n`,
        done: false,
      };
    }
    if (n(status.numberAvailable) < desired) {
      return {
        message: `Waiting for daemon set "${name}" rollout to finish: ${n(status.numberAvailable)} of ${desired} updated pods are available...\n`,
        done: false,
      };
    }
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
}

export function statefulSetStatus(sts: WorkloadLike): RolloutStatus {
  const strategy = sts.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') {
    return { message: '', done: true, error: STRATEGY_ERROR };
  }
  const status = sts.status ?? {};
  const observed = n(status.observedGeneration);
  if (observed === 0 || n(sts.metadata?.generation) > observed) {
    return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  }
  const replicas = sts.spec?.replicas;
  if (replicas !== undefined && n(status.readyReplicas) < replicas) {
    return {
      message: `Waiting for ${replicas - n(status.readyReplicas)} pods to be ready...\n`,
      done: false,
    };
  }
  const updated = n(status.updatedReplicas);
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return {
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...\n`,
        done: false,
      };
    }
    return {
      message: `partitioned roll out complete: ${updated} new pods have been updated...\n`,
      done: true,
    };
  }
  if (status.updateRevision !== status.currentRevision) {
    return {
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision ?? ''}...\n`,
      done: false,
    };
  }
  return {
    message: `statefulset rolling update complete ${n(status.currentReplicas)} pods at revision ${status.currentRevision ?? ''}...\n`,
    done: true,
  };
}

/** The rule for `kind`, or undefined for kinds kubectl has no status viewer for. */
export function rolloutStatus(
  kind: string,
  obj: WorkloadLike,
  revision = 0,
): RolloutStatus | undefined {
  switch (kind) {
    case 'Deployment':
      return deploymentStatus(obj, revision);
    case 'DaemonSet':
      return daemonSetStatus(obj);
    case 'StatefulSet':
      return statefulSetStatus(obj);
    default:
      return undefined;
  }
}
