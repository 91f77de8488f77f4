/**
 * `finish-canary` with fakes: its inputs, what counts as a held canary, and the phases over a
 * fake Kubernetes client whose "controller" moves the traffic as KServe does after the apply.
 */
import { canarySplit } from '../../shared/kube/revisions.ts';
import { describe, expect, it } from '@jest/globals';
import { mapInputs, Inputs } from '../../shared/inputs.ts';
import { runPhases } from '../../shared/phases.ts';
import { KubeApiError } from '../../shared/kube/index.ts';
import type {
  KubeClient,
  KubeObject,
  KubeRequest,
  WatchEnd,
  WatchEvent,
} from '../../shared/kube/index.ts';
import { getInputs } from '../../actions/rollout-and-verify/inputs.ts';
import { withFinishCanary } from '../../actions/rollout-and-verify/finish-phases.ts';
import { rolloutContext } from '../../actions/rollout-and-verify/context.ts';
import { newReport, rolloutPhases } from '../../actions/rollout-and-verify/pipeline.ts';
import { rolloutSummary } from '../../actions/rollout-and-verify/summary.ts';
import { statusEmoji } from '../../shared/summary.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';
import { loadActionMetadata } from '../harness/runner.ts';

const env = { GITHUB_WORKSPACE: '/ws', KUBECONFIG: '/k/config', GITHUB_RUN_ID: '7' };
const parse = (values: Record<string, string>) => getInputs(new Inputs(mapInputs(values)), env);

type Traffic = { revisionName: string; percent: number; latestRevision: boolean; tag?: string };

function isvc(percent: number | undefined, traffic: Traffic[], generation = 2): KubeObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'models', generation, resourceVersion: '10' },
    spec: {
      predictor: {
        ...(percent !== undefined ? { canaryTrafficPercent: percent } : {}),
        model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m/v2' },
      },
    },
    status: {
      observedGeneration: generation,
      url: 'http://iris-models.example.com',
      components: {
        predictor: {
          latestCreatedRevision: 'iris-predictor-00002',
          latestReadyRevision: 'iris-predictor-00002',
          latestRolledoutRevision: 'iris-predictor-00001',
          traffic,
        },
      },
    },
  };
}

const SPLIT: Traffic[] = [
  { tag: 'latest', revisionName: 'iris-predictor-00002', percent: 20, latestRevision: true },
  { tag: 'prev', revisionName: 'iris-predictor-00001', percent: 80, latestRevision: false },
];

/** A fake API server with one InferenceService; after a PATCH it moves the traffic as KServe. */
class FakeCluster {
  obj: KubeObject;
  readonly patches: unknown[] = [];
  /** The controller never moves the traffic (a stuck KServe). */
  stuck = false;
  /** PATCHes answered 409 Conflict first (the object changed since it was read). */
  conflicts = 0;
  readonly reads: string[] = [];
  /** Called after each PATCH (e.g. to cancel the job). */
  onPatch: () => void = () => undefined;
  private readonly watchers = new Set<(e: WatchEvent) => void>();
  constructor(obj: KubeObject) {
    this.obj = obj;
  }
  client(): KubeClient {
    const request = (req: KubeRequest) => this.request(req);
    return {
      server: 'https://fake',
      namespace: 'models',
      user: 'ci',
      request,
      json: async <T>(req: KubeRequest) => (await request(req)).json<T>(),
      watch: (_path, _query, onEvent, signal) => this.watch(onEvent, signal),
    };
  }
  private request(req: KubeRequest) {
    if (req.method === 'GET') this.reads.push(req.path);
    if (req.method === 'PATCH' && this.conflicts > 0) {
      this.conflicts--;
      const target = { verb: 'patch', resource: 'inferenceservices', name: 'iris' };
      return Promise.reject(
        new KubeApiError('the object has been modified', 409, 'Conflict', target),
      );
    }
    if (req.method === 'PATCH') this.apply(req.body as { spec: Record<string, unknown> });
    const obj = structuredClone(this.obj);
    return Promise.resolve({ status: 200, body: JSON.stringify(obj), json: <T>() => obj as T });
  }
  private apply(body: { spec: Record<string, unknown> }): void {
    this.patches.push(structuredClone(body));
    const predictor = (body.spec.predictor ?? {}) as { canaryTrafficPercent?: number };
    const gen = (this.obj.metadata.generation ?? 0) + 1;
    this.obj = { ...this.obj, metadata: { ...this.obj.metadata, generation: gen } };
    // KServe's controller, a moment later: the traffic follows the new percentage.
    const percent = predictor.canaryTrafficPercent;
    this.onPatch();
    if (this.stuck) return;
    const traffic: Traffic[] =
      percent === undefined
        ? [{ revisionName: 'iris-predictor-00002', percent: 100, latestRevision: true }]
        : [
            { ...SPLIT[0]!, percent },
            { ...SPLIT[1]!, percent: 100 - percent },
          ];
    queueMicrotask(() => {
      this.obj = isvc(percent, traffic, gen);
      for (const w of this.watchers) w({ type: 'MODIFIED', object: structuredClone(this.obj) });
    });
  }
  private watch(onEvent: (e: WatchEvent) => void, signal: AbortSignal): Promise<WatchEnd> {
    onEvent({ type: 'ADDED', object: structuredClone(this.obj) });
    this.watchers.add(onEvent);
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        this.watchers.delete(onEvent);
        resolve({ reason: 'aborted' });
      });
    });
  }
}

