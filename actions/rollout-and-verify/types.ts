/**
 * The types rollout-and-verify's modules share: what a run follows (Tracked), how a follow
 * ends, what a rollback says, and the interface every kind family implements (KindHandler).
 * They live here, apart from the code, so that no two modules import each other.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Deadline } from '../../shared/deadline.ts';
import type { KubeClient, KubeObject } from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SmokeInputs } from './inputs.ts';
import type { Manifest } from './manifests.ts';
import type { Ownership } from './ownership.ts';
import type { ResourceRow, RunRecord, TimelineEntry, WorkloadProgress } from './record.ts';

export type { Progress, ResourceRow, TimelineEntry, WorkloadProgress } from './record.ts';

export interface PodProblem {
  pod: string;
  namespace: string;
  container?: string;
  reason: string;
  message: string;
  /** Unschedulable problems only count once they last longer than the grace. */
  unschedulable?: boolean;
  restartCount?: number;
}

export interface Diagnosis {
  problem: PodProblem;
  events: string[];
  logs: string[];
}

/** Why a run failed: a machine-readable reason and the message for people. */
export interface Failure {
  reason: string;
  message: string;
}

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

/** The object's own verdict, by its kind's rules (kubectl's rollout status, KServe's Ready). */
export interface ObjectVerdict {
  done: boolean;
  message: string;
  error?: string;
}

/**
 * What following one object needs to know of its kind (follow.ts knows no kinds): how to
 * read its status, which pods are its new revision's, and what a failure is called.
 */
export interface FollowRules {
  verdict(w: Workload, current: KubeObject): ObjectVerdict;
  /** The reason of a failed verdict. */
  failureReason(w: Workload, error: string): string;
  /** An error that is also done ends the follow as done (kubectl: OnDelete has no status). */
  doneOnError(w: Workload): boolean;
  /** Pods watched from the start (undefined: once `revisionPods` knows a selector). */
  podSelector(w: Workload): string | undefined;
  /** What the new revision's pods are worked out from: they are worked out again when it changes. */
  revisionKey(w: Workload, current: KubeObject): string;
  /** The new revision's pods as of `current`, and the selector to watch pods by (when known). */
  revisionPods(w: Workload, current: KubeObject, client: KubeClient): Promise<RevisionPodsAnswer>;
}

export interface RevisionPodsAnswer {
  /** A predicate, or 'unknown' (not known yet: no pod is judged). */
  pods: ((pod: KubeObject) => boolean) | 'unknown';
  selector?: string;
}

/** What following one object needs. */
export interface FollowOptions {
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  /** Milliseconds on `clock`. */
  deadline: number;
  failFast: boolean;
  unschedulableGraceMs: number;
  signal: AbortSignal;
  /** Called with kubectl's progress message whenever it changes. */
  onProgress: (message: string) => void;
}

/** A workload this run follows (and may roll back). */
export interface Tracked {
  manifest: Manifest;
  workload: Workload;
  row: ResourceRow;
  progress: WorkloadProgress;
  /**
   * The revision before this run's apply (a Deployment's revision annotation, a StatefulSet's or
   * DaemonSet's ControllerRevision number; undefined: created by this run).
   */
  previousRevision?: number;
  outcome?: FollowOutcome;
}

/** What the kind handlers and the follow use: the cluster, the record, the job's signal. */
export interface FollowContext {
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  record: RunRecord;
  failFast: boolean;
  unschedulableGraceMs: number;
}

/** Follows `list` until done, failed or `deadline` (outcomes land on each Tracked). */
export type FollowAll = (list: Tracked[], deadline: Deadline) => Promise<void>;

export type RollbackResult =
  | {
      state: 'rolled-back';
      toRevision: number;
      object: KubeObject;
      /** Pods of the failed revision deleted so that they are replaced (StatefulSets). */
      deletedPods?: string[];
    }
  | { state: 'skipped'; message: string }
  | { state: 'superseded'; message: string };

export interface RollbackOutcome {
  /** Every rolled-back workload is healthy on its previous revision. */
  rolledBack: boolean;
  /** What was (and was not) rolled back, for the error message. */
  note: string;
}

/** One kind family's part of a rollback. */
export interface RollbackPart {
  /** Something was undone. */
  undone: boolean;
  /** What was undone is healthy again. */
  healthy: boolean;
  note: string;
  /** The revision that serves after the rollback (when the family knows it). */
  revision?: string;
}

/**
 * One kind family (workloads, InferenceServices, passive objects): the same operations for
 * each, so that the phases know no kinds. A handler is made per run (it keeps what its
 * snapshot took) and chosen once per object by its kind.
 */
export interface KindHandler {
  readonly family: string;
  readonly kinds: readonly string[];
  /** Its objects are followed after the apply (passive objects are applied and left). */
  readonly followed: boolean;
  /** Before the apply: what a rollback needs that the cluster does not keep. */
  snapshot(manifests: readonly Manifest[], ctx: FollowContext): Promise<void>;
  /** Follows one object until done, failed or its deadline. */
  follow(w: Workload, o: FollowOptions): Promise<FollowOutcome>;
  /**
   * The smoke request for one of its objects when the family speaks a protocol of its own
   * (KServe's v1/v2 inference protocols); absent: the smoke inputs as given, at the endpoint.
   */
  smokeRequest?(manifest: Manifest, smoke: SmokeInputs): SmokeInputs;
  /** After the follow, before the smoke test: what the family checks itself (a canary's share). */
  verify(
    list: readonly Tracked[],
    deadline: Deadline,
    ctx: FollowContext,
  ): Promise<Failure | undefined>;
  /** After the smoke test passed (a canary promoted or held). */
  promote(
    list: readonly Tracked[],
    deadline: Deadline,
    ctx: FollowContext,
  ): Promise<Failure | undefined>;
  /** Undoes this run's apply of `list` (an empty list says why nothing was undone). */
  rollBack(
    list: Tracked[],
    deadline: Deadline,
    ctx: FollowContext,
    follow: FollowAll,
  ): Promise<RollbackPart[]>;
  /** The family's own account of a failure (beside the pod diagnosis), if it has one. */
  diagnose(list: readonly Tracked[], ctx: FollowContext): Promise<string | undefined>;
  /** Which object's revision is the `revision` output: the lowest rank across the run. */
  rank(kind: string): number;
  /** The revision output for one of its objects. */
  revision(t: Tracked): string;
}

export type RolloutStatusOutput = 'succeeded' | 'failed' | 'rolled-back' | 'superseded';

export interface RolloutResult {
  status: RolloutStatusOutput;
  endpoint: string;
  revision: string;
  failureReason: string;
  /** The full failure message (error + diagnosis) when not succeeded. */
  error?: string;
  diagnosis?: string;
  timeline: TimelineEntry[];
  resources: ResourceRow[];
  durationMs: number;
  /** With status superseded: which workloads another release took over, and by whom. */
  supersededBy?: string;
  /** `finish-canary` ran: a held canary was promoted or rolled back as asked. */
  finishedCanary?: 'promote' | 'rollback';
}
