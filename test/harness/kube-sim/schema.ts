/**
 * Schemas for validation and the OpenAPI documents: built-in kinds come from
 * shared/kubernetes/schema.json (generated from @kubernetes/client-node's models), the
 * InferenceService from the KServe CRD in ../shared/specs/kubernetes/.
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
  '../shared/specs/kubernetes/serving.kserve.io_inferenceservices.yaml',
);

interface SchemaFile {
  definitions: Record<string, Schema>;
  kinds: Record<string, string | { model: string }>;
}

let builtins: SchemaFile | null | undefined;
let crd: Schema | null | undefined;

export function builtinSchemas(): SchemaFile | null {
  if (builtins === undefined) {
    builtins = existsSync(SCHEMA_PATH)
      ? (JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaFile)
      : null;
  }
  return builtins;
}

/** The InferenceService openAPIV3Schema (parsed once per process). */
export function inferenceServiceSchema(): Schema | null {
  if (crd === undefined) {
    crd = null;
    if (existsSync(CRD_PATH)) {
      const doc = parse(readFileSync(CRD_PATH, 'utf8')) as {
        spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
      };
      const v = doc.spec.versions.find((x) => x.name === 'v1beta1');
      crd = v ? v.schema.openAPIV3Schema : null;
    }
  }
  return crd;
}

export function modelName(r: ResourceDef): string | undefined {
  const k = builtinSchemas()?.kinds[`${gv(r)}/${r.kind}`];
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
    if (!s) return undefined;
    const props = isObj(s.properties) ? s.properties : {};
    return { ...s, properties: { ...props, metadata: { $ref: '#/definitions/V1ObjectMeta' } } };
  }
  const m = modelName(r);
  return m ? builtinSchemas()?.definitions[m] : undefined;
}

function deref(s: unknown): Schema | undefined {
  if (!isObj(s)) return undefined;
  const ref = s.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/(definitions|components\/schemas)\//, '');
    return builtinSchemas()?.definitions[name];
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
