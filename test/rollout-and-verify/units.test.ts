import { describe, expect, it } from '@jest/globals';
import { mapInputs, Inputs } from '../../shared/inputs.ts';
import {
  describeTarget,
  generationObserved,
  observedGeneration,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { checkSmokeTarget, getInputs } from '../../actions/rollout-and-verify/inputs.ts';
import { expectProblem, jsonPathValue } from '../../actions/rollout-and-verify/isvc-smoke.ts';
import { applyRank } from '../../actions/rollout-and-verify/manifests.ts';
import { podProblem } from '../../actions/rollout-and-verify/pods.ts';
import { smokeUrl } from '../../actions/rollout-and-verify/smoke.ts';
import { workloadFollowRules } from '../../actions/rollout-and-verify/workload-follow.ts';
import { isvcFollowRules } from '../../actions/rollout-and-verify/isvc-follow.ts';
import type { Workload } from '../../actions/rollout-and-verify/types.ts';

const env = { GITHUB_WORKSPACE: '/ws', KUBECONFIG: '/k/config' };
const parse = (values: Record<string, string>) => getInputs(new Inputs(mapInputs(values)), env);

describe('inputs', () => {
  it('applies the documented defaults', () => {
    const i = parse({ manifests: 'a.yaml\nb/' });
    expect(i).toMatchObject({
      manifests: ['a.yaml', 'b/'],
      kubeconfig: '/k/config',
      apply: true,
      forceConflicts: true,
      timeoutMs: 600_000,
      failFast: true,
      rollback: true,
      unschedulableGraceMs: 30_000,
      waitForLoadBalancer: false,
      smoke: { path: '/', method: 'GET', expectStatus: [200] },
    });
  });

  it.each([
    ['smoke-url', 'ftp://x', "Input 'smoke-url' must be an http(s) URL"],
    ['smoke-path', 'health', "Input 'smoke-path' must start with '/'"],
    ['smoke-method', 'FETCH', "Input 'smoke-method' must be one of"],
    ['smoke-expect-status', '200,abc', "Input 'smoke-expect-status' must list HTTP statuses"],
    ['namespace', 'Bad_NS', "Input 'namespace' must be a DNS label"],
    ['fail-fast', 'yes', "Input 'fail-fast' must be true or false"],
  ])('rejects %s=%s', (name, value, message) => {
    expect(() => parse({ manifests: 'a.yaml', 'smoke-url': 'http://svc', [name]: value })).toThrow(
      message,
    );
  });

  it.each(['smoke-path', 'smoke-method', 'smoke-body', 'smoke-expect-status', 'smoke-expect'])(
    'rejects %s without smoke-url, wait-for-load-balancer or an InferenceService (the test would never run)',
    (name) => {
      const value = {
        'smoke-path': '/healthz',
        'smoke-method': 'POST',
        'smoke-body': '{}',
        'smoke-expect': 'predictions',
      }[name];
      const inputs = parse({ manifests: 'a.yaml', [name]: value ?? '2xx' });
      expect(() => checkSmokeTarget(inputs, ['Deployment', 'Service'])).toThrow(
        `Input '${name}' is set but there is nothing to smoke-test: set 'smoke-url'`,
      );
      // An InferenceService's status.url is a target.
      expect(() => checkSmokeTarget(inputs, ['InferenceService'])).not.toThrow();
      expect(
        parse({ manifests: 'a.yaml', 'wait-for-load-balancer': 'true', [name]: value ?? '2xx' })
          .waitForLoadBalancer,
      ).toBe(true);
    },
  );

  it('accepts the smoke defaults the runner passes when no smoke test is asked for', () => {
    const defaults = { 'smoke-path': '/', 'smoke-method': 'GET', 'smoke-expect-status': '200' };
    expect(parse({ manifests: 'a.yaml', ...defaults }).smoke.url).toBeUndefined();
  });

  it('parses smoke-expect as a JSON path with an optional value', () => {
    const i = parse({
      manifests: 'a',
      'smoke-url': 'http://svc',
      'smoke-expect': 'outputs[0].data[0]=1',
    });
    expect(i.smoke.expect).toEqual({ path: 'outputs[0].data[0]', value: '1' });
    expect(() =>
      parse({ manifests: 'a', 'smoke-url': 'http://svc', 'smoke-expect': 'a b' }),
    ).toThrow("Input 'smoke-expect' must be a JSON path");
    const body = JSON.stringify({ outputs: [{ data: [1, 0] }], model: 'iris' });
    expect(jsonPathValue(JSON.parse(body), '$.outputs[0].data[1]')).toEqual({
      found: true,
      value: 0,
    });
    expect(expectProblem(body, { path: 'outputs[0].data[0]', value: '1' })).toBeUndefined();
    expect(expectProblem(body, { path: 'model', value: 'iris' })).toBeUndefined();
    expect(expectProblem(body, { path: 'outputs[0].data[0]', value: '2' })).toBe(
      'smoke-expect: outputs[0].data[0] is 1, expected 2',
    );
    expect(expectProblem(body, { path: 'predictions' })).toBe(
      'smoke-expect: predictions is not in the answer',
    );
  });

  it('expands 2xx', () => {
    expect(
      parse({ manifests: 'a', 'smoke-url': 'http://svc', 'smoke-expect-status': '2xx, 301' }).smoke
        .expectStatus,
    ).toHaveLength(101);
  });
});

describe('fail-fast pod reasons', () => {
  const pod = (status: unknown): KubeObject => ({
    metadata: { name: 'p', namespace: 'ns' },
    status: status as Record<string, unknown>,
  });
  it.each([
    'ErrImagePull',
    'ImagePullBackOff',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CrashLoopBackOff',
  ])('%s fails fast', (reason) => {
    const p = podProblem(
      pod({ containerStatuses: [{ name: 'c', state: { waiting: { reason, message: 'm' } } }] }),
    );
    expect(p).toMatchObject({ pod: 'p', container: 'c', reason });
  });
  it('ContainerCreating and Running are fine; Unschedulable is flagged for the grace', () => {
    expect(
      podProblem(
        pod({
          containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ContainerCreating' } } }],
        }),
      ),
    ).toBeUndefined();
    expect(
      podProblem(
        pod({
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes',
            },
          ],
        }),
      ),
    ).toMatchObject({ reason: 'Unschedulable', unschedulable: true, message: '0/3 nodes' });
  });
});

