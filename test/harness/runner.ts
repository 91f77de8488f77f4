/**
 * Runs a bundled action exactly as a GitHub runner does: every input of action.yml as
 * INPUT_<NAME> (defaults applied), the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV /
 * GITHUB_PATH / GITHUB_STEP_SUMMARY files, `node <runs.main>`, then `runs.post` with the
 * saved state as STATE_<name>. Returns exit codes, outputs, summary and logs, and the
 * log as the runner would show it (add-mask values replaced by ***).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ActionMetadata {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export interface StepResult {
  exitCode: number;
  /** Raw stdout + stderr, interleaved as received. */
  log: string;
  /** What the runner would display: ::add-mask:: values replaced by ***. */
  maskedLog: string;
  masks: string[];
  /** `::error`/`::warning` workflow commands, parsed. */
  annotations: { level: string; properties: Record<string, string>; message: string }[];
  durationMs: number;
}

/** The messages of a step's `::error` annotations, in the order it wrote them. */
export function errorMessages(r: Pick<StepResult, 'annotations'>): string[] {
  return r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

/**
 * A step's failure line: its last `::error` annotation's message ('' when it wrote none). The
 * last, as the step's failure (core.setFailed) comes after any per-file error annotations.
 */
export function lastError(r: Pick<StepResult, 'annotations'>): string {
  return errorMessages(r).at(-1) ?? '';
}

export interface ActionRunResult extends StepResult {
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
  post?: StepResult;
  /**
   * With `deferPost`: runs the post step now (as the runner does at the end of the job, after
   * every main step), with `env` added (the job's env by then, e.g. later GITHUB_ENV exports).
   * Also sets `post`. Undefined when the action has no post step.
   */
  runPost?: (env?: Record<string, string>) => Promise<StepResult>;
  /** Temp dirs of this run (RUNNER_TEMP etc.), removed by `cleanup()`. */
  runnerTemp: string;
  workspace: string;
  cleanup(): void;
}

export interface RunActionOptions {
  inputs?: Record<string, string>;
  /** Extra environment (e.g. KUBECONFIG); the test's own env is not inherited except PATH/HOME. */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE and cwd; default a fresh temp dir. */
  workspace?: string;
  /**
   * RUNNER_TEMP; default a fresh temp dir. Pass the same one to the steps of one job; a given
   * dir is the caller's to remove (cleanup() leaves it).
   */
  runnerTemp?: string;
  /** Run the post step (default: when action.yml has one). */
  post?: boolean;
  /**
   * Don't run the post step after main: return `runPost()` to call at the end of the job (the
   * runner runs posts after all main steps, in reverse order). Temp dirs are kept until then.
   */
  deferPost?: boolean;
  timeoutMs?: number;
  /** Keep temp dirs after the run (call cleanup() yourself). Default false: removed at once. */
  keep?: boolean;
  /** Called with the child process once started: lets a test cancel mid-run. */
  onStart?: (child: import('node:child_process').ChildProcess) => void;
}

function parseFileCommands(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      result[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const eq = line.indexOf('=');
      result[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return result;
}

function unescape(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

function analyse(
  log: string,
  durationMs: number,
  exitCode: number,
  extraMasks: string[] = [],
): StepResult {
  const masks = [...extraMasks];
  const annotations: StepResult['annotations'] = [];
  for (const line of log.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const [, command, props, message] = m;
    if (command === 'add-mask') masks.push(unescape(message!));
    if (command === 'error' || command === 'warning' || command === 'notice') {
      const properties: Record<string, string> = {};
      for (const kv of (props ?? '').split(',').filter(Boolean)) {
        const eq = kv.indexOf('=');
        properties[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
      }
      annotations.push({ level: command, properties, message: unescape(message!) });
    }
  }
  let maskedLog = log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const mask of masks.filter((m) => m.length > 0).sort((a, b) => b.length - a.length)) {
    maskedLog = maskedLog.split(mask).join('***');
  }
  return { exitCode, log, maskedLog, masks, annotations, durationMs };
}

function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs: number,
  onStart?: RunActionOptions['onStart'],
): Promise<{ exitCode: number; log: string; durationMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [script], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        log: Buffer.concat(chunks).toString('utf8'),
        durationMs: Date.now() - started,
      });
    });
    onStart?.(child);
  });
}

