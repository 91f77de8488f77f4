/** `storage-uri`: the predictor storageUri of InferenceServices, edited byte for byte; the input's grammar. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { editText, type EditTarget } from '../../actions/argocd-bump-image/edit.ts';
import { getInputs } from '../../actions/argocd-bump-image/inputs.ts';
import { defaultCommitMessage } from '../../actions/argocd-bump-image/run.ts';
import { noStorageUriError } from '../../actions/argocd-bump-image/storage-edit.ts';
import { storageUriProblem } from '../../actions/argocd-bump-image/storage-uri.ts';
import { InputError } from '../../shared/errors.ts';
import { parseImageRef } from '../../shared/image-ref.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { replaced } from './replaced.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'argocd-bump-image',
);
const ISVC = readFileSync(path.join(fixtures, 'inferenceservice.yaml'), 'utf8');
const NEW_URI = 's3://mlflow/1/0123abcd/artifacts/model';

function target(image: string, storageUri?: string): EditTarget {
  const ref = parseImageRef(image);
  return { image: ref, imageName: ref.name, ...(storageUri ? { storageUri } : {}) };
}

/** The predictor storageUri values of every document, as a YAML reader sees them. */
function storageUris(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    const spec = (d.toJS() as { spec?: { predictor?: Record<string, { storageUri?: string }> } })
      ?.spec?.predictor;
    return Object.values(spec ?? {}).flatMap((v) =>
      v && typeof v === 'object' && 'storageUri' in v ? [v.storageUri] : [],
    );
  });
}

/** An InferenceService document: the header, then `predictor` (lines indented under it). */
function isvcDoc(name: string, predictor: string): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ${name}}
spec:
  predictor:
${predictor}`;
}

const MULTI = `# two services, one file
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris}
spec:
  predictor:
    sklearn:
      storageUri: 'gs://old/iris'  # the sklearn form
      resources: {limits: {cpu: "1"}}
    containers: []
  explainer:
    art:
      storageUri: gs://old/explainer
  transformer:
    containers:
      - name: t
        image: ghcr.io/octo-org/transformer:1
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: iris-v2
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, storageUri: "gs://old/iris-v2"}
    containers:
      - name: kserve-container
        image: ghcr.io/octo-org/iris:v1
---
apiVersion: v1
kind: ConfigMap
metadata: {name: notes}
data:
  storageUri: gs://old/not-a-model
`;

describe('storage-uri edits', () => {
  it('sets spec.predictor.model.storageUri in place: the comment after it and the image edit kept', () => {
    const r = editText(
      ISVC,
      'isvc.yaml',
      target('ghcr.io/octo-org/recommender:v1.5.0', 'gs://models/recommender/v1.5.0'),
    );
    expect(r.after).toBe(
      replaced(
        ISVC,
        [
          'storageUri: gs://models/recommender/v1.4.0   # left alone',
          'storageUri: gs://models/recommender/v1.5.0   # left alone',
        ],
        ['recommender:v1.4.0\n', 'recommender:v1.5.0\n'],
      ),
    );
    expect(r.storageMatched).toBe(1);
    expect(r.changes.map((c) => c.where)).toEqual([
      'spec.predictor.model.storageUri',
      'spec.predictor.containers[0].image',
    ]);
    expect(r.changes[0]).toMatchObject({
      line: 12,
      before: 'gs://models/recommender/v1.4.0',
      after: 'gs://models/recommender/v1.5.0',
    });
  });

  it('without storage-uri the storageUri is left alone', () => {
    const r = editText(ISVC, 'isvc.yaml', target('ghcr.io/octo-org/recommender:v1.5.0'));
    expect(r.after).toContain('storageUri: gs://models/recommender/v1.4.0   # left alone');
    expect(r.storageMatched).toBe(0);
  });

  it('several documents: single-quoted framework form, double-quoted flow map; explainer, transformer and ConfigMap left alone', () => {
    const r = editText(MULTI, 'multi.yaml', target('ghcr.io/octo-org/iris:v2', NEW_URI));
    expect(r.after).toBe(
      replaced(
        MULTI,
        ["storageUri: 'gs://old/iris'  #", `storageUri: '${NEW_URI}'  #`],
        ['storageUri: "gs://old/iris-v2"}', `storageUri: "${NEW_URI}"}`],
        ['ghcr.io/octo-org/iris:v1', 'ghcr.io/octo-org/iris:v2'],
      ),
    );
    expect(r.storageMatched).toBe(2);
    expect(r.matched).toBe(1);
    expect(storageUris(r.after)).toEqual([[NEW_URI], [NEW_URI], []]);
    expect(r.after).toContain('storageUri: gs://old/explainer');
    expect(r.after).toContain('storageUri: gs://old/not-a-model');
  });

  it('a plain value in a flow map is quoted when the URI would end it (a comma)', () => {
    const text = isvcDoc(
      'm',
      `    model: {storageUri: gs://old/m, modelFormat: {name: onnx}}
    containers: [{name: c, image: "ghcr.io/o/m:v1"}]
`,
    );
    const uri = 'https://host.example.com/models/m,v2.onnx';
    const r = editText(text, 'm.yaml', target('ghcr.io/o/m:v2', uri));
    expect(r.after).toBe(
      replaced(
        text,
        ['storageUri: gs://old/m,', `storageUri: "${uri}",`],
        ['"ghcr.io/o/m:v1"', '"ghcr.io/o/m:v2"'],
      ),
    );
    expect(storageUris(r.after)).toEqual([[uri]]);
  });

  it('bumping to the current storageUri and image is a no-op; CRLF files keep their line endings', () => {
    const same = editText(
      ISVC,
      'isvc.yaml',
      target('ghcr.io/octo-org/recommender:v1.4.0', 'gs://models/recommender/v1.4.0'),
    );
    expect(same.after).toBe(ISVC);
    expect(same.changes).toEqual([]);
    expect(same.storageMatched).toBe(1);
    const crlf = ISVC.replace(/\n/g, '\r\n');
    const r = editText(crlf, 'isvc.yaml', target('ghcr.io/octo-org/recommender:v1.4.0', NEW_URI));
    expect(r.after).toBe(
      replaced(crlf, [
        'gs://models/recommender/v1.4.0   # left alone',
        `${NEW_URI}   # left alone`,
      ]),
    );
  });

  it('an InferenceService without a predictor storageUri: the error names storage-uri and says what is there', () => {
    const text = isvcDoc(
      'multi',
      `    storageUris: [{uri: gs://a}]
    containers: [{name: c, image: ghcr.io/o/m:v1}]
`,
    );
    const r = editText(text, 'multi.yaml', target('ghcr.io/o/m:v2', NEW_URI));
    expect(r.storageMatched).toBe(0);
    expect(r.after).toContain('uri: gs://a');
    const error = noStorageUriError([r]);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Input 'storage-uri': no InferenceService in multi\.yaml/);
    expect(error.message).toContain(
      'InferenceService multi: no spec.predictor.<framework>.storageUri (it has storageUris)',
    );
    const none = editText('kind: ConfigMap\n', 'cm.yaml', target('ghcr.io/o/m:v2', NEW_URI));
    expect(noStorageUriError([none]).message).toContain('no serving.kserve.io InferenceService');
  });

  it('a block scalar storageUri is refused with its place, not rewritten', () => {
    const text = isvcDoc(
      'b',
      `    model:
      storageUri: >-
        gs://old/b
`,
    );
    expect(() => editText(text, 'b.yaml', target('ghcr.io/o/m:v2', NEW_URI))).toThrow(
      /b\.yaml:7: spec\.predictor\.model\.storageUri: a block scalar/,
    );
  });
});

