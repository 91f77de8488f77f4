/**
 * The watches one follow keeps open, and what they have seen: the object, its pods (for fail
 * fast) and the cluster autoscaler's events about them (once a pod is Unschedulable).
 */
import { resourcePath, watchLoop, type KubeObject } from '../../shared/kube/index.ts';
import { Changes } from '../../shared/wait.ts';
import { autoscalerAnswer, type AutoscalerAnswer, type ClusterFacts } from './gpu-memory.ts';
import type { FollowOptions, Workload } from './types.ts';

/** Which pods are the new revision's; 'unknown': not known yet (no pod is judged). */
export type RevisionPods = ((pod: KubeObject) => boolean) | 'unknown';

export class FollowWatches {
  obj: KubeObject | undefined;
  deleted = false;
  watchError: Error | undefined;
  readonly pods = new Map<string, KubeObject>();
  /** The cluster autoscaler's answers about the pods, by pod uid (or name). */
  readonly answers = new Map<string, AutoscalerAnswer>();
  facts: ClusterFacts | undefined;
  lastMessage = '';
  /** What the kind's rules last worked the new revision's pods out from, and the answer. */
  revisionKey: string | undefined;
  revisionPods: RevisionPods = 'unknown';
  readonly unschedulableSince = new Map<string, number>();
  readonly changed = new Changes();
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private podsWatched = false;
  private eventsWatched = false;
  private readonly w: Workload;
  private readonly o: FollowOptions;

  constructor(w: Workload, o: FollowOptions) {
    this.w = w;
    this.o = o;
    this.obj = w.initial;
  }

  /** Stops every watch and wakes the wait (the job was cancelled). */
  readonly stop = (): void => {
    this.controller.abort();
    this.changed.notify();
  };

  private common(): Omit<Parameters<typeof watchLoop>[0], 'path' | 'onEvent' | 'what'> {
    return {
      client: this.o.client,
      signal: this.controller.signal,
      logger: this.o.logger,
      clock: this.o.clock,
      onError: (e: Error) => {
        this.watchError = e;
        this.changed.notify();
      },
    };
  }

  watchObject(): void {
    const { w } = this;
    this.loops.push(
      watchLoop({
        ...this.common(),
        path: resourcePath(w.apiVersion, w.plural, w.namespace),
        fieldSelector: `metadata.name=${w.name}`,
        ...(w.initial?.metadata.resourceVersion
          ? { resourceVersion: w.initial.metadata.resourceVersion }
          : {}),
        onEvent: (e) => {
          if (e.type === 'DELETED') this.deleted = true;
          else this.obj = e.object;
          this.changed.notify();
        },
        what: `${w.kind} ${w.namespace}/${w.name}`,
      }),
    );
  }

  watchPods(selector: string): void {
    if (this.podsWatched || !this.o.failFast) return;
    this.podsWatched = true;
    const { w } = this;
    this.loops.push(
      watchLoop({
        ...this.common(),
        path: resourcePath('v1', 'pods', w.namespace),
        labelSelector: selector,
        onEvent: (e) => {
          if (e.type === 'DELETED') this.pods.delete(e.object.metadata.name);
          else this.pods.set(e.object.metadata.name, e.object);
          this.changed.notify();
        },
        what: `pods of ${w.kind} ${w.namespace}/${w.name}`,
      }),
    );
  }

  watchAutoscalerEvents(): void {
    if (this.eventsWatched) return;
    this.eventsWatched = true;
    const { w } = this;
    this.loops.push(
      watchLoop({
        ...this.common(),
        // Best effort: without events the grace rules as before.
        onError: (e: Error) => this.o.logger.info(`Autoscaler events unavailable: ${e.message}`),
        path: resourcePath('v1', 'events', w.namespace),
        fieldSelector: 'involvedObject.kind=Pod',
        onEvent: (e) => {
          const found = e.type === 'DELETED' ? undefined : autoscalerAnswer(e.object);
          if (!found) return;
          const known = this.answers.get(found.pod);
          if (known && known.at > found.answer.at) return;
          this.answers.set(found.pod, found.answer);
          this.changed.notify();
        },
        what: `autoscaler events in ${w.namespace}`,
      }),
    );
  }

  /**
   * The watches close in the background: the verdict is not held up by socket teardown
   * (watchLoop never rejects, so nothing is left unhandled).
   */
  close(): void {
    this.controller.abort();
    void Promise.allSettled(this.loops);
  }
}
