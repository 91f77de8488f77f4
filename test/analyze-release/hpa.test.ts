/**
 * The replica timeline: changes only, at the time they were first seen, and its one-line
 * text; under the load the HPA is watched (watchLoop), so a change is recorded when the API
 * server sends it — not at the next poll.
 */
import { describe, expect, it } from '@jest/globals';
import { HpaWatch, parseHpa } from '../../actions/analyze-release/hpa.ts';
import type {
  KubeObject,
  KubeRequest,
  QueryParams,
  WatchEnd,
  WatchEvent,
} from '../../shared/kube/types.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

function hpa(current: number, desired: number, rv: string): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'iris', namespace: 'models', resourceVersion: rv },
    status: { currentReplicas: current, desiredReplicas: desired },
  } as KubeObject;
}

/** A fake API server: GETs answer `readings` in turn; watches get what `emit` sends. */
function fakes(readings: [number, number][]) {
  const clock = new ManualClock(0);
  const paths: string[] = [];
  const watches: { path: string; query: QueryParams }[] = [];
  let listener: ((e: WatchEvent) => void) | undefined;
  let end: ((e: WatchEnd) => void) | undefined;
  let opened: () => void = () => undefined;
  const watchOpened = new Promise<void>((resolve) => (opened = resolve));
  let rv = 100;
  const client = {
    json<T>(req: KubeRequest): Promise<T> {
      paths.push(req.path);
      const [current, desired] = readings.shift() ?? [0, 0];
      return Promise.resolve(hpa(current, desired, String(rv++)) as T);
    },
    watch(
      path: string,
      query: QueryParams,
      onEvent: (e: WatchEvent) => void,
      signal: AbortSignal,
    ): Promise<WatchEnd> {
      watches.push({ path, query });
      listener = onEvent;
      opened();
      return new Promise((resolve) => {
        end = resolve;
        signal.addEventListener('abort', () => resolve({ reason: 'aborted' }));
      });
    },
  };
  const emit = (current: number, desired: number): void =>
    listener?.({ type: 'MODIFIED', object: hpa(current, desired, String(rv++)) });
  const fail = (error: Error): void => end?.({ reason: 'error', error, transient: false });
  return { clock, client, paths, watches, watchOpened, emit, fail };
}

describe('HpaWatch', () => {
  it('scaled 2 → 5: each change recorded when the watch delivers it, from the first reading on', async () => {
    const f = fakes([
      [2, 2],
      [5, 5],
    ]);
    const watch = new HpaWatch(f.client, 'models', 'iris', f.clock, new RecordingLogger());
    await watch.read();
    watch.started();
    const stop = new AbortController();
    const errors: unknown[] = [];
    const watching = watch.watch(stop.signal, new AbortController().signal, (e) => errors.push(e));
    await f.watchOpened;
    // The watch starts after the reading (its resourceVersion) and names the one HPA.
    expect(f.watches).toEqual([
      {
        path: '/apis/autoscaling/v2/namespaces/models/horizontalpodautoscalers',
        query: { fieldSelector: 'metadata.name=iris', resourceVersion: '100' },
      },
    ]);
    f.clock.advance(1300);
    f.emit(2, 5);
    f.clock.advance(200);
    f.emit(2, 5); // no change: not a new point
    f.clock.advance(2100);
    f.emit(5, 5);
    stop.abort();
    await watching;
    await watch.read();
    expect(errors).toEqual([]);
    expect(f.paths).toEqual([
      '/apis/autoscaling/v2/namespaces/models/horizontalpodautoscalers/iris',
      '/apis/autoscaling/v2/namespaces/models/horizontalpodautoscalers/iris',
    ]);
    expect(watch.timeline()).toEqual({
      name: 'models/iris',
      points: [
        { atS: 0, current: 2, desired: 2 },
        { atS: 1.3, current: 2, desired: 5 },
        { atS: 3.6, current: 5, desired: 5 },
      ],
      from: 2,
      max: 5,
      secondsToMax: 3.6,
      text: 'scaled 2 → 5 in 3.6 s',
    });
  });

  it('an error that ends the watch goes to onError; the timeline keeps what was seen', async () => {
    const f = fakes([[2, 2]]);
    const watch = new HpaWatch(f.client, 'models', 'iris', f.clock, new RecordingLogger());
    await watch.read();
    watch.started();
    const errors: unknown[] = [];
    const watching = watch.watch(new AbortController().signal, new AbortController().signal, (e) =>
      errors.push(e),
    );
    await f.watchOpened;
    f.clock.advance(500);
    f.emit(3, 3);
    f.fail(new Error('horizontalpodautoscalers is forbidden'));
    await watching;
    expect(errors).toEqual([new Error('horizontalpodautoscalers is forbidden')]);
    expect(watch.timeline().text).toBe('scaled 2 → 3 in 0.5 s');
  });

  it('no change: "stayed at 3 replicas"; odd server values read as 0', async () => {
    const f = fakes([
      [3, 3],
      [3, 3],
    ]);
    const watch = new HpaWatch(f.client, 'default', 'web', f.clock, new RecordingLogger());
    await watch.read();
    await watch.read();
    expect(watch.timeline().text).toBe('stayed at 3 replicas');
    const odd = fakes([[-1, 1.5]]);
    const w2 = new HpaWatch(odd.client, 'default', 'web', odd.clock, new RecordingLogger());
    await w2.read();
    expect(w2.points).toEqual([{ atS: 0, current: 0, desired: 0 }]);
  });

  it('parseHpa: [namespace/]name', () => {
    expect(parseHpa('hpa', 'iris')).toEqual({ namespace: undefined, name: 'iris' });
    expect(parseHpa('hpa', 'ml/iris')).toEqual({ namespace: 'ml', name: 'iris' });
    expect(() => parseHpa('hpa', 'a/b/c')).toThrow(/Input 'hpa'/);
    expect(parseHpa('hpa', 'ml/iris.v2')).toEqual({ namespace: 'ml', name: 'iris.v2' });
    // The name goes into the API path and a field selector: a DNS-1123 subdomain, no `..`.
    for (const bad of ['ml/..', '.', 'ml/-iris', 'iris.', 'a..b']) {
      expect(() => parseHpa('hpa', bad)).toThrow(/Input 'hpa'/);
    }
  });
});
