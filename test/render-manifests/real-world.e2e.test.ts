/**
 * Manifests written elsewhere, rendered as kubectl takes them: `helm template` output (empty
 * and comment-only documents), flow style with trailing commas, quantities written as numbers,
 * and a bundled CRD's kind at a version its CRD does not serve. Through render-manifests' real
 * bundle, plus the shared parsing every action uses (rollout-and-verify, argocd-bump-image).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { editText } from '../../actions/argocd-bump-image/edit.ts';
import { loadManifests } from '../../actions/rollout-and-verify/manifests.ts';
import { parseImageRef } from '../../shared/image-ref.ts';
import {
  CRD_SERVED_VERSIONS,
  unservedCrdVersionProblem,
} from '../../shared/kubernetes/api-versions.ts';
import { isEmptyDocument, lineOf, parseYamlFile } from '../../shared/yaml.ts';
import { errorMessages, repoRoot, runAction, type ActionRunResult } from '../harness/runner.ts';

/** What `helm template` prints: a template whose condition is false leaves `---` + its Source. */
const HELM_OUTPUT = `---
# Source: recommender/templates/hpa.yaml
---
# Source: recommender/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: recommender, labels: {app: recommender,},}
spec:
  ports: [{port: 80, targetPort: 8080,},]
  selector: {app: recommender,}
---
# Source: recommender/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: recommender
spec:
  selector: {matchLabels: {app: recommender}}
  template:
    metadata: {labels: {app: recommender}}
    spec:
      containers:
        - name: server
          image: MODEL_IMAGE
          resources:
            requests: {cpu: 0.1, memory: 128Mi}
            limits: {cpu: 1, memory: 256Mi}
---
# Source: recommender/templates/pdb.yaml
`;

const ISVC_V1ALPHA2 = `# written for KServe 0.4
apiVersion: serving.kserve.io/v1alpha2
kind: InferenceService
metadata:
  name: old-iris
spec:
  default:
    predictor:
      sklearn: {storageUri: gs://kfserving-examples/models/sklearn/iris}
`;

function isvcWithCpu(name: string, cpu: string): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ${name}}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://kfserving-examples/models/sklearn/1.0/model
      resources: {requests: {cpu: ${cpu}, memory: 1Gi}}
`;
}

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspaceWith(files: Record<string, string>): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'real-world-'));
  temps.push(ws);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(ws, name), text);
  return ws;
}

async function renderBundle(
  files: Record<string, string>,
  inputs: Record<string, string> = {},
): Promise<ActionRunResult & { text: string }> {
  const workspace = workspaceWith(files);
  const r = await runAction('render-manifests', {
    inputs: { manifests: Object.keys(files).join('\n'), 'output-dir': 'out', ...inputs },
    workspace,
  });
  let text = '';
  try {
    text = readFileSync(path.join(workspace, 'out', 'manifests.yaml'), 'utf8');
  } catch {
    // no output on failure
  }
  return { ...r, text };
}

describe('render-manifests bundle: manifests written elsewhere', () => {
  it('helm template output: empty and comment-only documents are skipped, flow style with trailing commas and cpu: 0.1 render', async () => {
    const r = await renderBundle(
      { 'helm.yaml': HELM_OUTPUT },
      { 'image-placeholder': 'MODEL_IMAGE', image: 'ghcr.io/octo-org/recommender:v2' },
    );
    expect(errorMessages(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.outputs.resources!)).toEqual([
      { apiVersion: 'v1', kind: 'Service', name: 'recommender' },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'recommender' },
    ]);
    const docs = parseAllDocuments(r.text).map((d) => d.toJS() as Record<string, never>);
    expect(docs.map((d) => d?.kind)).toEqual(['Service', 'Deployment']);
    const deployment = JSON.stringify(docs[1]);
    expect(deployment).toContain('"cpu":0.1');
    expect(deployment).toContain('"image":"ghcr.io/octo-org/recommender:v2"');
  });

  it('an error in document 3 after two empty documents names its own line', async () => {
    const text = `---\n# Source: a.yaml\n---\n# Source: b.yaml\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\nbogus: true\n`;
    const r = await renderBundle({ 'three.yaml': text });
    expect(r.exitCode).not.toBe(0);
    const lines = text.split('\n');
    const bogusLine = lines.indexOf('bogus: true') + 1;
    expect(bogusLine).toBe(10);
    // The only problem: the two empty documents are no error.
    expect(errorMessages(r).filter((e) => !e.startsWith('render-manifests:'))).toEqual([
      `three.yaml:${bogusLine}: ConfigMap/cfg: unknown field "bogus"`,
    ]);
    const bogus = r.annotations.find((a) => a.level === 'error' && /bogus/.test(a.message));
    expect(bogus?.properties).toMatchObject({ file: 'three.yaml', line: String(bogusLine) });
  });

  it('a document that is not an object after two empty ones is "document 3" at its line', async () => {
    const r = await renderBundle({ 'list.yaml': `---\n# x\n---\n---\n- just\n- a list\n` });
    expect(r.exitCode).not.toBe(0);
    expect(errorMessages(r).filter((e) => !e.startsWith('render-manifests:'))).toEqual([
      'list.yaml:5: document 3 is not a Kubernetes object (expected a map with apiVersion and kind)',
    ]);
  });

  it('serving.kserve.io/v1alpha2 InferenceService is refused, naming the served version', async () => {
    const r = await renderBundle({ 'isvc.yaml': ISVC_V1ALPHA2 });
    expect(r.exitCode).not.toBe(0);
    expect(errorMessages(r).join('\n')).toContain(
      'isvc.yaml:2: InferenceService/old-iris: serving.kserve.io/v1alpha2 InferenceService is not served: the InferenceService CRD serves only serving.kserve.io/v1beta1',
    );
    expect(r.text).toBe('');
  });

  it('other kinds of the KServe group and unknown groups still pass through with a warning', async () => {
    const runtime = `apiVersion: serving.kserve.io/v1alpha1\nkind: ServingRuntime\nmetadata: {name: rt}\nspec: {containers: []}\n`;
    const other = `apiVersion: example.com/v3\nkind: Widget\nmetadata: {name: w}\n`;
    const r = await renderBundle({ 'rt.yaml': runtime, 'widget.yaml': other });
    expect(errorMessages(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('No schema for serving.kserve.io/v1alpha1/ServingRuntime'),
        expect.stringContaining('No schema for example.com/v3/Widget'),
      ]),
    );
  });

  it('InferenceService quantities follow the CRD\'s int-or-string as the API server does: 1 and "100m" pass, 0.1 is refused', async () => {
    const ok = await renderBundle({
      'a.yaml': isvcWithCpu('a', '1'),
      'b.yaml': isvcWithCpu('b', '"100m"'),
    });
    expect(errorMessages(ok)).toEqual([]);
    const bad = await renderBundle({ 'c.yaml': isvcWithCpu('c', '0.1') });
    expect(bad.exitCode).not.toBe(0);
    expect(errorMessages(bad).join('\n')).toMatch(
      /c\.yaml:9: InferenceService\/c: field "spec\.predictor\.model\.resources\.requests\.cpu" must be integer or string, got number 0\.1/,
    );
  });
});

