/**
 * kfp-run-and-wait's orchestration (run.ts phases) with a fake KfpClient in memory and a
 * ManualClock: no runner, no network. Which phases run, what the report and the body's
 * outputs say, what is saved for the post step.
 */
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../shared/errors.ts';
import { runPhases } from '../../shared/phases.ts';
import type { KfpClient, Run } from '../../actions/kfp-run-and-wait/api.ts';
import type { KfpContext, KfpReport } from '../../actions/kfp-run-and-wait/report.ts';
import { kfpContext, kfpPhases, kfpReport } from '../../actions/kfp-run-and-wait/run.ts';
import type { SavedRun } from '../../actions/kfp-run-and-wait/state.ts';
import * as body from '../../actions/kfp-run-and-wait/wiring.ts';
import { inputsOf } from './helpers.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

/** The calls the phases make, answered from a script of run states. */
function fakeClient(o: { multiUser?: boolean; states?: string[] } = {}) {
  const calls: string[] = [];
  const states = [...(o.states ?? ['RUNNING', 'SUCCEEDED'])];
  const run = (state: string): Run => ({
    run_id: 'run-1',
    display_name: 'r',
    state: state as Run['state'],
  });
  const client = {
    healthz: async () => {
      calls.push('healthz');
      return { multi_user: o.multiUser ?? false, tag_name: '2.5.0' };
    },
    createRun: async () => {
      calls.push('createRun');
      return run('PENDING');
    },
    getRun: async () => {
      calls.push('getRun');
      return run(states.length > 1 ? (states.shift() as string) : (states[0] as string));
    },
    terminateRun: async () => {
      calls.push('terminateRun');
    },
  };
  return { client: client as unknown as KfpClient, calls };
}

function setup(values: Record<string, string>, o: Parameters<typeof fakeClient>[0] = {}) {
  const inputs = inputsOf({
    host: 'https://kfp.example.com',
    'pipeline-file': 'pipeline.yaml',
    parameters: '{"lr": 0.01, "epochs": 5}',
    ...values,
  });
  const { client, calls } = fakeClient(o);
  const saved: SavedRun[] = [];
  const details: Run[] = [];
  const ctx: KfpContext = {
    ...kfpContext(inputs, {
      client,
      clock: new ManualClock(1_700_000_000_000),
      logger: new RecordingLogger(),
      signal: new AbortController().signal,
      saveRun: (s) => saved.push(s),
    }),
    writeDetails: async (run) => {
      details.push(run);
      return '/tmp/run-details.json';
    },
  };
  return { ctx, calls, saved, details };
}

const outcomes = (r: KfpReport): string[] => r.phases.map((p) => `${p.name}: ${p.outcome}`);

describe('kfp-run-and-wait phases', () => {
  it('a run that succeeds: every phase done, saved then settled, outputs from the report', async () => {
    const { ctx, calls, saved, details } = setup({});
    const report = await runPhases(kfpPhases, ctx, kfpReport(ctx));
    expect(outcomes(report)).toEqual([
      'prepare: done',
      'check server: done',
      'resolve pipeline: done',
      'experiment: done',
      'create run: done',
      'settle: done',
    ]);
    expect(calls).toEqual(['healthz', 'createRun', 'getRun', 'getRun']);
    expect(saved.map((s) => s.settled)).toEqual([false, true]);
    expect(details.map((d) => d.state)).toEqual(['SUCCEEDED']);
    expect(body.outputs(report)).toEqual({
      'run-id': 'run-1',
      state: 'SUCCEEDED',
      'run-url': 'https://kfp.example.com/#/runs/details/run-1',
      'run-details': '/tmp/run-details.json',
    });
    expect(() => body.verdict?.(report)).not.toThrow();
  });

  it('wait: false: the run is submitted, never polled, saved as settled', async () => {
    const { ctx, calls, saved } = setup({ wait: 'false' });
    const report = await runPhases(kfpPhases, ctx, kfpReport(ctx));
    expect(report.result?.outcome).toBe('submitted');
    expect(calls).not.toContain('getRun');
    expect(saved).toEqual([expect.objectContaining({ settled: true })]);
  });

  it('a failed run: the verdict fails the step after outputs and summary are derived', async () => {
    const { ctx } = setup({}, { states: ['FAILED'] });
    const report = await runPhases(kfpPhases, ctx, kfpReport(ctx));
    expect(report.result?.outcome).toBe('failed');
    expect(body.outputs(report).state).toBe('FAILED');
    expect(body.summary(report)).toContain('run failed');
    expect(() => body.verdict?.(report)).toThrow(/run run-1 ended FAILED/);
  });

  it('multi-user KFP without a namespace fails at check server: no run is created, no output', async () => {
    const { ctx, calls, saved } = setup({}, { multiUser: true });
    const report = kfpReport(ctx);
    const failure = await runPhases(kfpPhases, ctx, report).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InputError);
    expect(outcomes(report)).toEqual(['prepare: done', 'check server: failed']);
    expect(calls).toEqual(['healthz']);
    expect(saved).toEqual([]);
    expect(body.outputs(report, failure)).toEqual({});
    // Nothing was changed in KFP: the generic failure summary is the runner's.
    expect(body.summary(report, failure)).toBeUndefined();
  });

  it('timeout: the wait ends at the deadline and the run is cancelled in KFP', async () => {
    const { ctx, calls } = setup({ timeout: '1m' }, { states: ['RUNNING'] });
    const report = await runPhases(kfpPhases, ctx, kfpReport(ctx));
    expect(report.result?.outcome).toBe('timeout');
    expect(calls.at(-1)).toBe('terminateRun');
    expect(ctx.clock.now() - 1_700_000_000_000).toBeLessThanOrEqual(60_000);
  });
});
