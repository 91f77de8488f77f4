/**
 * canary-targets.ts with a fake API client: an `inference-service` holding a canary becomes
 * the canary revision vs the stable one (each `<revision>-private:http`); without a split the
 * targets stay as they were and the note says why.
 */
import { describe, expect, it } from '@jest/globals';
import { mapInputs, Inputs } from '../../shared/inputs.ts';
import type { KubeObject, KubeRequest } from '../../shared/kube/types.ts';
import { getInputs } from '../../actions/analyze-release/inputs.ts';
import { canaryTargets } from '../../actions/analyze-release/canary-targets.ts';
import { canarySplit } from '../../shared/kube/revisions.ts';
import { targetUrl } from '../../actions/analyze-release/targets.ts';

const env = { GITHUB_WORKSPACE: '/ws', KUBECONFIG: '/k/config' };
const parse = (values: Record<string, string>) =>
  getInputs(new Inputs(mapInputs({ rate: '10', duration: '2s', ...values })), env);

type Traffic = { revisionName: string; percent: number; latestRevision: boolean };
const SPLIT: Traffic[] = [
  { revisionName: 'iris-predictor-00002', percent: 10, latestRevision: true },
  { revisionName: 'iris-predictor-00001', percent: 90, latestRevision: false },
];

function isvc(percent: number | undefined, traffic: Traffic[]): KubeObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name: 'iris', namespace: 'models', generation: 2 },
    spec: { predictor: percent === undefined ? {} : { canaryTrafficPercent: percent } },
    status: {
      observedGeneration: 2,
      components: {
        predictor: { latestReadyRevision: 'iris-predictor-00002', traffic },
      },
    },
  };
}

function client(obj: KubeObject | undefined) {
  const paths: string[] = [];
  return {
    paths,
    namespace: 'ctx-ns',
    request(req: KubeRequest) {
      paths.push(req.path);
      return Promise.resolve({
        status: obj ? 200 : 404,
        body: '',
        json: <T>() => obj as T,
      });
    },
  };
}

describe('canary targets of an inference-service', () => {
  it('a held canary: the canary revision vs the stable one, through <revision>-private:http', async () => {
    const c = client(isvc(10, SPLIT));
    const inputs = parse({ 'inference-service': 'models/iris', 'max-regression': 'p95:10%' });
    const r = await canaryTargets(inputs, c);
    expect(c.paths).toEqual([
      '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices/iris',
    ]);
    const urls = r.inputs.targets.map((t) =>
      targetUrl(t, '/v1/models/iris:predict', { server: 'https://k', namespace: undefined }),
    );
    expect(urls).toEqual([
      'https://k/api/v1/namespaces/models/services/iris-predictor-00002-private:http/proxy/v1/models/iris:predict',
      'https://k/api/v1/namespaces/models/services/iris-predictor-00001-private:http/proxy/v1/models/iris:predict',
    ]);
    expect(r.note).toMatch(
      /holds a canary at 10 %: the candidate is the canary revision iris-predictor-00002, the baseline the stable revision iris-predictor-00001/,
    );
    expect(r.missingBaseline).toBeUndefined();
  });

  it('no split: the predictor Service alone, a note saying why, a comparison inconclusive', async () => {
    const full = [{ revisionName: 'iris-predictor-00002', percent: 100, latestRevision: true }];
    const inputs = parse({
      'inference-service': 'iris',
      'max-regression': 'p95:10%',
      'prediction-path': 'predictions[*]',
    });
    const r = await canaryTargets(inputs, client(isvc(undefined, full)));
    expect(r.inputs.targets).toEqual(inputs.targets);
    expect(r.inputs.predictionPath).toBeUndefined();
    expect(r.note).toBe(
      'No baseline: InferenceService ctx-ns/iris holds no canary: spec.predictor.canaryTrafficPercent is not set (traffic: iris-predictor-00002 100 %); the candidate is its predictor Service ctx-ns/iris-predictor, judged by the thresholds only.',
    );
    expect(r.missingBaseline).toMatchObject({ name: 'baseline', verdict: 'inconclusive' });
    const missing = await canaryTargets(parse({ 'inference-service': 'iris' }), client(undefined));
    expect(missing.note).toContain('holds no canary: it was not found;');
    expect(missing.missingBaseline).toBeUndefined();
  });

  it('a given baseline or another target kind: nothing is read', async () => {
    const c = client(isvc(10, SPLIT));
    const cases: Record<string, string>[] = [
      { 'inference-service': 'iris', 'baseline-service': 'iris-stable' },
      { service: 'iris' },
    ];
    for (const values of cases) {
      const inputs = parse(values);
      expect((await canaryTargets(inputs, c)).inputs).toBe(inputs);
    }
    expect(c.paths).toEqual([]);
  });

  it('max-regression with inference-service alone is accepted (the baseline may come from a canary); with service it is not', () => {
    expect(
      parse({ 'inference-service': 'iris', 'max-regression': 'p95:10%' }).maxRegression,
    ).toHaveLength(1);
    expect(() => parse({ service: 'iris', 'max-regression': 'p95:10%' })).toThrow(
      /Input 'max-regression' compares with a baseline/,
    );
  });

  it('canarySplit: a stale status or a revision name that is not a DNS label is not used', () => {
    const stale = isvc(10, SPLIT);
    stale.metadata.generation = 3;
    expect(canarySplit(stale)).toEqual({
      found: `its status has not observed generation 3 yet (observed 2; traffic: iris-predictor-00002 10 %, iris-predictor-00001 90 %)`,
    });
    const odd = isvc(10, [SPLIT[0]!, { ...SPLIT[1]!, revisionName: '../../secrets' }]);
    expect(() => canarySplit(odd)).toThrow(/stable revision name/);
  });
});
