/** Controllers and the simulated kubelet: image-tag behaviours, workloads, HPA, LB, KServe. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startKubeSim } from '../harness/kube-sim/index.ts';
import type { KObj, KubeSim } from '../harness/kube-sim/index.ts';
import { deployment, kubectl, Workdir } from './helpers.ts';

let sim: KubeSim;
let work: Workdir;

beforeAll(async () => {
  sim = await startKubeSim({ speed: 40, nodes: 3 });
  work = new Workdir();
});

afterAll(async () => {
  await sim.stop();
  work.cleanup();
});

const k = (args: string[]) => kubectl(sim, work, args);

async function post(path: string, body: unknown): Promise<number> {
  const res = await fetch(sim.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

function pod(name: string, image: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image }] },
  };
}

interface CS {
  ready: boolean;
  restartCount: number;
  state: { waiting?: { reason: string }; running?: unknown };
}
const cs = (p: KObj | undefined): CS | undefined =>
  (p?.status?.containerStatuses as CS[] | undefined)?.[0];
const cond = (p: KObj | undefined, type: string) =>
  (p?.status?.conditions as { type: string; status: string; reason?: string }[] | undefined)?.find(
    (c) => c.type === type,
  );
const events = (name: string, reason: string) =>
  sim
    .listObjects('Event', 'default')
    .filter((e) => (e.involvedObject as { name: string }).name === name && e.reason === reason);

describe('simulated kubelet behaviours by image tag', () => {
  it('crash-* restarts with rising restartCount, CrashLoopBackOff, BackOff events and previous logs', async () => {
    expect(await post('/api/v1/namespaces/default/pods', pod('crasher', 'app:crash-1'))).toBe(201);
    const p = await sim.waitFor(
      () => {
        const x = sim.getObject('Pod', 'default', 'crasher');
        return (cs(x)?.restartCount ?? 0) >= 2 &&
          cs(x)?.state.waiting?.reason === 'CrashLoopBackOff'
          ? x
          : undefined;
      },
      15000,
      'two restarts',
    );
    expect(cs(p)!.ready).toBe(false);
    expect(events('crasher', 'BackOff')[0]?.message).toMatch(
      /^Back-off restarting failed container app in pod crasher_default/,
    );
    const prev = await k(['logs', 'crasher', '--previous']);
    expect(prev.stdout).toContain('fatal: model failed to load (simulated crash)');
    const table = await k(['get', 'pod', 'crasher']);
    expect(table.stdout).toMatch(/crasher\s+0\/1\s+CrashLoopBackOff\s+[2-9]/);
  });

  it('unready-* runs but never becomes Ready and reports Unhealthy', async () => {
    await post('/api/v1/namespaces/default/pods', pod('limbo', 'app:unready-1'));
    await sim.waitFor(() => events('limbo', 'Unhealthy').length > 0, 10000, 'Unhealthy event');
    const p = sim.getObject('Pod', 'default', 'limbo');
    expect(p?.status?.phase).toBe('Running');
    expect(cond(p, 'Ready')?.status).toBe('False');
    expect(events('limbo', 'Unhealthy')[0]?.message).toBe(
      'Readiness probe failed: HTTP probe failed with statuscode: 503',
    );
  });

  it('slow-* becomes Ready only after 20 simulated seconds', async () => {
    const t0 = sim.clock.now();
    await post('/api/v1/namespaces/default/pods', pod('sloth', 'app:slow-1'));
    await sim.waitFor(
      () => cs(sim.getObject('Pod', 'default', 'sloth'))?.state.running,
      10000,
      'running',
    );
    expect(cond(sim.getObject('Pod', 'default', 'sloth'), 'Ready')?.status).toBe('False');
    await sim.waitFor(
      () => cond(sim.getObject('Pod', 'default', 'sloth'), 'Ready')?.status === 'True',
      10000,
      'ready',
    );
    expect(sim.clock.now() - t0).toBeGreaterThanOrEqual(20000);
  });

  it('pending-* stays Unschedulable with a FailedScheduling event', async () => {
    await post('/api/v1/namespaces/default/pods', pod('stuck', 'app:pending-1'));
    await sim.waitFor(
      () => events('stuck', 'FailedScheduling').length > 0,
      10000,
      'FailedScheduling',
    );
    const p = sim.getObject('Pod', 'default', 'stuck');
    expect(p?.status?.phase).toBe('Pending');
    expect(cond(p, 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(p?.spec?.nodeName).toBeUndefined();
  });

  it('pullfail-* goes ErrImagePull then ImagePullBackOff', async () => {
    const reasons: string[] = [];
    await post('/api/v1/namespaces/default/pods', pod('nopull', 'app:pullfail-1'));
    await sim.waitFor(
      () => {
        const r = cs(sim.getObject('Pod', 'default', 'nopull'))?.state.waiting?.reason;
        if (r && reasons[reasons.length - 1] !== r) reasons.push(r);
        return r === 'ImagePullBackOff';
      },
      10000,
      'ImagePullBackOff',
    );
    expect(reasons).toContain('ErrImagePull');
    expect(events('nopull', 'BackOff')[0]?.message).toBe('Back-off pulling image "app:pullfail-1"');
  });
});

describe('workload controllers', () => {
  it('RollingUpdate keeps within maxSurge/maxUnavailable; Recreate empties old pods first', async () => {
    await k([
      'apply',
      '--server-side',
      '-f',
      work.file('ru.yaml', deployment('ru', 'nginx:1', { replicas: 4 })),
    ]);
    expect((await k(['rollout', 'status', 'deploy/ru', '--timeout=30s'])).code).toBe(0);
    let maxPods = 0;
    let minAvailable = Infinity;
    const off = sim.store.onChange((_t, r) => {
      if (r.kind !== 'ReplicaSet') return;
      const rss = sim
        .listObjects('ReplicaSet', 'default')
        .filter((x) => x.metadata.labels?.app === 'ru');
      maxPods = Math.max(
        maxPods,
        rss.reduce((a, x) => a + Number(x.spec?.replicas ?? 0), 0),
      );
      minAvailable = Math.min(
        minAvailable,
        rss.reduce((a, x) => a + Number(x.status?.availableReplicas ?? 0), 0),
      );
    });
    await k([
      'apply',
      '--server-side',
      '-f',
      work.file('ru2.yaml', deployment('ru', 'nginx:2', { replicas: 4 })),
    ]);
    expect((await k(['rollout', 'status', 'deploy/ru', '--timeout=30s'])).code).toBe(0);
    off();
    expect(maxPods).toBe(5); // 4 + 25% surge
    expect(minAvailable).toBe(3); // 4 - 25% unavailable

    await k([
      'apply',
      '--server-side',
      '-f',
      work.file('rc.yaml', deployment('rc', 'nginx:1', { replicas: 2, strategy: 'Recreate' })),
    ]);
    expect((await k(['rollout', 'status', 'deploy/rc', '--timeout=30s'])).code).toBe(0);
    let overlap = false;
    const off2 = sim.store.onChange(() => {
      const pods = sim.listObjects('Pod', 'default').filter((x) => x.metadata.labels?.app === 'rc');
      const images = new Set(
        pods.map((p) => (p.spec?.containers as { image: string }[])[0]!.image),
      );
      if (images.size > 1) overlap = true;
    });
    await k([
      'apply',
      '--server-side',
      '-f',
      work.file('rc2.yaml', deployment('rc', 'nginx:2', { replicas: 2, strategy: 'Recreate' })),
    ]);
    expect((await k(['rollout', 'status', 'deploy/rc', '--timeout=30s'])).code).toBe(0);
    off2();
    expect(overlap).toBe(false);
  });

  it('StatefulSet creates pods in order; kubectl rollout status follows it', async () => {
    const order: string[] = [];
    const off = sim.store.onChange((t, r, o) => {
      if (t === 'ADDED' && r.kind === 'Pod' && o.metadata.name.startsWith('db-'))
        order.push(o.metadata.name);
    });
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
`;
    await k(['apply', '--server-side', '-f', work.file('sts.yaml', sts)]);
    const s = await k(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    off();
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('partitioned roll out complete: 3 new pods have been updated...');
    expect(order).toEqual(['db-0', 'db-1', 'db-2']);
    // db-1 was created only after db-0 became Ready.
    const ready0 = Date.parse(
      String(
        cond(sim.getObject('Pod', 'default', 'db-0'), 'Ready') &&
          (
            sim.getObject('Pod', 'default', 'db-0')!.status!.conditions as {
              type: string;
              lastTransitionTime: string;
            }[]
          ).find((c) => c.type === 'Ready')!.lastTransitionTime,
      ),
    );
    expect(
      Date.parse(sim.getObject('Pod', 'default', 'db-1')!.metadata.creationTimestamp),
    ).toBeGreaterThanOrEqual(ready0);
  });

  it('DaemonSet runs one pod per simulated node', async () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: fluentbit:3}]}
`;
    await k(['apply', '--server-side', '-f', work.file('ds.yaml', ds)]);
    const s = await k(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    expect(s.stdout).toContain('daemon set "agent" successfully rolled out');
    const d = sim.getObject('DaemonSet', 'default', 'agent')!;
    expect(d.status).toMatchObject({
      desiredNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
    });
    const nodes = sim
      .listObjects('Pod', 'default')
      .filter((p) => p.metadata.labels?.app === 'agent')
      .map((p) => p.spec?.nodeName);
    expect(new Set(nodes).size).toBe(3);
  });

  it('HPA clamps the target to minReplicas and reports status; LoadBalancer gets an ingress IP', async () => {
    await k([
      'apply',
      '--server-side',
      '-f',
      work.file('h.yaml', deployment('h', 'nginx:1', { replicas: 1 })),
    ]);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'h' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
          },
        ],
      },
    };
    expect(
      await post('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', hpa),
    ).toBe(201);
    await sim.waitFor(
      () => sim.getObject('HorizontalPodAutoscaler', 'default', 'h')?.status?.desiredReplicas === 2,
      10000,
      'hpa status',
    );
    expect(sim.getObject('Deployment', 'default', 'h')?.spec?.replicas).toBe(2);
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lb' },
      spec: { type: 'LoadBalancer', selector: { app: 'h' }, ports: [{ port: 80 }] },
    };
    expect(await post('/api/v1/namespaces/default/services', svc)).toBe(201);
    expect(sim.getObject('Service', 'default', 'lb')?.spec?.clusterIP).toMatch(/^10\.96\./);
    const ip = await sim.waitFor(
      () =>
        (
          sim.getObject('Service', 'default', 'lb')?.status?.loadBalancer as
            { ingress?: { ip: string }[] } | undefined
        )?.ingress?.[0]?.ip,
      10000,
      'lb ip',
    );
    expect(ip).toMatch(/^192\.0\.2\.\d+$/);
  });

  it('InferenceService with a failing predictor reports PredictorReady=False and a failed model', async () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'broken',
        annotations: { 'serving.kserve.io/progress-deadline-seconds': '10' },
      },
      spec: {
        predictor: { containers: [{ name: 'kserve-container', image: 'model:pullfail-1' }] },
      },
    };
    expect(
      await post('/apis/serving.kserve.io/v1beta1/namespaces/default/inferenceservices', isvc),
    ).toBe(201);
    const o = await sim.waitFor(
      () => {
        const x = sim.getObject('InferenceService', 'default', 'broken');
        return cond(x, 'PredictorReady')?.status === 'False' ? x : undefined;
      },
      10000,
      'predictor failure',
    );
    expect(cond(o, 'PredictorReady')?.reason).toBe('ProgressDeadlineExceeded');
    expect(cond(o, 'Ready')?.status).toBe('False');
    expect(o.status?.modelStatus).toMatchObject({
      transitionStatus: 'BlockedByFailedLoad',
      lastFailureInfo: { reason: 'ModelLoadFailed' },
    });
    expect(o.status?.url).toBeUndefined();
  });

  it('deleting a Deployment garbage-collects its ReplicaSets and Pods', async () => {
    const d = await k(['delete', 'deployment', 'h']);
    expect(d.code).toBe(0);
    await sim.waitFor(
      () => sim.listObjects('Pod', 'default').every((p) => p.metadata.labels?.app !== 'h'),
      10000,
      'pods gone',
    );
    expect(
      sim.listObjects('ReplicaSet', 'default').filter((x) => x.metadata.labels?.app === 'h'),
    ).toHaveLength(0);
  });
});
