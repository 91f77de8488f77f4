import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { textState, type StateStore } from '../../shared/state.ts';
import { CONFIG_DIR_PREFIX } from './login.ts';

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
