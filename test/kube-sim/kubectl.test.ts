/** Conformance: the real kubectl 1.32 against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startKubeSim } from '../harness/kube-sim/index.ts';
import type { KubeSim } from '../harness/kube-sim/index.ts';
import { deployment, DISPATCHER, GCLOUD_DISPATCHER, kubectl, Workdir } from './helpers.ts';

let sim: KubeSim;
let work: Workdir;
const k = (args: string[], opts = {}) => kubectl(sim, work, args, opts);

beforeAll(async () => {
  sim = await startKubeSim({ speed: 20 });
  work = new Workdir();
});

afterAll(async () => {
  await sim.stop();
  work.cleanup();
});

function json<T>(text: string): T {
  return JSON.parse(text) as T;
}

interface Dep {
  metadata: {
    uid: string;
    generation: number;
    resourceVersion: string;
    annotations: Record<string, string>;
  };
  spec: {
    replicas: number;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: { containers: { image: string }[] };
    };
  };
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    availableReplicas: number;
    conditions: { type: string; status: string; reason: string }[];
  };
}

describe('kubectl against kube-sim', () => {
  it('discovery: the gcloud dispatcher picks kubectl 1.32 from /version; api-resources lists isvc', async () => {
    const v = await k(['version', '-o', 'json'], { bin: DISPATCHER });
    expect(v.code).toBe(0);
    const parsed = json<{
      clientVersion: { minor: string };
      serverVersion: { gitVersion: string };
    }>(v.stdout);
    expect(parsed.serverVersion.gitVersion).toMatch(/^v1\.32\./);
    // gcloud's dispatcher picks 1.32 for a 1.32 server; a plain kubectl is what it is.
    expect(parsed.clientVersion.minor).toMatch(GCLOUD_DISPATCHER ? /^32/ : /^\d+/);
    const r = await k(['api-resources']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /inferenceservices\s+isvc\s+serving\.kserve\.io\/v1beta1\s+true\s+InferenceService/,
    );
    expect(r.stdout).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
  });

  it('apply --server-side (validation on) rejects unknown fields with the server message', async () => {
    const bad = deployment('typo', 'nginx:1.25').replace(
      '          image: nginx:1.25',
      '          image: nginx:1.25\n          imagee: oops',
    );
    const r = await k(['apply', '--server-side', '-f', work.file('typo.yaml', bad)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      '.spec.template.spec.containers[name="app"].imagee: field not declared in schema',
    );
    expect(sim.getObject('Deployment', 'default', 'typo')).toBeUndefined();
  });

  it('apply --server-side, get -o json, get pods -l, rollout status', async () => {
    const a = await k([
      'apply',
      '--server-side',
      '-f',
      work.file('web.yaml', deployment('web', 'nginx:1.25')),
    ]);
    expect(a.stdout.trim()).toBe('deployment.apps/web serverside-applied');
    const s = await k(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('deployment "web" successfully rolled out');
    const g = await k(['get', 'deployment', 'web', '-o', 'json']);
    const d = json<Dep>(g.stdout);
    expect(d.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status.observedGeneration).toBe(1);
    expect(d.status.availableReplicas).toBe(3);
    expect(d.status.conditions.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
    const p = await k(['get', 'pods', '-l', 'app=web', '-o', 'name']);
    expect(p.stdout.trim().split('\n')).toHaveLength(3);
    const table = await k(['get', 'pods', '-l', 'app=web']);
    expect(table.stdout).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(table.stdout.match(/1\/1\s+Running/g)).toHaveLength(3);
  });

  it('rollout history and rollout undo bring the previous image back', async () => {
    await k([
      'apply',
      '--server-side',
      '-f',
      work.file('web2.yaml', deployment('web', 'nginx:1.26')),
    ]);
    expect((await k(['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
    const h = await k(['rollout', 'history', 'deployment/web']);
    expect(h.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const u = await k(['rollout', 'undo', 'deployment/web']);
    expect(u.stdout.trim()).toBe('deployment.apps/web rolled back');
    expect((await k(['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
    const d = json<Dep>((await k(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.25');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const h2 = await k(['rollout', 'history', 'deployment/web']);
    expect(h2.stdout).toMatch(/\n2\s+<none>\n3\s+<none>/);
    const rs = await k(['get', 'rs', '-l', 'app=web', '-o', 'name']);
    expect(rs.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('rollout restart rolls new pods; scale changes replicas', async () => {
    const before = sim
      .listObjects('Pod', 'default')
      .filter((p) => p.metadata.labels?.app === 'web')
      .map((p) => p.metadata.name);
    const r = await k(['rollout', 'restart', 'deployment/web']);
    expect(r.stdout.trim()).toBe('deployment.apps/web restarted');
    expect((await k(['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
    const d = json<Dep>((await k(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(
      d.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).toBeDefined();
    const after = sim
      .listObjects('Pod', 'default')
      .filter((p) => p.metadata.labels?.app === 'web')
      .map((p) => p.metadata.name);
    expect(after.some((n) => before.includes(n))).toBe(false);
    const s = await k(['scale', 'deployment/web', '--replicas=5']);
    expect(s.stdout.trim()).toBe('deployment.apps/web scaled');
    expect((await k(['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
    const g = await k(['get', 'deployment', 'web']);
    expect(g.stdout).toMatch(/web\s+5\/5\s+5\s+5/);
  });

  it('server-side apply conflicts with the scale manager unless forced', async () => {
    const r = await k([
      'apply',
      '--server-side',
      '-f',
      work.file('web3.yaml', deployment('web', 'nginx:1.25')),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /Apply failed with 1 conflict: conflict with "[^"]+" with subresource "scale" using apps\/v1: \.spec\.replicas/,
    );
    const f = await k([
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      work.file('web3.yaml', deployment('web', 'nginx:1.25')),
    ]);
    expect(f.code).toBe(0);
    expect(sim.getObject('Deployment', 'default', 'web')?.spec?.replicas).toBe(3);
  });

  it("rollout status fails with kubectl's own message for pullfail-* past progressDeadlineSeconds", async () => {
    await k([
      'apply',
      '--server-side',
      '-f',
      work.file(
        'bad.yaml',
        deployment('bad', 'registry.local/app:pullfail-1', {
          replicas: 1,
          progressDeadlineSeconds: 10,
        }),
      ),
    ]);
    const s = await k(['rollout', 'status', 'deployment/bad', '--timeout=30s']);
    expect(s.code).toBe(1);
    expect(s.stderr.trim()).toBe('error: deployment "bad" exceeded its progress deadline');
    const ev = await k(['get', 'events', '--field-selector', 'reason=Failed']);
    expect(ev.stdout).toMatch(
      /Warning\s+Failed\s+pod\/bad-\S+\s+Failed to pull image "registry.local\/app:pullfail-1"/,
    );
    const pods = await k(['get', 'pods', '-l', 'app=bad']);
    expect(pods.stdout).toMatch(/0\/1\s+(ImagePullBackOff|ErrImagePull)/);
  });

  it('logs of a pod and of a deployment; get events', async () => {
    const pod = (
      await k(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])
    ).stdout;
    const l = await k(['logs', pod]);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('starting nginx:1.25');
    const ld = await k(['logs', 'deployment/web']);
    expect(ld.stdout).toContain('ready: serving requests');
    const ev = await k(['get', 'events']);
    expect(ev.stdout).toMatch(/LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    expect(ev.stdout).toMatch(/Normal\s+Scheduled\s+pod\/web-/);
    expect(ev.stdout).toMatch(
      /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-/,
    );
  });

  it('wait --for=condition=Ready inferenceservice/...', async () => {
    const isvc = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
`;
    const a = await k(['apply', '--server-side', '-f', work.file('isvc.yaml', isvc)]);
    expect(a.stdout.trim()).toBe('inferenceservice.serving.kserve.io/iris serverside-applied');
    const w = await k(['wait', '--for=condition=Ready', 'inferenceservice/iris', '--timeout=30s']);
    expect(w.code).toBe(0);
    expect(w.stdout.trim()).toBe('inferenceservice.serving.kserve.io/iris condition met');
    const url = await k(['get', 'isvc', 'iris', '-o', 'jsonpath={.status.url}']);
    expect(url.stdout).toBe('http://iris-default.example.com');
    const typo = isvc.replace('storageUri:', 'storageUrl:');
    const bad = await k([
      'apply',
      '--server-side',
      '-f',
      work.file('isvc2.yaml', typo.replace('name: iris', 'name: iris2')),
    ]);
    expect(bad.stderr).toContain('.spec.predictor.model.storageUrl: field not declared in schema');
  });

  it('reads InferenceService revisions, a canary split and a failed model download', async () => {
    const isvc = (uri: string, canary = ''): string => `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: rev
spec:
  predictor:
${canary}    model:
      modelFormat: {name: sklearn}
      storageUri: ${uri}
`;
    expect(
      (await k(['apply', '--server-side', '-f', work.file('rev1.yaml', isvc('gs://m/1'))])).code,
    ).toBe(0);
    expect((await k(['wait', '--for=condition=Ready', 'isvc/rev', '--timeout=30s'])).code).toBe(0);
    const v2 = isvc('gs://m/2', '    canaryTrafficPercent: 25\n');
    expect((await k(['apply', '--server-side', '-f', work.file('rev2.yaml', v2)])).code).toBe(0);
    await sim.waitFor(
      () => {
        const p = (
          sim.getObject('InferenceService', 'default', 'rev')?.status?.components as
            { predictor?: { traffic?: unknown[] } } | undefined
        )?.predictor;
        return (p?.traffic?.length ?? 0) === 2;
      },
      10000,
      'canary split',
    );
    const traffic = await k([
      'get',
      'isvc',
      'rev',
      '-o',
      'jsonpath={range .status.components.predictor.traffic[*]}{.revisionName}={.percent} {end}',
    ]);
    expect(traffic.stdout.trim()).toBe('rev-predictor-00002=25 rev-predictor-00001=75');
    const bad = isvc('gs://m/fail-download-3');
    expect((await k(['apply', '--server-side', '-f', work.file('rev3.yaml', bad)])).code).toBe(0);
    const failed = await k([
      'wait',
      '--for=jsonpath={.status.modelStatus.transitionStatus}=BlockedByFailedLoad',
      'isvc/rev',
      '--timeout=30s',
    ]);
    expect(failed.code).toBe(0);
    const info = await k([
      'get',
      'isvc',
      'rev',
      '-o',
      'jsonpath={.status.components.predictor.latestCreatedRevision} {.status.components.predictor.latestReadyRevision} {.status.modelStatus.lastFailureInfo.message}',
    ]);
    expect(info.stdout).toBe(
      'rev-predictor-00003 rev-predictor-00002 RuntimeError: Failed to fetch model. No model found in gs://m/fail-download-3.',
    );
    const pod = sim
      .listObjects('Pod', 'default')
      .find((p) => p.metadata.labels?.['serving.knative.dev/revision'] === 'rev-predictor-00003');
    expect(pod).toBeDefined();
    const logs = await k(['logs', pod?.metadata.name ?? '', '-c', 'storage-initializer']);
    expect(logs.stdout).toContain('Copying contents of gs://m/fail-download-3 to local');
    const pods = await k(['get', 'pods', '-l', 'serving.kserve.io/inferenceservice=rev']);
    expect(pods.stdout).toMatch(/Init:(Error|CrashLoopBackOff)/);
  });

  it('imperative create (protobuf bodies) of namespace/configmap/secret; delete namespace cascades', async () => {
    expect((await k(['create', 'namespace', 'scratch'])).stdout.trim()).toBe(
      'namespace/scratch created',
    );
    expect(
      (await k(['-n', 'scratch', 'create', 'configmap', 'cfg', '--from-literal=a=b'])).code,
    ).toBe(0);
    expect(
      (await k(['-n', 'scratch', 'create', 'secret', 'generic', 'pw', '--from-literal=pw=hunter2']))
        .code,
    ).toBe(0);
    expect(
      (await k(['-n', 'scratch', 'get', 'configmap', 'cfg', '-o', 'jsonpath={.data.a}'])).stdout,
    ).toBe('b');
    const secret = await k(['-n', 'scratch', 'get', 'secret', 'pw', '-o', 'jsonpath={.data.pw}']);
    expect(Buffer.from(secret.stdout, 'base64').toString()).toBe('hunter2');
    expect((await k(['delete', 'namespace', 'scratch'])).code).toBe(0);
    expect(sim.listObjects('ConfigMap', 'scratch')).toHaveLength(0);
    expect(sim.listObjects('Secret', 'scratch')).toHaveLength(0);
  });
});

describe('kubectl over TLS with a bearer token', () => {
  let tlsSim: KubeSim;
  beforeAll(async () => {
    tlsSim = await startKubeSim({ tls: true, token: 'deploy-token' });
  });
  afterAll(async () => {
    await tlsSim.stop();
  });

  it('verifies the generated CA and rejects a wrong token with 401', async () => {
    expect(tlsSim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(tlsSim.caData).toBeTruthy();
    const ok = await kubectl(tlsSim, work, ['get', 'namespaces', '-o', 'name']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('namespace/default');
    const bad = await kubectl(tlsSim, work, ['--token', 'nope', 'get', 'namespaces']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(
      /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/,
    );
  });
});
