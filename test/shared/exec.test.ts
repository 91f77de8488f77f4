import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { CommandError, createProcessRunner, processRunner, which } from '../../shared/exec.ts';
import { ManualClock } from '../harness/doubles.ts';

describe('processRunner', () => {
  it('passes argv without a shell and feeds stdin', async () => {
    const r = await processRunner.run(
      'sh',
      ['-c', 'cat; printf "%s" "$0"', '$(echo not expanded)'],
      { input: 'in:' },
    );
    expect(r).toEqual({ exitCode: 0, stdout: 'in:$(echo not expanded)', stderr: '' });
  });

  it('throws a CommandError with the tail of stderr on a non-zero exit', async () => {
    const error = (await processRunner
      .run('sh', ['-c', 'echo bad >&2; exit 3'])
      .catch((e: unknown) => e)) as CommandError;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.result.exitCode).toBe(3);
    expect(error.message).toBe('sh -c echo bad >&2; exit 3 exited with 3: bad');
  });

  it('returns the result instead with check: false', async () => {
    expect((await processRunner.run('sh', ['-c', 'exit 4'], { check: false })).exitCode).toBe(4);
  });

  it('kills a program that outlives its timeout', async () => {
    await expect(processRunner.run('sleep', ['30'], { timeoutMs: 100 })).rejects.toThrow(
      'sleep did not finish within 100 ms',
    );
  });

  it('times out on the injected clock, not on real time', async () => {
    const clock = new ManualClock();
    const pending = createProcessRunner(clock).run('sh', ['-c', 'echo started; exec sleep 30'], {
      timeoutMs: 600_000,
      onOutput: () => clock.advance(600_000),
    });
    await expect(pending).rejects.toThrow('sh did not finish within 600000 ms');
  });

  it('the stop grace after cancelling runs on the injected clock', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    // Ignores SIGTERM: only the SIGKILL after the grace stops it.
    const pending = createProcessRunner(clock).run(
      'sh',
      ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'],
      {
        signal: controller.signal,
        onOutput: () => {
          controller.abort('cancelled');
          clock.advance(5000);
        },
      },
    );
    await expect(pending).rejects.toThrow('sh stopped: cancelled');
  });

  it('does not fail when a program exits without reading its input', async () => {
    const r = await processRunner.run('true', [], { input: 'x'.repeat(1 << 20) });
    expect(r.exitCode).toBe(0);
  });

  it('an aborted signal kills the program and what it started (a cancelled build stops its builder)', async () => {
    const controller = new AbortController();
    let output = '';
    // A program that starts a helper (as git starts git-remote-http), prints its pid, waits.
    const pending = processRunner.run('sh', ['-c', 'sleep 300 & echo "$!"; wait'], {
      signal: controller.signal,
      onOutput: (chunk) => {
        output += chunk;
        if (output.includes('\n')) controller.abort('SIGTERM from the runner');
      },
    });
    await expect(pending).rejects.toThrow('sh stopped: SIGTERM from the runner');
    const helper = Number(output.trim());
    expect(helper).toBeGreaterThan(0);
    // The helper got the signal too: it is gone, or a zombie waiting for init to reap it.
    let state = 'gone';
    try {
      state = readFileSync(`/proc/${helper}/stat`, 'utf8').split(') ')[1]?.[0] ?? '?';
    } catch {
      // no such process
    }
    expect(['gone', 'Z']).toContain(state);
  });

  it('streams output as it arrives', async () => {
    const chunks: string[] = [];
    const r = await processRunner.run('sh', ['-c', 'echo one; echo two >&2'], {
      onOutput: (c) => chunks.push(c),
    });
    expect(r.stdout).toBe('one\n');
    expect(chunks.join('')).toContain('one');
    expect(chunks.join('')).toContain('two');
  });
});

describe('which', () => {
  it('finds an executable on PATH, or nothing', () => {
    expect(which('sh', { PATH: '/nonexistent:/bin:/usr/bin' })).toMatch(/\/sh$/);
    expect(which('no-such-program-here', { PATH: '/bin:/usr/bin' })).toBeUndefined();
    expect(which('sh', { PATH: '' })).toBeUndefined();
  });
});
