/** The post step in the one shape: one phase, removing what main wrote (recorded in state). */
import type { PostBody } from '../../shared/action.ts';
import { systemClock } from '../../shared/clock.ts';
import { coreLogger, type Logger } from '../../shared/logger.ts';
import { phase, type PhaseContextBase, type PhaseReport } from '../../shared/phases.ts';
import { runnerState, type StateStore } from '../../shared/state.ts';
import { cleanupClusterAuth } from './cleanup.ts';

export interface PostContext extends PhaseContextBase {
  state: StateStore;
  logger: Logger;
}

export function postBody(
  deps: () => Omit<PostContext, 'signal'> = () => ({
    state: runnerState,
    logger: coreLogger,
    clock: systemClock,
  }),
): PostBody<PostContext, PhaseReport> {
  return {
    context: () => ({ ...deps(), signal: new AbortController().signal }),
    report: () => ({ phases: [] }),
    phases: [
      phase('remove kubeconfig', (ctx: PostContext) => cleanupClusterAuth(ctx.state, ctx.logger)),
    ],
  };
}

export const { context, report, phases } = postBody();
