/**
 * ControllerRevisions: the StatefulSet and DaemonSet controllers keep one per pod template, and
 * the real kubectl 1.32 reads them (get, rollout history, rollout undo).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { kubectl, Workdir } from './helpers.ts';

let sim: KubeSim;
let work: Workdir;
const k = (args: string[]) => kubectl(sim, work, args, {});

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20 });
  work = new Workdir();
});

afterAll(async () => {
  await sim.stop();
  work.cleanup();
});

function statefulSet(image: string): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "${image}"}]}
`;
}

function image(): string | undefined {
  const sts = sim.getObject('StatefulSet', 'default', 'db') as
    { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } } | undefined;
  return sts?.spec?.template?.spec?.containers?.[0]?.image;
}

describe('ControllerRevisions', () => {
  it('a StatefulSet keeps one per template, named by status and pod labels; kubectl lists them and rolls back', async () => {
    await k(['apply', '--server-side', '-f', work.file('v1.yaml', statefulSet('db:v1'))]);
    expect((await k(['rollout', 'status', 'statefulset/db', '--timeout=30s'])).code).toBe(0);
    await k(['apply', '--server-side', '-f', work.file('v2.yaml', statefulSet('db:v2'))]);
    expect((await k(['rollout', 'status', 'statefulset/db', '--timeout=30s'])).code).toBe(0);

    const revisions = sim.listObjects('ControllerRevision', 'default');
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    const sts = sim.getObject('StatefulSet', 'default', 'db');
    const latest = revisions.find((r) => r.revision === 2);
    expect(sts?.status?.updateRevision).toBe(latest?.metadata.name);
    expect(sts?.status?.currentRevision).toBe(latest?.metadata.name);
    expect(latest?.metadata.ownerReferences?.[0]?.uid).toBe(sts?.metadata.uid);
    for (const pod of sim.listObjects('Pod', 'default'))
      expect(pod.metadata.labels?.['controller-revision-hash']).toBe(latest?.metadata.name);

    const list = await k(['get', 'controllerrevisions']);
    expect(list.stdout).toMatch(/NAME\s+CONTROLLER\s+REVISION\s+AGE/);
    expect(list.stdout).toMatch(/db-\S+\s+statefulset\.apps\/db\s+2\s/);
    const history = await k(['rollout', 'history', 'statefulset/db']);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);

    const undo = await k(['rollout', 'undo', 'statefulset/db']);
    expect(undo.stdout.trim()).toBe('statefulset.apps/db rolled back');
    expect(image()).toBe('db:v1');
    // The template that came back is revision 3 now, as the real controller numbers it.
    await sim.waitFor(
      () => sim.listObjects('ControllerRevision', 'default').some((r) => r.revision === 3),
      10_000,
      'revision 3',
    );
    expect((await k(['rollout', 'status', 'statefulset/db', '--timeout=30s'])).code).toBe(0);
  });

  it('a DaemonSet keeps one per template too', async () => {
    const ds = (img: string): string => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "${img}"}]}
`;
    await k(['apply', '--server-side', '-f', work.file('ds1.yaml', ds('agent:v1'))]);
    await k(['apply', '--server-side', '-f', work.file('ds2.yaml', ds('agent:v2'))]);
    expect((await k(['rollout', 'status', 'daemonset/agent', '--timeout=30s'])).code).toBe(0);
    const history = await k(['rollout', 'history', 'daemonset/agent']);
    expect(history.stdout).toMatch(/1\s+<none>\n2\s+<none>/);
  });
});