async function finish(
  cluster: FakeCluster,
  values: Record<string, string>,
  signal = new AbortController().signal,
) {
  const inputs = parse({ timeout: '30s', ...values });
  const ctx = await rolloutContext(inputs, {
    logger: new RecordingLogger(),
    clock: new ManualClock(1000),
    signal,
    createClient: () => Promise.resolve(cluster.client()),
    saveProgress: () => undefined,
  });
  const report = newReport(ctx);
  const error = await runPhases(withFinishCanary(rolloutPhases), ctx, report).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return { report, error };
}

describe('finish-canary inputs', () => {
  it('takes finish-canary + inference-service instead of manifests', () => {
    expect(
      parse({ 'finish-canary': 'rollback', 'inference-service': 'models/iris' }),
    ).toMatchObject({
      manifests: [],
      finishCanary: { action: 'rollback', namespace: 'models', name: 'iris' },
    });
    expect(parse({ 'finish-canary': 'promote', 'inference-service': 'iris' }).finishCanary).toEqual(
      { action: 'promote', name: 'iris' },
    );
  });

  it.each([
    [{ 'finish-canary': 'promote' }, "Input 'finish-canary' needs 'inference-service'"],
    [{ 'inference-service': 'iris', manifests: 'a.yaml' }, "set 'finish-canary' too"],
    [{ 'finish-canary': 'undo', 'inference-service': 'iris' }, "'promote', 'rollback'"],
    [{ 'finish-canary': 'promote', 'inference-service': 'Iris/x' }, '[namespace/]name'],
    [{ 'finish-canary': 'promote', 'inference-service': 'models-/iris' }, '[namespace/]name'],
    [
      { 'finish-canary': 'promote', 'inference-service': `${'m'.repeat(64)}/iris` },
      '[namespace/]name',
    ],
    [
      { 'finish-canary': 'promote', 'inference-service': 'iris', manifests: 'a.yaml' },
      "Input 'manifests' must be empty with 'finish-canary'",
    ],
    [{}, "Input 'manifests' is required."],
    [
      { 'finish-canary': 'promote', 'inference-service': 'iris', 'smoke-url': 'https://x' },
      "Input 'smoke-url' is for applying manifests",
    ],
    [
      { 'finish-canary': 'promote', 'inference-service': 'iris', 'wait-for-load-balancer': 'true' },
      "Input 'wait-for-load-balancer' is for applying manifests",
    ],
  ])('refuses %j', (values, message) => {
    expect(() => parse(values)).toThrow(message);
  });

  // What only an apply uses would be silently ignored: one error naming the input, and why.
  it.each([
    ['canary', 'hold', "'finish-canary' itself says it"],
    ['rollback', 'false', "'finish-canary: rollback' is the canary's rollback"],
    ['delete-new-on-failure', 'true', "'finish-canary' creates none"],
    ['apply', 'false', 'always applies the canary percentage'],
    ['force-conflicts', 'false', 'always with force'],
    ['fail-fast', 'false', 'starts none'],
    ['unschedulable-grace', '5m', 'starts none'],
    ['smoke-path', '/v1/models/iris', 'smoke test'],
    ['smoke-method', 'POST', 'smoke test'],
    ['smoke-expect-status', '2xx', 'smoke test'],
    ['smoke-expect', 'predictions', 'smoke test'],
    ['smoke-body', '{"instances": [[1]]}', 'smoke test'],
  ])('refuses %s: %s with finish-canary, naming it and why', (name, value, why) => {
    const values = { 'finish-canary': 'rollback', 'inference-service': 'models/iris' };
    expect(() => parse({ ...values, [name]: value })).toThrow(
      `Input '${name}' is for applying manifests, and 'finish-canary' would ignore it:`,
    );
    expect(() => parse({ ...values, [name]: value })).toThrow(why);
  });

  it("takes every input at action.yml's default (the runner passes defaults as values)", () => {
    const defaults = Object.fromEntries(
      Object.entries(loadActionMetadata('rollout-and-verify').inputs ?? {}).map(([n, spec]) => [
        n,
        spec.default ?? '',
      ]),
    );
    // The same values spelled otherwise are defaults too.
    const spelled = { rollback: 'True', 'fail-fast': 'TRUE', 'unschedulable-grace': '30' };
    for (const extra of [{}, spelled]) {
      const i = parse({
        ...defaults,
        ...extra,
        'finish-canary': 'promote',
        'inference-service': 'models/iris',
      });
      expect(i.finishCanary).toEqual({ action: 'promote', namespace: 'models', name: 'iris' });
    }
  });
});

