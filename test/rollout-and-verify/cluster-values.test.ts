/**
 * What the cluster answers never reaches the log as a workflow command, an output, or the
 * summary unescaped: a multi-line revision name holding `::error::`, a status.url with a
 * newline, a `|` and a newline in a failure reason. The run goes through the real phases,
 * kind handlers, outputs and summary (wiring.ts) with fake operations and a fake API client.
 */
import { describe, expect, it } from '@jest/globals';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import type { KubeClient, KubeObject, KubeRequest, WatchEvent } from '../../shared/kube/index.ts';
import { runPhases } from '../../shared/phases.ts';
import { inlineCode } from '../../shared/summary.ts';
import { failureReasonOutput } from '../../actions/rollout-and-verify/cluster-values.ts';
import { shownTraffic } from '../../shared/kube/revisions.ts';
import { rolloutContext } from '../../actions/rollout-and-verify/context.ts';
import { getInputs } from '../../actions/rollout-and-verify/inputs.ts';
import { ingressHost, verifyEndpoint } from '../../actions/rollout-and-verify/verify.ts';
import { RunRecord } from '../../actions/rollout-and-verify/record.ts';
import { diagnoseIsvc } from '../../actions/rollout-and-verify/isvc-diagnose.ts';
import { inferenceServiceStatus } from '../../actions/rollout-and-verify/isvc-status.ts';
import type { Manifest } from '../../actions/rollout-and-verify/manifests.ts';
import { newReport, type RolloutOps } from '../../actions/rollout-and-verify/pipeline.ts';
import type { FollowOutcome as Outcome } from '../../actions/rollout-and-verify/types.ts';
import { outputs, phases, summary } from '../../actions/rollout-and-verify/wiring.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';
import { appliedTracked } from './helpers.ts';

const FORGED_REVISION = 'iris-predictor-00002\n::error::forged revision';
const FORGED_URL = 'http://iris.example.com\n::error::forged endpoint';

const manifest: Manifest = {
  object: {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'ml' },
    spec: { predictor: { model: { storageUri: 'gs://m/2' } } },
  },
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  name: 'iris',
  namespace: 'ml',
  plural: 'inferenceservices',
  file: 'isvc.yaml',
  line: 1,
};

/** An InferenceService whose status a hostile (or broken) API server wrote. */
const hostile: KubeObject = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'iris', namespace: 'ml', generation: 1 },
  status: {
    observedGeneration: 1,
    url: FORGED_URL,
    conditions: [{ type: 'Ready', status: 'True' }],
    components: {
      predictor: {
        latestCreatedRevision: FORGED_REVISION,
        latestReadyRevision: FORGED_REVISION,
        traffic: [{ revisionName: FORGED_REVISION, percent: 100, latestRevision: true }],
      },
    },
  },
};

/** The API: the InferenceService did not exist before the apply; it answers `hostile` after. */
function fakeClient(): KubeClient {
  const answer = (req: KubeRequest): unknown =>
    req.path.endsWith('/inferenceservices/iris') ? hostile : { items: [] };
  return {
    server: 'https://fake',
    namespace: 'ml',
    user: 'ci',
    request: async () => ({ status: 404, body: '', json: <T>() => ({}) as T }),
    json: async <T>(req: KubeRequest) => answer(req) as T,
    watch: async () => ({ reason: 'aborted' as const }),
  } as unknown as KubeClient;
}

/** Fake operations: one InferenceService, applied and followed to `outcome`. */
function ops(outcome: Outcome): RolloutOps {
  return {
    load: async () => [manifest],
    apply: async (manifests, _o, ctx) => manifests.map((m) => appliedTracked(m, ctx)),
    follow: async (list) => {
      for (const t of list) t.outcome = outcome;
    },
    diagnose: async (problem) => ({ problem, events: [], logs: [] }),
    verify: async (_m, endpoint) => ({ endpoint }),
  };
}

async function run(outcome: Outcome, extra: Record<string, string> = {}) {
  const inputs = getInputs(new Inputs(mapInputs({ manifests: 'isvc.yaml', ...extra })), {
    GITHUB_WORKSPACE: '/ws',
    KUBECONFIG: '/k/config',
  });
  const logger = new RecordingLogger();
  const ctx = await rolloutContext(inputs, {
    logger,
    clock: new ManualClock(1000),
    signal: new AbortController().signal,
    createClient: async () => fakeClient(),
    saveProgress: () => undefined,
    ops: ops(outcome),
  });
  const report = await runPhases(phases, ctx, newReport(ctx));
  return { report, logger, outputs: outputs(report), summary: summary(report) ?? '' };
}

/** Lines that a runner would read as a workflow command (group markers are the logger's own). */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((l) => /^\s*::/.test(l) && !/^::(end)?group::/.test(l));
}

