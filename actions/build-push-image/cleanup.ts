import { removeSecretsDir } from '../../shared/files.ts';
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
  await removeSecretsDir(dir, CONFIG_DIR_PREFIX);
  logger.info(`Removed the registry credentials in ${dir}`);
}