// The split is read by shared/kube/revisions.ts (analyze-release reads it the same way).
describe('canarySplit', () => {
  it('finds the canary and the stable revision of a split', () => {
    expect(canarySplit(isvc(20, SPLIT)).split).toEqual({
      percent: 20,
      canary: 'iris-predictor-00002',
      stable: 'iris-predictor-00001',
    });
  });

  it('says what it found when there is no held canary', () => {
    const full = [{ revisionName: 'iris-predictor-00002', percent: 100, latestRevision: true }];
    expect(canarySplit(isvc(undefined, full))).toEqual({
      found: 'spec.predictor.canaryTrafficPercent is not set (traffic: iris-predictor-00002 100 %)',
    });
    expect(canarySplit(isvc(20, full)).found).toContain('no split between a ready canary');
    const stale = isvc(20, SPLIT);
    stale.metadata.generation = 3;
    expect(canarySplit(stale).found).toContain('has not observed generation 3');
  });

  it('shows a revision name that is not one JSON-quoted, on one line (it reaches the summary)', () => {
    const odd = [{ revisionName: 'x\n## injected', percent: 100, latestRevision: true }];
    const found = canarySplit(isvc(20, odd)).found;
    expect(found).toBe(
      'canaryTrafficPercent 20 but no split between a ready canary and a stable revision (latest ready: iris-predictor-00002; traffic: "x\\n## injected" 100 %)',
    );
    expect(found).not.toContain('\n');
  });

  it('refuses a revision name that is not a DNS label (a server value)', () => {
    const odd = [SPLIT[0]!, { ...SPLIT[1]!, revisionName: 'x\n::error::y' }];
    expect(() => canarySplit(isvc(20, odd))).toThrow(/stable revision name/);
  });
});

