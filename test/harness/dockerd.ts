/**
 * A private Docker daemon (Debian's docker.io: vfs storage, no iptables, no bridge) on a
 * socket under a temp dir, and the environment that points the Debian docker CLI at it:
 * DOCKER_HOST, and PATH with a bin dir whose `docker` is /usr/bin/docker first (a newer
 * CLI elsewhere on PATH may lack what BuildKit needs). `stop()` kills it and removes the dir.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pollUntil, stopProcess } from './process.ts';

export const DOCKERD = '/usr/sbin/dockerd';
export const DEBIAN_DOCKER = '/usr/bin/docker';

export interface Dockerd {
  env: { DOCKER_HOST: string; PATH: string };
  dir: string;
  stop(): Promise<void>;
}

/** A bin dir under `dir` holding `docker` → the Debian CLI, prepended to `basePath`. */
export function debianDockerPath(dir: string, basePath = process.env.PATH ?? ''): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(DEBIAN_DOCKER, path.join(bin, 'docker'));
  return `${bin}${path.delimiter}${basePath}`;
}

export async function startDockerd(): Promise<Dockerd> {
  // Short path: a unix socket path must stay under 108 bytes.
  const dir = mkdtempSync(path.join(tmpdir(), 'dockerd-'));
  const socket = path.join(dir, 'docker.sock');
  const child = spawn(
    DOCKERD,
    [
      '--storage-driver=vfs',
      '--iptables=false',
      '--bridge=none',
      `--host=unix://${socket}`,
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${path.join(dir, 'exec')}`,
      `--pidfile=${path.join(dir, 'pid')}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log = (log + b.toString('utf8')).slice(-4000)));
  const env = { DOCKER_HOST: `unix://${socket}`, PATH: debianDockerPath(dir) };
  try {
    await pollUntil(
      'dockerd',
      async () =>
        spawnSync(DEBIAN_DOCKER, ['version', '--format', '{{.Server.Version}}'], {
          env: { ...process.env, ...env },
          timeout: 5000,
        }).status === 0,
      30_000,
      child,
    );
  } catch (error) {
    await stopProcess(child, 10_000);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    env,
    dir,
    stop: async () => {
      await stopProcess(child, 10_000);
      // vfs layers can be read-only copies: rm as the daemon left them.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
