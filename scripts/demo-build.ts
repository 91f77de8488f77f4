/**
 * How the demo builds the model image on this machine: buildah (as root, vfs storage, chroot
 * isolation, in a temp dir) or a running Docker daemon when there is one; otherwise no builder,
 * and the demo pushes the image itself (scripts/demo-oci.ts) so build-push-image finds it with
 * `skip-if-exists`.
 */
import { spawnSync } from 'node:child_process';
import { buildahEnv } from '../test/harness/buildah.ts';

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