describe('shared parsing: empty documents, as kubectl skips them', () => {
  it('isEmptyDocument: nothing, comments only, null and ~ are empty; {} and "" are not', () => {
    const kinds = ['', '# only a comment\n', 'null\n', '~\n', '{}\n', '""\n'].map((t) =>
      isEmptyDocument(parseAllDocuments(`---\n${t}`)[0] as never),
    );
    expect(kinds).toEqual([true, true, true, true, false, false]);
  });

  it('parseYamlFile keeps each document its index in the file and absolute lines', () => {
    const docs = parseYamlFile(HELM_OUTPUT, 'helm.yaml');
    expect(docs.map((d) => d.index)).toEqual([1, 2]);
    expect(docs.map((d) => lineOf(d, []))).toEqual([5, 13]);
  });

  it('rollout-and-verify loads helm template output (the objects, no refusal)', async () => {
    const ws = workspaceWith({ 'helm.yaml': HELM_OUTPUT });
    const manifests = await loadManifests(['helm.yaml'], ws, 'ml');
    expect(manifests.map((m) => `${m.kind}/${m.name}`).sort()).toEqual([
      'Deployment/recommender',
      'Service/recommender',
    ]);
  });

  it('argocd-bump-image edits a Helm values file that starts with comment-only documents', () => {
    const values = `---\n# Source: values for prod\n---\nimage:\n  repository: ghcr.io/octo-org/recommender\n  tag: v1\n`;
    const r = editText(values, 'values.yaml', {
      image: parseImageRef('ghcr.io/octo-org/recommender:v2'),
      imageName: 'ghcr.io/octo-org/recommender',
      yamlPath: ['image'],
      yamlPathText: 'image',
    });
    expect(r.after).toBe(values.replace('tag: v1', 'tag: v2'));
    expect(r.changes.map((c) => c.line)).toEqual([6]);
  });
});

describe('served versions of the bundled CRDs', () => {
  it('CRD_SERVED_VERSIONS is exactly what crd-schemas.json holds', () => {
    const crds = JSON.parse(
      readFileSync(path.join(repoRoot, 'shared/kubernetes/crd-schemas.json'), 'utf8'),
    ) as Record<string, unknown>;
    const served: Record<string, string[]> = {};
    for (const key of Object.keys(crds)) {
      const [group, version, kind] = key.split('/') as [string, string, string];
      (served[`${group}/${kind}`] ??= []).push(version);
    }
    expect(served).toEqual(CRD_SERVED_VERSIONS);
  });

  it('unservedCrdVersionProblem: refuses other versions of a bundled kind only', () => {
    expect(unservedCrdVersionProblem('serving.kserve.io/v1alpha2', 'InferenceService')).toContain(
      'no matches for kind "InferenceService" in version "serving.kserve.io/v1alpha2"',
    );
    expect(unservedCrdVersionProblem('serving.kserve.io/v1beta1', 'InferenceService')).toBe(
      undefined,
    );
    expect(unservedCrdVersionProblem('serving.kserve.io/v1alpha1', 'ServingRuntime')).toBe(
      undefined,
    );
    expect(unservedCrdVersionProblem('v1', 'InferenceService')).toBe(undefined);
  });
});
