/** The post step: cancels a run main left unsettled, and only then. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createKfpClient } from '../../actions/kfp-run-and-wait/client.ts';
import type { ConnectionInputs } from '../../actions/kfp-run-and-wait/inputs.ts';
import {
  cancelLeftRun,
  POST_CANCEL_MS,
  POST_READ_MS,
  type PostDeps,
} from '../../actions/kfp-run-and-wait/post-cancel.ts';
import { runState } from '../../actions/kfp-run-and-wait/state.ts';
import { startKfpFake, type Fault, type KfpFake } from '../harness/fakes/kfp-api.ts';
import { ManualClock, MemoryState, RecordingLogger } from '../harness/doubles.ts';

let kfp: KfpFake;
beforeEach(async () => {
  kfp = await startKfpFake();
});
afterEach(async () => {
  expect(kfp.errors).toEqual([]);
  await kfp.stop();
});

async function createRun(): Promise<string> {
  kfp.script([{ state: 'RUNNING' }]);
  const res = await fetch(`${kfp.url}/apis/v2beta1/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ display_name: 'r', pipeline_spec: {}, runtime_config: {} }),
  });
  const run = (await res.json()) as { run_id: string };
  await fetch(`${kfp.url}/apis/v2beta1/runs/${run.run_id}`);
  return run.run_id;
}

function deps(settled: boolean | undefined, runId: string, cancelOnTimeout = true) {
  const store = new MemoryState();
  if (settled !== undefined)
    runState.save(store, { runId, runUrl: `${kfp.url}/#/runs/details/${runId}`, settled });
  const logger = new RecordingLogger();
  const summaries: string[] = [];
  const conn: ConnectionInputs = { host: kfp.url, auth: { kind: 'none' }, cancelOnTimeout };
  const clock = new ManualClock();
  const d: PostDeps = {
    store,
    logger,
    clock,
    connection: () => conn,
    client: (c) => createKfpClient(c, { logger, clock }),
    summary: async (m) => {
      summaries.push(m);
    },
  };
  return { d, logger, summaries };
}

const terminates = (): number => kfp.requests.filter((r) => r.path.endsWith(':terminate')).length;

describe('post step', () => {
  it('cancels a run main left unsettled, with a warning and a summary', async () => {
    const runId = await createRun();
    const { d, logger, summaries } = deps(false, runId);
    await cancelLeftRun(d);
    expect(terminates()).toBe(1);
    expect(kfp.runs.get(runId)?.terminated).toBe('canceling');
    expect(logger.messages('warning')).toEqual([
      expect.stringContaining(
        `Cancelled run ${runId} in KFP (it was RUNNING; the main step did not finish)`,
      ),
    ]);
    expect(summaries[0]).toContain(`kfp-run-and-wait (post): run [${runId}]`);
  });

  it.each([
    ['no saved run', undefined],
    ['a settled run', true],
  ])('does nothing for %s', async (_name, settled) => {
    const runId = await createRun();
    const before = kfp.requests.length;
    const { d, logger } = deps(settled, runId);
    await cancelLeftRun(d);
    expect(kfp.requests.length).toBe(before);
    expect(logger.records).toEqual([]);
  });

  it('leaves a run that already ended', async () => {
    kfp.script([{ state: 'SUCCEEDED' }]);
    const runId = await createRun();
    kfp.script([{ state: 'SUCCEEDED' }]);
    kfp.runs.get(runId)!.script = [{ state: 'SUCCEEDED' }];
    const { d, logger } = deps(false, runId);
    await cancelLeftRun(d);
    expect(terminates()).toBe(0);
    expect(logger.messages('info')).toEqual([
      `Run ${runId} already ended SUCCEEDED: nothing to cancel.`,
    ]);
  });

  it('with cancel-on-timeout false: warns that the run may still be running', async () => {
    const runId = await createRun();
    const { d, logger } = deps(false, runId, false);
    await cancelLeftRun(d);
    expect(terminates()).toBe(0);
    expect(logger.messages('warning')[0]).toContain(
      'may still be running in KFP (cancel-on-timeout is false)',
    );
  });

  it.each<[string, Omit<Fault, 'path'> & { status: number }]>([
    ['refused (500 after every retry)', { status: 500, times: 100 }],
    [
      'asks to wait an hour (429, Retry-After: 3600)',
      { status: 429, retryAfter: '3600', times: 100 },
    ],
  ])('GET run %s: the run is cancelled all the same, within the post budget', async (_n, fault) => {
    const runId = await createRun();
    kfp.fault({ method: 'GET', path: /\/runs\/[^/:]+$/, ...fault });
    const { d, logger, summaries } = deps(false, runId);
    await cancelLeftRun(d);
    expect(terminates()).toBe(1);
    expect(kfp.runs.get(runId)?.terminated).toBe('canceling');
    expect(logger.messages('warning')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Cancelled run ${runId} in KFP \\(its state could not be read: GET \\S+ failed with HTTP ${fault.status}`,
        ),
      ),
    ]);
    expect(summaries).toHaveLength(1);
    // Every wait the post step made fits its own budget (read + cancel).
    const slept = (d.clock as ManualClock).sleeps.reduce((a, b) => a + b, 0);
    expect(slept).toBeLessThanOrEqual(POST_READ_MS + POST_CANCEL_MS);
  });

  it('a failed cancel is reported with the link, not thrown', async () => {
    const runId = await createRun();
    kfp.fault({ path: /:terminate$/, status: 403, message: 'PermissionDenied: nope' });
    const { d, logger } = deps(false, runId);
    await cancelLeftRun(d);
    expect(logger.messages('warning')[0]).toMatch(
      /Could not cancel run .*\(HTTP 403\): PermissionDenied: nope\..*'namespace' input\)\. Cancel it in the KFP UI: http/,
    );
  });
});
