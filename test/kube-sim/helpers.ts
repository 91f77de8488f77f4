/** Shared helpers for the kube-sim conformance suite: run the real kubectl, temp files. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeSim } from '../harness/kube-sim/index.ts';

const CLOUD_SDK_KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

/**
 * kubectl 1.32 from the Cloud SDK where it is installed (this project's machines: /usr/bin/kubectl
 * there is gcloud's version dispatcher); elsewhere (e.g. GitHub's runners) the kubectl on PATH,
 * or $KUBECTL.
 */
export const KUBECTL =
  process.env.KUBECTL ?? (existsSync(CLOUD_SDK_KUBECTL) ? CLOUD_SDK_KUBECTL : 'kubectl');
/** Whether `kubectl` is gcloud's dispatcher, which picks kubectl.1.NN by the server's /version. */
export const GCLOUD_DISPATCHER = existsSync(CLOUD_SDK_KUBECTL);
export const DISPATCHER = existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : 'kubectl';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Workdir {
  readonly dir = mkdtempSync(join(tmpdir(), 'kube-sim-test-'));
  private n = 0;

  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  /** A fresh kubectl cache dir per invocation. */
  cacheDir(): string {
    return join(this.dir, `cache-${this.n++}`);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function run(bin: string, args: string[], timeoutMs = 30000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { timeout: timeoutMs, env: { ...process.env, KUBECONFIG: '' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

export function kubectl(
  sim: KubeSim,
  work: Workdir,
  args: string[],
  opts: { bin?: string; kubeconfig?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return run(
    opts.bin ?? KUBECTL,
    [
      '--kubeconfig',
      opts.kubeconfig ?? sim.kubeconfigPath,
      '--cache-dir',
      work.cacheDir(),
      ...args,
    ],
    opts.timeoutMs,
  );
}

export function deployment(
  name: string,
  image: string,
  extra: { replicas?: number; progressDeadlineSeconds?: number; strategy?: string } = {},
): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${extra.replicas ?? 3}
${extra.progressDeadlineSeconds ? `  progressDeadlineSeconds: ${extra.progressDeadlineSeconds}\n` : ''}${extra.strategy ? `  strategy: {type: ${extra.strategy}}\n` : ''}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: ${image}
          ports: [{containerPort: 8080}]
`;
}
