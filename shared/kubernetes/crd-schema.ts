/**
 * Converts a CustomResourceDefinition's `openAPIV3Schema` (a Kubernetes structural
 * schema) into a JSON Schema for ajv with the API server's strict-validation meaning:
 * unknown fields are errors unless `x-kubernetes-preserve-unknown-fields` says otherwise.
 */
type Schema = Record<string, unknown>;

const DROP = new Set(['description', 'example', 'externalDocs', 'default', 'format', 'title']);

export function structuralToJsonSchema(input: unknown): Schema {
  if (typeof input !== 'object' || input === null) return {};
  const src = input as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (DROP.has(key) || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([k, v]) => [k, structuralToJsonSchema(v)]),
      );
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = typeof value === 'boolean' ? value : structuralToJsonSchema(value);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as unknown[]).map(structuralToJsonSchema);
    } else if (key === 'nullable') {
      continue;
    } else {
      out[key] = value;
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  if (src.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  // Kubernetes quantities and numbers written as YAML ints: `type: number` accepts integers already.
  if (
    src['x-kubernetes-preserve-unknown-fields'] !== true &&
    out.type === 'object' &&
    out.properties &&
    !('additionalProperties' in out)
  ) {
    out.additionalProperties = false;
  }
  // Under anyOf/oneOf branches with only `required`, types come from the parent: fine for ajv.
  return out;
}

export interface CrdVersionSchema {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  schema: Schema;
}

/** Every served version of a CRD object, as JSON Schemas. */
export function schemasFromCrd(crd: unknown): CrdVersionSchema[] {
  const spec = (crd as { spec?: Schema }).spec ?? {};
  const group = String(spec.group ?? '');
  const kind = String((spec.names as Schema | undefined)?.kind ?? '');
  const namespaced = spec.scope !== 'Cluster';
  const versions = (spec.versions as Schema[] | undefined) ?? [];
  return versions
    .filter((v) => v.served !== false)
    .map((v) => {
      const openApi = ((v.schema as Schema | undefined)?.openAPIV3Schema ?? {}) as Schema;
      const schema = structuralToJsonSchema(openApi);
      // metadata is validated by the API machinery, not the CRD schema; apiVersion/kind are implied.
      const properties = { ...((schema.properties as Schema | undefined) ?? {}) };
      properties.apiVersion = { type: 'string' };
      properties.kind = { type: 'string' };
      properties.metadata = { $ref: 'https://mlops-actions.invalid/k8s#/definitions/V1ObjectMeta' };
      return {
        apiVersion: `${group}/${String(v.name)}`,
        kind,
        namespaced,
        schema: { ...schema, properties },
      };
    });
}
