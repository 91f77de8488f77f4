/**
 * A real Prometheus (Debian's `prometheus` package, 2.42) for the tests and the demo: scrapes
 * the given targets every second, on a free loopback port, with its TSDB in a temp dir
 * removed by stop(). Test and demo code only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, pollUntil, stopProcess } from './process.ts';

export const PROMETHEUS = 'prometheus';

export interface PrometheusPeer {
  url: string;
  /** Resolves once every target has been scraped (up == 1) at least once. */
  scraped(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `targets`: host:port of each /metrics endpoint (job "model", label instance). `rules`: the
 * text of a rules file to load (rule_files), when given.
 */
export async function startPrometheus(
  targets: readonly string[],
  opts: { rules?: string } = {},
): Promise<PrometheusPeer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  if (opts.rules !== undefined) writeFileSync(path.join(dir, 'rules.yml'), opts.rules);
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      ...(opts.rules !== undefined ? ['rule_files:', `  - ${path.join(dir, 'rules.yml')}`] : []),
      'scrape_configs:',
      '  - job_name: model',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pollUntil('prometheus', async () => (await fetch(`${url}/-/ready`)).ok, 20_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const scraped = (timeoutMs = 15_000): Promise<void> =>
    pollUntil(
      'prometheus scrape',
      async () => {
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up == 1')}`);
        const body = (await res.json()) as { data: { result: unknown[] } };
        return body.data.result.length === targets.length;
      },
      timeoutMs,
      child,
    );
  return { url, scraped, stop };
}
