/** The replica timeline: changes only, at the time first seen, and its one-line text. */
import { describe, expect, it } from '@jest/globals';
import { HpaWatch, parseHpa } from '../../actions/analyze-release/hpa.ts';
import type { KubeRequest } from '../../shared/kube/types.ts';

function fakes(readings: [number, number][]) {
  let now = 0;
  const clock = {
    now: () => now,
    sleep: () => Promise.resolve(),
    timeout: () => new AbortController().signal,
    monotonic: () => now,
    yield: () => Promise.resolve(),
  };
  const paths: string[] = [];
  const client = {
    json<T>(req: KubeRequest): Promise<T> {
      paths.push(req.path);
      const [current, desired] = readings.shift() ?? [0, 0];
      return Promise.resolve({
        status: { currentReplicas: current, desiredReplicas: desired },
      } as T);
    },
  };
  return { clock, client, paths, tick: (ms: number) => (now += ms) };
}

describe('HpaWatch', () => {
  it('scaled 2 → 5: the first reading, then each change at the time it was first seen', async () => {
    const f = fakes([
      [2, 2],
      [2, 2],
      [2, 5],
      [5, 5],
      [5, 5],
    ]);
    const watch = new HpaWatch(f.client, 'models', 'iris', f.clock);
    await watch.read();
    watch.started();
    for (const ms of [2000, 2000, 2000, 2000]) {
      f.tick(ms);
      await watch.read();
    }
    expect(f.paths[0]).toBe('/apis/autoscaling/v2/namespaces/models/horizontalpodautoscalers/iris');
    expect(watch.timeline()).toEqual({
      name: 'models/iris',
      points: [
        { atS: 0, current: 2, desired: 2 },
        { atS: 4, current: 2, desired: 5 },
        { atS: 6, current: 5, desired: 5 },
      ],
      from: 2,
      max: 5,
      secondsToMax: 6,
      text: 'scaled 2 → 5 in 6 s',
    });
  });

  it('no change: "stayed at 3 replicas"; odd server values read as 0', async () => {
    const f = fakes([
      [3, 3],
      [3, 3],
    ]);
    const watch = new HpaWatch(f.client, 'default', 'web', f.clock);
    await watch.read();
    await watch.read();
    expect(watch.timeline().text).toBe('stayed at 3 replicas');
    const odd = fakes([[-1, 1.5]]);
    const w2 = new HpaWatch(odd.client, 'default', 'web', odd.clock);
    await w2.read();
    expect(w2.points).toEqual([{ atS: 0, current: 0, desired: 0 }]);
  });

  it('parseHpa: [namespace/]name', () => {
    expect(parseHpa('hpa', 'iris')).toEqual({ namespace: undefined, name: 'iris' });
    expect(parseHpa('hpa', 'ml/iris')).toEqual({ namespace: 'ml', name: 'iris' });
    expect(() => parseHpa('hpa', 'a/b/c')).toThrow(/Input 'hpa'/);
  });
});
