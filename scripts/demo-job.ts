/**
 * One GitHub Actions job, as the runner runs it, for the demo: the steps share one workspace
 * and one RUNNER_TEMP; what a step exports through GITHUB_ENV is in the env of every later
 * step; after a failed step the remaining steps are skipped; at the end the post steps of the
 * steps that ran go in reverse order (`post-if: always()`), and a cancelled job stops the
 * running step with SIGINT as the runner does. Each step is the real bundle
 * (test/harness/runner.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runAction, type ActionRunResult, type StepResult } from '../test/harness/runner.ts';

export interface JobStep {
  id: string;
  action: string;
  inputs: Record<string, string>;
  /** Undefined when skipped. */
  result?: ActionRunResult;
  /** Why the step was skipped. */
  skipped?: 'an earlier step failed' | 'the job was cancelled';
  /** `if: always()`: runs after a failed step too (not after a cancel). */
  always?: boolean;
  /** The post step's result, once `finish()` ran it. */
  post?: StepResult;
}

export interface JobOptions {
  /** Files to check out into the workspace: workspace-relative destination → source path. */
  checkout?: Record<string, string>;
  /** Kill a step still running after this long (default 120 s). */
  stepTimeoutMs?: number;
  /** Cancels the job: the running step gets SIGINT, later steps are skipped. */
  signal?: AbortSignal;
  /** The job's `env:` (every step gets it; GITHUB_ENV exports add to it). */
  env?: Record<string, string>;
}

export class Job {
  readonly name: string;
  /** The job's temp root: workspace/ and runner-temp/ below it. */
  readonly dir: string;
  readonly workspace: string;
  readonly runnerTemp: string;
  /** The job's env: everything steps exported through GITHUB_ENV so far. */
  readonly env: Record<string, string> = {};
  readonly steps: JobStep[] = [];
  failed = false;
  private readonly stepTimeoutMs: number;
  private readonly signal: AbortSignal | undefined;
  private cleaned = false;

  constructor(name: string, options: JobOptions = {}) {
    this.name = name;
    this.stepTimeoutMs = options.stepTimeoutMs ?? 120_000;
    this.signal = options.signal;
    Object.assign(this.env, options.env);
    this.dir = mkdtempSync(path.join(tmpdir(), `demo-${name}-`));
    this.workspace = path.join(this.dir, 'workspace');
    this.runnerTemp = path.join(this.dir, 'runner-temp');
    mkdirSync(this.workspace);
    mkdirSync(this.runnerTemp);
    for (const [dest, src] of Object.entries(options.checkout ?? {})) {
      cpSync(src, path.join(this.workspace, dest), { recursive: true });
    }
  }

  /**
   * Runs one step (main only; its post runs in `finish()`). `inputs` may be a function of the
   * earlier steps, like `${{ steps.render.outputs.manifests-path }}`; it is not evaluated for a
   * skipped step.
   */
  async step(
    id: string,
    action: string,
    inputs: Record<string, string> | (() => Record<string, string>),
    options: { always?: boolean; env?: Record<string, string> } = {},
  ): Promise<JobStep> {
    const step: JobStep = { id, action, inputs: {}, ...(options.always ? { always: true } : {}) };
    this.steps.push(step);
    if (this.signal?.aborted) step.skipped = 'the job was cancelled';
    else if (this.failed && !options.always) step.skipped = 'an earlier step failed';
    if (step.skipped) return step;
    step.inputs = typeof inputs === 'function' ? inputs() : inputs;
    let child: ChildProcess | undefined;
    const cancel = (): void => void child?.kill('SIGINT');
    this.signal?.addEventListener('abort', cancel);
    try {
      step.result = await runAction(action, {
        inputs: step.inputs,
        env: { ...this.env, ...options.env },
        workspace: this.workspace,
        runnerTemp: this.runnerTemp,
        deferPost: true,
        keep: true,
        timeoutMs: this.stepTimeoutMs,
        onStart: (c) => {
          child = c;
        },
      });
    } finally {
      this.signal?.removeEventListener('abort', cancel);
    }
    Object.assign(this.env, step.result.env);
    if (step.result.exitCode !== 0) this.failed = true;
    return step;
  }

  /** The step with this id (it must exist). */
  get(id: string): JobStep {
    const step = this.steps.find((s) => s.id === id);
    if (!step) throw new Error(`job ${this.name} has no step ${id}`);
    return step;
  }

  /** Runs the post steps of the steps that ran, in reverse order, as the runner does. */
  async finish(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      if (step.result?.runPost) step.post = await step.result.runPost({ ...this.env });
    }
  }

  /** Removes the job's workspace, RUNNER_TEMP and the harness's per-step dirs. Idempotent. */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const step of this.steps) step.result?.cleanup();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
