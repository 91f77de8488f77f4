/**
 * Schemas for validation and the OpenAPI documents: built-in kinds come from
 * shared/kubernetes/schema.json (generated from @kubernetes/client-node's models), the
 * InferenceService from the KServe CRD in test/contracts/kubernetes/ (provenance in the README
 * there). Both files are required: a missing one is an error naming it, never a quiet
 * "no validation" (that would let tests pass without checking what they claim to check).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ResourceDef } from './resources.ts';
import { gv } from './resources.ts';
import { isObj } from './types.ts';
import { mergeKeyFor } from './patch.ts';

export type Schema = Record<string, unknown>;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
export const SCHEMA_PATH = resolve(repoRoot, 'shared/kubernetes/schema.json');
export const CRD_PATH = resolve(
  repoRoot,
  'test/contracts/kubernetes/serving.kserve.io_inferenceservices.yaml',
);
export const SCHEMA_WHAT = 'the built-in Kubernetes schemas (written by scripts/gen-k8s-schema.ts)';
export const CRD_WHAT = 'the KServe InferenceService CRD (see test/contracts/kubernetes/README.md)';

interface SchemaFile {
  definitions: Record<string, Schema>;
  kinds: Record<string, string | { model: string }>;
}

let builtins: SchemaFile | undefined;
let crd: Schema | undefined;

/** Returns `file`; throws an error naming it when it does not exist. */
export function requireSchemaFile(file: string, what: string): string {
  if (!existsSync(file)) {
    throw new Error(`kube-sim: ${what} not found: ${file}`);
  }
  return file;
}

/** Fails fast (at simulator start) when a schema source is missing. */
export function checkSchemaFiles(): void {
  requireSchemaFile(SCHEMA_PATH, SCHEMA_WHAT);
  requireSchemaFile(CRD_PATH, CRD_WHAT);
}

export function builtinSchemas(): SchemaFile {
  builtins ??= JSON.parse(
    readFileSync(requireSchemaFile(SCHEMA_PATH, SCHEMA_WHAT), 'utf8'),
  ) as SchemaFile;
  return builtins;
}

/** The v1beta1 openAPIV3Schema of an InferenceService CRD file; throws when absent. */
export function readInferenceServiceSchema(file: string): Schema {
  const doc = parse(readFileSync(requireSchemaFile(file, CRD_WHAT), 'utf8')) as {
    spec?: { versions?: { name: string; schema?: { openAPIV3Schema?: Schema } }[] };
  };
  const schema = doc.spec?.versions?.find((x) => x.name === 'v1beta1')?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`kube-sim: no v1beta1 openAPIV3Schema in ${file}`);
  return schema;
}

/** The InferenceService openAPIV3Schema (parsed once per process). */
export function inferenceServiceSchema(): Schema {
  crd ??= readInferenceServiceSchema(CRD_PATH);
  return crd;
}

export function modelName(r: ResourceDef): string | undefined {
  const k = builtinSchemas().kinds[`${gv(r)}/${r.kind}`];
  if (!k) return undefined;
  return typeof k === 'string' ? k : k.model;
}

export function crdComponentName(r: ResourceDef): string {
  return `io.kserve.serving.${r.version}.${r.kind}`;
}

/** Root schema for a resource plus a resolver for its $refs. */
export function rootSchema(r: ResourceDef): Schema | undefined {
  if (r.group === 'serving.kserve.io') {
    const s = inferenceServiceSchema();
    const props = isObj(s.properties) ? s.properties : {};
    return { ...s, properties: { ...props, metadata: { $ref: '#/definitions/V1ObjectMeta' } } };
  }
  const m = modelName(r);
  return m ? builtinSchemas().definitions[m] : undefined;
}

function deref(s: unknown): Schema | undefined {
  if (!isObj(s)) return undefined;
  const ref = s.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/(definitions|components\/schemas)\//, '');
    return builtinSchemas().definitions[name];
  }
  return s;
}

type Seg = { key: string } | { index: number; item: unknown; field: string };

function renderPath(segs: Seg[], keyed: boolean): string {
  let out = '';
  for (const s of segs) {
    if ('key' in s) out += `.${s.key}`;
    else {
      const mk = mergeKeyFor(s.field, [s.item]);
      if (keyed && mk && isObj(s.item) && s.item[mk] !== undefined) {
        out += `[${mk}=${JSON.stringify(s.item[mk])}]`;
      } else out += `[${s.index}]`;
    }
  }
  return out;
}

export interface UnknownField {
  /** `.spec.foo` with keyed list items (`[name="app"]`), as server-side apply reports. */
  keyed: string;
  /** `spec.foo` with indexes, as strict decoding reports. */
  plain: string;
}

/** Find (and remove, when prune is set) fields the schema does not declare. */
export function findUnknownFields(r: ResourceDef, obj: unknown, prune: boolean): UnknownField[] {
  const root = rootSchema(r);
  const out: UnknownField[] = [];
  if (!root) return out;
  const walk = (schemaIn: unknown, value: unknown, segs: Seg[], depth: number): void => {
    const schema = deref(schemaIn);
    if (!schema || depth > 60) return;
    if (Array.isArray(value)) {
      const field = [...segs].reverse().find((s) => 'key' in s);
      value.forEach((item, index) =>
        walk(
          schema.items,
          item,
          [...segs, { index, item, field: field && 'key' in field ? field.key : '' }],
          depth + 1,
        ),
      );
      return;
    }
    if (!isObj(value)) return;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const props = isObj(schema.properties) ? schema.properties : undefined;
    const ap = schema.additionalProperties;
    for (const k of Object.keys(value)) {
      if (props && k in props) walk(props[k], value[k], [...segs, { key: k }], depth + 1);
      else if (isObj(ap)) walk(ap, value[k], [...segs, { key: k }], depth + 1);
      else if (props && !preserve && ap !== true) {
        const p = [...segs, { key: k }];
        out.push({ keyed: renderPath(p, true), plain: renderPath(p, false).slice(1) });
        if (prune) Reflect.deleteProperty(value, k);
      }
    }
  };
  walk(root, obj, [], 0);
  return out;
}
