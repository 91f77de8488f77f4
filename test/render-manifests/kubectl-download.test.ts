import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { processRunner } from '../../shared/exec.ts';
import { kustomizeBuild, locateKubectl } from '../../actions/render-manifests/kustomize.ts';
import { RecordingLogger } from '../harness/doubles.ts';

// A stand-in "kubectl" served by a local release mirror: prints a fixed manifest.
const FAKE_KUBECTL =
  '#!/bin/sh\nprintf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: from-$1\\n"\n';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function mirror(): Promise<{ baseUrl: string; paths: string[] }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(FAKE_KUBECTL);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/release`, paths };
}

function toolEnv(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'toolcache-'));
  const saved = { cache: process.env.RUNNER_TOOL_CACHE, temp: process.env.RUNNER_TEMP };
  process.env.RUNNER_TOOL_CACHE = path.join(dir, 'cache');
  process.env.RUNNER_TEMP = path.join(dir, 'temp');
  cleanups.push(() => {
    process.env.RUNNER_TOOL_CACHE = saved.cache;
    process.env.RUNNER_TEMP = saved.temp;
    rmSync(dir, { recursive: true, force: true });
  });
}

describe('locateKubectl', () => {
  it('uses kubectl from PATH when there is one', async () => {
    const found = await locateKubectl({ logger: new RecordingLogger(), pathEnv: '/usr/bin' });
    expect(found).toBe('/usr/bin/kubectl');
  });

  it('downloads the pinned kubectl when PATH has none, verifies its checksum, caches and runs it', async () => {
    toolEnv();
    const { baseUrl, paths } = await mirror();
    const sha = createHash('sha256').update(FAKE_KUBECTL).digest('hex');
    const pinned = { version: 'v1.33.0', sha256: { 'linux-x64': sha } };
    const logger = new RecordingLogger();
    const kubectl = await locateKubectl({
      logger,
      pathEnv: '',
      pinned,
      baseUrl,
      platform: 'linux-x64',
    });
    expect(paths).toEqual(['/release/v1.33.0/bin/linux/amd64/kubectl']);
    expect(existsSync(kubectl)).toBe(true);
    expect(await kustomizeBuild(kubectl, 'kustomize', processRunner)).toContain(
      'name: from-kustomize',
    );
    // Second call: from the tool cache, no download.
    await locateKubectl({ logger, pathEnv: '', pinned, baseUrl, platform: 'linux-x64' });
    expect(paths).toHaveLength(1);
  });

  it('refuses a download whose checksum differs from the pin', async () => {
    toolEnv();
    const { baseUrl } = await mirror();
    const pinned = { version: 'v1.33.0', sha256: { 'linux-x64': '0'.repeat(64) } };
    await expect(
      locateKubectl({
        logger: new RecordingLogger(),
        pathEnv: '',
        pinned,
        baseUrl,
        platform: 'linux-x64',
      }),
    ).rejects.toThrow(/has SHA-256 [a-f0-9]{64}, expected 0{64}; refusing to run it/);
  });

  it('says what to do on a platform with no pinned binary', async () => {
    await expect(
      locateKubectl({ logger: new RecordingLogger(), pathEnv: '', platform: 'aix-ppc64' }),
    ).rejects.toThrow(
      'kubectl is not on PATH and no pinned kubectl exists for aix-ppc64; install kubectl before this step',
    );
  });
});

describe('kustomizeBuild', () => {
  it('always names the root-only load restrictor (nothing lifts it)', async () => {
    const calls: (readonly string[])[] = [];
    const runner = {
      run: async (_command: string, args: readonly string[]) => {
        calls.push(args);
        return { exitCode: 0, stdout: 'apiVersion: v1\n', stderr: '' };
      },
    };
    await kustomizeBuild('/bin/kubectl', '/ws/k', runner);
    expect(calls).toEqual([
      ['kustomize', '--load-restrictor', 'LoadRestrictionsRootOnly', '/ws/k'],
    ]);
  });
});
