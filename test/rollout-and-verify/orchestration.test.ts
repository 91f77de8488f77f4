/**
 * The orchestration of rollout-and-verify's phases (load → snapshot → apply → follow → verify →
 * promote → roll back → finish), with fake operations and fake kind handlers: which phase runs
 * after which outcome, which kind family each object goes to, what the result says, what the
 * post step would find. The operations themselves are tested end to end against the API
 * simulator.
 */
import { describe, expect, it } from '@jest/globals';
import { CancelledError } from '../../shared/errors.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import type { KubeClient, KubeObject } from '../../shared/kube/index.ts';
import { runPhases } from '../../shared/phases.ts';
import { getInputs, type RolloutInputs } from '../../actions/rollout-and-verify/inputs.ts';
import { PartialApplyError } from '../../actions/rollout-and-verify/apply.ts';
import { rolloutContext } from '../../actions/rollout-and-verify/context.ts';
import {
  createHandlers,
  KindHandlers,
  passiveHandler,
  workloadHandler,
} from '../../actions/rollout-and-verify/handlers.ts';
import type { Manifest } from '../../actions/rollout-and-verify/manifests.ts';
import { rolloutOps } from '../../actions/rollout-and-verify/ops.ts';
import {
  newReport,
  rolloutPhases,
  type RolloutOps,
} from '../../actions/rollout-and-verify/pipeline.ts';
import type { Progress } from '../../actions/rollout-and-verify/record.ts';
import { progressState } from '../../actions/rollout-and-verify/state.ts';
import type {
  KindHandler,
  RolloutResult,
  Tracked,
} from '../../actions/rollout-and-verify/types.ts';
import { ManualClock, MemoryState, RecordingLogger } from '../harness/doubles.ts';
import { appliedTracked } from './helpers.ts';

function manifest(kind: string, name: string): Manifest {
  const apiVersion = kind === 'InferenceService' ? 'serving.kserve.io/v1beta1' : 'apps/v1';
  const object: KubeObject = { apiVersion, kind, metadata: { name, namespace: 'ml' } };
  return {
    object,
    apiVersion,
    kind,
    name,
    namespace: 'ml',
    plural: `${kind.toLowerCase()}s`,
    file: 'm.yaml',
    line: 1,
  };
}

const deployed: KubeObject = {
  metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '4' } },
  status: {},
};

type FollowScript = (list: Tracked[], call: number) => void;

interface Fakes {
  ops: RolloutOps;
  handlers: KindHandlers;
  calls: string[];
  /** The deadline (ms) each handler's rollback was given. */
  rollbackDeadlines: number[];
}

/**
 * Fake operations and handlers that record the order they ran in; `follow` is scripted per
 * call. The load gives `kinds` (default: a Deployment and a Service); the apply tracks the
 * objects its `followed` predicate (the handlers') says are followed.
 */
function fakes(
  script: FollowScript,
  overrides: Partial<RolloutOps> = {},
  handlerOverrides: Partial<KindHandler> = {},
  kinds: string[] = ['Deployment', 'Service'],
): Fakes {
  const calls: string[] = [];
  const rollbackDeadlines: number[] = [];
  let followCalls = 0;
  const ops: RolloutOps = {
    load: async () => {
      calls.push('load');
      return kinds.map((k) => manifest(k, k === 'InferenceService' ? 'iris' : 'web'));
    },
    apply: async (manifests, o, ctx) => {
      calls.push('apply');
      return manifests
        .filter((m) => o.followed(m.kind))
        .map((m) => appliedTracked(m, ctx, { message: 'applied', previousRevision: 3 }));
    },
    follow: async (list) => {
      calls.push('follow');
      script(list, ++followCalls);
    },
    diagnose: async (problem) => {
      calls.push('diagnose');
      return { problem, events: ['Failed: pull'], logs: [] };
    },
    verify: async (_m, endpoint) => {
      calls.push('verify');
      return { endpoint };
    },
    ...overrides,
  };
  const fakeHandler = (family: string, kinds: string[], rank: number): KindHandler => ({
    ...workloadHandler({ apply: true }),
    family,
    kinds,
    snapshot: async () => undefined,
    verify: async () => undefined,
    promote: async () => undefined,
    rollBack: async (list, deadline, _ctx, follow) => {
      calls.push(family === 'workloads' ? 'rollBack' : `rollBack ${family}`);
      rollbackDeadlines.push(deadline.at);
      await follow(list, deadline);
      return [
        {
          undone: true,
          healthy: true,
          note: `rolled back: ${list.map((t) => `${t.manifest.kind} ${t.manifest.name}`).join(', ')} healthy on the previous revision`,
        },
      ];
    },
    diagnose: async () => undefined,
    rank: () => rank,
  });
  const workloads = {
    ...fakeHandler('workloads', ['Deployment', 'StatefulSet', 'DaemonSet'], 0),
    ...handlerOverrides,
  };
  const isvcs = fakeHandler('inference-services', ['InferenceService'], 1);
  return { ops, handlers: new KindHandlers([workloads, isvcs]), calls, rollbackDeadlines };
}

