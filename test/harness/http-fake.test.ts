/**
 * The contract fakes' "hold requests until N have arrived" barrier (http-fake.ts
 * `holdRequests`): released together at N in arrival order; at its deadline the held
 * requests fail with an error naming how many came, recorded by the fake and rejected by
 * `met`; no timer outlives it. Also through the MLflow and GitHub fakes, and the MLflow
 * fake's fault for the Nth request only.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { holdRequests, startFake, json } from './fakes/http-fake.ts';
import { startMlflowFake } from './fakes/mlflow.ts';
import { startGitHubApi, OWNER, REPO } from './fakes/github-api.ts';

/**
 * The timers set from now on that are still pending (neither fired nor cleared): the
 * barrier's own timer must not outlive it.
 */
function trackTimers(): () => number {
  const pending = new Set<unknown>();
  const set = globalThis.setTimeout;
  const clear = globalThis.clearTimeout;
  jest.spyOn(globalThis, 'setTimeout').mockImplementation(((
    fn: () => void,
    ms?: number,
  ): NodeJS.Timeout => {
    const handle = set(() => {
      pending.delete(handle);
      fn();
    }, ms);
    pending.add(handle);
    return handle;
  }) as typeof setTimeout);
  jest.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
    pending.delete(handle);
    clear(handle);
  });
  return () => pending.size;
}
afterEach(() => {
  jest.restoreAllMocks();
});

