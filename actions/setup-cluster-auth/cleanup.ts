import { removeSecretsDir } from '../../shared/files.ts';
import * as path from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { textState, type StateStore } from '../../shared/state.ts';

/** The directory main wrote the kubeconfig (and its credential files) to: post removes it. */
export const kubeconfigDirState = textState('kubeconfig-dir');
export const DIR_PREFIX = 'setup-cluster-auth-';

/** The post step: removes the kubeconfig directory (and its credential files) recorded in state. */
export async function cleanupClusterAuth(state: StateStore, logger: Logger): Promise<void> {
  const dir = kubeconfigDirState.load(state);
  if (!dir) return;
  await removeSecretsDir(dir, DIR_PREFIX);
  logger.info(`Removed ${path.join(dir, 'kubeconfig')}`);
}
