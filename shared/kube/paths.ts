/** REST paths of Kubernetes resources, and the reverse: what a path names (for messages). */
import { builtinKind } from '../kubernetes/kinds.ts';
import type { QueryParams, RequestTarget } from './types.ts';

/** The REST path of an object (or its collection when `name` is omitted). */
export function resourcePath(
  apiVersion: string,
  plural: string,
  namespace: string | undefined,
  name?: string,
): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
}

/** Custom resources this project knows, whose plural the English rule below would get wrong. */
const EXTRA_PLURALS: Record<string, string> = {
  'serving.kserve.io/InferenceService': 'inferenceservices',
  'serving.kserve.io/ServingRuntime': 'servingruntimes',
  'serving.kserve.io/ClusterServingRuntime': 'clusterservingruntimes',
  'argoproj.io/Application': 'applications',
};

/** The resource (plural) of a kind: built-in tables first, then the rule kubectl falls back to. */
export function pluralOf(apiVersion: string, kind: string): string {
  const builtin = builtinKind(apiVersion, kind);
  if (builtin) return builtin.plural;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const known = EXTRA_PLURALS[`${group}/${kind}`];
  if (known) return known;
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** `{app: web, tier: api}` → `app=web,tier=api`; undefined for an empty or missing selector. */
export function labelSelector(matchLabels: Record<string, string> | undefined): string | undefined {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return undefined;
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const VERBS: Record<string, string> = {
  GET: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** `/apis/apps/v1/namespaces/ns/deployments/web` → verb, resource, namespace, name. */
export function describeTarget(
  method: string,
  path: string,
  query: QueryParams = {},
): RequestTarget {
  const parts = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  // core: api/v1/...; groups: apis/<group>/<version>/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const group = parts[0] === 'apis' ? parts[1] : '';
  let namespace: string | undefined;
  let i = 0;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    i = 2;
  }
  const plural = rest[i] ?? (parts.at(-1) || 'version');
  const name = rest[i + 1];
  const sub = rest[i + 2];
  const resource = `${plural}${group ? `.${group}` : ''}${sub ? `/${sub}` : ''}`;
  let verb = VERBS[method] ?? method.toLowerCase();
  if (method === 'GET' && !name) verb = query.watch ? 'watch' : 'list';
  return {
    verb,
    resource,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
}

export function targetText(t: RequestTarget): string {
  return `${t.verb} ${t.resource}${t.name ? ` "${t.name}"` : ''}${t.namespace ? ` in namespace "${t.namespace}"` : ''}`;
}
