import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../shared/deadline.ts';
import { CancelledError } from '../../shared/errors.ts';
import { phase, runPhases, type PhaseReport } from '../../shared/phases.ts';
import { ManualClock } from '../harness/doubles.ts';

interface Ctx {
  signal: AbortSignal;
  clock: ManualClock;
  wait: boolean;
}
interface Report extends PhaseReport {
  seen: string[];
}

const phases = [
  phase<Ctx, Report>('resolve', (ctx, r) => {
    ctx.clock.advance(5);
    r.seen.push('resolve');
  }),
  phase<Ctx, Report>(
    'wait',
    (_ctx, r) => {
      r.seen.push('wait');
    },
    (ctx) => ctx.wait,
  ),
  phase<Ctx, Report>('report', (_ctx, r) => {
    r.seen.push('report');
  }),
];

const fresh = (): Report => ({ phases: [], seen: [] });

describe('runPhases: the one orchestration', () => {
  it('runs the phases in order, records each with its time, skips by `when`', async () => {
    const ctx = { signal: new AbortController().signal, clock: new ManualClock(), wait: false };
    const report = await runPhases(phases, ctx, fresh());
    expect(report.seen).toEqual(['resolve', 'report']);
    expect(report.phases).toEqual([
      { name: 'resolve', outcome: 'done', ms: 5 },
      { name: 'wait', outcome: 'skipped', ms: 0 },
      { name: 'report', outcome: 'done', ms: 0 },
    ]);
  });

  it('a failing phase is recorded and its error rethrown as it was; later phases do not run', async () => {
    const boom = new Error('registry said no');
    const failing = [
      phases[0]!,
      phase<Ctx, Report>('push', () => {
        throw boom;
      }),
      phases[2]!,
    ];
    const ctx = { signal: new AbortController().signal, clock: new ManualClock(), wait: true };
    const report = fresh();
    await expect(runPhases(failing, ctx, report)).rejects.toBe(boom);
    expect(report.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'resolve:done',
      'push:failed',
    ]);
    expect(report.seen).toEqual(['resolve']);
  });

  it('a cancelled job stops before the next phase, naming it', async () => {
    const controller = new AbortController();
    const cancelling = [phase<Ctx, Report>('build', () => controller.abort('SIGTERM')), phases[2]!];
    const ctx = { signal: controller.signal, clock: new ManualClock(), wait: true };
    const report = fresh();
    const run = runPhases(cancelling, ctx, report);
    await expect(run).rejects.toThrow(CancelledError);
    await expect(run).rejects.toThrow('cancelled (SIGTERM) during report');
    expect(report.seen).toEqual([]);
  });
});

describe('Deadline', () => {
  it('counts down on the injected clock and never extends by within()', () => {
    const clock = new ManualClock(1000);
    const d = Deadline.after(500, clock);
    expect(d.left()).toBe(500);
    expect(d.within(100).at).toBe(1100);
    expect(d.within(10_000).at).toBe(1500);
    clock.advance(600);
    expect(d.left()).toBe(0);
    expect(d.passed()).toBe(true);
  });
});

describe('defineAction: the shape around the phases', () => {
  it('outputs and summary come from the report also after a failed phase; dispose runs; one group', async () => {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { defineAction } = await import('../../shared/define-action.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'define-'));
    const saved = { ...process.env };
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.env.GITHUB_OUTPUT = path.join(dir, 'output');
    process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'summary');
    writeFileSync(process.env.GITHUB_OUTPUT, '');
    const disposed: string[] = [];
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as never;
    try {
      interface DemoCtx {
        inputs: { image: string };
        signal: AbortSignal;
        clock: ManualClock;
      }
      interface DemoReport extends PhaseReport {
        pushed: boolean;
      }
      const run = defineAction<{ image: string }, DemoCtx, DemoReport>({
        name: 'demo-action',
        inputs: () => ({ image: 'app:v1' }),
        load: async () => ({
          context: (inputs: { image: string }, signal: AbortSignal) => ({
            inputs,
            signal,
            clock: new ManualClock(),
          }),
          report: (): DemoReport => ({ phases: [], pushed: false }),
          phases: [
            phase<DemoCtx, DemoReport>('push', (_ctx, r) => {
              r.pushed = true;
            }),
            phase<DemoCtx, DemoReport>('confirm', () => {
              throw new Error('registry answered 500');
            }),
          ],
          outputs: (r) => ({ pushed: String(r.pushed), digest: undefined }),
          summary: (r, error) =>
            `${r.phases.map((p) => `${p.name}:${p.outcome}`).join(',')} ${String(error)}`,
          group: (ctx) => `Build ${ctx.inputs.image}`,
          dispose: () => {
            disposed.push('clone');
          },
        }),
      });
      await run();
      expect(process.exitCode).toBe(1);
      expect(readFileSync(path.join(dir, 'output'), 'utf8')).toMatch(
        /^pushed<<ghadelimiter_[^\n]+\ntrue\n/,
      );
      expect(readFileSync(path.join(dir, 'output'), 'utf8')).not.toContain('digest');
      expect(readFileSync(path.join(dir, 'summary'), 'utf8')).toContain(
        'push:done,confirm:failed Error: registry answered 500',
      );
      expect(disposed).toEqual(['clone']);
      const log = written.join('');
      expect(log).toContain('::group::Build app:v1');
      expect(log.indexOf('::endgroup::')).toBeGreaterThan(log.indexOf('::group::'));
      expect(log).toContain('::error::demo-action: registry answered 500');
    } finally {
      process.stdout.write = write;
      process.exitCode = 0;
      if (saved.GITHUB_OUTPUT === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = saved.GITHUB_OUTPUT;
      if (saved.GITHUB_STEP_SUMMARY === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved.GITHUB_STEP_SUMMARY;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
