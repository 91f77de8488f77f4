/**
 * The registry's HTTP API (OCI distribution): HEAD a manifest with every manifest type in
 * Accept (without them distribution converts to schema1 and reports another digest),
 * answering Basic and Bearer challenges with the login's credentials.
 */
import type { HttpClient, HttpResponse } from '../../shared/http.ts';
import { HttpError } from '../../shared/errors.ts';
import { repositoryOf } from '../../shared/image-ref.ts';
import { checkedServerString, DIGEST } from '../../shared/server-values.ts';

/** The registry's `Docker-Content-Digest`, checked: it reaches outputs, refs and the log. */
function contentDigest(res: HttpResponse): string | undefined {
  const header = res.header('docker-content-digest');
  return header === undefined || header === ''
    ? undefined
    : checkedServerString(header, DIGEST, "the registry's Docker-Content-Digest");
}

/** A manifest's compressed size from its config and layer sizes; only whole byte counts. */
function manifestSize(body: string): number | undefined {
  let m: { config?: { size?: unknown }; layers?: { size?: unknown }[] };
  try {
    m = JSON.parse(body) as typeof m;
  } catch {
    return undefined; // not JSON: no size
  }
  if (!m?.config || !Array.isArray(m.layers)) return undefined;
  const sizes = [m.config.size ?? 0, ...m.layers.map((l) => l?.size ?? 0)];
  if (!sizes.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) return undefined;
  return (sizes as number[]).reduce((a, n) => a + n, 0);
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Credentials {
  username: string;
  password: string;
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** Config + layers, compressed, when the manifest is a single image. */
  size?: number;
}

/** The registry's base URL: http:// for loopback (and `insecure`), https:// otherwise. */
export function registryBaseUrl(host: string, plainHttp: boolean): string {
  const h = host === 'docker.io' ? 'registry-1.docker.io' : host;
  return `${plainHttp ? 'http' : 'https'}://${h}`;
}

function challenge(header: string | undefined): { scheme: string; params: Map<string, string> } {
  const m = /^(\w+)\s*(.*)$/.exec(header ?? '');
  const params = new Map<string, string>();
  for (const [, k, v] of (m?.[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) {
    if (k !== undefined && v !== undefined) params.set(k, v);
  }
  return { scheme: (m?.[1] ?? '').toLowerCase(), params };
}

export class RegistryClient {
  private readonly http: HttpClient;
  private readonly base: string;
  private readonly repository: string;
  private readonly credentials: () => Credentials | undefined;
  private authorization: string | undefined;
  private readonly signal: AbortSignal | undefined;

  constructor(
    http: HttpClient,
    o: {
      host: string;
      image: string;
      plainHttp: boolean;
      credentials: () => Credentials | undefined;
      signal?: AbortSignal;
    },
  ) {
    this.http = http;
    this.base = registryBaseUrl(o.host, o.plainHttp);
    const repository = repositoryOf(o.image);
    // Docker Hub's official images live under library/.
    this.repository =
      o.host === 'docker.io' && !repository.includes('/') ? `library/${repository}` : repository;
    this.credentials = o.credentials;
    this.signal = o.signal;
  }

  private basic(): string | undefined {
    const c = this.credentials();
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  /** Answers a 401 challenge: Basic with the credentials, Bearer through the token realm. */
  private async authorize(res: HttpResponse): Promise<boolean> {
    const { scheme, params } = challenge(res.header('www-authenticate'));
    if (scheme === 'basic') {
      this.authorization = this.basic();
      return this.authorization !== undefined;
    }
    const realm = params.get('realm');
    if (scheme !== 'bearer' || !realm) return false;
    const url = new URL(realm);
    const service = params.get('service');
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', params.get('scope') ?? `repository:${this.repository}:pull`);
    const basic = this.basic();
    const token = await this.http.request({
      url: url.toString(),
      headers: basic ? { authorization: basic } : {},
      ...(this.signal ? { signal: this.signal } : {}),
      label: `GET ${url.origin}${url.pathname} (registry token)`,
    });
    const body = token.json<{ token?: string; access_token?: string }>();
    const value = body.token ?? body.access_token;
    if (!value) return false;
    this.authorization = `Bearer ${value}`;
    return true;
  }

  /**
   * Checks the credentials before anything is built (GET /v2/, end-1, answering its
   * challenge): a wrong password fails in a second, not after an hour-long build.
   */
  async ping(): Promise<void> {
    await this.send('GET', `${this.base}/v2/`, false);
  }

  private async call(method: 'HEAD' | 'GET', ref: string): Promise<HttpResponse> {
    return this.send(method, `${this.base}/v2/${this.repository}/manifests/${ref}`, true);
  }

  private async send(
    method: 'HEAD' | 'GET',
    url: string,
    manifest: boolean,
  ): Promise<HttpResponse> {
    const send = (): Promise<HttpResponse> =>
      this.http.request({
        method,
        url,
        headers: {
          ...(manifest ? { accept: MANIFEST_ACCEPT } : {}),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        okStatuses: [401, 404],
        ...(this.signal ? { signal: this.signal } : {}),
      });
    let res = await send();
    if (res.status === 401) {
      let authorized: boolean;
      try {
        authorized = await this.authorize(res);
      } catch (error) {
        // The token service refused the credentials: say so, as for Basic.
        if (!(error instanceof HttpError) || error.status !== 401) throw error;
        authorized = false;
        res = { ...res, status: 401 };
      }
      if (authorized) res = await send();
    }
    if (res.status === 401) {
      throw new HttpError(
        method,
        url,
        401,
        this.credentials()
          ? `the registry refused the credentials of '${this.credentials()?.username ?? ''}' (check username/password, or the cloud login and its permissions)`
          : 'the registry asks for credentials: set username/password, or log in before this step',
      );
    }
    return res;
  }

  /** The manifest's digest under `ref` (tag or digest), or undefined when there is none. */
  async head(ref: string): Promise<string | undefined> {
    const res = await this.call('HEAD', ref);
    if (res.status === 404) return undefined;
    return contentDigest(res) ?? (await this.get(ref))?.digest;
  }

  /** The manifest itself: its digest (sha256 of the bytes when the header is missing) and size. */
  async get(ref: string): Promise<ManifestInfo | undefined> {
    const res = await this.call('GET', ref);
    if (res.status === 404) return undefined;
    const { createHash } = await import('node:crypto');
    const digest =
      contentDigest(res) ?? `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    const size = manifestSize(res.body);
    return {
      digest,
      mediaType: res.header('content-type') ?? '',
      ...(size !== undefined ? { size } : {}),
    };
  }
}
