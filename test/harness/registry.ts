/**
 * Real container registries on 127.0.0.1 for tests and demos: Debian's `docker-registry`
 * (distribution 2.8), open, with htpasswd basic auth, or read-only (pushes refused), each on a
 * free port with its own storage under a temp dir. `stop()` kills it and removes the dir.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, pollUntil, stopProcess } from './process.ts';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export interface RegistryOptions {
  /** Basic auth through an htpasswd file (bcrypt). */
  htpasswd?: { user: string; password: string };
  /** Refuse every push (distribution's maintenance read-only mode). */
  readonly?: boolean;
}

export interface Registry {
  /** `127.0.0.1:PORT` — the image name prefix. */
  host: string;
  /** `http://127.0.0.1:PORT` */
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** One HTTP exchange with the registry (no retries): status and headers. */
export function registryRequest(
  url: string,
  o: { method?: string; auth?: { user: string; password: string }; accept?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: o.method ?? 'GET',
        headers: {
          ...(o.accept ? { accept: o.accept } : {}),
          ...(o.auth
            ? {
                authorization: `Basic ${Buffer.from(`${o.auth.user}:${o.auth.password}`).toString('base64')}`,
              }
            : {}),
        },
        timeout: 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** The registry's `Docker-Content-Digest` for `repo:tag` (HEAD with every manifest type). */
export async function registryDigest(
  registry: Registry,
  repo: string,
  ref: string,
  auth?: { user: string; password: string },
): Promise<string | undefined> {
  const res = await registryRequest(`${registry.url}/v2/${repo}/manifests/${ref}`, {
    method: 'HEAD',
    accept: MANIFEST_ACCEPT,
    ...(auth ? { auth } : {}),
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`HEAD ${repo}:${ref} → ${res.status}`);
  return res.headers['docker-content-digest'] as string;
}

export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    ...(options.readonly ? ['  maintenance:', '    readonly:', '      enabled: true'] : []),
    'http:',
    `  addr: ${host}`,
  ];
  if (options.htpasswd) {
    const hashed = spawnSync(
      'htpasswd',
      ['-Bbn', options.htpasswd.user, options.htpasswd.password],
      { encoding: 'utf8' },
    );
    if (hashed.status !== 0) throw new Error(`htpasswd failed: ${hashed.stderr}`);
    writeFileSync(path.join(dir, 'htpasswd'), hashed.stdout);
    lines.push(
      'auth:',
      '  htpasswd:',
      '    realm: test-registry',
      `    path: ${path.join(dir, 'htpasswd')}`,
    );
  }
  writeFileSync(path.join(dir, 'config.yml'), `${lines.join('\n')}\n`);
  const child = spawn(REGISTRY_BINARY, ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const url = `http://${host}`;
  try {
    await pollUntil(
      `docker-registry on ${host}`,
      async () => {
        const r = await registryRequest(`${url}/v2/`);
        return r.status === 200 || r.status === 401;
      },
      15_000,
      child,
    );
  } catch (error) {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    host,
    url,
    dir,
    stop: async () => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
