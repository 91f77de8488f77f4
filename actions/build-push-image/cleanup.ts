import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { textState, type StateStore } from '../../shared/state.ts';

/** The prefix of the temporary docker config directory: post removes only such a directory. */
export const CONFIG_DIR_PREFIX = 'build-push-image-';

/** The temporary DOCKER_CONFIG (also buildah's auth file) main wrote credentials to. */
export const configDirState = textState('docker-config-dir');

/** The post step: removes the credentials directory recorded in state. */
export async function cleanupBuildPushImage(state: StateStore, logger: Logger): Promise<void> {
  const dir = configDirState.load(state);
  if (!dir) return;
  if (!path.basename(dir).startsWith(CONFIG_DIR_PREFIX)) {
    throw new Error(`refusing to remove ${dir}: not a build-push-image directory`);
  }
  await rm(dir, { recursive: true, force: true });
  logger.info(`Removed the registry credentials in ${dir}`);
}
