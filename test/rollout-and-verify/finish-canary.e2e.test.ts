/**
 * `finish-canary` end to end: the real bundle against the simulator. A release is held as a
 * canary (`canary: hold`), then a second step — no manifests — promotes it or rolls it back,
 * watching until the traffic is where KServe puts it; an InferenceService without a held
 * canary is refused with one error and left as it was.
 */
import { describe, expect, it } from '@jest/globals';
import type { KObj } from '../harness/kube-sim/types.ts';
import { rollout, simulatedCluster } from './helpers.ts';

const cluster = simulatedCluster({ speed: 20, namespaces: ['finpromote', 'finback', 'finnone'] });

function isvc(storageUri: string, extra = ''): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
${extra ? `    ${extra}\n` : ''}    model:
      modelFormat: {name: sklearn}
      storageUri: ${storageUri}
`;
}

interface Predictor {
  latestReadyRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  traffic?: { revisionName?: string; percent?: number }[];
}
const live = (ns: string): KObj | undefined =>
  cluster.sim.getObject('InferenceService', ns, 'iris');
const predictor = (ns: string): Predictor =>
  ((live(ns)?.status?.components as { predictor?: Predictor } | undefined)?.predictor ??
    {}) as Predictor;
const spec = (ns: string): Record<string, unknown> =>
  (live(ns)?.spec?.predictor ?? {}) as Record<string, unknown>;

/** Release 1 rolled out, release 2 held as a 25 % canary. */
async function holdCanary(ns: string): Promise<void> {
  cluster.ws.write(`${ns}-v1.yaml`, isvc('gs://models/iris-v1'));
  const one = await rollout(cluster.sim, cluster.ws, {
    manifests: `${ns}-v1.yaml`,
    namespace: ns,
    timeout: '30s',
  });
  expect(one.outputs.status).toBe('succeeded');
  cluster.ws.write(`${ns}-v2.yaml`, isvc('gs://models/iris-v2', 'canaryTrafficPercent: 25'));
  const two = await rollout(cluster.sim, cluster.ws, {
    manifests: `${ns}-v2.yaml`,
    namespace: ns,
    timeout: '30s',
    canary: 'hold',
  });
  expect(two.outputs.status).toBe('succeeded');
  expect(predictor(ns).traffic).toEqual([
    expect.objectContaining({ revisionName: 'iris-predictor-00002', percent: 25 }),
    expect.objectContaining({ revisionName: 'iris-predictor-00001', percent: 75 }),
  ]);
  expect(predictor(ns).latestRolledoutRevision).toBe('iris-predictor-00001');
}

describe('rollout-and-verify: finish-canary (bundle, simulator)', () => {
  it('promotes a held canary: 100 % on it, the rest of the spec untouched', async () => {
    await holdCanary('finpromote');
    const r = await rollout(cluster.sim, cluster.ws, {
      'finish-canary': 'promote',
      'inference-service': 'finpromote/iris',
      timeout: '30s',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      status: 'succeeded',
      revision: 'iris-predictor-00002',
      'failure-reason': '',
    });
    expect(r.log).toContain('canary iris-predictor-00002 (25 %) promoted');
    expect(spec('finpromote').canaryTrafficPercent).toBeUndefined();
    expect((spec('finpromote').model as { storageUri?: string }).storageUri).toBe(
      'gs://models/iris-v2',
    );
    expect(predictor('finpromote')).toMatchObject({
      traffic: [expect.objectContaining({ revisionName: 'iris-predictor-00002', percent: 100 })],
      latestRolledoutRevision: 'iris-predictor-00002',
      previousRolledoutRevision: 'iris-predictor-00001',
    });
    expect(r.summary).toContain('rollout-and-verify: canary promoted');
  });

  it('rolls a held canary back: 0 %, the stable revision serves 100 %, status rolled-back, the step passes', async () => {
    await holdCanary('finback');
    const r = await rollout(cluster.sim, cluster.ws, {
      'finish-canary': 'rollback',
      'inference-service': 'iris',
      namespace: 'finback',
      timeout: '30s',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'rolled-back', revision: 'iris-predictor-00001' });
    expect(spec('finback').canaryTrafficPercent).toBe(0);
    expect(predictor('finback').traffic).toEqual([
      expect.objectContaining({ revisionName: 'iris-predictor-00002', percent: 0 }),
      expect.objectContaining({ revisionName: 'iris-predictor-00001', percent: 100 }),
    ]);
    expect(predictor('finback').latestRolledoutRevision).toBe('iris-predictor-00001');
    expect(r.summary).toContain('rollout-and-verify: canary rolled back');
    expect(r.summary).toContain('iris-predictor-00001 serves 100 %');
  });

  it('refuses an InferenceService that holds no canary, naming what it found, and changes nothing', async () => {
    cluster.ws.write('finnone.yaml', isvc('gs://models/iris-v1'));
    const one = await rollout(cluster.sim, cluster.ws, {
      manifests: 'finnone.yaml',
      namespace: 'finnone',
      timeout: '30s',
    });
    expect(one.outputs.status).toBe('succeeded');
    const before = live('finnone')?.metadata.resourceVersion;
    const r = await rollout(cluster.sim, cluster.ws, {
      'finish-canary': 'promote',
      'inference-service': 'finnone/iris',
      timeout: '30s',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      expect.stringContaining(
        'InferenceService finnone/iris holds no canary to promote: spec.predictor.canaryTrafficPercent is not set (traffic: iris-predictor-00001 100 %)',
      ),
    ]);
    expect(live('finnone')?.metadata.resourceVersion).toBe(before);

    const missing = await rollout(cluster.sim, cluster.ws, {
      'finish-canary': 'rollback',
      'inference-service': 'finnone/nope',
      timeout: '30s',
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.outputs['failure-reason']).toBe(
      'finish-canary: InferenceService finnone/nope not found: there is no canary to roll back',
    );
  });
});