describe('cluster values never reach outputs, log or summary unchecked', () => {
  it('a ready InferenceService with a forged revision name and status.url: both left out of the outputs', async () => {
    const r = await run({ state: 'done', message: 'ready', object: hostile });
    expect(r.report.result?.status).toBe('succeeded');
    expect(r.outputs).toEqual({
      status: 'succeeded',
      endpoint: '',
      revision: '',
      'failure-reason': '',
    });
    expect(commandLines(r.summary)).toEqual([]);
    expect(r.summary).not.toContain('forged');
    expect(commandLines(r.logger.text())).toEqual([]);
  });

  it('a failure reason with `|` and a newline: one line in the output, inline code in the summary', async () => {
    const r = await run(
      {
        state: 'failed',
        reason: 'Model|Load\n::error::forged reason',
        message: 'BlockedByFailedLoad — ModelLoadFailed: bad | model\n::error::forged message',
        object: hostile,
      },
      { rollback: 'false' },
    );
    const reason = r.outputs['failure-reason'] ?? '';
    expect(reason).toBe(
      '"Model|Load\\n::error::forged reason": InferenceService ml/iris: BlockedByFailedLoad — ModelLoadFailed: bad | model',
    );
    expect(r.outputs.revision).toBe('');
    for (const value of Object.values(r.outputs)) expect(value).not.toMatch(/[\r\n]/);
    const failureLine = r.summary.split('\n').find((l) => l.startsWith('- Failure: '));
    expect(failureLine).toBe(`- Failure: ${inlineCode(reason)}`);
    expect(commandLines(r.summary)).toEqual([]);
    // The InferenceService's own diagnosis (in the summary's fenced block) quotes the names.
    expect(r.report.result?.diagnosis).toContain(
      'revisions: latest created "iris-predictor-00002\\n::error::forged revision"',
    );
    expect(commandLines(r.logger.text())).toEqual([]);
  });
});

describe('a LoadBalancer ingress from the cluster', () => {
  const svc: Manifest = {
    ...manifest,
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'ml' },
      spec: { type: 'LoadBalancer', ports: [{ port: 8080 }] },
    },
    apiVersion: 'v1',
    kind: 'Service',
    name: 'web',
    plural: 'services',
  };
  /** Verifies `svc` against an API whose Service has `ingress` as its load balancer. */
  async function verifyWith(ingress: Record<string, string>) {
    const clock = new ManualClock(0);
    const logger = new RecordingLogger();
    const object = { metadata: { name: 'web' }, status: { loadBalancer: { ingress: [ingress] } } };
    const client = {
      watch: (_p: string, _q: unknown, onEvent: (e: WatchEvent) => void, signal: AbortSignal) => {
        onEvent({ type: 'ADDED', object });
        return new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve({ reason: 'aborted' })),
        );
      },
    } as unknown as KubeClient;
    const smoke = { path: '/', pathGiven: false, method: 'GET', expectStatus: [200] };
    const deps = {
      smokeRequestFor: () => undefined,
      client,
      logger,
      clock,
      signal: new AbortController().signal,
      record: new RunRecord(clock, logger, () => undefined),
    };
    const done = verifyEndpoint(
      [svc],
      '',
      5000,
      { smoke, waitForLoadBalancer: true, timeoutMs: 5000 },
      deps,
    );
    return { done, clock };
  }

  it('a hostname that is not one is never the endpoint (nor a smoke URL)', async () => {
    const { done, clock } = await verifyWith({ hostname: 'lb.example.com/x\n::error::forged' });
    clock.advance(6000);
    const r = await done;
    expect(r).toMatchObject({ endpoint: '', failure: { reason: 'LoadBalancerPending' } });
  });

  it('a host name or an IP address is taken (IPv6 in brackets)', () => {
    const service = (ingress: Record<string, string>): KubeObject => ({
      metadata: { name: 'web' },
      status: { loadBalancer: { ingress: [ingress] } },
    });
    expect(ingressHost(service({ hostname: 'lb.example.com' }))).toBe('lb.example.com');
    expect(ingressHost(service({ ip: '203.0.113.7' }))).toBe('203.0.113.7');
    expect(ingressHost(service({ ip: '2001:db8::1' }))).toBe('[2001:db8::1]');
    expect(ingressHost(service({ hostname: 'a b' }))).toBeUndefined();
  });
});

describe('cluster values in messages', () => {
  it('shownTraffic quotes a revision name that is not one, on one line', () => {
    const text = shownTraffic({
      traffic: [
        { revisionName: FORGED_REVISION, percent: 20 },
        { revisionName: 'iris-predictor-00001', percent: 80 },
      ],
    });
    expect(text).toBe(
      '"iris-predictor-00002\\n::error::forged revision" 20 %, iris-predictor-00001 80 %',
    );
  });

  it('the readiness message quotes a status.url and a revision that are not what they say', () => {
    expect(inferenceServiceStatus(hostile).message).toBe(
      'inference service "iris" is ready at "http://iris.example.com\\n::error::forged endpoint"',
    );
    const pending = structuredClone(hostile);
    const predictor = (pending.status!.components as { predictor: Record<string, unknown> })
      .predictor;
    predictor.latestReadyRevision = 'iris-predictor-00001';
    expect(inferenceServiceStatus(pending).message).toContain(
      'revision "iris-predictor-00002\\n::error::forged revision" is not ready yet',
    );
  });

  it('the diagnosis of a failed InferenceService quotes the revision names', async () => {
    const text = await diagnoseIsvc(manifest, fakeClient());
    expect(commandLines(text)).toEqual([]);
    expect(text).toContain('traffic: "iris-predictor-00002\\n::error::forged revision" 100 %');
  });

  it('failureReasonOutput keeps a known reason and the first line, control characters made spaces', () => {
    expect(failureReasonOutput({ reason: 'ImagePullBackOff', message: 'pod a\tb\rc\nd' })).toBe(
      'ImagePullBackOff: pod a b',
    );
    expect(failureReasonOutput({ reason: 'Timeout', message: 'x\u2028y' })).toBe('Timeout: x y');
  });

  it('inlineCode: one line, a backtick run longer than any inside', () => {
    expect(inlineCode('a | b\n## c')).toBe('`a | b ## c`');
    expect(inlineCode('x `y` ``z')).toBe('```x `y` ``z```');
    expect(inlineCode('`edge')).toBe('`` `edge ``');
  });
});
