/** The context of one run: its inputs, the Kubernetes client, the record, the handlers. */
import type { Clock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import type { KubeClient } from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import { RunDeadlines } from './deadlines.ts';
import { createHandlers, type KindHandlers } from './handlers.ts';
import type { RolloutInputs } from './inputs.ts';
import { rolloutOps } from './ops.ts';
import type { RolloutContext, RolloutOps } from './pipeline.ts';
import { RunRecord, type Progress } from './record.ts';

export interface RolloutDeps {
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  /** The client keeps every request, retry and Retry-After within `deadline()`. */
  createClient(deadline: () => number): Promise<KubeClient>;
  saveProgress(progress: Progress): void;
  /** Default: the real ones (tests give fakes). */
  ops?: RolloutOps;
  handlers?: KindHandlers;
}

export async function rolloutContext(
  inputs: RolloutInputs,
  deps: RolloutDeps,
): Promise<RolloutContext> {
  const { logger, clock, signal } = deps;
  const record = new RunRecord(clock, logger, deps.saveProgress);
  // The one deadline `timeout` makes, from the run's start.
  const deadlines = new RunDeadlines(new Deadline(record.startedAt + inputs.timeoutMs, clock));
  // Credentials are read (and masked) before the manifests, so nothing can print them.
  const client = await deps.createClient(() => deadlines.current().at);
  return {
    inputs,
    client,
    logger,
    clock,
    signal,
    record,
    failFast: inputs.failFast,
    unschedulableGraceMs: inputs.unschedulableGraceMs,
    deadlines,
    handlers: deps.handlers ?? createHandlers(inputs),
    ops: deps.ops ?? rolloutOps,
  };
}
