/**
 * `storage-uri`: the model location of KServe InferenceServices. Only the predictor is changed
 * (`spec.predictor.<framework>.storageUri`: `model`, or the older `sklearn`, `tensorflow`,
 * `pytorch`… forms; KServe's v1beta1 PredictorSpec has no `storageUri` of its own). The
 * transformer and explainer, `spec.canary[]` variants and `storageUris` lists are left alone.
 * The URI is checked against what KServe's webhook accepts without a ClusterStorageContainer
 * (pkg/controller/v1beta1/inferenceservice/utils/utils.go SupportedStorageURIPrefixList).
 */
import { isMap, type YAMLMap } from 'yaml';
import { InputError } from '../../shared/errors.ts';
import {
  pairOf,
  resolve,
  scalarAt,
  type Doc,
  type FileEdit,
  type FileEditor,
} from './yaml-editor.ts';

/** The schemes KServe's storage initializer serves by default (Azure Blob is https://). */
export const STORAGE_SCHEMES = [
  'gs',
  's3',
  'pvc',
  'file',
  'https',
  'http',
  'hdfs',
  'webhdfs',
  'oci',
  'oci+native',
  'oci+fetch',
  'hf',
] as const;

/** The predictor's framework keys (PredictorSpec in kserve pkg/apis/serving/v1beta1/predictor.go). */
export const PREDICTOR_FRAMEWORKS = [
  'model',
  'sklearn',
  'xgboost',
  'tensorflow',
  'pytorch',
  'triton',
  'onnx',
  'huggingface',
  'pmml',
  'lightgbm',
  'paddle',
] as const;

/** One line, no spaces, quotes, backslashes, braces or control characters; ≤ 2048 characters. */
const URI_TEXT = /^[^\s"'`<>\\{}|^\p{Cc}]{1,2048}$/u;
/** MLflow URIs that only an MLflow client resolves: KServe cannot download them. */
const MLFLOW_ONLY = /^(?:mlflow-artifacts|runs|models|dbfs):/i;

/** Why `text` is not a storageUri KServe can load; undefined when it is one. */
export function storageUriProblem(text: string): string | undefined {
  if (!URI_TEXT.test(text)) {
    return 'must be one URI of at most 2048 characters without spaces, quotes, backslashes, braces or control characters';
  }
  if (MLFLOW_ONLY.test(text)) {
    return "is an MLflow URI KServe's storage initializer cannot download: give the MLflow server a direct artifact root (s3://, gs://, …) so model-registry's `source` is one";
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  const supported = STORAGE_SCHEMES.map((s) => `${s}://`).join(', ');
  if (!scheme || !(STORAGE_SCHEMES as readonly string[]).includes(scheme)) {
    return `must start with a scheme KServe's storage initializer supports (${supported})`;
  }
  const rest = text.slice(scheme.length + 3);
  if (rest === '' || (rest.startsWith('/') && scheme !== 'file'))
    return `has nothing after ${scheme}://`;
  if (scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'is not a valid URL';
    }
    // The value is committed to a repository: no credentials in it.
    if (url.username || url.password) return 'must not carry credentials (user:password@)';
  }
  return undefined;
}

function isInferenceService(doc: Doc): boolean {
  const root = doc.contents;
  if (!isMap(root)) return false;
  const apiVersion = String(scalarAt(doc, root, 'apiVersion')?.value ?? '');
  return (
    scalarAt(doc, root, 'kind')?.value === 'InferenceService' &&
    apiVersion.startsWith('serving.kserve.io/')
  );
}

function mapAt(doc: Doc, map: unknown, key: string): YAMLMap | undefined {
  if (!isMap(map)) return undefined;
  const value = resolve(doc, pairOf(doc, map, key)?.value);
  return isMap(value) ? value : undefined;
}

/**
 * Sets every predictor `storageUri` of an InferenceService document to `uri` (a no-op when it
 * already holds it). What an InferenceService without one has is noted for the error.
 */
export function editStorageUris(ed: FileEditor, doc: Doc, uri: string): void {
  if (!isInferenceService(doc)) return;
  const root = doc.contents as YAMLMap;
  const name = String(scalarAt(doc, mapAt(doc, root, 'metadata') ?? root, 'name')?.value ?? '?');
  const predictor = mapAt(doc, mapAt(doc, root, 'spec'), 'predictor');
  let found = false;
  for (const framework of PREDICTOR_FRAMEWORKS) {
    const spec = mapAt(doc, predictor, framework);
    const node = spec ? scalarAt(doc, spec, 'storageUri') : undefined;
    if (!spec || !node) continue;
    found = true;
    // A plain scalar in a flow map ends at `,`, `[` or `]`: such a URI is quoted there.
    const quote = spec.flow === true && /[,[\]#]/.test(uri);
    ed.set(node, uri, ['spec', 'predictor', framework, 'storageUri'], { storage: true, quote });
  }
  if (!found) {
    const why = predictor && pairOf(doc, predictor, 'storageUris') ? ' (it has storageUris)' : '';
    ed.storageNotes.add(`InferenceService ${name}: no spec.predictor.<framework>.storageUri${why}`);
  }
}

/** When `storage-uri` is set and no file has a predictor storageUri to set. */
export function noStorageUriError(edits: readonly FileEdit[]): InputError {
  const notes = [...new Set(edits.flatMap((e) => e.storageNotes))];
  return new InputError(
    `Input 'storage-uri': no InferenceService in ${edits.map((e) => e.file).join(', ')} has a predictor storageUri to set (spec.predictor.model.storageUri, or spec.predictor.<framework>.storageUri such as sklearn). ${
      notes.length
        ? `Found: ${notes.join('; ')}.`
        : 'They hold no serving.kserve.io InferenceService.'
    }`,
  );
}
