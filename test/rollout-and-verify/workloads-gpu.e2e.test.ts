/**
 * rollout-and-verify end to end, issue 15: StatefulSet and DaemonSet rollback through their
 * ControllerRevisions, and GPU / memory failures told plainly (the cluster autoscaler's
 * NotTriggerScaleUp / TriggeredScaleUp, a resource no node has, OOMKilled).
 */
import { describe, expect, it } from '@jest/globals';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { lastError } from '../harness/runner.ts';
import { rollout, simulatedCluster } from './helpers.ts';

const cluster = simulatedCluster({
  speed: 20,
  namespaces: ['sts', 'ds', 'stsnew', 'gpu-no', 'gpu-up', 'oom'],
});

function statefulSet(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: db, image: "${image}"}]}
`;
}

function daemonSet(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: agent, image: "${image}"}]}
`;
}

/** A one-replica model server asking for a GPU, the autoscaler's answer chosen by annotation. */
function gpuDeployment(name: string, autoscaler?: 'no-scale-up' | 'scale-up'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {app: ${name}}
${autoscaler ? `      annotations: {sim.mlops-actions.io/autoscaler: ${autoscaler}}\n` : ''}    spec:
      containers:
        - name: llm
          image: "registry.example/llm:v1"
          resources:
            limits: {nvidia.com/gpu: 1}
`;
}

function imageOf(s: KubeSim, kind: string, ns: string, name: string): string | undefined {
  const o = s.getObject(kind, ns, name) as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return o?.spec?.template?.spec?.containers?.[0]?.image;
}

describe('StatefulSet and DaemonSet rollback', () => {
  it('rolls a StatefulSet back to its previous ControllerRevision', async () => {
    cluster.ws.write('sts-v1.yaml', statefulSet('db', 'registry.example/db:v1'));
    expect(
      (await rollout(cluster.sim, cluster.ws, { manifests: 'sts-v1.yaml', namespace: 'sts' }))
        .exitCode,
    ).toBe(0);
    cluster.ws.write('sts-v2.yaml', statefulSet('db', 'registry.example/db:pullfail-v2'));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'sts-v2.yaml',
      namespace: 'sts',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(/^(ErrImagePull|ImagePullBackOff): StatefulSet/);
    expect(lastError(r)).toContain('rolled back: StatefulSet db healthy on the previous revision');
    expect(r.log).toContain('StatefulSet db: rolled back to revision 1');
    expect(imageOf(cluster.sim, 'StatefulSet', 'sts', 'db')).toBe('registry.example/db:v1');
    // The restored template is the newest revision now, and every pod runs it.
    const revisions = cluster.sim.listObjects('ControllerRevision', 'sts');
    const sts = cluster.sim.getObject('StatefulSet', 'sts', 'db');
    const newest = revisions.sort((a, b) => Number(b.revision) - Number(a.revision))[0];
    expect(newest?.revision).toBe(3);
    expect(sts?.status?.updateRevision).toBe(newest?.metadata.name);
    for (const pod of cluster.sim.listObjects('Pod', 'sts'))
      expect(pod.metadata.labels?.['controller-revision-hash']).toBe(newest?.metadata.name);
  });

  it('rolls a DaemonSet back to its previous ControllerRevision', async () => {
    cluster.ws.write('ds-v1.yaml', daemonSet('agent', 'registry.example/agent:v1'));
    expect(
      (await rollout(cluster.sim, cluster.ws, { manifests: 'ds-v1.yaml', namespace: 'ds' }))
        .exitCode,
    ).toBe(0);
    cluster.ws.write('ds-v2.yaml', daemonSet('agent', 'registry.example/agent:crash-v2'));
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'ds-v2.yaml', namespace: 'ds' });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs['failure-reason']).toMatch(/^CrashLoopBackOff: DaemonSet/);
    expect(lastError(r)).toContain('rolled back: DaemonSet agent healthy on the previous revision');
    expect(imageOf(cluster.sim, 'DaemonSet', 'ds', 'agent')).toBe('registry.example/agent:v1');
    const pods = cluster.sim.listObjects('Pod', 'ds');
    expect(pods.map((p) => p.spec?.containers)).toEqual(
      pods.map(() => [expect.objectContaining({ image: 'registry.example/agent:v1' })]),
    );
  });

  it('reports, never deletes nor rolls back, a StatefulSet this run created', async () => {
    cluster.ws.write('stsnew.yaml', statefulSet('fresh', 'registry.example/db:pullfail-v1'));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'stsnew.yaml',
      namespace: 'stsnew',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(lastError(r)).toContain(
      'StatefulSet stsnew/fresh: no previous revision (created by this run); left in place, not deleted',
    );
    expect(imageOf(cluster.sim, 'StatefulSet', 'stsnew', 'fresh')).toBe(
      'registry.example/db:pullfail-v1',
    );
  });
});

describe('GPU and memory, told plainly', () => {
  const GRACE_S = 60;

  it('fails at once when the cluster autoscaler will not add a GPU node (NotTriggerScaleUp)', async () => {
    cluster.ws.write('gpu-no.yaml', gpuDeployment('llm', 'no-scale-up'));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'gpu-no.yaml',
      namespace: 'gpu-no',
      'unschedulable-grace': `${GRACE_S}s`,
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['failure-reason']).toMatch(/^Unschedulable: /);
    const error = lastError(r);
    expect(error).toContain('nvidia.com/gpu: 1');
    expect(error).toContain('the cluster autoscaler will not add one');
    expect(error).toContain('node group limit: 1 max node group size reached');
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('waits the grace while the autoscaler scales up (TriggeredScaleUp), then says so', async () => {
    cluster.ws.write('gpu-up.yaml', gpuDeployment('llm', 'scale-up'));
    const r = await rollout(cluster.sim, cluster.ws, {
      manifests: 'gpu-up.yaml',
      namespace: 'gpu-up',
      'unschedulable-grace': '4s',
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['failure-reason']).toMatch(/^Unschedulable: /);
    expect(lastError(r)).toContain(
      'the cluster autoscaler started a scale-up (pod triggered scale-up: [{gpu-pool 0->1 (max: 2)}])',
    );
    expect(r.durationMs).toBeGreaterThanOrEqual(4_000);
  });

  it('fails at once on a resource no node has when no cluster autoscaler runs', async () => {
    // A cluster of its own: the other tests' autoscaler left its status ConfigMap behind.
    const bare = await startKubeSim({ speed: 20, namespaces: ['gpu'] });
    try {
      cluster.ws.write('gpu-bare.yaml', gpuDeployment('llm'));
      const r = await rollout(bare, cluster.ws, {
        manifests: 'gpu-bare.yaml',
        namespace: 'gpu',
        'unschedulable-grace': `${GRACE_S}s`,
      });
      expect(r.exitCode).toBe(1);
      const error = lastError(r);
      expect(error).toContain('the pod requests nvidia.com/gpu: 1, which no node has');
      expect(error).toContain('no cluster autoscaler runs');
      expect(error).toContain('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
      expect(r.durationMs).toBeLessThan(15_000);
    } finally {
      await bare.stop();
    }
  });

  it('names the memory limit and request of an OOMKilled container', async () => {
    cluster.ws.write(
      'oom.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 1
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec:
      containers:
        - name: model
          image: "registry.example/llm:oom-v1"
          resources:
            requests: {memory: 128Mi}
            limits: {memory: 256Mi}
`,
    );
    const r = await rollout(cluster.sim, cluster.ws, { manifests: 'oom.yaml', namespace: 'oom' });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['failure-reason']).toMatch(/^CrashLoopBackOff: /);
    const error = lastError(r);
    expect(error).toContain('last exit code 137 (OOMKilled)');
    expect(error).toContain('OOMKilled: memory limit 256Mi, request 128Mi');
    expect(r.summary).toContain('memory limit 256Mi');
  });
});
