/**
 * Fake Kubernetes Engine API: `GET /v1/projects/{p}/locations/{l}/clusters/{c}` with a bearer
 * token → the Cluster (container/v1 fields as in the discovery document,
 * googleapis/google-api-go-client container/v1/container-api.json); Google's error bodies for
 * 401, 403 and 404.
 */
import type { GkeCluster } from '../../../actions/setup-cluster-auth/gke.ts';
import { bearer, json, startFake, type FakeServer } from './http-fake.ts';

function googleError(code: number, status: string, message: string) {
  return json(code, { error: { code, message, status } });
}

export async function startGoogleContainer(o: {
  /** 'ok', 'denied' (403) or anything else (401) for a bearer token. */
  authorize(token: string): 'ok' | 'denied' | 'unknown';
  /** `projects/p/locations/l/clusters/c` → cluster. */
  clusters: Record<string, GkeCluster>;
}): Promise<FakeServer> {
  return startFake('container', (req) => {
    const m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+)$/.exec(req.path);
    if (req.method !== 'GET' || !m) return googleError(404, 'NOT_FOUND', 'Not Found');
    const token = bearer(req);
    const verdict = token ? o.authorize(token) : 'unknown';
    if (verdict === 'unknown') {
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const name = m[1]!;
    if (verdict === 'denied') {
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Required "container.clusters.get" permission(s) for "${name}".`,
      );
    }
    const cluster = o.clusters[name];
    if (!cluster) return googleError(404, 'NOT_FOUND', `Not found: ${name}.`);
    return json(200, cluster);
  });
}
