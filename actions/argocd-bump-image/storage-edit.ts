/**
 * `storage-uri` in the files: the model location of KServe InferenceServices. Only the
 * predictor is changed (`spec.predictor.<framework>.storageUri`: `model`, or the older
 * `sklearn`, `tensorflow`, `pytorch`… forms; KServe's v1beta1 PredictorSpec has no
 * `storageUri` of its own). The transformer and explainer, `spec.canary[]` variants and
 * `storageUris` lists are left alone. The URI was checked by storage-uri.ts.
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
