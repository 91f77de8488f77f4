/**
 * The phase list with `finish-canary`: when it is set, the finish phases run and the rollout
 * phases (which need manifests) are skipped; otherwise the other way round.
 */
import { cancellation, CancelledError } from '../../shared/errors.ts';
import { phase, type Phase } from '../../shared/phases.ts';
import { finishCanaryPhase, finishOutcome } from './finish-canary.ts';
import type { RolloutContext, RolloutReport } from './pipeline.ts';

type RolloutPhase = Phase<RolloutContext, RolloutReport>;

const finishing = (ctx: RolloutContext): boolean => ctx.inputs.finishCanary !== undefined;

/** A cancelled job stops the finish with the cancellation as the cause (not an AbortError). */
async function finishGuarded(ctx: RolloutContext, r: RolloutReport): Promise<void> {
  try {
    await finishCanaryPhase(ctx, r);
  } catch (error) {
    if (!ctx.signal.aborted || error instanceof CancelledError) throw error;
    throw cancellation(ctx.signal, 'finish-canary');
  }
  if (ctx.signal.aborted) throw cancellation(ctx.signal, 'finish-canary');
}

export function withFinishCanary(rollout: readonly RolloutPhase[]): readonly RolloutPhase[] {
  return [
    phase('finish canary', finishGuarded, finishing),
    phase('finish canary outcome', finishOutcome, finishing),
    ...rollout.map((p) =>
      phase(p.name, p.run, (ctx, r) => !finishing(ctx) && (p.when?.(ctx, r) ?? true)),
    ),
  ];
}
