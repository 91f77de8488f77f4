/**
 * How the demo builds the model image on this machine: buildah (as root, vfs storage, chroot
 * isolation, in a temp dir) or a running Docker daemon when there is one; otherwise no builder,
 * and the demo pushes the image itself (scripts/demo-oci.ts) so build-push-image finds it with
 * `skip-if-exists`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface DemoBuilder {
  /** The `builder` input. */
  builder: 'buildah' | 'auto';
  /** Env the build step needs (storage config for buildah). */
  env: Record<string, string>;
  /** For the preflight line. */
  describe: string;
}

function works(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** buildah's storage and runtime dirs under `dir` (removed with the job). */
export function buildahEnv(dir: string): Record<string, string> {
  const root = path.join(dir, 'containers');
  mkdirSync(root, { recursive: true });
  const conf = path.join(root, 'storage.conf');
  writeFileSync(
    conf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${root}/storage"\nrunroot = "${root}/run"\n`,
  );
  return {
    CONTAINERS_STORAGE_CONF: conf,
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
  };
}

/** The builder the demo can use here, or undefined (then the image is pushed as an OCI layout). */
export function findBuilder(workDir: string): DemoBuilder | undefined {
  if (process.getuid?.() === 0 && works('buildah', ['--version'])) {
    return { builder: 'buildah', env: buildahEnv(workDir), describe: 'buildah (vfs, chroot)' };
  }
  if (works('docker', ['info', '--format', '{{.ServerVersion}}'])) {
    return { builder: 'auto', env: {}, describe: 'the Docker daemon (buildx or BuildKit)' };
  }
  return undefined;
}
