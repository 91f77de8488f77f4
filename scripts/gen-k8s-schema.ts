/**
 * Generates shared/kubernetes/schema.json: JSON Schemas (draft-07) for the built-in
 * Kubernetes kinds, derived from @kubernetes/client-node's generated models (which are
 * generated from the Kubernetes OpenAPI spec; the release is recorded in `source`).
 * Run by `npm run build`; no network. Field types, required fields and the set of
 * served group/version/kinds come from the models and API classes; Kubernetes
 * quantities (which accept numbers in YAML) are the one correction made by hand.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { schemasFromCrd } from '../shared/kubernetes/crd-schema.ts';

type JsonSchema = Record<string, unknown>;

const require = createRequire(import.meta.url);
const clientRoot = path.dirname(require.resolve('@kubernetes/client-node/package.json'));
const genRoot = path.join(clientRoot, 'dist', 'gen');
const modelsDir = path.join(genRoot, 'models');
const apisDir = path.join(genRoot, 'apis');

/** Fields whose values are resource.Quantity (int or string in YAML/JSON). */
const QUANTITY_FIELDS: Record<string, string[]> = {
  V1ResourceRequirements: ['limits', 'requests'],
  V1VolumeResourceRequirements: ['limits', 'requests'],
  V1EmptyDirVolumeSource: ['sizeLimit'],
  V1ResourceQuotaSpec: ['hard'],
  V1ResourceQuotaStatus: ['hard', 'used'],
  V1LimitRangeItem: ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'],
  V1PersistentVolumeSpec: ['capacity'],
  V1PersistentVolumeClaimStatus: ['capacity', 'allocatedResources'],
  V1NodeStatus: ['capacity', 'allocatable'],
  V1ContainerStatus: ['allocatedResources'],
  V2MetricTarget: ['averageValue', 'value'],
  V2MetricValueStatus: ['averageValue', 'value'],
  V1CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
};

const QUANTITY: JsonSchema = { type: ['string', 'integer', 'number'] };

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

function readModel(name: string): {
  attributes: Attribute[];
  required: string[];
  description: string;
} {
  const js = readFileSync(path.join(modelsDir, `${name}.js`), 'utf8');
  const start = js.indexOf(`${name}.attributeTypeMap = [`);
  let attributes: Attribute[] = [];
  if (start >= 0) {
    const open = js.indexOf('[', start);
    const close = js.indexOf('];', open);
    attributes = JSON.parse(js.slice(open, close + 1)) as Attribute[];
  }
  const dts = readFileSync(path.join(modelsDir, `${name}.d.ts`), 'utf8');
  const required = [...dts.matchAll(/^\s+'([^']+)': /gm)].map((m) => m[1]!);
  const doc = /\/\*\*\s*\n\*\s*([^\n]*)\n\*\//.exec(js);
  return { attributes, required, description: doc?.[1]?.trim() ?? '' };
}

function typeSchema(type: string, format: string, refs: Set<string>): JsonSchema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1]!, '', refs) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!, '', refs) };
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return format === 'double' ? { type: 'number' } : { type: 'integer' };
    case 'Date':
    case 'V1MicroTime':
      return { type: 'string' };
    case 'IntOrString':
      return { type: ['integer', 'string'] };
    case 'any':
      return {};
    default:
      refs.add(type);
      return { $ref: `#/definitions/${type}` };
  }
}

interface KindInfo {
  model: string;
  namespaced: boolean;
  plural: string;
}

/** group/version/kind → model, from the create operations of the generated API classes. */
function collectKinds(): Record<string, KindInfo> {
  const kinds: Record<string, KindInfo> = {};
  for (const file of readdirSync(apisDir).filter(
    (f) => /V\d\w*Api\.js$/.test(f) || f === 'CoreV1Api.js',
  )) {
    const js = readFileSync(path.join(apisDir, file), 'utf8');
    const re =
      /\s(create(Namespaced)?(\w+))\((?:[^)]*)\)\s*\{[\s\S]*?localVarPath = '([^']+)'[\s\S]*?serialize\(body, "(\w+)", ""\)/g;
    for (const m of js.matchAll(re)) {
      const [, , namespacedFlag, kind, apiPath, model] = m as unknown as string[];
      if (!apiPath || !model || !kind || /\{name\}/.test(apiPath)) continue;
      const parts = apiPath.split('/').filter(Boolean);
      const plural = parts[parts.length - 1]!;
      const gv = parts[0] === 'api' ? parts[1]! : `${parts[1]}/${parts[2]}`;
      if (model.endsWith('List')) continue;
      // The body model of `create` is the kind itself, but not every POST is a kind
      // (e.g. reviews with a different naming); keep those whose model ends in the kind.
      if (!model.endsWith(kind)) continue;
      kinds[`${gv}/${kind}`] = { model, namespaced: namespacedFlag === 'Namespaced', plural };
    }
  }
  return kinds;
}

