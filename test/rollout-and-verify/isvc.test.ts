/** InferenceService units: the owned-spec snapshot, and the ownership guard of its rollback. */
import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../../shared/deadline.ts';
import {
  KubeApiError,
  type KubeClient,
  type KubeObject,
  type KubeRequest,
} from '../../shared/kube/index.ts';
import { ownedSpec } from '../../actions/rollout-and-verify/isvc.ts';
import { rollBackIsvc } from '../../actions/rollout-and-verify/isvc-rollback.ts';
import type { Manifest } from '../../actions/rollout-and-verify/manifests.ts';
import { RUN_ANNOTATION } from '../../actions/rollout-and-verify/ownership.ts';
import { RunRecord } from '../../actions/rollout-and-verify/record.ts';
import type { Tracked } from '../../actions/rollout-and-verify/types.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const spec = {
  predictor: {
    minReplicas: 2,
    model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m/1', resources: { x: 1 } },
  },
};

describe('ownedSpec', () => {
  it('keeps the fields the mlops-actions field manager applied, not those of other managers', () => {
    const obj: KubeObject = {
      metadata: {
        name: 'iris',
        managedFields: [
          {
            manager: 'kubectl-edit',
            operation: 'Update',
            fieldsV1: { 'f:spec': { 'f:predictor': { 'f:minReplicas': {} } } },
          },
          {
            manager: 'mlops-actions',
            operation: 'Apply',
            fieldsV1: {
              'f:spec': {
                'f:predictor': {
                  'f:model': { 'f:modelFormat': { 'f:name': {} }, 'f:storageUri': {} },
                },
              },
            },
          },
        ],
      },
      spec,
    };
    expect(ownedSpec(obj)).toEqual({
      predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m/1' } },
    });
  });

  it('takes the whole spec when the field manager owns nothing yet', () => {
    expect(ownedSpec({ metadata: { name: 'iris' }, spec })).toEqual(spec);
  });
});

describe('rollBackIsvc', () => {
  const m: Manifest = {
    object: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'iris' },
      spec,
    },
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    name: 'iris',
    namespace: 'ml',
    plural: 'inferenceservices',
    file: 'isvc.yaml',
    line: 1,
  };

  /** `raceTo`: another run applies between this run's ownership check and its restore. */
  function setup(
    liveRun: string,
    raceTo?: string,
  ): {
    requests: KubeRequest[];
    run: () => ReturnType<typeof rollBackIsvc>;
  } {
    const requests: KubeRequest[] = [];
    const live: KubeObject = {
      metadata: {
        name: 'iris',
        namespace: 'ml',
        resourceVersion: '7',
        annotations: { [RUN_ANNOTATION]: liveRun },
      },
      spec,
    };
    const client = {
      namespace: 'ml',
      json: async <T>(req: KubeRequest): Promise<T> => {
        requests.push(req);
        if (req.method === 'PATCH' && raceTo !== undefined) {
          live.metadata.annotations = { [RUN_ANNOTATION]: raceTo };
          throw new KubeApiError('the object has been modified', 409, 'Conflict', {
            verb: 'patch',
            resource: 'inferenceservices',
          });
        }
        return live as T;
      },
      request: async (req: KubeRequest) => {
        requests.push(req);
        throw new Error('unexpected request');
      },
    } as unknown as KubeClient;
    const clock = new ManualClock();
    const logger = new RecordingLogger();
    const t: Tracked = {
      manifest: m,
      workload: {
        apiVersion: m.apiVersion,
        kind: m.kind,
        plural: m.plural,
        name: 'iris',
        namespace: 'ml',
      },
      row: { kind: m.kind, namespace: 'ml', name: 'iris', action: 'applied', state: '', ok: true },
      progress: { kind: m.kind, namespace: 'ml', name: 'iris', state: 'failed', message: '' },
    };
    const ctx = {
      client,
      logger,
      clock,
      signal: new AbortController().signal,
      record: new RunRecord(clock, logger, () => undefined),
      failFast: true,
      unschedulableGraceMs: 0,
    };
    const run = () =>
      rollBackIsvc(
        t,
        { existed: true, spec: { predictor: { model: { storageUri: 'gs://m/0' } } } },
        { runId: 'run-a', applied: true, deleteNew: true, deadline: new Deadline(60_000, clock) },
        ctx,
        async () => {
          throw new Error('nothing to follow');
        },
      );
    return { requests, run };
  }

  it('never restores an InferenceService that another run applied since', async () => {
    const { requests, run } = setup('run-b');
    const r = await run();
    expect(r).toMatchObject({ undone: false, healthy: false });
    expect(r.note).toContain("another release replaced this run's (run-b)");
    expect(requests.map((q) => q.method)).toEqual(['GET']);
  });

  it('applies the snapshot only on the version it checked: a release in between wins', async () => {
    const { requests, run } = setup('run-a', 'run-c');
    const r = await run();
    expect(r).toMatchObject({ undone: false, healthy: false });
    expect(r.note).toContain("another release replaced this run's (run-c)");
    const patch = requests.find((q) => q.method === 'PATCH');
    expect((patch?.body as KubeObject).metadata.resourceVersion).toBe('7');
  });
});
