/** /openapi/v3 (root + group-version documents) and /openapi/v2. */
import { createHash } from 'node:crypto';
import type { ResourceDef } from './resources.ts';
import { RESOURCES, gv } from './resources.ts';
import type { Schema } from './schema.ts';
import { statSync } from 'node:fs';
import {
  builtinSchemas,
  CRD_PATH,
  CRD_WHAT,
  crdComponentName,
  inferenceServiceSchema,
  modelName,
  requireSchemaFile,
} from './schema.ts';
import { isObj } from './types.ts';

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

function rewriteRefs(v: unknown, prefix: string): unknown {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, prefix));
  if (!isObj(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] =
      k === '$ref' && typeof x === 'string'
        ? x.replace('#/definitions/', prefix)
        : rewriteRefs(x, prefix);
  }
  return out;
}

function collectRefs(name: string, defs: Record<string, Schema>, seen: Set<string>): void {
  if (seen.has(name) || !defs[name]) return;
  seen.add(name);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string')
          collectRefs(x.replace('#/definitions/', ''), defs, seen);
        else walk(x);
      }
    }
  };
  walk(defs[name]);
}

function schemasFor(rs: ResourceDef[], prefix: string): Record<string, unknown> {
  const defs = builtinSchemas().definitions;
  const seen = new Set<string>();
  for (const r of rs) {
    const m = modelName(r);
    if (m) collectRefs(m, defs, seen);
  }
  if (rs.some((r) => r.group === 'serving.kserve.io')) collectRefs('V1ObjectMeta', defs, seen);
  const out: Record<string, unknown> = {};
  for (const n of seen) out[n] = rewriteRefs(defs[n], prefix);
  for (const r of rs) {
    const m = modelName(r);
    const gvk = [{ group: r.group, version: r.version, kind: r.kind }];
    if (m && isObj(out[m]))
      out[m] = { ...(out[m] as Schema), 'x-kubernetes-group-version-kind': gvk };
    if (r.group === 'serving.kserve.io') {
      const s = inferenceServiceSchema();
      const props = isObj(s.properties) ? s.properties : {};
      out[crdComponentName(r)] = {
        ...s,
        properties: { ...props, metadata: { $ref: `${prefix}V1ObjectMeta` } },
        'x-kubernetes-group-version-kind': gvk,
      };
    }
  }
  return out;
}

function schemaRef(r: ResourceDef, prefix: string): Record<string, unknown> {
  const name = r.group === 'serving.kserve.io' ? crdComponentName(r) : modelName(r);
  return name ? { $ref: `${prefix}${name}` } : { type: 'object' };
}

function op(r: ResourceDef, action: string, v3: boolean, prefix: string): Record<string, unknown> {
  const params = QUERY_PARAMS.map((name) =>
    v3
      ? {
          name,
          in: 'query',
          schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
        }
      : { name, in: 'query', type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
  );
  const response = v3
    ? {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: schemaRef(r, prefix) } },
        },
      }
    : { '200': { description: 'OK', schema: schemaRef(r, prefix) } };
  return {
    operationId: `${action}${r.kind}`,
    parameters: action === 'read' ? params.filter((p) => p.name === 'pretty') : params,
    responses: response,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
  };
}

function pathsFor(rs: ResourceDef[], v3: boolean, prefix: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of rs) {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const coll = r.namespaced
      ? `${base}/namespaces/{namespace}/${r.plural}`
      : `${base}/${r.plural}`;
    paths[coll] = { get: op(r, 'list', v3, prefix), post: op(r, 'post', v3, prefix) };
    paths[`${coll}/{name}`] = {
      get: op(r, 'get', v3, prefix),
      put: op(r, 'put', v3, prefix),
      patch: op(r, 'patch', v3, prefix),
      delete: op(r, 'delete', v3, prefix),
    };
  }
  return paths;
}

const cache = new Map<string, { body: string; hash: string }>();

/** The OpenAPI v3 document for one group-version ("api/v1", "apis/apps/v1"). */
export function openapiV3Doc(path: string): { body: string; hash: string } | undefined {
  const hit = cache.get(path);
  if (hit) return hit;
  const rs = RESOURCES.filter((r) => (r.group ? `apis/${gv(r)}` : `api/${r.version}`) === path);
  if (rs.length === 0) return undefined;
  const prefix = '#/components/schemas/';
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.9' },
    paths: pathsFor(rs, true, prefix),
    components: { schemas: schemasFor(rs, prefix) },
  };
  const body = JSON.stringify(doc);
  const hash = path.includes('serving.kserve.io')
    ? cheapHash(path)
    : createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
  const out = { body, hash };
  cache.set(path, out);
  return out;
}

/** Hash of a group document without building it (the KServe schema is large to parse). */
function cheapHash(path: string): string {
  if (!path.includes('serving.kserve.io')) return openapiV3Doc(path)!.hash;
  const st = statSync(requireSchemaFile(CRD_PATH, CRD_WHAT));
  const seed = `${path}:${st.size}:${st.mtimeMs}`;
  return createHash('sha512').update(seed).digest('hex').slice(0, 128).toUpperCase();
}

export function openapiV3Root(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const gvs = new Set(RESOURCES.map((r) => (r.group ? `apis/${gv(r)}` : `api/${r.version}`)));
  for (const p of gvs) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${cheapHash(p)}` };
  return { paths };
}

let v2: string | undefined;

export function openapiV2(): string {
  if (!v2) {
    const prefix = '#/definitions/';
    v2 = JSON.stringify({
      swagger: '2.0',
      info: { title: 'Kubernetes', version: 'v1.32.9' },
      paths: pathsFor(RESOURCES, false, prefix),
      definitions: schemasFor(RESOURCES, prefix),
    });
  }
  return v2;
}
