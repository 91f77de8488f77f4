/** The post step: when the job was cancelled mid-rollout, say what was left unfinished. */
import * as core from '@actions/core';
import { runnerState } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import { progressState } from './state.ts';
import { cancelledSummary } from './summary.ts';

export async function reportLeftovers(): Promise<void> {
  const progress = progressState.load(runnerState);
  if (!progress || progress.phase === 'finished') return;
  const left = progress.workloads.filter((w) => w.state !== 'done');
  const lines = left.map((w) => `${w.kind} ${w.namespace}/${w.name}: ${w.state}: ${w.message}`);
  core.warning(
    `rollout-and-verify did not finish (phase: ${progress.phase}). ${left.length === 0 ? 'No workload was left waiting.' : `Left unfinished:\n${lines.join('\n')}`}\nThe cluster keeps rolling out on its own: check it, or re-run the job.`,
  );
  if (!progress.summarized) await writeSummary(cancelledSummary(progress));
}
