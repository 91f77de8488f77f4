/**
 * Builds kustomizations with `kubectl kustomize` — the real kustomize semantics. GitHub's
 * runners have kubectl; elsewhere a pinned kubectl is downloaded with @actions/tool-cache
 * and its SHA-256 verified before it is ever executed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import type { CommandRunner } from '../../shared/exec.ts';
import { CommandError } from '../../shared/exec.ts';
import type { Logger } from '../../shared/logger.ts';

export interface PinnedKubectl {
  version: string;
  /** `${process.platform}-${process.arch}` → sha256 of the binary at the release URL. */
  sha256: Record<string, string>;
}

export const PINNED_KUBECTL: PinnedKubectl = {
  version: 'v1.33.0',
  sha256: {
    'linux-x64': '9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc',
  },
};

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

export interface KubectlLocatorDeps {
  /** Where to look for kubectl (default: PATH). */
  pathEnv?: string;
  logger: Logger;
  pinned?: PinnedKubectl;
  /** Release download base (default dl.k8s.io; `MLOPS_KUBECTL_BASE_URL` overrides, for mirrors). */
  baseUrl?: string;
  platform?: string;
}

export function findOnPath(binary: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** kubectl on PATH, or the pinned release from the tool cache (downloaded and verified once). */
export async function locateKubectl(deps: KubectlLocatorDeps): Promise<string> {
  const onPath = findOnPath('kubectl', deps.pathEnv);
  if (onPath) return onPath;
  const pinned = deps.pinned ?? PINNED_KUBECTL;
  const platform = deps.platform ?? `${process.platform}-${process.arch}`;
  const expected = pinned.sha256[platform];
  if (!expected) {
    throw new Error(
      `kubectl is not on PATH and no pinned kubectl exists for ${platform}; install kubectl before this step (e.g. azure/setup-kubectl).`,
    );
  }
  const tc = await import('@actions/tool-cache');
  const cached = tc.find('kubectl', pinned.version.replace(/^v/, ''));
  if (cached) return path.join(cached, 'kubectl');
  const [os, arch] = platform.split('-');
  const base = deps.baseUrl ?? process.env.MLOPS_KUBECTL_BASE_URL ?? 'https://dl.k8s.io/release';
  const url = `${base}/${pinned.version}/bin/${os}/${ARCH[arch ?? ''] ?? arch}/kubectl`;
  deps.logger.info(`kubectl is not on PATH: downloading ${pinned.version} from ${url}`);
  const { downloadToFile } = await import('../../shared/download.ts');
  const { createHttpClient } = await import('../../shared/http.ts');
  // The one transport (proxy, retry, redaction); a release binary may take minutes.
  const http = createHttpClient({
    userAgent: 'mlops-actions/render-manifests',
    timeoutMs: 300_000,
  });
  const downloaded = await downloadToFile(http, url);
  const actual = await sha256File(downloaded);
  if (actual !== expected) {
    throw new Error(
      `kubectl downloaded from ${url} has SHA-256 ${actual}, expected ${expected}; refusing to run it.`,
    );
  }
  await chmod(downloaded, 0o755);
  const dir = await tc.cacheFile(
    downloaded,
    'kubectl',
    'kubectl',
    pinned.version.replace(/^v/, ''),
  );
  return path.join(dir, 'kubectl');
}

/**
 * `kubectl kustomize <dir>`: the rendered multi-document YAML. The load restrictor is always
 * `LoadRestrictionsRootOnly` (named, not left to the default): a kustomization reads files
 * only below its own directory, never `../` or absolute paths elsewhere.
 */
export async function kustomizeBuild(
  kubectl: string,
  dir: string,
  runner: CommandRunner,
): Promise<string> {
  try {
    const result = await runner.run(
      kubectl,
      ['kustomize', '--load-restrictor', 'LoadRestrictionsRootOnly', dir],
      { timeoutMs: 120_000 },
    );
    return result.stdout;
  } catch (error) {
    if (error instanceof CommandError) {
      const detail = error.result.stderr.trim().split('\n').slice(-3).join(' ');
      throw new Error(
        `kustomize build of ${dir} failed: ${detail || `exit code ${error.result.exitCode}`}`,
      );
    }
    throw error;
  }
}
