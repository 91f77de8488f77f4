/**
 * What a run records as it goes: the resource table, the timeline, and the progress the post
 * step reads when the job was cancelled. Shared by every phase.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';

export interface TimelineEntry {
  atMs: number;
  text: string;
  level: 'info' | 'success' | 'failure' | 'warning';
}

export interface ResourceRow {
  kind: string;
  namespace: string;
  name: string;
  action: string;
  state: string;
  ok: boolean | undefined;
}

export interface WorkloadProgress {
  kind: string;
  namespace: string;
  name: string;
  state: 'waiting' | 'done' | 'failed' | 'timeout' | 'cancelled' | 'rolled-back' | 'superseded';
  message: string;
}

/** Saved (as state) at every change, so a cancelled job's post step can say what was left. */
export interface Progress {
  phase: string;
  startedAt: number;
  workloads: WorkloadProgress[];
  /** The job was cancelled during `phase`. */
  cancelled?: boolean;
  /** The main step wrote its own summary (the post step then only warns). */
  summarized?: boolean;
}

export class RunRecord {
  readonly timeline: TimelineEntry[] = [];
  readonly rows: ResourceRow[] = [];
  readonly progress: Progress;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly onSave: (progress: Progress) => void;

  constructor(clock: Clock, logger: Logger, onSave: (progress: Progress) => void) {
    this.clock = clock;
    this.logger = logger;
    this.onSave = onSave;
    this.progress = { phase: 'start', startedAt: clock.now(), workloads: [] };
  }

  get startedAt(): number {
    return this.progress.startedAt;
  }

  /** Logs `text` and adds it to the timeline. */
  note(text: string, level: TimelineEntry['level'] = 'info'): void {
    this.timeline.push({ atMs: this.clock.now() - this.startedAt, text, level });
    this.logger.info(text);
  }

  phase(name: string): void {
    this.progress.phase = name;
    this.save();
  }

  save(): void {
    this.onSave(this.progress);
  }
}
