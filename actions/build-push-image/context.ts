/**
 * What build-push-image's phases run with: the injected dependencies (commands, HTTP, clock,
 * logins, the Trivy install), the step's deadline, and the session the phases hand on to each
 * other (handles, not results: results go to the report).
 */
import type { Clock } from '../../shared/clock.ts';
import { Deadline } from '../../shared/deadline.ts';
import { cancellation } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { HttpClient } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PhaseContextBase } from '../../shared/phases.ts';
import type { BuilderSetup, BuildFiles } from './builder.ts';
import { isLoopbackRegistry, type BuildInputs } from './inputs.ts';
import type { Login, LoginProvider } from './login.ts';
import { RegistryClient, type Credentials } from './registry.ts';
import type { BuildReport } from './report.ts';

export interface Deps {
  runner: CommandRunner;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Where relative `context` and `file` paths start (GITHUB_WORKSPACE, the step's cwd). */
  workspace: string;
  /** Where temporary files go (RUNNER_TEMP). */
  tempDir: string;
  /** Login for the registry type; undefined: use the docker config already there. */
  loginProvider?: LoginProvider;
  /**
   * Saves what the post step needs from the report (the temporary docker config directory),
   * called as soon as it changes, so a step stopped mid-build still has its credentials removed.
   */
  savePostState: (report: BuildReport) => void;
  /**
   * Shows a builder's output live: calls `fn` with a writer (the runner wraps it so the
   * output cannot issue workflow commands).
   */
  streamOutput: <T>(fn: (write: (chunk: string) => void) => Promise<T>) => Promise<T>;
  /** The Trivy executable (PATH or installed); called only with `scan: trivy`. */
  trivy: () => Promise<{ path: string; source: string }>;
}

/** What one phase hands on to the next: set by resolve, login and build. */
export interface BuildSession {
  /** The confined context and Dockerfile (resolve). */
  files?: BuildFiles;
  /** The OCI labels plus the `labels` input (resolve). */
  labels: [string, string][];
  /** The temporary DOCKER_CONFIG and the login written to it (login, with a provider). */
  configDir?: string;
  login?: Login;
  /** What the registry client authenticates with: the login, or an existing docker login. */
  credentials?: Credentials;
  /** The builders' environment: the job's, with DOCKER_CONFIG once logged in. */
  env: NodeJS.ProcessEnv;
  /** The builder, its legacy mode and cache (build). */
  setup?: BuilderSetup;
}

export interface BuildContext extends Omit<Deps, 'signal' | 'clock'>, PhaseContextBase {
  signal: AbortSignal;
  clock: Clock;
  inputs: BuildInputs;
  /** The `timeout` input as one deadline: builder commands and HTTP requests stop by it. */
  deadline: Deadline;
  /** Plain HTTP / unverified TLS to the registry (loopback, or `insecure: true`). */
  plainHttp: boolean;
  registry: RegistryClient;
  session: BuildSession;
}

/** The context of one run; `deadline` defaults to `timeout` from now on the clock. */
export function newContext(
  inputs: BuildInputs,
  deps: Deps,
  deadline = Deadline.after(inputs.timeoutMs, deps.clock),
): BuildContext {
  const signal = deps.signal ?? new AbortController().signal;
  const plainHttp = isLoopbackRegistry(inputs.registry) || inputs.insecure;
  const session: BuildSession = { labels: [], env: deps.env };
  const registry = new RegistryClient(deps.http, {
    host: inputs.registry,
    image: inputs.image,
    plainHttp,
    credentials: () => session.credentials,
    signal,
  });
  return { ...deps, signal, inputs, deadline, plainHttp, registry, session };
}

/** A builder command's time limit: what is left of the deadline (at least a second). */
export function timeLeft(ctx: BuildContext): number {
  return Math.max(1000, ctx.deadline.left());
}

/** Throws when the job was cancelled: between builder commands of one phase. */
export function checkAborted(ctx: BuildContext, during: string): void {
  if (ctx.signal.aborted) throw cancellation(ctx.signal, during);
}

/** What an earlier phase must have set; missing means the phase order is wrong. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} is not set (phase order)`);
  return value;
}
