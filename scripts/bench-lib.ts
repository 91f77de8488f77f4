/**
 * Helpers shared by `npm run bench` (scripts/bench.ts) and the component benchmarks it runs
 * (scripts/bench-*.ts; this file is the one bench-* file that is not a benchmark).
 *
 * Conventions: every figure is printed next to a baseline measured in the same run (the
 * machine is shared, so absolute times are noise and ratios are the signal); figures are
 * printed, never asserted; a benchmark fails only when a command it measures breaks.
 * `--full` (or BENCH_FULL=1) selects the long comparisons; BENCH_RUNS overrides run counts.
 */
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';

export const FULL = process.argv.includes('--full') || process.env.BENCH_FULL === '1';

/** Runs per measurement: BENCH_RUNS when set, else `quick` by default and `full` with --full. */
export function runs(quick: number, full: number): number {
  const n = Number(process.env.BENCH_RUNS);
  return Number.isInteger(n) && n > 0 ? n : FULL ? full : quick;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function ms(value: number): string {
  return `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

export function times(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

export interface Exit {
  code: number;
  /** stdout and stderr, interleaved as received. */
  out: string;
  /** Wall time from spawn to exit (performance.now() clock). */
  ms: number;
  /** performance.now() when the process exited (its stdio closed). */
  exitedAt: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Throw unless the command exits with this code: a broken command fails the benchmark. */
  expect?: number;
  /** Called with performance.now() for every chunk of output, as it arrives. */
  onOutput?: (text: string, at: number) => void;
  /** Kill the command after this many ms: a command that hangs has broken. */
  timeoutMs?: number;
}

/**
 * Runs a command to completion without blocking this process (an in-process server, e.g. the
 * Kubernetes API simulator, keeps answering while it runs).
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (b: Buffer): void => {
      const text = b.toString('utf8');
      out += text;
      opts.onOutput?.(text, performance.now());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const exitedAt = performance.now();
      clearTimeout(timer);
      if (signal === 'SIGKILL' && opts.timeoutMs !== undefined) {
        reject(
          new Error(
            `${cmd} ${args.join(' ')} timed out after ${opts.timeoutMs} ms:\n${out.slice(-4000)}`,
          ),
        );
        return;
      }
      const status = code ?? (signal ? 128 : 1);
      if (opts.expect !== undefined && status !== opts.expect) {
        reject(
          new Error(
            `${cmd} ${args.join(' ')} exited ${status} (expected ${opts.expect}):\n${out.slice(-4000)}`,
          ),
        );
        return;
      }
      resolve({ code: status, out, ms: exitedAt - start, exitedAt });
    });
  });
}

/**
 * Measures each subject `n` times, alternating between them (A B A B …) after one warm-up run
 * of each, so that load from other processes falls on every subject alike. Returns the medians.
 */
export async function alternate<K extends string>(
  n: number,
  subjects: Record<K, () => Promise<number>>,
): Promise<Record<K, number>> {
  const keys = Object.keys(subjects) as K[];
  const samples = {} as Record<K, number[]>;
  for (const k of keys) {
    await subjects[k]();
    samples[k] = [];
  }
  for (let i = 0; i < n; i++) for (const k of keys) samples[k].push(await subjects[k]());
  const result = {} as Record<K, number>;
  for (const k of keys) result[k] = median(samples[k]);
  return result;
}

/** Disk usage of a tree in bytes as `du -s` counts it: allocated blocks of files and directories. */
export function diskUsage(dir: string): number {
  let total = lstatSync(dir).blocks * 512;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    total += lstatSync(path.join(e.parentPath, e.name)).blocks * 512;
  }
  return total;
}

/** Every regular file below `dir` with its size in bytes. */
export function filesBelow(dir: string): { file: string; bytes: number }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { file, bytes: lstatSync(file).size };
    });
}

/** Binary megabytes (1 MB = 1024 KiB, as `du -sk` / 1024), one decimal. */
export function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

export function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}

/** CPU time counters of the whole machine (/proc/stat's first line), in clock ticks. */
interface CpuTicks {
  total: number;
  idle: number;
  steal: number;
}

function cpuTicks(): CpuTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, ...fields] = line.trim().split(/\s+/);
    const t = fields.map(Number);
    if (t.length < 8 || t.some((x) => !Number.isFinite(x))) return undefined;
    return { total: t.reduce((a, b) => a + b, 0), idle: t[3]! + t[4]!, steal: t[7]! };
  } catch {
    return undefined; // not Linux: conditions are reported as unknown
  }
}

/**
 * What else the machine was doing while a benchmark ran: figures such as a process's exit time
 * move 2–3× with the host's load (same code, same day), so each run states its conditions.
 * `conditions()` returns a closer that prints load average and CPU busy/steal since the start.
 */
export function conditions(): () => string {
  const startLoad = loadavg()[0]!;
  const start = cpuTicks();
  return () => {
    const end = cpuTicks();
    const load = `load average ${startLoad.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`;
    if (!start || !end || end.total <= start.total) return load;
    const span = end.total - start.total;
    const busy = (100 * (span - (end.idle - start.idle))) / span;
    const steal = (100 * (end.steal - start.steal)) / span;
    return `${load}; CPU busy ${busy.toFixed(0)} %, stolen by the host ${steal.toFixed(1)} %`;
  };
}