describe('helpers', () => {
  it.each([
    [
      'PATCH',
      '/apis/apps/v1/namespaces/ml/deployments/web',
      {},
      'patch deployments.apps web in ml',
    ],
    ['GET', '/api/v1/namespaces/ml/pods', { watch: true }, 'watch pods in ml'],
    ['GET', '/api/v1/namespaces/ml/pods', {}, 'list pods in ml'],
    ['GET', '/api/v1/namespaces/ml/pods/p/log', {}, 'get pods/log p in ml'],
    ['PATCH', '/api/v1/namespaces/ml', {}, 'patch namespaces ml in -'],
  ])('describeTarget %s %s', (method, path, query, expected) => {
    const t = describeTarget(method, path, query);
    expect(`${t.verb} ${t.resource}${t.name ? ` ${t.name}` : ''} in ${t.namespace ?? '-'}`).toBe(
      expected,
    );
  });

  it('orders namespaces and config before workloads, services and HPAs after', () => {
    const kinds = [
      'HorizontalPodAutoscaler',
      'Service',
      'Deployment',
      'ConfigMap',
      'Namespace',
      'CustomResourceDefinition',
    ];
    expect([...kinds].sort((a, b) => applyRank(a) - applyRank(b))).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'ConfigMap',
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
    ]);
  });

  it('generationObserved: the status caught up with the spec (a missing or odd value is 0)', () => {
    const obj = (generation: number | undefined, status: unknown): KubeObject => ({
      metadata: { name: 'iris', ...(generation !== undefined ? { generation } : {}) },
      status: status as Record<string, unknown>,
    });
    expect(generationObserved(obj(3, { observedGeneration: 3 }))).toBe(true);
    expect(generationObserved(obj(3, { observedGeneration: 2 }))).toBe(false);
    expect(generationObserved(obj(3, { observedGeneration: '3' }))).toBe(false);
    expect(generationObserved(obj(3, undefined))).toBe(false);
    expect(generationObserved(obj(undefined, undefined))).toBe(true);
    // A generation this run applied, against a status that has not seen it yet.
    expect(generationObserved(obj(4, { observedGeneration: 4 }), 5)).toBe(false);
    expect(observedGeneration(obj(1, { observedGeneration: Number.NaN }))).toBe(0);
    expect(observedGeneration(undefined)).toBe(0);
  });

  it('joins smoke URL and path', () => {
    expect(smokeUrl('http://h:8080', '/v1/models/iris')).toBe('http://h:8080/v1/models/iris');
    expect(smokeUrl('http://h/base/', '/predict')).toBe('http://h/base/predict');
    expect(smokeUrl('http://h/base', '/')).toBe('http://h/base');
  });
});

