/** Shared pieces of the kfp-run-and-wait tests: inputs, deps on a ManualClock, the fixtures. */
import * as path from 'node:path';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { getInputs, type KfpInputs } from '../../actions/kfp-run-and-wait/inputs.ts';
import { createKfpClient } from '../../actions/kfp-run-and-wait/client.ts';
import type { RunDeps } from '../../actions/kfp-run-and-wait/run.ts';
import type { SavedRun } from '../../actions/kfp-run-and-wait/state.ts';
import type { IdTokenSource } from '../../actions/kfp-run-and-wait/auth.ts';
import type { ChildProcess } from 'node:child_process';
import { repoRoot, runAction, type ActionRunResult } from '../harness/runner.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

export const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'kfp-run-and-wait');
export const ENV = {
  GITHUB_WORKSPACE: FIXTURES,
  GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_REPOSITORY: 'octo-org/model-service',
  RUNNER_TEMP: FIXTURES,
};

export function inputsOf(values: Record<string, string>): KfpInputs {
  return getInputs(new Inputs(mapInputs(values)), ENV);
}

/** A ManualClock whose n-th sleep aborts `controller`: cancels a run mid-wait. */
export class CancellingClock extends ManualClock {
  private n = 0;
  private readonly controller: AbortController;
  private readonly atSleep: number;
  constructor(controller: AbortController, atSleep: number) {
    super(1_700_000_000_000);
    this.controller = controller;
    this.atSleep = atSleep;
  }
  override async sleep(ms: number): Promise<void> {
    await super.sleep(ms);
    if (++this.n === this.atSleep) this.controller.abort('SIGINT');
  }
}

export interface TestDeps extends RunDeps {
  clock: ManualClock;
  logger: RecordingLogger;
  saved: SavedRun[];
}

export function depsFor(
  inputs: KfpInputs,
  o: { clock?: ManualClock; signal?: AbortSignal; idToken?: IdTokenSource } = {},
): TestDeps {
  const clock = o.clock ?? new ManualClock(1_700_000_000_000);
  const logger = new RecordingLogger();
  const saved: SavedRun[] = [];
  const signal = o.signal ?? new AbortController().signal;
  return {
    client: createKfpClient(inputs, {
      logger,
      clock,
      signal,
      // As main: the step's deadline bounds every request and retry wait.
      deadline: clock.now() + inputs.timeoutMs,
      ...(o.idToken ? { idToken: o.idToken } : {}),
    }),
    clock,
    logger,
    signal,
    saved,
    saveRun: (s) => saved.push(s),
  };
}

/** The bundle run as a runner runs it, against the KFP fake at `host` with its `token`. */
export function runKfpBundle(
  kfp: { url: string },
  token: string,
  workspace: string,
  inputs: Record<string, string>,
  o: { onStart?: (c: ChildProcess) => void; keep?: boolean; timeoutMs?: number } = {},
): Promise<ActionRunResult> {
  return runAction('kfp-run-and-wait', {
    workspace,
    inputs: {
      host: kfp.url,
      token,
      'pipeline-file': 'pipeline.yaml',
      parameters: '{"lr": 0.05}',
      'poll-interval': '1s',
      ...inputs,
    },
    ...o,
  });
}
