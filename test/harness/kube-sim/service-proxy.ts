/**
 * The API server's service proxy, `/api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/…`,
 * forwarded to a local server the test registers for that Service (`sim.proxyService`): the
 * in-cluster target mode of analyze-release is then tested end to end with no cluster
 * network. As the real API server: 404 when the Service does not exist, 503 "no endpoints
 * available" when nothing backs it; the caller's Authorization header is not passed on.
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError } from './errors.ts';

export const SERVICE_PROXY =
  /^\/api\/v1\/namespaces\/([a-z0-9-]+)\/services\/(?:https?:)?([a-z0-9-]+)(?::([a-z0-9-]+))?\/proxy(\/.*)?$/;

export interface ServiceProxy {
  /** The local base URL serving `namespace/name[:port]` (port as in the path, or ''). */
  backend(namespace: string, name: string, port: string): string | undefined;
  /** Whether the Service object exists in the simulator's store. */
  exists(namespace: string, name: string): boolean;
}

/** Not passed on: hop-by-hop headers, the Host (the backend's own) and the caller's credentials. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'host',
  'authorization',
]);

/** Forwards one proxied request (its body already read) and streams the answer back. */
export async function forwardServiceProxy(
  proxy: ServiceProxy,
  match: RegExpExecArray,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  search: string,
): Promise<void> {
  const [, namespace = '', name = '', port = '', rest = '/'] = match;
  if (!proxy.exists(namespace, name)) {
    throw new ApiError(404, 'NotFound', `services "${name}" not found`);
  }
  const base = proxy.backend(namespace, name, port);
  if (!base) {
    throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !NOT_FORWARDED.has(k)) headers[k] = v;
  }
  headers['content-length'] = String(body.length);
  await new Promise<void>((resolve, reject) => {
    const out = request(
      new URL(rest + search, base),
      { method: req.method ?? 'GET', headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      },
    );
    out.on('error', () => {
      reject(new ApiError(503, 'ServiceUnavailable', `error trying to reach service: ${name}`));
    });
    out.end(body);
  });
}
