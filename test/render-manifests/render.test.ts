import { describe, expect, it, afterEach } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { LocatedErrors } from '../../shared/errors.ts';
import { processRunner } from '../../shared/exec.ts';
import { mapInputs, Inputs } from '../../shared/inputs.ts';
import { getInputs } from '../../actions/render-manifests/inputs.ts';
import { renderManifests, type RenderResult } from '../../actions/render-manifests/run.ts';
import { RecordingLogger } from '../harness/doubles.ts';

interface Workload {
  kind: string;
  metadata: { namespace?: string; labels: Record<string, string> };
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
  };
}

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'render-manifests',
);
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function render(
  values: Record<string, string>,
): Promise<{ result: RenderResult; logger: RecordingLogger; out: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'render-'));
  temps.push(out);
  const inputs = getInputs(new Inputs(mapInputs({ 'output-dir': out, ...values })), {
    GITHUB_WORKSPACE: fixtures,
    // As on a runner: the output dir is under RUNNER_TEMP, where output may go.
    RUNNER_TEMP: out,
  });
  const logger = new RecordingLogger();
  const result = await renderManifests(inputs, { runner: processRunner, logger });
  return { result, logger, out };
}

async function renderError(
  values: Record<string, string>,
): Promise<{ error: LocatedErrors; out: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'render-'));
  temps.push(out);
  const inputs = getInputs(new Inputs(mapInputs({ 'output-dir': out, ...values })), {
    GITHUB_WORKSPACE: fixtures,
    // As on a runner: the output dir is under RUNNER_TEMP, where output may go.
    RUNNER_TEMP: out,
  });
  const error = await renderManifests(inputs, {
    runner: processRunner,
    logger: new RecordingLogger(),
  }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LocatedErrors);
  return { error: error as LocatedErrors, out };
}

