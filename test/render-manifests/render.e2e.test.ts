import { describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'render-manifests',
);

/** Runs the bundle in a workspace holding a copy of the fixtures. */
async function render(inputs: Record<string, string>): Promise<ActionRunResult & { text: string }> {
  const workspace = mkdtempSync(path.join(tmpdir(), 'ws-'));
  try {
    cpSync(fixtures, workspace, { recursive: true });
    const result = await runAction('render-manifests', {
      inputs: { 'output-dir': 'out', ...inputs },
      workspace,
    });
    const file = path.join(workspace, 'out', 'manifests.yaml');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (result.exitCode !== 0)
      expect(
        existsSync(path.join(workspace, 'out')) ? readdirSync(path.join(workspace, 'out')) : [],
      ).toEqual([]);
    return { ...result, text };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

describe('render-manifests bundle, run as the runner runs it', () => {
  it('renders and sets every output', async () => {
    const r = await render({
      manifests: 'app\nisvc/custom-predictor.yaml',
      'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER',
      image: 'ghcr.io/octo-org/model-server:sha-0123456',
      vars: 'MODEL_VERSION=v7',
      namespace: 'ml',
      labels: 'team=ml',
      annotations: 'example.com/run=1001',
      images:
        'ghcr.io/octo-org/custom-model=ghcr.io/octo-org/custom-model@sha256:' + 'b'.repeat(64),
      'kubernetes-version': 'v1.33.2',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['manifests-path']).toMatch(/out\/manifests\.yaml$/);
    expect(JSON.parse(r.outputs.resources!)).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ml', name: 'model-server' },
      { apiVersion: 'v1', kind: 'Service', namespace: 'ml', name: 'model-server' },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace: 'ml',
        name: 'model-server',
      },
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        namespace: 'ml',
        name: 'custom-model',
      },
    ]);
    expect(JSON.parse(r.outputs.images!)).toEqual([
      'ghcr.io/octo-org/custom-model@sha256:' + 'b'.repeat(64),
      'ghcr.io/octo-org/metrics-exporter:1.0.0',
      'ghcr.io/octo-org/model-server:sha-0123456',
    ]);
    expect(r.outputs.checksum).toMatch(/^[a-f0-9]{64}$/);
    const docs = parseAllDocuments(r.text).map(
      (d) =>
        d.toJS() as {
          metadata: { labels: Record<string, string>; annotations: Record<string, string> };
        },
    );
    expect(docs).toHaveLength(4);
    for (const d of docs) {
      expect(d.metadata.labels.team).toBe('ml');
      expect(d.metadata.annotations['example.com/run']).toBe('1001');
    }
    expect(r.text).toContain('value: "v7"');
    expect(r.text).toContain('# inline comment');
    expect(r.summary).toContain('render-manifests: 4 resources, validated against Kubernetes 1.33');
    expect(r.summary).toContain('| Deployment | model-server | ml | app/deployment.yaml:3 |');
  });

  it('builds a kustomization directory', async () => {
    const r = await render({ manifests: 'kustomize/overlay' });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.outputs.images!)).toEqual([
      'registry.example.com/ml/scorer:from-kustomization',
    ]);
    expect(r.text).toContain('name: prod-scorer');
  });

  it('expands globs', async () => {
    const r = await render({ manifests: 'app/*.yaml' });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.outputs.resources!)).toHaveLength(3);
  });

  it('skips schema validation with validate: false', async () => {
    const r = await render({ manifests: 'invalid/unknown-field.yaml', validate: 'false' });
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('not validated (validate: false)');
  });

  it('warns (does not fail) for kinds with no schema', async () => {
    const r = await render({ manifests: 'invalid/removed-api.yaml', 'kubernetes-version': '1.24' });
    expect(r.exitCode).toBe(0);
    expect(r.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'No schema for autoscaling/v2beta2/HorizontalPodAutoscaler: not validated (only built-in kinds and KServe InferenceService are).',
    ]);
  });

  describe.each([
    ['required manifests missing', { manifests: '' }, "Input 'manifests' is required."],
    [
      'no files matched',
      { manifests: 'nope/*.yaml' },
      `Input 'manifests': nothing matched "nope/*.yaml"`,
    ],
    [
      'placeholder with no image',
      { manifests: 'app', 'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER' },
      "Input 'image-placeholder' is set but 'image' is empty",
    ],
    [
      'image with no placeholder',
      { manifests: 'app', image: 'nginx:1' },
      "Input 'image' is set but 'image-placeholder' is empty",
    ],
    [
      'malformed images line',
      { manifests: 'app', images: 'UPPER=x:1' },
      `Input 'images': "UPPER=x:1" has no valid image name to match`,
    ],
    [
      'images digest not sha256',
      { manifests: 'app', images: 'nginx@md5:abc' },
      `Input 'images': "nginx@md5:abc" has an invalid digest`,
    ],
    [
      'bad boolean',
      { manifests: 'app', validate: 'yes' },
      `Input 'validate' must be true or false (got "yes").`,
    ],
    [
      'bad kubernetes-version',
      { manifests: 'app', 'kubernetes-version': 'latest' },
      `Input 'kubernetes-version' must look like 1.33`,
    ],
    [
      'bad namespace',
      { manifests: 'app', namespace: 'Prod_NS' },
      `Input 'namespace' must be a DNS label`,
    ],
    [
      'bad vars line',
      { manifests: 'app', vars: 'no equals sign' },
      `Input 'vars': line 1 is not KEY=VALUE (no '='; its text is not shown: it may be a value).`,
    ],
    [
      'bad label value',
      { manifests: 'app', labels: 'team=has space' },
      `Input 'labels': the value of "team" is not a valid label value`,
    ],
  ])('bad input: %s', (_name, inputs, message) => {
    it('fails with one line naming the input and writes nothing', async () => {
      const r = await render(inputs);
      expect(r.exitCode).toBe(1);
      expect(lastError(r)).toContain(message);
      expect(lastError(r)).toMatch(/^render-manifests: /);
      expect(r.log).not.toMatch(/\n\s+at /); // no stack trace outside debug
      expect(r.outputs).toEqual({});
    });
  });

  describe.each([
    [
      'a ${VAR} with no value',
      {
        manifests: 'app',
        vars: 'OTHER=1',
        'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER',
        image: 'x:1',
      },
      'app/deployment.yaml',
      '25',
      '${MODEL_VERSION} has no value',
    ],
    [
      'broken YAML',
      { manifests: 'invalid/broken.yaml' },
      'invalid/broken.yaml',
      '7',
      'invalid YAML',
    ],
    [
      'the same object twice',
      { manifests: 'invalid/duplicate.yaml' },
      'invalid/duplicate.yaml',
      '11',
      'ConfigMap/settings is defined twice',
    ],
    [
      'a document with no kind',
      { manifests: 'invalid/no-kind.yaml' },
      'invalid/no-kind.yaml',
      '1',
      'document 1 has no kind',
    ],
    [
      'an unknown field',
      { manifests: 'invalid/unknown-field.yaml' },
      'invalid/unknown-field.yaml',
      '17',
      'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
    ],
    [
      'a wrong type',
      { manifests: 'invalid/wrong-type.yaml' },
      'invalid/wrong-type.yaml',
      '6',
      'field "spec.replicas" must be integer',
    ],
    [
      'a missing required field',
      { manifests: 'invalid/missing-required.yaml' },
      'invalid/missing-required.yaml',
      '5',
      'missing required field "spec.selector"',
    ],
    [
      'an InferenceService unknown field',
      { manifests: 'invalid/isvc-unknown-field.yaml' },
      'invalid/isvc-unknown-field.yaml',
      '10',
      'unknown field "spec.predictor.model.storageURI"',
    ],
  ])('bad manifest: %s', (_name, inputs, file, line, message) => {
    it('annotates the file and line, fails, and writes nothing', async () => {
      const r = await render(inputs);
      expect(r.exitCode).toBe(1);
      const annotation = r.annotations.find(
        (a) => a.level === 'error' && a.properties.file === file,
      );
      expect(annotation).toBeDefined();
      expect(annotation!.properties.line).toBe(line);
      expect(annotation!.message).toContain(message);
      expect(lastError(r)).toMatch(
        /^render-manifests: 1 problem in the manifests; nothing was written/,
      );
      expect(r.summary).toContain('render-manifests: failed');
      expect(r.outputs).toEqual({});
    });
  });
});