describe('finish-canary phases (fake cluster)', () => {
  it('promote: clears the percentage, keeps the rest of the spec, ends with 100 % on the canary', async () => {
    const cluster = new FakeCluster(isvc(20, SPLIT));
    const { report, error } = await finish(cluster, {
      'finish-canary': 'promote',
      'inference-service': 'models/iris',
    });
    expect(error).toBeUndefined();
    expect(cluster.patches).toEqual([
      expect.objectContaining({
        spec: { predictor: { model: expect.objectContaining({ storageUri: 'gs://m/v2' }) } },
      }),
    ]);
    expect(report.result).toMatchObject({
      status: 'succeeded',
      revision: 'iris-predictor-00002',
      endpoint: 'http://iris-models.example.com',
      finishedCanary: 'promote',
    });
    expect(rolloutSummary(report.result!).split('\n')[0]).toBe(
      `## ${statusEmoji('success')} rollout-and-verify: canary promoted`,
    );
    // The rollout phases did not run.
    expect(report.phases.filter((p) => p.outcome === 'done').map((p) => p.name)).toEqual([
      'finish canary',
      'finish canary outcome',
    ]);
  });

  it('rollback: sets 0 %, ends rolled-back with the stable revision serving 100 %', async () => {
    const cluster = new FakeCluster(isvc(20, SPLIT));
    const { report, error } = await finish(cluster, {
      'finish-canary': 'rollback',
      'inference-service': 'iris',
      namespace: 'models',
    });
    expect(error).toBeUndefined();
    expect(cluster.patches).toEqual([
      expect.objectContaining({
        spec: { predictor: expect.objectContaining({ canaryTrafficPercent: 0 }) },
      }),
    ]);
    expect(report.result).toMatchObject({
      status: 'rolled-back',
      revision: 'iris-predictor-00001',
      finishedCanary: 'rollback',
    });
    expect(rolloutSummary(report.result!).split('\n')[0]).toBe(
      `## ${statusEmoji('warning')} rollout-and-verify: canary rolled back`,
    );
  });

  it('refuses an InferenceService without a held canary, with one error, and changes nothing', async () => {
    const full = [{ revisionName: 'iris-predictor-00002', percent: 100, latestRevision: true }];
    const cluster = new FakeCluster(isvc(undefined, full));
    const { report, error } = await finish(cluster, {
      'finish-canary': 'rollback',
      'inference-service': 'models/iris',
    });
    expect(error?.message).toBe(
      "finish-canary: InferenceService models/iris holds no canary to roll back: spec.predictor.canaryTrafficPercent is not set (traffic: iris-predictor-00002 100 %). Apply it with 'canary: hold' first.",
    );
    expect(cluster.patches).toEqual([]);
    expect(report.result).toBeUndefined();
  });

  it('the traffic never moves: the step ends at its timeout, status failed, naming the traffic', async () => {
    const cluster = new FakeCluster(isvc(20, SPLIT));
    cluster.stuck = true;
    const { report, error } = await finish(cluster, {
      'finish-canary': 'promote',
      'inference-service': 'models/iris',
    });
    expect(error).toBeUndefined();
    expect(report.result).toMatchObject({
      status: 'failed',
      revision: '',
      failureReason:
        'Timeout: InferenceService models/iris: iris-predictor-00002 did not take 100 % of the traffic before the timeout (traffic: iris-predictor-00002 20 %, iris-predictor-00001 80 %)',
    });
    expect(rolloutSummary(report.result!).split('\n')[0]).toBe(
      `## ${statusEmoji('failure')} rollout-and-verify: failed`,
    );
  });

  it('a cancelled job stops the wait with the cancellation as the cause', async () => {
    const cluster = new FakeCluster(isvc(20, SPLIT));
    cluster.stuck = true;
    const job = new AbortController();
    cluster.onPatch = () => job.abort();
    const { report, error } = await finish(
      cluster,
      { 'finish-canary': 'rollback', 'inference-service': 'models/iris' },
      job.signal,
    );
    expect(error?.name).toBe('CancelledError');
    expect(error?.message).toContain('finish-canary');
    expect(report.result).toBeUndefined();
  });

  it('a 409 (the object changed since it was read) reads it again and applies once more', async () => {
    const cluster = new FakeCluster(isvc(20, SPLIT));
    cluster.conflicts = 1;
    const { report, error } = await finish(cluster, {
      'finish-canary': 'rollback',
      'inference-service': 'models/iris',
    });
    expect(error).toBeUndefined();
    expect(cluster.reads).toHaveLength(2);
    expect(cluster.patches).toHaveLength(1);
    expect(report.result?.status).toBe('rolled-back');
  });
});
