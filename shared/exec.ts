import { spawn } from 'node:child_process';

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
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, options.timeoutMs);
      child.stdout?.on('data', (b: Buffer) => out.push(b));
      child.stderr?.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        if (timer) clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        const result: CommandResult = {
          exitCode: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        };
        if (timedOut) {
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
