/**
 * InferenceServices, first class, end to end through the bundle against the simulator:
 * rollback of a failed model load to the earlier spec, a new InferenceService left applied or
 * deleted, canary promote / hold / failure (0 %), the diagnosis of a failed download, and
 * smoke tests by inference protocol (v1, v2) against a local HTTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KObj } from '../harness/kube-sim/types.ts';
import { rollout, simulatedCluster } from './helpers.ts';

const cluster = simulatedCluster({
  speed: 20,
  namespaces: [
    'restore',
    'fresh',
    'freshdel',
    'promote',
    'hold',
    'canaryfail',
    'canarysmoke',
    'v1',
    'v2',
  ],
});
let http: Server;
let httpUrl: string;
const hits: string[] = [];

beforeAll(async () => {
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}${body ? ` ${body}` : ''}`);
      res.setHeader('content-type', 'application/json');
      const url = req.url ?? '';
      if (req.method === 'GET' && /^\/v2\/models\/[^/]+\/ready$/.test(url)) res.end('{}');
      else if (req.method === 'GET' && /^\/v1\/models\/[^/:]+$/.test(url))
        res.end(JSON.stringify({ name: url.split('/').pop(), ready: true }));
      else if (req.method === 'POST' && /^\/v1\/models\/[^/]+:predict$/.test(url))
        res.end(JSON.stringify({ predictions: [1, 0] }));
      else if (req.method === 'POST' && /^\/v2\/models\/[^/]+\/infer$/.test(url))
        res.end(JSON.stringify({ model_name: 'm', outputs: [{ name: 'o', data: [2] }] }));
      else {
        res.statusCode = 404;
        res.end('{"error":"not found"}');
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});

function isvc(name: string, storageUri: string, extra = '', protocol = ''): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: ${name}
spec:
  predictor:
${extra ? `    ${extra}\n` : ''}    model:
      modelFormat: {name: sklearn}
${protocol ? `      protocolVersion: ${protocol}\n` : ''}      storageUri: ${storageUri}
`;
}

interface Predictor {
  latestCreatedRevision?: string;
  latestReadyRevision?: string;
  traffic?: { revisionName?: string; percent?: number }[];
}

function live(ns: string, name: string): KObj | undefined {
  return cluster.sim.getObject('InferenceService', ns, name);
}
function predictorSpec(ns: string, name: string): Record<string, unknown> {
  return (live(ns, name)?.spec?.predictor ?? {}) as Record<string, unknown>;
}
function predictorStatus(ns: string, name: string): Predictor {
  return ((live(ns, name)?.status?.components as { predictor?: Predictor } | undefined)
    ?.predictor ?? {}) as Predictor;
}

async function deployGood(ns: string, name: string): Promise<void> {
  cluster.ws.write(`${ns}-v1.yaml`, isvc(name, 'gs://models/iris-v1'));
  const r = await rollout(cluster.sim, cluster.ws, {
    manifests: `${ns}-v1.yaml`,
    namespace: ns,
    timeout: '30s',
  });
  expect(r.outputs.status).toBe('succeeded');
  expect(r.outputs.revision).toBe(`${name}-predictor-00001`);
}

describe('rollout-and-verify: InferenceService', () => {
  it('restores the earlier spec after a failed model load, and diagnoses the download error', async () => {
    await deployGood('restore', 'iris');
    cluster.ws.write('restore-v2.yaml', isvc('iris', 'gs://models/fail-download-v2'));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'restore-v2.yaml',
      namespace: 'restore',
      timeout: '30s',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    // Restoring makes a new revision (as Knative does); it is the one that serves.
    expect(r.outputs.revision).toBe('iris-predictor-00003');
    expect(r.outputs['failure-reason']).toMatch(/BlockedByFailedLoad/);
    expect((predictorSpec('restore', 'iris').model as { storageUri?: string }).storageUri).toBe(
      'gs://models/iris-v1',
    );
    expect(predictorStatus('restore', 'iris')).toMatchObject({
      latestCreatedRevision: 'iris-predictor-00003',
      latestReadyRevision: 'iris-predictor-00003',
    });
    expect(r.log).toContain(
      'earlier spec restored; revision iris-predictor-00003 is the latest ready one (before this run: iris-predictor-00001)',
    );
    // Diagnosis: modelStatus, predictor pods, the storage-initializer's log, events.
    const text = `${r.summary}\n${r.log}`;
    expect(text).toContain('modelStatus.transitionStatus: BlockedByFailedLoad');
    expect(text).toMatch(
      /modelStatus\.lastFailureInfo: ModelLoadFailed: RuntimeError: Failed to fetch model\. No model found in gs:\/\/models\/fail-download-v2\./,
    );
    // Exit 1 (Error), then the kubelet's back-off (CrashLoopBackOff): which one the diagnosis
    // reads depends on how far simulated time moved since the failure was seen.
    expect(text).toMatch(
      /pod iris-predictor-[a-z0-9-]+ \(iris-predictor-00002\): Pending; storage-initializer (Error|CrashLoopBackOff)/,
    );
    expect(text).toContain('storage-initializer log (iris-predictor-');
    expect(text).toContain('Copying contents of gs://models/fail-download-v2 to local');
    expect(text).toContain('Started container storage-initializer');
  });

  it('leaves a new InferenceService that fails applied, and deletes it with delete-new-on-failure', async () => {
    cluster.ws.write('fresh.yaml', isvc('newbie', 'gs://models/fail-download-1'));
    const left = await rollout(cluster.sim, cluster.ws, {
      manifests: 'fresh.yaml',
      namespace: 'fresh',
      timeout: '30s',
    });
    expect(left.exitCode).toBe(1);
    expect(left.outputs.status).toBe('failed');
    expect(left.log).toContain('created by this run, no earlier spec: left applied, not deleted');
    expect(live('fresh', 'newbie')).toBeDefined();

    const gone = await rollout(cluster.sim, cluster.ws, {
      manifests: 'fresh.yaml',
      namespace: 'freshdel',
      timeout: '30s',
      'delete-new-on-failure': 'true',
    });
    expect(gone.exitCode).toBe(1);
    expect(gone.outputs.status).toBe('rolled-back');
    expect(gone.outputs.revision).toBe('');
    expect(gone.log).toContain('created by this run; deleted (delete-new-on-failure)');
    await cluster.sim.waitFor(() => live('freshdel', 'newbie') === undefined, 5000, 'isvc deleted');
  });

  it('verifies a canary, smoke-tests it, then promotes it to 100 %', async () => {
    await deployGood('promote', 'iris');
    cluster.ws.write(
      'promote-v2.yaml',
      isvc('iris', 'gs://models/iris-v2', 'canaryTrafficPercent: 20'),
    );
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'promote-v2.yaml',
      namespace: 'promote',
      timeout: '30s',
      'smoke-url': httpUrl,
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.log).toContain('canary iris-predictor-00002 ready with 20 % of the traffic');
    expect(r.log).toContain('canary promoted, iris-predictor-00002 serves 100 %');
    expect(r.outputs.revision).toBe('iris-predictor-00002');
    expect(predictorSpec('promote', 'iris').canaryTrafficPercent).toBeUndefined();
    expect(predictorStatus('promote', 'iris').traffic).toEqual([
      expect.objectContaining({ revisionName: 'iris-predictor-00002', percent: 100 }),
    ]);
    // The smoke test ran against the canary, by protocol (v1 readiness).
    expect(hits).toContain('GET /v1/models/iris');
  });

  it('holds the canary split with canary: hold', async () => {
    await deployGood('hold', 'iris');
    cluster.ws.write(
      'hold-v2.yaml',
      isvc('iris', 'gs://models/iris-v2', 'canaryTrafficPercent: 30'),
    );
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'hold-v2.yaml',
      namespace: 'hold',
      timeout: '30s',
      canary: 'hold',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.log).toContain('canary held at 30 % (canary: hold)');
    expect(predictorSpec('hold', 'iris').canaryTrafficPercent).toBe(30);
    expect(predictorStatus('hold', 'iris').traffic).toEqual([
      expect.objectContaining({ revisionName: 'iris-predictor-00002', percent: 30 }),
      expect.objectContaining({ revisionName: 'iris-predictor-00001', percent: 70 }),
    ]);
    // The revision that takes most of the traffic.
    expect(r.outputs.revision).toBe('iris-predictor-00001');
  });

  it('sets a failed canary back to 0 % and reports both revisions', async () => {
    await deployGood('canaryfail', 'iris');
    cluster.ws.write(
      'canaryfail-v2.yaml',
      isvc('iris', 'gs://models/fail-download-v2', 'canaryTrafficPercent: 10'),
    );
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'canaryfail-v2.yaml',
      namespace: 'canaryfail',
      timeout: '30s',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs.revision).toBe('iris-predictor-00001');
    expect(predictorSpec('canaryfail', 'iris').canaryTrafficPercent).toBe(0);
    expect(r.log).toContain(
      'canary set back to 0 %: revision iris-predictor-00002 (failed) gets 0 %, revision iris-predictor-00001 serves 100 %',
    );
  });

  it('sets a ready canary that fails its smoke test back to 0 %: the earlier revision serves', async () => {
    await deployGood('canarysmoke', 'iris');
    cluster.ws.write(
      'canarysmoke-v2.yaml',
      isvc('iris', 'gs://models/iris-v2', 'canaryTrafficPercent: 40'),
    );
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'canarysmoke-v2.yaml',
      namespace: 'canarysmoke',
      timeout: '3s',
      'smoke-url': httpUrl,
      'smoke-path': '/missing',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['failure-reason']).toMatch(/^SmokeTestFailed: /);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs.revision).toBe('iris-predictor-00001');
    expect(predictorSpec('canarysmoke', 'iris').canaryTrafficPercent).toBe(0);
    expect(predictorStatus('canarysmoke', 'iris').traffic).toEqual([
      expect.objectContaining({ revisionName: 'iris-predictor-00002', percent: 0 }),
      expect.objectContaining({ revisionName: 'iris-predictor-00001', percent: 100 }),
    ]);
    expect(r.log).toContain(
      'revision iris-predictor-00002 (failed) gets 0 %, revision iris-predictor-00001 serves 100 %',
    );
  });

  it('probes a v1 InferenceService by its protocol, and posts a smoke-body to :predict with smoke-expect', async () => {
    cluster.ws.write('v1.yaml', isvc('sk', 'gs://models/sk'));
    const ready = await rollout(cluster.sim, cluster.ws, {
      manifests: 'v1.yaml',
      namespace: 'v1',
      timeout: '30s',
      'smoke-url': httpUrl,
    });
    expect(ready.outputs.status).toBe('succeeded');
    expect(hits).toContain('GET /v1/models/sk');
    const predict = await rollout(cluster.sim, cluster.ws, {
      manifests: 'v1.yaml',
      namespace: 'v1',
      timeout: '30s',
      'smoke-url': httpUrl,
      'smoke-body': '{"instances": [[6.8, 2.8, 4.8, 1.4]]}',
      'smoke-expect': 'predictions[1]=0',
    });
    expect(predict.outputs.status).toBe('succeeded');
    expect(hits).toContain('POST /v1/models/sk:predict {"instances": [[6.8, 2.8, 4.8, 1.4]]}');
    expect(predict.log).toContain('predictions[1] ok');
  });

  it('probes a v2 InferenceService at /v2/models/<name>/ready and checks an /infer answer', async () => {
    cluster.ws.write('v2.yaml', isvc('tr', 'gs://models/tr', '', 'v2'));
    const ready = await rollout(cluster.sim, cluster.ws, {
      manifests: 'v2.yaml',
      namespace: 'v2',
      timeout: '30s',
      'smoke-url': httpUrl,
    });
    expect(ready.outputs.status).toBe('succeeded');
    expect(hits).toContain('GET /v2/models/tr/ready');
    const wrong = await rollout(cluster.sim, cluster.ws, {
      manifests: 'v2.yaml',
      namespace: 'v2',
      timeout: '2s',
      'smoke-url': httpUrl,
      'smoke-body': '{"inputs": []}',
      'smoke-expect': 'outputs[0].data[0]=3',
      rollback: 'false',
    });
    expect(hits).toContain('POST /v2/models/tr/infer {"inputs": []}');
    expect(wrong.outputs.status).toBe('failed');
    expect(wrong.outputs['failure-reason']).toContain(
      'smoke-expect: outputs[0].data[0] is 2, expected 3',
    );
  });
});
