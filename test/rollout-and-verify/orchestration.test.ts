/**
 * The orchestration of rollout-and-verify's phases (load → apply → follow → verify → roll back),
 * with fake phases: which phase runs after which outcome, what the result says, what the post
 * step would find. The phases themselves are tested end to end against the API simulator.
 */
import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../shared/clock.ts';
import { CancelledError } from '../../shared/errors.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import type { KubeClient, KubeObject } from '../../shared/kube/index.ts';
import { RecordingLogger } from '../../shared/logger.ts';
import { MemoryState } from '../../shared/state.ts';
import { getInputs, type RolloutInputs } from '../../actions/rollout-and-verify/inputs.ts';
import { PartialApplyError } from '../../actions/rollout-and-verify/apply.ts';
import type { Manifest } from '../../actions/rollout-and-verify/manifests.ts';
import type { Progress, Tracked } from '../../actions/rollout-and-verify/record.ts';
import {
  rolloutAndVerify,
  rolloutPhases,
  type Phases,
} from '../../actions/rollout-and-verify/run.ts';
import { progressState } from '../../actions/rollout-and-verify/state.ts';

function manifest(kind: string, name: string): Manifest {
  const object: KubeObject = { apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'ml' } };
  return {
    object,
    apiVersion: 'apps/v1',
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

/** Fake phases that record the order they ran in; `follow` is scripted per call. */
function fakePhases(
  script: FollowScript,
  overrides: Partial<Phases> = {},
): { phases: Phases; calls: string[] } {
  const calls: string[] = [];
  let followCalls = 0;
  const phases: Phases = {
    load: async () => {
      calls.push('load');
      return [manifest('Deployment', 'web'), manifest('Service', 'web')];
    },
    apply: async (manifests, _inputs, ctx) => {
      calls.push('apply');
      const m = manifests[0]!;
      const row = {
        kind: m.kind,
        namespace: 'ml',
        name: m.name,
        action: 'applied',
        state: '',
        ok: true,
      };
      ctx.record.rows.push(row);
      return [
        {
          manifest: m,
          workload: {
            apiVersion: 'apps/v1',
            kind: m.kind,
            plural: 'deployments',
            name: m.name,
            namespace: 'ml',
          },
          row,
          progress: {
            kind: m.kind,
            namespace: 'ml',
            name: m.name,
            state: 'waiting',
            message: 'applied',
          },
          previousRevision: 3,
        },
      ];
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
    rollBack: async (tracked, _inputs, ctx) => {
      calls.push('rollBack');
      await phases.follow(tracked, 0, ctx);
      return {
        rolledBack: true,
        note: 'rolled back: Deployment web healthy on the previous revision',
      };
    },
    ...overrides,
  };
  return { phases, calls };
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
  phases: Phases,
  i: RolloutInputs = inputs(),
  signal = new AbortController().signal,
): Promise<{
  result: Awaited<ReturnType<typeof rolloutAndVerify>>;
  saved: Progress[];
  state: MemoryState;
}> {
  const saved: Progress[] = [];
  const state = new MemoryState();
  const client = { namespace: 'ml' } as unknown as KubeClient;
  const result = await rolloutAndVerify(
    i,
    {
      logger: new RecordingLogger(),
      clock: new ManualClock(),
      signal,
      createClient: async () => client,
      saveProgress: (p) => {
        saved.push(structuredClone(p));
        progressState.save(state, p);
      },
    },
    phases,
  );
  return { result, saved, state };
}

describe('rollout-and-verify orchestration', () => {
  it('runs load → apply → follow → verify and succeeds; progress ends "finished"', async () => {
    const { phases, calls } = fakePhases(done);
    const { result, saved, state } = await run(phases);
    expect(calls).toEqual(['load', 'apply', 'follow', 'verify']);
    expect(result).toMatchObject({ status: 'succeeded', revision: '4', failureReason: '' });
    expect(saved.map((p) => p.phase)).toEqual(['apply', 'rollout', 'verify', 'finished']);
    expect(progressState.load(state)?.phase).toBe('finished');
  });

  it('a failed follow is diagnosed, skips verify, rolls back, and reports rolled-back', async () => {
    const { phases, calls } = fakePhases(pullFailsThenRecovers);
    const { result } = await run(phases);
    expect(calls).toEqual(['load', 'apply', 'follow', 'diagnose', 'rollBack', 'follow']);
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toBe(
      'ImagePullBackOff: Deployment ml/web: pod web-1: ImagePullBackOff',
    );
    expect(result.diagnosis).toContain('Failed: pull');
    expect(result.error).toContain('rolled back: Deployment web healthy');
  });

  it('rollback: false reports failed and leaves the workloads as applied', async () => {
    const { phases, calls } = fakePhases(pullFailsThenRecovers);
    const { result } = await run(phases, inputs({ rollback: 'false' }));
    expect(calls).not.toContain('rollBack');
    expect(result.status).toBe('failed');
  });

  it('a failed smoke test (verify) rolls back too', async () => {
    const { phases, calls } = fakePhases(done, {
      verify: async () => ({
        endpoint: 'http://svc',
        failure: { reason: 'SmokeTestFailed', message: 'smoke test GET http://svc/ failed' },
      }),
    });
    const { result } = await run(phases, inputs({ 'smoke-url': 'http://svc' }));
    expect(calls).toEqual(['load', 'apply', 'follow', 'rollBack', 'follow']);
    expect(result).toMatchObject({ status: 'rolled-back', endpoint: 'http://svc' });
    expect(result.failureReason).toMatch(/^SmokeTestFailed: /);
  });

  it('a rollback that does not become healthy leaves status failed', async () => {
    const { phases } = fakePhases(pullFailsThenRecovers, {
      rollBack: async () => ({ rolledBack: false, note: 'rollback did not become healthy' }),
    });
    const { result } = await run(phases);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('rollback did not become healthy');
  });

  it('a timeout names the state of every workload', async () => {
    const { phases, calls } = fakePhases((list) => {
      for (const t of list)
        t.outcome = { state: 'timeout', message: '1 of 3 updated replicas are available' };
    });
    const { result } = await run(phases, inputs({ timeout: '90s' }));
    expect(calls).toContain('rollBack');
    expect(result.error).toContain('timed out after 1m30s; state of every workload:');
    expect(result.error).toContain(
      '- Deployment ml/web: timeout: 1 of 3 updated replicas are available',
    );
  });

  it('cancellation during the follow phase throws CancelledError and leaves the post step the phase', async () => {
    const controller = new AbortController();
    const { phases, calls } = fakePhases(() => controller.abort('SIGINT'));
    const error = await run(phases, inputs(), controller.signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe('cancelled (SIGINT) during rollout');
    expect(calls).toEqual(['load', 'apply', 'follow']);
  });

  it('an apply that fails part-way skips follow and verify and rolls back what was applied', async () => {
    const { phases, calls } = fakePhases(done, {
      apply: async (manifests, inputs, ctx) => {
        calls.push('apply');
        const applied = await fakePhases(done).phases.apply(manifests, inputs, ctx);
        throw new PartialApplyError(
          'Service ml/web could not be applied after 1 object(s) were: HTTP 500',
          applied,
          ['Deployment ml/web'],
        );
      },
    });
    const { result } = await run(phases);
    expect(calls).toEqual(['load', 'apply', 'rollBack', 'follow']);
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toMatch(/^ApplyFailed: Service ml\/web could not be applied/);
  });

  it('a superseded workload ends the run as superseded: no verify, no rollback, no failure', async () => {
    const { phases, calls } = fakePhases((list) => {
      for (const t of list)
        t.outcome = {
          state: 'superseded',
          by: 'another run of rollout-and-verify (run 2)',
          message: 'Deployment "web" was superseded by another run of rollout-and-verify (run 2)',
          object: deployed,
        };
    });
    const { result } = await run(phases);
    expect(calls).toEqual(['load', 'apply', 'follow']);
    expect(result).toMatchObject({ status: 'superseded', failureReason: '' });
    expect(result.supersededBy).toContain('run 2');
  });

  it('gives the client the step deadline (start + timeout), which the phases share', async () => {
    const seen: number[] = [];
    const { phases } = fakePhases(pullFailsThenRecovers, {
      rollBack: async (_tracked, _inputs, ctx) => {
        seen.push(ctx.limits.deadline);
        return { rolledBack: true, note: '' };
      },
    });
    let clientDeadline: (() => number) | undefined;
    const clock = new ManualClock(1_000);
    await rolloutAndVerify(
      inputs({ timeout: '90s' }),
      {
        logger: new RecordingLogger(),
        clock,
        signal: new AbortController().signal,
        createClient: async (deadline) => {
          clientDeadline = deadline;
          return { namespace: 'ml' } as unknown as KubeClient;
        },
        saveProgress: () => undefined,
      },
      phases,
    );
    expect(seen).toEqual([91_000]);
    expect(clientDeadline?.()).toBe(91_000);
  });

  it('a request aborted by the cancellation is reported as the cancellation', async () => {
    const controller = new AbortController();
    const { phases } = fakePhases(() => {
      controller.abort('SIGTERM');
      throw new DOMException('The operation was aborted', 'AbortError');
    });
    const error = await run(phases, inputs(), controller.signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toBe('cancelled (SIGTERM) during rollout');
  });

  it('the default phases are the real ones', () => {
    expect(Object.keys(rolloutPhases).sort()).toEqual(
      ['apply', 'diagnose', 'follow', 'load', 'rollBack', 'verify'].sort(),
    );
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
