/**
 * The post step, as one phase: removes the temporary docker config directory (the registry
 * credentials) that main recorded in state from its report.
 */
import { systemClock } from '../../shared/clock.ts';
import { removeSecretsDir } from '../../shared/files.ts';
import { coreLogger, type Logger } from '../../shared/logger.ts';
import { phase, type PhaseContextBase, type PhaseReport } from '../../shared/phases.ts';
import { runnerState, textState, type StateStore } from '../../shared/state.ts';

/** The prefix of the temporary docker config directory: post removes only such a directory. */
export const CONFIG_DIR_PREFIX = 'build-push-image-';

/** The temporary DOCKER_CONFIG (also buildah's auth file) main wrote credentials to. */
export const configDirState = textState('docker-config-dir');

export interface CleanupContext extends PhaseContextBase {
  state: StateStore;
  logger: Logger;
}

export interface CleanupReport extends PhaseReport {
  /** The credentials directory removed, if there was one. */
  removed?: string;
}

/** Removes the credentials directory recorded in state (only one with our prefix). */
export async function removeCredentials(ctx: CleanupContext, report: CleanupReport): Promise<void> {
  const dir = configDirState.load(ctx.state);
  if (!dir) return;
  await removeSecretsDir(dir, CONFIG_DIR_PREFIX);
  report.removed = dir;
  ctx.logger.info(`Removed the registry credentials in ${dir}`);
}

export function context(): CleanupContext {
  return {
    signal: new AbortController().signal,
    clock: systemClock,
    state: runnerState,
    logger: coreLogger,
  };
}

export const report = (): CleanupReport => ({ phases: [] });

export const phases = [phase('remove-credentials', removeCredentials)];