/** Fakes whose InferenceService handler is `isvc` (the workloads' as in `fakes`). */
function withIsvcHandler(f: Fakes, isvc: Partial<KindHandler>): Fakes {
  const [workloads, current] = f.handlers.all;
  return { ...f, handlers: new KindHandlers([workloads!, { ...current!, ...isvc }]) };
}

const done: FollowScript = (list) => {
  for (const t of list)
    t.outcome = { state: 'done', message: 'successfully rolled out', object: deployed };
};
const pullFailsThenRecovers: FollowScript = (list, call) => {
  for (const t of list) {
    t.outcome =
      call === 1
        ? {
            state: 'failed',
            reason: 'ImagePullBackOff',
            message: 'pod web-1: ImagePullBackOff',
            problem: { pod: 'web-1', namespace: 'ml', reason: 'ImagePullBackOff', message: '' },
          }
        : { state: 'done', message: 'successfully rolled out', object: deployed };
  }
};

function inputs(extra: Record<string, string> = {}): RolloutInputs {
  return getInputs(new Inputs(mapInputs({ manifests: 'm.yaml', ...extra })), {
    GITHUB_WORKSPACE: '/ws',
    KUBECONFIG: '/k/config',
  });
}

async function run(
  f: Pick<Fakes, 'ops' | 'handlers'>,
  i: RolloutInputs = inputs(),
  signal = new AbortController().signal,
  clock = new ManualClock(),
): Promise<{
  result: RolloutResult;
  saved: Progress[];
  state: MemoryState;
}> {
  const saved: Progress[] = [];
  const state = new MemoryState();
  const client = { namespace: 'ml' } as unknown as KubeClient;
  const ctx = await rolloutContext(i, {
    logger: new RecordingLogger(),
    clock,
    signal,
    createClient: async () => client,
    saveProgress: (p) => {
      saved.push(structuredClone(p));
      progressState.save(state, p);
    },
    ops: f.ops,
    handlers: f.handlers,
  });
  const report = await runPhases(rolloutPhases, ctx, newReport(ctx));
  if (!report.result) throw new Error('no result');
  return { result: report.result, saved, state };
}

