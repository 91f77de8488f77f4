/** The post step: when the job was cancelled mid-rollout, say what was left unfinished. */
import * as core from '@actions/core';
import { systemClock } from '../../shared/clock.ts';
import { phase, type PhaseContextBase, type PhaseReport } from '../../shared/phases.ts';
import { runnerState, type StateStore } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { Progress } from './record.ts';
import { progressState } from './state.ts';
import { cancelledSummary } from './summary.ts';

export interface PostContext extends PhaseContextBase {
  state: StateStore;
  warn(message: string): void;
  writeSummary(markdown: string): Promise<void>;
}

export interface PostReport extends PhaseReport {
  /** What the main step left (undefined: nothing, or it finished). */
  progress?: Progress;
}

export function context(): PostContext {
  return {
    signal: new AbortController().signal,
    clock: systemClock,
    state: runnerState,
    warn: (message) => core.warning(message),
    writeSummary,
  };
}

export function report(ctx: PostContext): PostReport {
  const progress = progressState.load(ctx.state);
  return { phases: [], ...(progress && progress.phase !== 'finished' ? { progress } : {}) };
}

async function reportLeftovers(ctx: PostContext, r: PostReport): Promise<void> {
  const progress = r.progress;
  if (!progress) return;
  const left = progress.workloads.filter((w) => w.state !== 'done');
  const lines = left.map((w) => `${w.kind} ${w.namespace}/${w.name}: ${w.state}: ${w.message}`);
  ctx.warn(
    `rollout-and-verify did not finish (phase: ${progress.phase}). ${left.length === 0 ? 'No workload was left waiting.' : `Left unfinished:\n${lines.join('\n')}`}\nThe cluster keeps rolling out on its own: check it, or re-run the job.`,
  );
  if (!progress.summarized) await ctx.writeSummary(cancelledSummary(progress));
}

export const phases = [
  phase<PostContext, PostReport>('report leftovers', reportLeftovers, (_ctx, r) => !!r.progress),
];