export function loadActionMetadata(action: string): ActionMetadata {
  return parseYaml(
    readFileSync(path.join(repoRoot, action, 'action.yml'), 'utf8'),
  ) as ActionMetadata;
}

/** Runs `<action>` (its action.yml and bundle) as the runner would. */
export async function runAction(
  action: string,
  options: RunActionOptions = {},
): Promise<ActionRunResult> {
  const meta = loadActionMetadata(action);
  const base = mkdtempSync(path.join(tmpdir(), `run-${action}-`));
  const runnerTemp = options.runnerTemp ?? path.join(base, 'runner-temp');
  const workspace = options.workspace ?? path.join(base, 'workspace');
  const commandDir = path.join(base, 'commands');
  for (const d of [runnerTemp, workspace, commandDir]) mkdirSync(d, { recursive: true });
  const files = {
    GITHUB_OUTPUT: path.join(commandDir, `set_output_${randomUUID()}`),
    GITHUB_STATE: path.join(commandDir, `save_state_${randomUUID()}`),
    GITHUB_ENV: path.join(commandDir, `set_env_${randomUUID()}`),
    GITHUB_PATH: path.join(commandDir, `add_path_${randomUUID()}`),
    GITHUB_STEP_SUMMARY: path.join(commandDir, `step_summary_${randomUUID()}`),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');

  const inputEnv: Record<string, string> = {};
  const given = options.inputs ?? {};
  for (const name of Object.keys(given)) {
    if (!meta.inputs || !(name in meta.inputs))
      throw new Error(`${action}/action.yml has no input '${name}'`);
  }
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    const value = given[name] ?? spec.default ?? '';
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/model-service',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1001',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'deploy',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(base, 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...files,
    ...inputEnv,
    ...options.env,
  };
  const timeoutMs = options.timeoutMs ?? 60_000;
  const actionDir = path.join(repoRoot, action);
  const main = await runNode(
    path.resolve(actionDir, meta.runs.main),
    env,
    workspace,
    timeoutMs,
    options.onStart,
  );
  const mainResult = analyse(main.log, main.durationMs, main.exitCode);
  const state = parseFileCommands(files.GITHUB_STATE);
  const outputs = parseFileCommands(files.GITHUB_OUTPUT);
  const exportedEnv = parseFileCommands(files.GITHUB_ENV);
  const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');

  const postScript = meta.runs.post;
  const runPostStep = async (extraEnv: Record<string, string> = {}): Promise<StepResult> => {
    const postEnv: NodeJS.ProcessEnv = { ...env, ...exportedEnv, ...extraEnv };
    for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
    // Inputs stay set for post, as on the runner.
    const p = await runNode(path.resolve(actionDir, postScript!), postEnv, workspace, timeoutMs);
    return analyse(p.log, p.durationMs, p.exitCode, mainResult.masks);
  };
  let post: StepResult | undefined;
  const wantPost = options.post ?? postScript !== undefined;
  if (wantPost && postScript && !options.deferPost) post = await runPostStep();
  const cleanup = (): void => rmSync(base, { recursive: true, force: true });
  const result: ActionRunResult = {
    ...mainResult,
    outputs,
    state,
    env: exportedEnv,
    summary,
    runnerTemp,
    workspace,
    cleanup,
    ...(post ? { post } : {}),
  };
  if (wantPost && postScript && options.deferPost) {
    result.runPost = async (extraEnv) => {
      try {
        result.post = await runPostStep(extraEnv);
        return result.post;
      } finally {
        if (!options.keep) cleanup();
      }
    };
    return result;
  }
  if (!options.keep) cleanup();
  return result;
}
