import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';
import { systemClock, type Clock } from './clock.ts';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Throw when the exit code is not 0 (default true). */
  check?: boolean;
  /**
   * Aborting kills the program and what it started (SIGTERM to its process group, then SIGKILL
   * after 5 s) and rejects with the reason.
   */
  signal?: AbortSignal;
  /** Called with each chunk of stdout/stderr as it arrives (live logs of long builds). */
  onOutput?: (chunk: string) => void;
}

/** Runs a program with an argv array — never a shell string. Injected so tests can substitute it. */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export class CommandError extends Error {
  override name = 'CommandError';
  readonly result: CommandResult;
  constructor(command: string, args: readonly string[], result: CommandResult) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
    super(
      `${[command, ...args].join(' ')} exited with ${result.exitCode}${detail ? `: ${detail}` : ''}`,
    );
    this.result = result;
  }
}

/** How long a program may take to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5000;

/** Runs programs as child processes; the timeout and the stop grace run on `clock`. */
export function createProcessRunner(clock: Clock = systemClock): CommandRunner {
  return { run: (command, args, options = {}) => runProcess(clock, command, args, options) };
}

export const processRunner: CommandRunner = createProcessRunner();

/** Signals a child's whole process group (it and the helpers it started). */
function groupKiller(child: ChildProcess): (signal: NodeJS.Signals) => void {
  return (signal) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already; the program itself may still be exiting
      child.kill(signal);
    }
  };
}

/**
 * Arms the timeout (SIGKILL) and the cancellation (SIGTERM, then SIGKILL after a grace) on
 * `clock`; returns whether the timeout fired and the disarm.
 */
function armStops(
  clock: Clock,
  kill: (signal: NodeJS.Signals) => void,
  options: RunOptions,
): { timedOut: () => boolean; disarm: () => void } {
  let timedOut = false;
  const onTimeout = (): void => {
    timedOut = true;
    kill('SIGKILL');
  };
  const timer = options.timeoutMs === undefined ? undefined : clock.timeout(options.timeoutMs);
  timer?.addEventListener('abort', onTimeout, { once: true });
  let killer: AbortSignal | undefined;
  const killNow = (): void => kill('SIGKILL');
  const onAbort = (): void => {
    kill('SIGTERM');
    killer = clock.timeout(STOP_GRACE_MS);
    killer.addEventListener('abort', killNow, { once: true });
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    timedOut: () => timedOut,
    disarm: () => {
      timer?.removeEventListener('abort', onTimeout);
      killer?.removeEventListener('abort', killNow);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}

function runProcess(
  clock: Clock,
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      // No input: no pipe, so a program that exits at once cannot cause EPIPE.
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout or cancellation stops the helpers it started too
      // (git's git-remote-http, a builder's children): they hold the pipes and the connection.
      detached: true,
    });
    const stops = armStops(clock, groupKiller(child), options);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => {
      out.push(b);
      options.onOutput?.(b.toString('utf8'));
    });
    child.stderr?.on('data', (b: Buffer) => {
      err.push(b);
      options.onOutput?.(b.toString('utf8'));
    });
    child.on('error', (e) => {
      stops.disarm();
      reject(e);
    });
    child.on('close', (code, signal) => {
      stops.disarm();
      const result: CommandResult = {
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (options.signal?.aborted) {
        reject(new Error(`${command} stopped: ${String(options.signal.reason)}`));
      } else if (stops.timedOut()) {
        reject(new Error(`${command} did not finish within ${options.timeoutMs} ms`));
      } else if (options.check !== false && result.exitCode !== 0) {
        reject(new CommandError(command, args, result));
      } else {
        resolve(result);
      }
    });
    if (child.stdin) {
      // A program may exit without reading its input; that is its answer, not our error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** The absolute path of an executable on PATH, as a shell would find it; undefined if none. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
