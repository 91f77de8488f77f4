/**
 * `scan: trivy`: Trivy on the pushed digest — from PATH, or installed through
 * @actions/tool-cache at a pinned version whose sha256 is checked before extraction (never
 * skipped). The report is Trivy's JSON (`Results[].Vulnerabilities[]`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { Severity } from './inputs.ts';

/** sha256 of Trivy's release archives (`trivy_<v>_checksums.txt`), by version and asset. */
export const TRIVY_CHECKSUMS: Record<string, Record<string, string>> = {
  '0.69.3': {
    'Linux-64bit': '1816b632dfe529869c740c0913e36bd1629cb7688bd5634f4a858c1d57c88b75',
  },
};

export interface Finding {
  id: string;
  pkg: string;
  installed: string;
  fixed: string;
  severity: Severity;
  title: string;
  target: string;
}

interface TrivyReport {
  Results?: {
    Target?: string;
    Vulnerabilities?: {
      VulnerabilityID?: string;
      PkgName?: string;
      InstalledVersion?: string;
      FixedVersion?: string;
      Severity?: string;
      Title?: string;
    }[];
  }[];
}

const ORDER: Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export function parseTrivyReport(text: string): Finding[] {
  const report = JSON.parse(text) as TrivyReport;
  const findings: Finding[] = [];
  for (const r of report.Results ?? []) {
    for (const v of r.Vulnerabilities ?? []) {
      const severity = (ORDER as string[]).includes(v.Severity ?? '')
        ? (v.Severity as Severity)
        : 'UNKNOWN';
      findings.push({
        id: v.VulnerabilityID ?? '',
        pkg: v.PkgName ?? '',
        installed: v.InstalledVersion ?? '',
        fixed: v.FixedVersion ?? '',
        severity,
        title: v.Title ?? '',
        target: r.Target ?? '',
      });
    }
  }
  return findings.sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Trivy's release asset for this machine. */
export function trivyAsset(platform = process.platform, arch = process.arch): string {
  const os = platform === 'darwin' ? 'macOS' : platform === 'linux' ? 'Linux' : undefined;
  const cpu = arch === 'x64' ? '64bit' : arch === 'arm64' ? 'ARM64' : undefined;
  if (!os || !cpu) throw new Error(`Trivy has no release for ${platform}/${arch}`);
  return `${os}-${cpu}`;
}

export function trivyUrl(version: string, asset: string, base = 'https://github.com'): string {
  return `${base}/aquasecurity/trivy/releases/download/v${version}/trivy_${version}_${asset}.tar.gz`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The tool-cache operations the install needs; injected so tests serve a local archive. */
export interface ToolCache {
  find(tool: string, version: string): string;
  downloadTool(url: string): Promise<string>;
  extractTar(file: string): Promise<string>;
  cacheDir(dir: string, tool: string, version: string): Promise<string>;
}

/**
 * The trivy executable: on PATH (`which`), cached, or downloaded, checksum-verified,
 * extracted and cached. A version without a pinned checksum needs `checksum`.
 */
export async function installTrivy(o: {
  version: string;
  checksum?: string;
  tc: ToolCache;
  which: () => Promise<string | undefined>;
  baseUrl?: string;
  asset?: string;
}): Promise<{ path: string; source: string }> {
  const onPath = await o.which();
  if (onPath) return { path: onPath, source: 'PATH' };
  const cached = o.tc.find('trivy', o.version);
  if (cached) return { path: path.join(cached, 'trivy'), source: 'tool cache' };
  const asset = o.asset ?? trivyAsset();
  const expected = o.checksum ?? TRIVY_CHECKSUMS[o.version]?.[asset];
  if (!expected) {
    throw new InputError(
      `Input 'scan-checksum' is required to install Trivy ${o.version} (${asset}): only ${Object.keys(TRIVY_CHECKSUMS).join(', ')} have a pinned checksum. Take it from trivy_${o.version}_checksums.txt of the release.`,
    );
  }
  const url = trivyUrl(o.version, asset, o.baseUrl);
  const archive = await o.tc.downloadTool(url);
  const actual = await sha256File(archive);
  if (actual !== expected) {
    const { rm } = await import('node:fs/promises');
    await rm(archive, { force: true });
    throw new Error(
      `Trivy ${o.version} from ${url}: sha256 ${actual} does not match the expected ${expected}; not installed.`,
    );
  }
  const dir = await o.tc.extractTar(archive);
  const cachedDir = await o.tc.cacheDir(dir, 'trivy', o.version);
  return { path: path.join(cachedDir, 'trivy'), source: `downloaded ${url} (sha256 verified)` };
}

/** Runs Trivy on `ref` (name@digest) and returns its findings. */
export async function runTrivy(
  runner: CommandRunner,
  o: {
    trivy: string;
    ref: string;
    severities: readonly Severity[];
    reportFile: string;
    insecure: boolean;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
  },
): Promise<Finding[]> {
  const args = [
    'image',
    '--quiet',
    '--format=json',
    `--output=${o.reportFile}`,
    ...(o.severities.length ? [`--severity=${o.severities.join(',')}`] : []),
    ...(o.insecure ? ['--insecure'] : []),
    o.ref,
  ];
  await runner.run(o.trivy, args, { env: o.env, timeoutMs: o.timeoutMs });
  const { readFile } = await import('node:fs/promises');
  return parseTrivyReport(await readFile(o.reportFile, 'utf8'));
}
