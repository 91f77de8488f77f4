import { describe, expect, it } from '@jest/globals';
import { systemClock } from '../../shared/clock.ts';
import { Changes, pause, waitFor } from '../../shared/wait.ts';
import { ManualClock } from '../harness/doubles.ts';

describe('waitFor', () => {
  it('returns the first defined result, growing the interval up to the cap', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const result = await waitFor(() => (++calls === 5 ? 'done' : undefined), {
      clock,
      deadline: 60_000,
      intervalMs: 100,
      maxIntervalMs: 250,
      factor: 2,
    });
    expect(result).toEqual({ done: true, value: 'done' });
    expect(clock.sleeps).toEqual([100, 200, 250, 250]);
  });

  it('times out at the deadline, never sleeping past it', async () => {
    const clock = new ManualClock();
    const result = await waitFor(() => undefined, { clock, deadline: 1000, intervalMs: 300 });
    expect(result).toEqual({ done: false, reason: 'timeout' });
    expect(clock.sleeps).toEqual([300, 300, 300, 100]);
    expect(clock.now()).toBe(1000);
  });

  it('re-checks when a grace ends (recheckAt), even with no change and no interval', async () => {
    const clock = new ManualClock();
    const result = await waitFor(() => (clock.now() >= 700 ? 'grace over' : undefined), {
      clock,
      deadline: 10_000,
      recheckAt: () => 700,
    });
    expect(result).toEqual({ done: true, value: 'grace over' });
    expect(clock.sleeps).toEqual([700]);
  });

  it('stops at once when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = await waitFor(
      () => {
        calls++;
        controller.abort();
        return undefined;
      },
      { clock: systemClock, deadline: Date.now() + 60_000, signal: controller.signal },
    );
    expect(result).toEqual({ done: false, reason: 'aborted' });
    expect(calls).toBe(1);
  });

  it('wakes on a change instead of waiting for the deadline', async () => {
    const changes = new Changes();
    let ready = false;
    const started = Date.now();
    const waiting = waitFor(() => (ready ? 'changed' : undefined), {
      clock: systemClock,
      deadline: Date.now() + 60_000,
      changes,
    });
    setImmediate(() => {
      ready = true;
      changes.notify();
    });
    await expect(waiting).resolves.toEqual({ done: true, value: 'changed' });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('Changes', () => {
  it('remembers a change made while nobody waited (no lost wake-up)', async () => {
    const changes = new Changes();
    const clock = new ManualClock();
    changes.notify();
    await changes.wait(60_000, clock);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits on the injected clock when nothing changes', async () => {
    const changes = new Changes();
    const clock = new ManualClock();
    await changes.wait(250, clock);
    expect(clock.sleeps).toEqual([250]);
    expect(clock.now()).toBe(250);
  });

  it('returns when the signal aborts', async () => {
    const changes = new Changes();
    const controller = new AbortController();
    const waiting = changes.wait(60_000, systemClock, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});

describe('pause', () => {
  it('is false when aborted, true when the time passed', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await pause(60_000, systemClock, controller.signal)).toBe(false);
    expect(await pause(10, new ManualClock())).toBe(true);
  });
});

describe('Clock.timeout', () => {
  it('a ManualClock timeout aborts when its time is reached by advance or sleep, not before', async () => {
    const clock = new ManualClock(1000);
    const a = clock.timeout(500);
    const b = clock.timeout(2000);
    clock.advance(499);
    expect(a.aborted).toBe(false);
    clock.advance(1);
    expect(a.aborted).toBe(true);
    expect((a.reason as DOMException).name).toBe('TimeoutError');
    await clock.sleep(1500);
    expect(b.aborted).toBe(true);
    expect(clock.timeout(0).aborted).toBe(true);
  });
  it('the system clock timeout is a real timer (clamped, never firing at once for huge values)', async () => {
    const huge = systemClock.timeout(Number.MAX_SAFE_INTEGER);
    const short = systemClock.timeout(5);
    await new Promise<void>((resolve) => short.addEventListener('abort', () => resolve()));
    expect(short.aborted).toBe(true);
    expect(huge.aborted).toBe(false);
  });
});