describe('follow rules by kind (follow.ts knows no kinds)', () => {
  const w = (kind: string): Workload => ({
    apiVersion: kind === 'InferenceService' ? 'serving.kserve.io/v1beta1' : 'apps/v1',
    kind,
    plural: `${kind.toLowerCase()}s`,
    name: 'iris',
    namespace: 'ml',
  });
  const pod = (labels: Record<string, string>): KubeObject => ({ metadata: { name: 'p', labels } });

  it('workloads: a missed progress deadline is named; OnDelete kinds end done on an error', () => {
    expect(
      workloadFollowRules.failureReason(
        w('Deployment'),
        'deployment "iris" exceeded its progress deadline',
      ),
    ).toBe('ProgressDeadlineExceeded');
    expect(workloadFollowRules.failureReason(w('Deployment'), 'other')).toBe('RolloutError');
    expect(workloadFollowRules.doneOnError(w('Deployment'))).toBe(false);
    expect(workloadFollowRules.doneOnError(w('StatefulSet'))).toBe(true);
  });

  it("a StatefulSet's new pods are its update revision's, watched by its selector", async () => {
    const sts: KubeObject = {
      metadata: { name: 'iris', generation: 2 },
      spec: { selector: { matchLabels: { app: 'iris' } } },
      status: { updateRevision: 'iris-7c9' },
    };
    const answer = await workloadFollowRules.revisionPods(
      w('StatefulSet'),
      sts,
      undefined as never,
    );
    expect(answer.selector).toBe('app=iris');
    const ofRevision = answer.pods as (p: KubeObject) => boolean;
    expect(ofRevision(pod({ 'controller-revision-hash': 'iris-7c9' }))).toBe(true);
    expect(ofRevision(pod({ 'controller-revision-hash': 'iris-5b1' }))).toBe(false);
  });

  it("an InferenceService's pods: watched from the start; the latest created revision's only", async () => {
    const isvc: KubeObject = {
      metadata: { name: 'iris', generation: 3 },
      status: {
        observedGeneration: 3,
        components: { predictor: { latestCreatedRevision: 'iris-predictor-00003' } },
      },
    };
    expect(isvcFollowRules.podSelector(w('InferenceService'))).toBe(
      'serving.kserve.io/inferenceservice=iris',
    );
    expect(isvcFollowRules.failureReason(w('InferenceService'), 'x')).toBe(
      'InferenceServiceNotReady',
    );
    const answer = await isvcFollowRules.revisionPods(
      w('InferenceService'),
      isvc,
      undefined as never,
    );
    const ofRevision = answer.pods as (p: KubeObject) => boolean;
    expect(ofRevision(pod({ 'serving.knative.dev/revision': 'iris-predictor-00003' }))).toBe(true);
    expect(ofRevision(pod({ 'serving.knative.dev/revision': 'iris-predictor-00002' }))).toBe(false);
    const stale = { ...isvc, metadata: { ...isvc.metadata, generation: 4 } };
    expect(
      (await isvcFollowRules.revisionPods(w('InferenceService'), stale, undefined as never)).pods,
    ).toBe('unknown');
  });
});
