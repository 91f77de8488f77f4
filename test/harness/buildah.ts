/**
 * The environment for Debian's buildah without a daemon or overlay: containers-storage on vfs
 * under `dir` (its own storage.conf), chroot isolation, and an empty registries.conf (no
 * search registries, no mirrors). Pass it to the builder through its env.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const BUILDAH = '/usr/bin/buildah';

export function buildahEnv(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const storage = path.join(dir, 'storage.conf');
  writeFileSync(
    storage,
    [
      '[storage]',
      'driver = "vfs"',
      `graphroot = "${path.join(dir, 'root')}"`,
      `runroot = "${path.join(dir, 'runroot')}"`,
      '',
    ].join('\n'),
  );
  const registries = path.join(dir, 'registries.conf');
  writeFileSync(registries, 'unqualified-search-registries = []\n');
  return {
    CONTAINERS_STORAGE_CONF: storage,
    CONTAINERS_REGISTRIES_CONF: registries,
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
  };
}