describe('rollout-and-verify orchestration', () => {
  it('runs load → apply → follow → verify and succeeds; progress ends "finished"', async () => {
    const { calls, ...f } = fakes(done);
    const { result, saved, state } = await run(f);
    expect(calls).toEqual(['load', 'apply', 'follow', 'verify']);
    expect(result).toMatchObject({ status: 'succeeded', revision: '4', failureReason: '' });
    expect(saved.map((p) => p.phase)).toEqual(['apply', 'rollout', 'verify', 'finished']);
    expect(progressState.load(state)?.phase).toBe('finished');
  });

  it('a failed follow is diagnosed, skips verify, rolls back, and reports rolled-back', async () => {
    const { calls, ...f } = fakes(pullFailsThenRecovers);
    const { result } = await run(f);
    expect(calls).toEqual(['load', 'apply', 'follow', 'diagnose', 'rollBack', 'follow']);
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toBe(
      'ImagePullBackOff: Deployment ml/web: pod web-1: ImagePullBackOff',
    );
    expect(result.diagnosis).toContain('Failed: pull');
    expect(result.error).toContain('rolled back: Deployment web healthy');
  });

  it('rollback: false reports failed and leaves the workloads as applied', async () => {
    const { calls, ...f } = fakes(pullFailsThenRecovers);
    const { result } = await run(f, inputs({ rollback: 'false' }));
    expect(calls).not.toContain('rollBack');
    expect(result.status).toBe('failed');
  });

  it('a failed smoke test (verify) rolls back too', async () => {
    const { calls, ...f } = fakes(done, {
      verify: async () => ({
        endpoint: 'http://svc',
        failure: { reason: 'SmokeTestFailed', message: 'smoke test GET http://svc/ failed' },
      }),
    });
    const { result } = await run(f, inputs({ 'smoke-url': 'http://svc' }));
    expect(calls).toEqual(['load', 'apply', 'follow', 'rollBack', 'follow']);
    expect(result).toMatchObject({ status: 'rolled-back', endpoint: 'http://svc' });
    expect(result.failureReason).toMatch(/^SmokeTestFailed: /);
  });

  it('a rollback that does not become healthy leaves status failed', async () => {
    const f = fakes(
      pullFailsThenRecovers,
      {},
      {
        rollBack: async () => [
          { undone: true, healthy: false, note: 'rollback did not become healthy' },
        ],
      },
    );
    const { result } = await run(f);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('rollback did not become healthy');
  });

  it('a timeout names the state of every workload', async () => {
    const { calls, ...f } = fakes((list) => {
      for (const t of list)
        t.outcome = { state: 'timeout', message: '1 of 3 updated replicas are available' };
    });
    const { result } = await run(f, inputs({ timeout: '90s' }));
    expect(calls).toContain('rollBack');
    expect(result.error).toContain('timed out after 1m30s; state of every workload:');
    expect(result.error).toContain(
      '- Deployment ml/web: timeout: 1 of 3 updated replicas are available',
    );
  });

  it('cancellation during the follow phase throws CancelledError and leaves the post step the phase', async () => {
    const controller = new AbortController();
    const { calls, ...f } = fakes(() => controller.abort('SIGINT'));
    const error = await run(f, inputs(), controller.signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe('cancelled (SIGINT) during rollout');
    expect(calls).toEqual(['load', 'apply', 'follow']);
  });

  it('an apply that fails part-way skips follow and verify and rolls back what was applied', async () => {
    const { calls, ...f } = fakes(done, {
      apply: async (manifests, o, ctx) => {
        calls.push('apply');
        const applied = await fakes(done).ops.apply(manifests, o, ctx);
        throw new PartialApplyError(
          'Service ml/web could not be applied after 1 object(s) were: HTTP 500',
          applied,
          ['Deployment ml/web'],
        );
      },
    });
    const { result } = await run(f);
    expect(calls).toEqual(['load', 'apply', 'rollBack', 'follow']);
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toMatch(/^ApplyFailed: Service ml\/web could not be applied/);
  });

  it('a superseded workload ends the run as superseded: no verify, no rollback, no failure', async () => {
    const { calls, ...f } = fakes((list) => {
      for (const t of list)
        t.outcome = {
          state: 'superseded',
          by: 'another run of rollout-and-verify (run 2)',
          message: 'Deployment "web" was superseded by another run of rollout-and-verify (run 2)',
          object: deployed,
        };
    });
    const { result } = await run(f);
    expect(calls).toEqual(['load', 'apply', 'follow']);
    expect(result).toMatchObject({ status: 'superseded', failureReason: '' });
    expect(result.supersededBy).toContain('run 2');
  });

  it('gives the client the step deadline (start + timeout); a rollback gets the time again', async () => {
    const f = fakes(pullFailsThenRecovers);
    const follows: [number, number][] = [];
    let clientDeadline: (() => number) | undefined;
    const clock = new ManualClock(1_000);
    const ctx = await rolloutContext(inputs({ timeout: '90s' }), {
      logger: new RecordingLogger(),
      clock,
      signal: new AbortController().signal,
      createClient: async (deadline) => {
        clientDeadline = deadline;
        return { namespace: 'ml' } as unknown as KubeClient;
      },
      saveProgress: () => undefined,
      ops: {
        ...f.ops,
        follow: async (list, deadline, c) => {
          follows.push([deadline.at, clientDeadline?.() ?? 0]);
          clock.advance(5_000);
          await f.ops.follow(list, deadline, c);
        },
      },
      handlers: f.handlers,
    });
    expect(ctx.deadlines.step.at).toBe(91_000);
    await runPhases(rolloutPhases, ctx, newReport(ctx));
    // The follow and the client keep to start + timeout; the rollback (started at 6 s) gets
    // 90 s from its start, and the client keeps to that while it follows.
    expect(f.rollbackDeadlines).toEqual([96_000]);
    expect(follows).toEqual([
      [91_000, 91_000],
      [96_000, 96_000],
    ]);
  });

  it('a request aborted by the cancellation is reported as the cancellation', async () => {
    const controller = new AbortController();
    const f = fakes(() => {
      controller.abort('SIGTERM');
      throw new DOMException('The operation was aborted', 'AbortError');
    });
    const error = await run(f, inputs(), controller.signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe('cancelled (SIGTERM) during rollout');
  });

  it('the default operations and handlers are the real ones', () => {
    expect(Object.keys(rolloutOps).sort()).toEqual(
      ['apply', 'diagnose', 'follow', 'load', 'verify'].sort(),
    );
    expect(rolloutPhases.map((p) => p.name)).toEqual([
      'load',
      'snapshot',
      'apply',
      'follow',
      'diagnose pods',
      'verify kinds',
      'verify endpoint',
      'promote',
      'diagnose kinds',
      'roll back',
      'finish',
    ]);
  });
});

describe('progress state', () => {
  it('round-trips through the state store and rejects a malformed value', () => {
    const state = new MemoryState();
    const p: Progress = { phase: 'rollout', startedAt: 1, workloads: [] };
    progressState.save(state, p);
    expect(progressState.load(state)).toEqual(p);
    state.save('progress', JSON.stringify({ phase: 3 }));
    expect(progressState.load(state)).toBeUndefined();
    state.save('progress', 'not json');
    expect(progressState.load(state)).toBeUndefined();
  });
});

describe('rollout-and-verify kind families through the phases', () => {
  const failedIsvc = (list: Tracked[]): void => {
    for (const t of list)
      t.outcome =
        t.manifest.kind === 'InferenceService'
          ? { state: 'failed', reason: 'InferenceServiceNotReady', message: 'BlockedByFailedLoad' }
          : { state: 'done', message: 'successfully rolled out', object: deployed };
  };

  it('each kind goes to its family once: workloads, InferenceServices, passive objects', async () => {
    const handlers = createHandlers(inputs());
    const families = ['Deployment', 'StatefulSet', 'DaemonSet', 'InferenceService', 'Service'].map(
      (k) => handlers.handlerFor(k).family,
    );
    expect(families).toEqual([
      'workloads',
      'workloads',
      'workloads',
      'inference-services',
      'passive',
    ]);
    expect(handlers.handlerFor('ConfigMap')).toBe(passiveHandler);
    // Only followed families are tracked by the apply; the follow goes to each one's handler.
    const followedBy: string[] = [];
    const f = fakes(done, {}, {}, ['Deployment', 'Service', 'InferenceService']);
    const routed = new KindHandlers(
      f.handlers.all.map((h) => ({
        ...h,
        follow: async (w) => {
          followedBy.push(`${h.family}: ${w.kind}`);
          return { state: 'done', message: 'ready', object: deployed };
        },
      })),
    );
    const { result } = await run({
      ops: { ...f.ops, follow: rolloutOps.follow },
      handlers: routed,
    });
    expect(followedBy.sort()).toEqual([
      'inference-services: InferenceService',
      'workloads: Deployment',
    ]);
    expect(result.status).toBe('succeeded');
    expect(result.resources.map((r) => r.kind)).toEqual(['Deployment', 'InferenceService']);
  });

  it('a canary that does not hold its share fails before the smoke test; its handler diagnoses it and rolls it back', async () => {
    const f = fakes(done, {}, {}, ['InferenceService']);
    const g = withIsvcHandler(f, {
      verify: async () => ({
        reason: 'CanaryNotHeld',
        message: 'canary iris-2 does not hold 10 %',
      }),
      diagnose: async (list) => {
        f.calls.push(`diagnose ${list.map((t) => t.manifest.name).join()}`);
        return 'InferenceService ml/iris:\n  modelStatus.transitionStatus: BlockedByFailedLoad';
      },
      rollBack: async (list, deadline, _ctx, follow) => {
        f.calls.push('rollBack inference-services');
        await follow(list, deadline);
        return [
          {
            undone: true,
            healthy: true,
            note: 'rollback: canary set back to 0 %',
            revision: 'iris-1',
          },
        ];
      },
    });
    const { result } = await run(g);
    expect(f.calls).toEqual([
      'load',
      'apply',
      'follow',
      'diagnose iris',
      'rollBack inference-services',
      'follow',
    ]);
    expect(result).toMatchObject({ status: 'rolled-back', revision: 'iris-1' });
    expect(result.failureReason).toBe('CanaryNotHeld: canary iris-2 does not hold 10 %');
    expect(result.diagnosis).toContain('BlockedByFailedLoad');
    expect(result.error).toContain('rollback: canary set back to 0 %');
  });

  it('a canary is promoted only after the smoke test; a failed promotion rolls back', async () => {
    const f = fakes(done, {}, {}, ['InferenceService']);
    const g = withIsvcHandler(f, {
      promote: async () => {
        f.calls.push('promote');
        return {
          reason: 'CanaryPromotionFailed',
          message: 'the promoted revision did not take 100 %',
        };
      },
      rollBack: async () => {
        f.calls.push('rollBack inference-services');
        return [{ undone: true, healthy: false, note: 'rollback: restore did not become ready' }];
      },
    });
    const { result } = await run(g);
    expect(f.calls).toEqual([
      'load',
      'apply',
      'follow',
      'verify',
      'promote',
      'rollBack inference-services',
    ]);
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(/^CanaryPromotionFailed: /);
  });

  it('workloads and InferenceServices fail fast together; each family rolls back its own, with the time again', async () => {
    const clock = new ManualClock(0);
    const f = fakes(failedIsvc, {}, {}, ['Deployment', 'InferenceService']);
    const rollbacks: string[] = [];
    const both = new KindHandlers(
      f.handlers.all.map((h) => ({
        ...h,
        // The Deployment would wait forever: the InferenceService's failure stops it.
        follow: async (w, o) => {
          if (w.kind === 'InferenceService') {
            return {
              state: 'failed',
              reason: 'InferenceServiceNotReady',
              message: 'BlockedByFailedLoad',
            };
          }
          await new Promise<void>((resolve) => o.signal.addEventListener('abort', () => resolve()));
          return { state: 'cancelled', message: '' };
        },
        rollBack: async (list, deadline) => {
          rollbacks.push(
            `${h.family} ${list.map((t) => t.manifest.kind).join()} until ${deadline.at}`,
          );
          clock.advance(1_000);
          return [{ undone: true, healthy: true, note: `rollback: ${h.family}` }];
        },
      })),
    );
    const { result } = await run(
      { ops: { ...f.ops, follow: rolloutOps.follow }, handlers: both },
      inputs({ timeout: '60s' }),
      new AbortController().signal,
      clock,
    );
    expect(rollbacks).toEqual([
      'workloads Deployment until 60000',
      'inference-services InferenceService until 61000',
    ]);
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toBe(
      'InferenceServiceNotReady: InferenceService ml/iris: BlockedByFailedLoad',
    );
    expect(result.error).toContain('rollback: workloads\nrollback: inference-services');
  });

  it('with only passive objects, a failed smoke test rolls nothing back and says so', async () => {
    const f = fakes(
      done,
      {
        verify: async () => ({
          endpoint: 'http://svc',
          failure: { reason: 'SmokeTestFailed', message: 'smoke test GET http://svc/ failed' },
        }),
      },
      {},
      ['Service'],
    );
    const { result } = await run(f, inputs({ 'smoke-url': 'http://svc' }));
    expect(f.calls).toEqual(['load', 'apply', 'follow']);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('rollback: nothing rolled back');
    expect(result.revision).toBe('');
  });
});