describe('storage-uri input', () => {
  const base = { files: 'isvc.yaml', image: 'ghcr.io/o/m:v2', token: 't', repository: 'o/r' };
  const parse = (uri: string) =>
    getInputs(new Inputs(mapInputs({ ...base, 'storage-uri': uri })), {});

  it.each([
    's3://mlflow/1/0123abcd/artifacts/model',
    'gs://bucket/models/iris',
    'pvc://models-pvc/iris',
    'hf://org/model',
    'oci://ghcr.io/o/model:v1',
    'https://acct.blob.core.windows.net/models/iris',
    'hdfs://nn/models/iris',
    'webhdfs://nn/models/iris',
    'file:///mnt/models/iris',
  ])('accepts %s', (uri) => {
    expect(storageUriProblem(uri)).toBeUndefined();
    expect(parse(uri).storageUri).toBe(uri);
  });

  it.each([
    ['mlflow-artifacts:/1/abc/artifacts/model', /MLflow URI/],
    ['models:/iris/3', /MLflow URI/],
    ['ftp://host/model', /scheme KServe's storage initializer supports/],
    ['/mnt/models', /scheme/],
    ['s3://', /nothing after s3:\/\//],
    ['gs:///x', /nothing after/],
    ['s3://bucket/a b', /without spaces/],
    ['s3://bucket/a\n::error::x', /control characters/],
    ['s3://bucket/"x"', /quotes/],
    ['https://user:pw@host/model', /credentials/],
    ['https://acct.blob.core.windows.net/models/iris?sv=2022-11-02&sig=pw%2Fsecret', /a query/],
    ['s3://bucket/model?X-Amz-Signature=pw0123', /a query/],
  ])('refuses %j', (uri, why) => {
    let caught: unknown;
    try {
      parse(uri);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const message = (caught as Error).message;
    expect(message).toMatch(/^Input 'storage-uri' /);
    expect(message).toMatch(why);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('pw@');
    expect(message).not.toContain('sig=');
    expect(message).not.toContain('Signature=');
  });

  it('empty: storageUri is left alone; the default commit message names both when set', () => {
    const plain = getInputs(new Inputs(mapInputs(base)), {});
    expect(plain.storageUri).toBeUndefined();
    expect(defaultCommitMessage(plain)).toBe('Bump ghcr.io/o/m to v2\n\nimage: ghcr.io/o/m:v2\n');
    expect(defaultCommitMessage(parse(NEW_URI))).toBe(
      `Bump ghcr.io/o/m to v2, storageUri to ${NEW_URI}\n\nimage: ghcr.io/o/m:v2\nstorageUri: ${NEW_URI}\n`,
    );
  });
});
