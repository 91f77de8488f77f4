import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

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

export const processRunner: CommandRunner = {
  run(command, args, options = {}) {
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
      const kill = (signal: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // the group is gone already; the program itself may still be exiting
          child.kill(signal);
        }
      };
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              kill('SIGKILL');
            }, options.timeoutMs);
      let killer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        kill('SIGTERM');
        killer = setTimeout(() => kill('SIGKILL'), 5000);
      };
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        if (timer) clearTimeout(timer);
        if (killer) clearTimeout(killer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      child.stdout?.on('data', (b: Buffer) => {
        out.push(b);
        options.onOutput?.(b.toString('utf8'));
      });
      child.stderr?.on('data', (b: Buffer) => {
        err.push(b);
        options.onOutput?.(b.toString('utf8'));
      });
      child.on('error', (e) => {
        done();
        reject(e);
      });
      child.on('close', (code, signal) => {
        done();
        const result: CommandResult = {
          exitCode: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        };
        if (options.signal?.aborted) {
          reject(new Error(`${command} stopped: ${String(options.signal.reason)}`));
        } else if (timedOut) {
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
  },
};

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
