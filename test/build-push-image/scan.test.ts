import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { repoRoot } from '../harness/runner.ts';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'build-push-image');
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  countBySeverity,
  installTrivy,
  parseTrivyReport,
  TRIVY_CHECKSUMS,
  trivyAsset,
  trivyUrl,
  type ToolCache,
} from '../../actions/build-push-image/scan.ts';

/** Trivy's JSON report shape (trivy image --format json), trimmed to what the action reads. */
const TRIVY_REPORT: unknown = JSON.parse(
  readFileSync(path.join(FIXTURES, 'trivy-report.json'), 'utf8'),
);

describe('Trivy report', () => {
  it('findings sorted by severity, counted', () => {
    const findings = parseTrivyReport(JSON.stringify(TRIVY_REPORT));
    expect(findings.map((f) => [f.severity, f.id, f.pkg])).toEqual([
      ['CRITICAL', 'CVE-2024-0002', 'zlib1g'],
      ['HIGH', 'CVE-2024-0001', 'openssl'],
    ]);
    expect(countBySeverity(findings)).toEqual({
      CRITICAL: 1,
      HIGH: 1,
      MEDIUM: 0,
      LOW: 0,
      UNKNOWN: 0,
    });
  });

  it('an image with no findings', () => {
    expect(parseTrivyReport(JSON.stringify({ SchemaVersion: 2, Results: [] }))).toEqual([]);
    expect(parseTrivyReport(JSON.stringify({ SchemaVersion: 2 }))).toEqual([]);
  });

  it('the pinned release and asset names', () => {
    expect(TRIVY_CHECKSUMS['0.69.3']?.['Linux-64bit']).toMatch(/^[a-f0-9]{64}$/);
    expect(trivyAsset('linux', 'x64')).toBe('Linux-64bit');
    expect(trivyAsset('linux', 'arm64')).toBe('Linux-ARM64');
    expect(() => trivyAsset('win32', 'x64')).toThrow('no release');
    expect(trivyUrl('0.69.3', 'Linux-64bit')).toBe(
      'https://github.com/aquasecurity/trivy/releases/download/v0.69.3/trivy_0.69.3_Linux-64bit.tar.gz',
    );
  });
});

describe('installTrivy through @actions/tool-cache, from a local release server', () => {
  let server: Server;
  let url: string;
  let root: string;
  let tarball: Buffer;
  let checksum: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'bpi-trivy-'));
    const src = path.join(root, 'src');
    mkdirSync(src);
    writeFileSync(path.join(src, 'trivy'), '#!/bin/sh\necho "Version: 0.69.3"\n');
    chmodSync(path.join(src, 'trivy'), 0o755);
    writeFileSync(path.join(src, 'LICENSE'), 'Apache-2.0\n');
    const archive = path.join(root, 'trivy.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', src, 'trivy', 'LICENSE']);
    tarball = readFileSync(archive);
    checksum = createHash('sha256').update(tarball).digest('hex');
    // Bytes, not text: a plain server (the JSON fakes send strings).
    server = createServer((req, res) => {
      const ok =
        req.url === '/aquasecurity/trivy/releases/download/v9.9.9/trivy_9.9.9_Linux-64bit.tar.gz';
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/gzip' });
      res.end(ok ? tarball : 'Not Found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.RUNNER_TEMP = path.join(root, 'temp');
    process.env.RUNNER_TOOL_CACHE = path.join(root, 'tool-cache');
    mkdirSync(process.env.RUNNER_TEMP);
    mkdirSync(process.env.RUNNER_TOOL_CACHE);
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env))
      if (!(key in saved)) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, saved);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  const tc = async (): Promise<ToolCache> => import('@actions/tool-cache');

  it('a download whose sha256 differs is refused and not cached', async () => {
    const error = await installTrivy({
      version: '9.9.9',
      checksum: 'f'.repeat(64),
      tc: await tc(),
      which: async () => undefined,
      baseUrl: url,
      asset: 'Linux-64bit',
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain(`sha256 ${checksum} does not match`);
    expect((await tc()).find('trivy', '9.9.9')).toBe('');
  });

  it('a version without a pinned checksum needs scan-checksum', async () => {
    await expect(
      installTrivy({
        version: '9.9.9',
        tc: await tc(),
        which: async () => undefined,
        asset: 'Linux-64bit',
      }),
    ).rejects.toThrow(InputError);
  });

  it('verified, extracted, cached, then found in the cache', async () => {
    const first = await installTrivy({
      version: '9.9.9',
      checksum,
      tc: await tc(),
      which: async () => undefined,
      baseUrl: url,
      asset: 'Linux-64bit',
    });
    expect(first.source).toContain('sha256 verified');
    expect(execFileSync(first.path, { encoding: 'utf8' })).toContain('Version: 0.69.3');
    const again = await installTrivy({
      version: '9.9.9',
      checksum,
      tc: await tc(),
      which: async () => undefined,
      baseUrl: 'http://127.0.0.1:1',
      asset: 'Linux-64bit',
    });
    expect(again).toEqual({ path: first.path, source: 'tool cache' });
    expect(existsSync(again.path)).toBe(true);
  });

  it('trivy on PATH wins', async () => {
    expect(
      await installTrivy({ version: '9.9.9', tc: await tc(), which: async () => '/opt/bin/trivy' }),
    ).toEqual({ path: '/opt/bin/trivy', source: 'PATH' });
  });
});