describe('renderManifests', () => {
  it('renders files with placeholder, vars, namespace, labels and image overrides, keeping comments and order', async () => {
    const { result } = await render({
      manifests: 'app',
      'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER',
      image: 'ghcr.io/octo-org/model-server@sha256:' + 'a'.repeat(64),
      vars: 'MODEL_VERSION=2024-11-01',
      namespace: 'ml-prod',
      labels: 'app.kubernetes.io/part-of=recsys',
      annotations: 'deploy/commit=abc123',
      images: 'ghcr.io/octo-org/metrics-exporter:2.0.0',
    });
    const text = readFileSync(result.manifestsPath, 'utf8');
    expect(text).toContain('# The model server. Comments like this one must survive rendering.');
    expect(text).toContain('name: model-server # inline comment');
    expect(text).toContain('image: ghcr.io/octo-org/model-server@sha256:' + 'a'.repeat(64));
    expect(text).toContain('image: ghcr.io/octo-org/metrics-exporter:2.0.0');
    expect(text).toContain('value: "2024-11-01"');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Workload);
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    const deployment = docs[0]!;
    expect(Object.keys(deployment)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(deployment.metadata.namespace).toBe('ml-prod');
    expect(deployment.metadata.labels['app.kubernetes.io/part-of']).toBe('recsys');
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('recsys');
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'model-server' });
    expect(deployment.spec.template.metadata.annotations['deploy/commit']).toBe('abc123');
    expect(result.resources).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml-prod', name: 'model-server' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'ml-prod', name: 'model-server' },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace: 'ml-prod',
        name: 'model-server',
      },
    ]);
    expect(result.images).toEqual([
      'ghcr.io/octo-org/metrics-exporter:2.0.0',
      'ghcr.io/octo-org/model-server@sha256:' + 'a'.repeat(64),
    ]);
    expect(result.checksum).toMatch(/^[a-f0-9]{64}$/);
  });

  it('gives the same checksum for the same input and a different one when the output changes', async () => {
    const base = { manifests: 'app/service.yaml' };
    const a = await render(base);
    const b = await render(base);
    const c = await render({ ...base, namespace: 'other' });
    expect(a.result.checksum).toBe(b.result.checksum);
    expect(c.result.checksum).not.toBe(a.result.checksum);
  });

  it('does not set a namespace on cluster-scoped kinds', async () => {
    const { result } = await render({
      manifests: 'app/service.yaml\nisvc/inferenceservice.yaml',
      namespace: 'ns1',
    });
    expect(result.resources.every((r) => r.namespace === 'ns1')).toBe(true);
  });

  it('builds a kustomization with the real kubectl kustomize and applies images on top', async () => {
    const { result } = await render({
      manifests: 'kustomize/overlay',
      images: 'registry.example.com/ml/scorer=registry.example.com/ml/scorer-v2:9',
    });
    expect(result.resources).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'prod-scorer' },
    ]);
    expect(result.images).toEqual(['registry.example.com/ml/scorer-v2:9']);
  });

  it('validates KServe InferenceServices against the bundled CRD schema and rewrites their images', async () => {
    const { result, logger } = await render({
      manifests: 'isvc',
      images: 'ghcr.io/octo-org/custom-model:v2',
    });
    expect(result.resources.map((r) => r.name)).toEqual(['custom-model', 'sklearn-iris']);
    expect(result.images).toEqual(['ghcr.io/octo-org/custom-model:v2']);
    expect(result.unvalidated).toEqual([]);
    expect(logger.text()).toBe('');
  });

  it.each([
    [
      'unknown field',
      'invalid/unknown-field.yaml',
      'invalid/unknown-field.yaml:17: Deployment/typo: unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      17,
    ],
    [
      'wrong type',
      'invalid/wrong-type.yaml',
      'invalid/wrong-type.yaml:6: Deployment/wrong-type: field "spec.replicas" must be integer, got string "three"',
      6,
    ],
    [
      'missing required field',
      'invalid/missing-required.yaml',
      'Deployment/no-selector: missing required field "spec.selector"',
      5,
    ],
    [
      'removed API',
      'invalid/removed-api.yaml',
      'autoscaling/v2beta2 HorizontalPodAutoscaler is no longer served since Kubernetes 1.26',
      1,
    ],
    [
      'InferenceService unknown field',
      'invalid/isvc-unknown-field.yaml',
      'unknown field "spec.predictor.model.storageURI"',
      10,
    ],
    ['broken YAML', 'invalid/broken.yaml', 'invalid/broken.yaml:7: invalid YAML', 7],
    [
      'document with no kind',
      'invalid/no-kind.yaml',
      'invalid/no-kind.yaml:1: document 1 has no kind',
      1,
    ],
    [
      'same object twice',
      'invalid/duplicate.yaml',
      'ConfigMap/settings is defined twice (first at invalid/duplicate.yaml:2)',
      11,
    ],
  ])('reports %s at its file and line and writes nothing', async (_name, file, message, line) => {
    const { error, out } = await renderError({ manifests: file });
    const problem = error.errors.find((e) => e.message.includes(message));
    expect(problem).toBeDefined();
    expect(problem!.file).toBe(file);
    expect(problem!.line).toBe(line);
    expect(readdirSync(out)).toEqual([]);
  });

  it('reports every problem of every file in one pass', async () => {
    const { error } = await renderError({
      manifests:
        'invalid/unknown-field.yaml\ninvalid/wrong-type.yaml\ninvalid/missing-required.yaml',
    });
    expect(error.errors).toHaveLength(3);
    expect(error.message).toMatch(/^3 problems in the manifests; nothing was written/);
  });

  it('accepts removed APIs when the target version still serves them', async () => {
    const { result } = await render({
      manifests: 'invalid/removed-api.yaml',
      'kubernetes-version': '1.25',
      validate: 'true',
    });
    expect(result.unvalidated).toEqual(['autoscaling/v2beta2/HorizontalPodAutoscaler']);
  });

  it('skips schema checks with validate: false but still rejects objects with no kind', async () => {
    const { result } = await render({ manifests: 'invalid/unknown-field.yaml', validate: 'false' });
    expect(result.resources).toHaveLength(1);
    await renderError({ manifests: 'invalid/no-kind.yaml', validate: 'false' });
  });

  it('reports a ${VAR} with no value at its line', async () => {
    const { error } = await renderError({ manifests: 'app/deployment.yaml', vars: 'OTHER=1' });
    expect(error.errors[0]!.message).toBe(
      "app/deployment.yaml:25: ${MODEL_VERSION} has no value (add MODEL_VERSION=… to 'vars'; write $${MODEL_VERSION} for a literal)",
    );
    expect(error.errors[0]!.line).toBe(25);
  });

  it('fails when the placeholder appears in no manifest', async () => {
    const { error } = await renderError({
      manifests: 'app/service.yaml',
      'image-placeholder': 'NOPE',
      image: 'nginx:1',
    });
    expect(error.message).toContain(`"NOPE" appears in none of the manifests`);
  });

  it('warns about images lines that match nothing', async () => {
    const { result } = await render({ manifests: 'app/service.yaml', images: 'does-not-exist:1' });
    expect(result.warnings).toEqual([
      `Input 'images': "does-not-exist:1" matched no container image.`,
    ]);
  });
});
