import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../shared/deadline.ts';
import { CancelledError } from '../../shared/errors.ts';
import { phase, runPhases, type PhaseReport } from '../../shared/phases.ts';
import { ManualClock } from '../../shared/clock.ts';

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

describe('setOutput (the runner file-command protocol, as @actions/core writes it)', () => {
  it('appends name<<delimiter, the value (multi-line kept), and the delimiter', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { setOutput } = await import('../../shared/commands.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'out-'));
    const saved = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = path.join(dir, 'output');
    try {
      setOutput('digest', 'sha256:abc');
      setOutput('notes', 'line 1\nline 2');
      const text = readFileSync(process.env.GITHUB_OUTPUT, 'utf8');
      const parsed = [...text.matchAll(/^(\S+)<<(ghadelimiter_[0-9a-f-]{36})\n([\s\S]*?)\n\2\n/gm)];
      expect(parsed.map((m) => [m[1], m[3]])).toEqual([
        ['digest', 'sha256:abc'],
        ['notes', 'line 1\nline 2'],
      ]);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
