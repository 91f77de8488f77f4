/** Request decoding helpers shared by the REST handlers. */
import { parse as parseYaml } from 'yaml';
import type { Req } from './api.ts';
import type { ResourceDef } from './resources.ts';
import type { KObj } from './types.ts';
import { isObj } from './types.ts';
import { ApiError, badRequest } from './errors.ts';
import { fieldMatcher, labelMatcher, SelectorError } from './selectors.ts';
import type { Matcher } from './selectors.ts';
import { decodeProtobuf } from './proto.ts';

export function managerOf(req: Req): string {
  const fm = req.query.get('fieldManager');
  if (fm) return fm;
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0] || 'unknown';
}

export function combinedMatcher(q: URLSearchParams): Matcher | undefined {
  try {
    const l = labelMatcher(q.get('labelSelector') ?? undefined);
    const f = fieldMatcher(q.get('fieldSelector') ?? undefined);
    if (l && f) return (o) => l(o) && f(o);
    return l ?? f;
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
}

export function parseBody(req: Req): unknown {
  const text = req.body.toString('utf8');
  if (!text.trim())
    throw badRequest(
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.includes('protobuf')) return decodeProtobuf(req.body);
  if (ct.includes('cbor')) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  }
  try {
    return ct.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function toScale(_r: ResourceDef, obj: KObj): Record<string, unknown> {
  const sel = isObj(obj.spec?.selector)
    ? (obj.spec.selector as { matchLabels?: Record<string, string> })
    : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: Object.entries(sel.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}
