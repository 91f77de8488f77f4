/**
 * The one way actions run git: argv arrays through the injected CommandRunner, never a shell
 * string. Credentials travel as actions/checkout sends them — an `Authorization: basic` header
 * set through `http.<origin>/.extraheader` — but in the GIT_CONFIG_* environment of each git
 * process, so the token is never in a URL, a command line (visible in `ps`) or a config file
 * that could be read or logged. Prompts and credential helpers are switched off: a missing or
 * rejected token fails at once instead of hanging the job.
 */
import { InputError } from './errors.ts';
import type { CommandResult, CommandRunner } from './exec.ts';

export interface GitAuth {
  /** The origin the header is scoped to, e.g. `https://github.com`. */
  origin: string;
  token: string;
  /** The action input the token came from, named when the server rejects it (default `token`). */
  input?: string;
}

export interface GitOptions {
  /** Working tree (the clone) that commands run in. */
  cwd: string;
  auth?: GitAuth;
  /** Per-command time limit (default 5 min). */
  timeoutMs?: number;
  /** The environment git starts from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Cancellation: a running git command is killed (a clone or push does not outlive the job). */
  signal?: AbortSignal;
}

export interface Identity {
  name: string;
  email: string;
}

export type PushOutcome =
  | { ok: true }
  /** Someone else updated the ref first: fetch, re-apply, try again. */
  | { ok: false; race: true; detail: string }
  /**
   * `refused`: the server answered that the ref was not updated (porcelain `!` line);
   * `rejected`: it refused the token (401/403), said in words naming the input.
   */
  | { ok: false; race: false; detail: string; refused?: boolean; rejected?: string };

/** The header value actions/checkout uses: basic auth with user `x-access-token`. */
export function basicAuthHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')}`;
}

/** A git failure, with stderr (which git never fills with the extraheader value). */
export class GitError extends Error {
  override name = 'GitError';
  readonly result: CommandResult;
  constructor(args: readonly string[], result: CommandResult) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-6).join('\n');
    super(`git ${args[0] ?? ''} failed (exit ${result.exitCode})${detail ? `: ${detail}` : ''}`);
    this.result = result;
  }
}

/**
 * The HTTP status with which the git server refused our credentials, read from git's words:
 * with the token in a header and prompts off, a 401 surfaces as "could not read Username …
 * terminal prompts disabled" (git wanted to ask for a user name), a 403 as "The requested URL
 * returned error: 403".
 */
export function credentialRejection(stderr: string): 401 | 403 | undefined {
  if (
    /could not read (Username|Password) for|Authentication failed for|returned error: 401/i.test(
      stderr,
    )
  )
    return 401;
  if (/returned error: 403/.test(stderr)) return 403;
  return undefined;
}

/**
 * What a rejected push means. A race — the remote ref moved (fetch first, non-fast-forward,
 * stale info) or another push held its lock at the same moment — is retried after a fetch;
 * anything else (403, a protected branch, a hook that said no) is final.
 */
export function classifyPushFailure(output: string): { race: boolean } {
  const race =
    /\[rejected\].*\((fetch first|non-fast-forward|stale info)\)/.test(output) ||
    /\[remote rejected\].*(cannot lock ref|failed to update ref|failed to lock|reference already exists|incorrect old value|is at [0-9a-f]+ but expected)/i.test(
      output,
    ) ||
    /cannot lock ref|Unable to create '.*\.lock'/i.test(output);
  return { race };
}

export class Git {
  readonly cwd: string;
  private readonly runner: CommandRunner;
  private readonly options: GitOptions;

  constructor(runner: CommandRunner, options: GitOptions) {
    this.runner = runner;
    this.options = options;
    this.cwd = options.cwd;
  }