/** Whether `p` has settled once pending callbacks have run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('holdRequests', () => {
  it('holds until the Nth arrives, then releases all in arrival order; its timer is gone', async () => {
    const timers = trackTimers();
    const barrier = holdRequests('test', 3, 60_000);
    expect(timers()).toBe(1);
    const order: number[] = [];
    const first = barrier.arrive().then(() => order.push(1));
    const second = barrier.arrive().then(() => order.push(2));
    expect(await settled(first)).toBe(false);
    expect(await settled(barrier.met)).toBe(false);
    const third = barrier.arrive().then(() => order.push(3));
    await Promise.all([first, second, third, barrier.met]);
    expect(order).toEqual([1, 2, 3]);
    expect(timers()).toBe(0);
    // Spent: a later request goes straight on.
    await expect(barrier.arrive()).resolves.toBeUndefined();
  });

  it('at the deadline the held requests fail, saying how many came; met rejects; no timer left', async () => {
    const timers = trackTimers();
    const barrier = holdRequests('held writes', 2, 50);
    const held = barrier.arrive();
    const message = 'held writes: 1 of 2 requests arrived within 50 ms; held ones failed';
    await expect(held).rejects.toThrow(message);
    await expect(barrier.met).rejects.toThrow(message);
    // A request after the deadline fails too: the race the test wanted did not happen.
    await expect(barrier.arrive()).rejects.toThrow(message);
    expect(timers()).toBe(0);
  });

  it('cancel (the fake stops) fails the held requests and clears the timer', async () => {
    const timers = trackTimers();
    const barrier = holdRequests('held', 2, 60_000);
    const held = barrier.arrive();
    barrier.cancel();
    await expect(held).rejects.toThrow('held: cancelled with 1 of 2 requests held');
    await expect(barrier.met).rejects.toThrow('cancelled');
    expect(timers()).toBe(0);
  });

  it('an ignored failing barrier is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): number => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      holdRequests('ignored', 2, 1).cancel();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('in a fake: released requests are answered; a missed one is a 500 the fake records', async () => {
    const barrier = holdRequests('race', 2, 200);
    const fake = await startFake('test', async () => {
      await barrier.arrive();
      return json(200, { ok: true });
    });
    try {
      const [a, b] = await Promise.all([fetch(`${fake.url}/a`), fetch(`${fake.url}/b`)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await a.text();
      await b.text();
      const late = holdRequests('race', 2, 50);
      const lone = await startFake('lone', async () => {
        await late.arrive();
        return json(200, {});
      });
      try {
        const r = await fetch(`${lone.url}/c`);
        expect(r.status).toBe(500);
        expect(await r.text()).toContain('race: 1 of 2 requests arrived within 50 ms');
        expect(lone.errors).toEqual([
          'GET /c: race: 1 of 2 requests arrived within 50 ms; held ones failed',
        ]);
      } finally {
        await lone.stop();
      }
    } finally {
      await fake.stop();
    }
  });
});

describe('the fakes that hold racing writers', () => {
  it('MLflow: one alias write of two fails at the deadline, recorded, the alias unchanged', async () => {
    const fake = await startMlflowFake();
    try {
      fake.addModel('iris', [{ version: '1', source: 's3://m/1' }], {});
      const met = fake.holdAliasWrites(2, 100);
      const r = await fetch(`${fake.url}/api/2.0/mlflow/registered-models/alias`, {
        method: 'POST',
        body: JSON.stringify({ name: 'iris', alias: 'champion', version: '1' }),
      });
      expect(r.status).toBe(500);
      await r.text();
      const message = 'MLflow fake: held alias writes: 1 of 2 requests arrived within 100 ms';
      await expect(met).rejects.toThrow(message);
      expect(fake.errors).toEqual([
        `POST /api/2.0/mlflow/registered-models/alias: ${message}; held ones failed`,
      ]);
      expect(fake.models.get('iris')?.aliases.get('champion')).toBeUndefined();
    } finally {
      await fake.stop();
    }
  });

  it('MLflow: two alias writes meet and are applied in arrival order', async () => {
    const fake = await startMlflowFake();
    try {
      fake.addModel('iris', [
        { version: '1', source: 's3://m/1' },
        { version: '2', source: 's3://m/2' },
      ]);
      const met = fake.holdAliasWrites(2);
      const write = (version: string): Promise<Response> =>
        fetch(`${fake.url}/api/2.0/mlflow/registered-models/alias`, {
          method: 'POST',
          body: JSON.stringify({ name: 'iris', alias: 'champion', version }),
        });
      const first = write('1');
      // The second is sent once the first is held, so the arrival order is known.
      await waitFor(() => fake.requests.length === 1);
      expect(await settled(met)).toBe(false);
      const second = write('2');
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      await met;
      expect(fake.models.get('iris')?.aliases.get('champion')).toBe('2');
      expect(fake.errors).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('GitHub: a lone listing fails at the deadline; stop clears a pending barrier', async () => {
    const fake = await startGitHubApi();
    const timers = trackTimers();
    let stopped = false;
    try {
      const met = fake.holdListings(2, 100);
      const r = await fetch(`${fake.apiUrl}/repos/${OWNER}/${REPO}/issues/7/comments`, {
        headers: { authorization: `Bearer ${fake.token}`, connection: 'close' },
      });
      expect(r.status).toBe(500);
      await r.text();
      await expect(met).rejects.toThrow('GitHub fake: held listings: 1 of 2 requests arrived');
      expect(fake.errors).toHaveLength(1);
      const pending = fake.holdListings(2, 60_000);
      expect(timers()).toBeGreaterThan(0);
      await fake.stop();
      stopped = true;
      await expect(pending).rejects.toThrow('cancelled with 0 of 2 requests held');
      expect(timers()).toBe(0);
    } finally {
      if (!stopped) await fake.stop();
    }
  });
});

describe('MLflow fake: a fault for the Nth request only (injectAt)', () => {
  it('answers only the 2nd GET of the path; the others are served as usual', async () => {
    const fake = await startMlflowFake();
    try {
      fake.addModel('iris', [{ version: '1', source: 's3://m/1' }]);
      fake.injectAt('/mlflow/registered-models/get', 2, json(503, { error_code: 'X' }));
      // A request to another path does not count.
      await (
        await fetch(`${fake.url}/api/2.0/mlflow/model-versions/get?name=iris&version=1`)
      ).text();
      const get = async (): Promise<number> => {
        const r = await fetch(`${fake.url}/api/2.0/mlflow/registered-models/get?name=iris`);
        await r.text();
        return r.status;
      };
      expect([await get(), await get(), await get()]).toEqual([200, 503, 200]);
      expect(() => fake.injectAt('/mlflow/runs/get', 0, json(500, {}))).toThrow(
        'occurrence 0 is not a positive integer',
      );
    } finally {
      await fake.stop();
    }
  });

  it('a METHOD-qualified target counts only that method; `before` changes state first', async () => {
    const fake = await startMlflowFake();
    try {
      fake.addModel('iris', [{ version: '1', source: 's3://m/1' }], { champion: '1' });
      let ran = 0;
      fake.injectAt('DELETE /mlflow/registered-models/alias', 1, { before: () => ran++ });
      const alias = `${fake.url}/api/2.0/mlflow/registered-models/alias`;
      await (await fetch(`${alias}?name=iris&alias=champion`)).text();
      expect(ran).toBe(0);
      const r = await fetch(alias, {
        method: 'DELETE',
        body: JSON.stringify({ name: 'iris', alias: 'champion' }),
      });
      expect(r.status).toBe(200);
      await r.text();
      expect(ran).toBe(1);
      expect(fake.models.get('iris')?.aliases.has('champion')).toBe(false);
    } finally {
      await fake.stop();
    }
  });
});

/** Polls a condition the fake's own request log makes true (no fixed sleep; 5 s at most). */
async function waitFor(condition: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}