function generate(): unknown {
  const kinds = collectKinds();
  const definitions: Record<string, JsonSchema> = {};
  const queue = [...new Set(Object.values(kinds).map((k) => k.model))];
  const seen = new Set(queue);
  while (queue.length) {
    const name = queue.shift()!;
    const { attributes, required, description } = readModel(name);
    const refs = new Set<string>();
    const properties: Record<string, JsonSchema> = {};
    const quantities = new Set(QUANTITY_FIELDS[name] ?? []);
    for (const a of attributes) {
      if (quantities.has(a.baseName)) {
        properties[a.baseName] = a.type.startsWith('{')
          ? { type: 'object', additionalProperties: QUANTITY }
          : QUANTITY;
      } else {
        properties[a.baseName] = typeSchema(a.type, a.format, refs);
      }
    }
    const schema: JsonSchema = { type: 'object', properties, additionalProperties: false };
    if (description) schema.description = description;
    const req = required.filter((r) => r in properties);
    if (req.length) schema.required = req;
    definitions[name] = schema;
    for (const r of refs) {
      if (!seen.has(r)) {
        seen.add(r);
        queue.push(r);
      }
    }
  }
  // apiVersion/kind are fixed per kind; status is server-owned but allowed (kubectl get -o yaml output).
  for (const [gvk, info] of Object.entries(kinds)) {
    const def = definitions[info.model]!;
    const idx = gvk.lastIndexOf('/');
    const gv = gvk.slice(0, idx);
    const kind = gvk.slice(idx + 1);
    const slash = gv.indexOf('/');
    const group = slash < 0 ? '' : gv.slice(0, slash);
    const version = slash < 0 ? gv : gv.slice(slash + 1);
    const gvks = (def['x-kubernetes-group-version-kind'] as unknown[] | undefined) ?? [];
    gvks.push({ group, version, kind });
    def['x-kubernetes-group-version-kind'] = gvks;
  }
  const pkg = JSON.parse(readFileSync(path.join(clientRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const sample = readFileSync(path.join(modelsDir, 'V1Pod.js'), 'utf8');
  const release = /OpenAPI spec version: (\S+)/.exec(sample)?.[1] ?? 'unknown';
  const sortedKinds = Object.fromEntries(
    Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)),
  );
  const sortedDefs = Object.fromEntries(
    Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    source: `@kubernetes/client-node ${pkg.version} models (Kubernetes OpenAPI ${release})`,
    kinds: sortedKinds,
    definitions: sortedDefs,
  };
}

/**
 * CRDs whose schemas are bundled into shared/kubernetes/crd-schemas.json, relative to the
 * contracts directory (test/contracts/, provenance in each folder's README.md). Descriptions,
 * defaults and formats are dropped by structuralToJsonSchema.
 */
const BUNDLED_CRDS = ['kubernetes/serving.kserve.io_inferenceservices.yaml'];
const CONTRACTS_DIR = path.resolve(import.meta.dirname, '..', 'test', 'contracts');

/** The bundled CRD schemas; throws, naming the file, when a CRD is missing. */
export function generateCrdSchemas(contractsDir: string = CONTRACTS_DIR): unknown {
  const result: Record<string, unknown> = {};
  for (const file of BUNDLED_CRDS) {
    const crdPath = path.join(contractsDir, file);
    if (!existsSync(crdPath)) {
      throw new Error(
        `gen-k8s-schema: CRD not found: ${crdPath} (a test contract kept in the repository; ` +
          'shared/kubernetes/crd-schemas.json is generated from it and is not left stale)',
      );
    }
    const crd = parseYaml(readFileSync(crdPath, 'utf8'), {
      maxAliasCount: -1,
    }) as unknown;
    for (const v of schemasFromCrd(crd)) {
      result[`${v.apiVersion}/${v.kind}`] = {
        namespaced: v.namespaced,
        source: file,
        schema: v.schema,
      };
    }
  }
  return result;
}

/** Writes `outFile` (built-in kinds) and crd-schemas.json beside it; writes nothing on error. */
export function writeSchema(outFile: string): void {
  const schema = JSON.stringify(generate()) + '\n';
  const crdSchemas = JSON.stringify(generateCrdSchemas()) + '\n';
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, schema);
  writeFileSync(path.join(path.dirname(outFile), 'crd-schemas.json'), crdSchemas);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = path.resolve(import.meta.dirname, '..', 'shared', 'kubernetes', 'schema.json');
  writeSchema(out);
  console.log(`wrote ${out}`);
}