  /** The environment of every git process: no prompts, no helpers, the auth header if any. */
  environment(): NodeJS.ProcessEnv {
    const config: [string, string][] = [
      ['credential.helper', ''],
      ['core.askPass', ''],
      ['protocol.allow', 'never'],
      ['protocol.https.allow', 'always'],
      ['protocol.http.allow', 'always'],
      ['protocol.file.allow', 'always'],
      // No `git maintenance run --auto` after each fetch and commit: clones here are
      // throwaway, and a retried push would start two needless processes per attempt.
      ['maintenance.auto', 'false'],
    ];
    if (this.options.auth?.token) {
      config.push([
        `http.${this.options.auth.origin.replace(/\/+$/, '')}/.extraheader`,
        basicAuthHeader(this.options.auth.token),
      ]);
    }
    const base = this.options.env ?? process.env;
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(base)) {
      // Config injected by the caller's environment would be replaced below anyway.
      if (!/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+|PARAMETERS)$/.test(k)) env[k] = v;
    }
    env.GIT_TERMINAL_PROMPT = '0';
    env.GIT_ASKPASS = '';
    env.SSH_ASKPASS = '';
    env.GCM_INTERACTIVE = 'never';
    env.LC_ALL = 'C';
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
    return env;
  }

  /** Runs `git <args>`; returns the result, throws GitError on a non-zero exit unless `check` is false. */
  async run(
    args: readonly string[],
    opts: { check?: boolean; input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
  ): Promise<CommandResult> {
    const result = await this.runner.run('git', args, {
      cwd: opts.cwd ?? this.cwd,
      env: { ...this.environment(), ...opts.env },
      timeoutMs: this.options.timeoutMs ?? 300_000,
      check: false,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
    if (result.exitCode !== 0 && opts.check !== false) throw this.failure(args, result);
    return result;
  }

  /**
   * The words for a token the server refused: the input, the host and the status, never the
   * token (git's own "could not read Username … terminal prompts disabled" names none of them).
   */
  tokenRejection(stderr: string): string | undefined {
    const status = credentialRejection(stderr);
    const auth = this.options.auth;
    if (!status || !auth?.token) return undefined;
    const host = new URL(auth.origin).host;
    const input = auth.input ?? 'token';
    return status === 401
      ? `Input '${input}': the git server ${host} rejected the token (HTTP 401): it is not valid there (wrong, expired or revoked).`
      : `Input '${input}': the git server ${host} refused the token (HTTP 403): it lacks permission on this repository (pushing needs contents: write, and the branch must not be protected against it).`;
  }

  /** A token the server refused is the user's to fix (InputError); anything else a GitError. */
  private failure(args: readonly string[], result: CommandResult): Error {
    const rejection = this.tokenRejection(result.stderr);
    return rejection ? new InputError(rejection) : new GitError(args, result);
  }

  /** A shallow, single-branch clone into this.cwd (which must not exist or be empty). */
  async cloneShallow(url: string, branch: string | undefined, depth = 1): Promise<void> {
    const args = ['clone', '--quiet', '--no-tags', '--single-branch', `--depth=${depth}`];
    if (branch) args.push('--branch', branch);
    args.push('--', url, this.cwd);
    await this.run(args, { cwd: '/' });
  }

  /** The branch checked out (after a clone without --branch: the remote's default branch). */
  async currentBranch(): Promise<string> {
    return (await this.run(['symbolic-ref', '--short', 'HEAD'])).stdout.trim();
  }

  async head(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /** Fetches `ref` from origin (shallow) and returns the fetched commit, or undefined when the remote has no such ref. */
  async fetch(ref: string, depth = 1): Promise<string | undefined> {
    const r = await this.run(
      ['fetch', '--quiet', '--no-tags', `--depth=${depth}`, 'origin', `+${ref}:refs/mlops/fetched`],
      { check: false },
    );
    if (r.exitCode !== 0) {
      if (/couldn't find remote ref|not our ref|no such ref/i.test(r.stderr)) return undefined;
      throw this.failure(['fetch'], r);
    }
    return (await this.run(['rev-parse', 'refs/mlops/fetched'])).stdout.trim();
  }

  /** Points the checked-out branch at `commit`; tracked files match it exactly. */
  async resetHard(commit: string): Promise<void> {
    await this.run(['reset', '--quiet', '--hard', commit]);
  }

  async checkoutNewBranch(branch: string, commit: string): Promise<void> {
    await this.run(['checkout', '--quiet', '-B', branch, commit]);
  }

  /** Commits the given tracked paths (only them) as `author`, committer too; returns the new commit. */
  async commit(paths: readonly string[], message: string, author: Identity): Promise<string> {
    await this.run(['commit', '--quiet', '--no-verify', '--file=-', '--only', '--', ...paths], {
      input: message,
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
      },
    });
    return this.head();
  }

  /** Pushes HEAD to `refs/heads/<branch>` — never with force. */
  async push(branch: string): Promise<PushOutcome> {
    const r = await this.run(
      ['push', '--porcelain', '--no-verify', 'origin', `HEAD:refs/heads/${branch}`],
      { check: false },
    );
    if (r.exitCode === 0) return { ok: true };
    const output = `${r.stdout}\n${r.stderr}`;
    const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-6).join('\n');
    const rejected = this.tokenRejection(r.stderr);
    const race = classifyPushFailure(output).race;
    if (race) return { ok: false, race: true, detail };
    return {
      ok: false,
      race: false,
      detail,
      ...(/^!\t/m.test(r.stdout) ? { refused: true } : {}),
      ...(rejected ? { rejected } : {}),
    };
  }

  /**
   * The commit `refs/heads/<branch>` points at on origin now; undefined when there is no such
   * branch. Runs with its own deadline and without the job's cancellation signal: it says
   * where an interrupted push left the branch, after the job was cancelled.
   */
  async remoteBranchTip(branch: string, deadlineMs: number): Promise<string | undefined> {
    const ref = `refs/heads/${branch}`;
    const result = await this.runner.run('git', ['ls-remote', '--refs', 'origin', ref], {
      cwd: this.cwd,
      env: this.environment(),
      timeoutMs: deadlineMs,
      check: false,
    });
    if (result.exitCode !== 0) throw this.failure(['ls-remote'], result);
    const line = result.stdout.split('\n').find((l) => l.endsWith(`\t${ref}`));
    return line?.split('\t')[0];
  }

  /** Whether `ancestor` is reachable from `descendant` (both must be present locally). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await this.run(['merge-base', '--is-ancestor', ancestor, descendant], {
      check: false,
    });
    return r.exitCode === 0;
  }

  async hasCommit(sha: string): Promise<boolean> {
    const r = await this.run(['cat-file', '-e', `${sha}^{commit}`], { check: false });
    return r.exitCode === 0;
  }
}
