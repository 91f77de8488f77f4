/**
 * The one Google token module: access tokens (Application Default Credentials, a
 * service-account key, an `external_account` configuration for Workload Identity Federation)
 * and ID tokens (IAP audiences), through google-auth-library — loaded only when a token is
 * asked for. Every request the library's clients make (token grants, STS exchanges,
 * impersonation, IAM Credentials) goes through the one HTTP client (shared/http.ts) by gaxios'
 * `adapter` hook, with the library's own retries off. One exception, on purpose: gcp-metadata
 * (ADC's "am I on GCE?" probe, and a GCE VM's own token) asks gaxios' module-wide instance,
 * with its own 3 s timeout and racing two metadata addresses; on the one retry policy a runner
 * that is not on GCE would retry the unresolvable metadata host for seconds before ADC could
 * say "no credentials".
 */
import type { HttpClient } from './http.ts';
import { fetchOverHttp } from './http-fetch.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Which credentials mint the token. */
export type GoogleTokenSource =
  | { kind: 'adc'; file?: string }
  | { kind: 'key'; json: string }
  /** An `external_account` document (google-github-actions/auth's shape). */
  | { kind: 'external'; config: Record<string, unknown> };

export interface GoogleTransportOptions {
  http: HttpClient;
  userAgent?: string;
  /** Rewrites a request URL (test fakes, private endpoints); identity when absent. */
  rewriteUrl?: (url: string) => string;
}

export interface GoogleAccessTokenOptions extends GoogleTransportOptions {
  scopes?: string[];
  /** Known project: spares ADC a Resource Manager lookup it would make for external accounts. */
  projectId?: string;
  /** Called with the external subject token (the GitHub OIDC JWT) as soon as it is fetched. */
  onSubjectToken?: (token: string) => void;
}

export interface GoogleToken {
  token: string;
  /** Epoch milliseconds, when the library reports it. */
  expiresAt?: number;
}

type GoogleLibrary = typeof import('google-auth-library');
type Transporter = InstanceType<GoogleLibrary['gaxios']['Gaxios']>;

/** Gaxios over shared http: URL rewrite, no gaxios retries, the adapter swapping in our fetch. */
export function googleTransporter(lib: GoogleLibrary, o: GoogleTransportOptions): Transporter {
  // Token grants and metadata reads mint or read a token: sending one again is harmless.
  const fetchImplementation = fetchOverHttp(o.http, () => true);
  const transporter = new lib.gaxios.Gaxios({
    ...(o.userAgent ? { headers: { 'User-Agent': o.userAgent } } : {}),
    adapter: (opts, defaultAdapter) => defaultAdapter({ ...opts, fetchImplementation }),
  });
  transporter.interceptors.request.add({
    resolved: async (options) => {
      const original = options.url.toString();
      const target = o.rewriteUrl?.(original) ?? original;
      if (target !== original) options.url = new URL(target);
      // shared/http.ts retries: gaxios must not multiply its attempts.
      options.retry = false;
      options.retryConfig = { ...options.retryConfig, retry: 0, noResponseRetries: 0 };
      return options;
    },
  });
  return transporter;
}

/**
 * Hooks an external-account client (IdentityPoolClient, also what ADC returns for an
 * `external_account` file) so the subject token it fetches is reported before it is exchanged.
 */
function reportSubjectToken(client: object, report: (token: string) => void): void {
  const external = client as { retrieveSubjectToken?: () => Promise<string> };
  const original = external.retrieveSubjectToken;
  if (typeof original !== 'function') return;
  external.retrieveSubjectToken = async () => {
    const token = await original.call(client);
    report(token);
    return token;
  };
}

interface AccessTokenClient {
  getAccessToken(): Promise<{ token?: string | null }>;
  credentials?: { expiry_date?: number | null };
}

/** Type-specific constructors: the library warns (on stderr) about the generic fromJSON paths. */
async function accessTokenClient(
  lib: GoogleLibrary,
  source: GoogleTokenSource,
  o: GoogleAccessTokenOptions,
  transporter: Transporter,
): Promise<AccessTokenClient> {
  const scopes = o.scopes ?? [CLOUD_PLATFORM_SCOPE];
  if (source.kind === 'key') {
    const key = JSON.parse(source.json) as {
      client_email?: string;
      private_key?: string;
      private_key_id?: string;
    };
    return new lib.JWT({
      email: key.client_email,
      key: key.private_key,
      ...(key.private_key_id ? { keyId: key.private_key_id } : {}),
      scopes,
      transporter,
    });
  }
  if (source.kind === 'external') {
    return new lib.IdentityPoolClient({
      ...source.config,
      scopes,
      transporter,
    } as ConstructorParameters<GoogleLibrary['IdentityPoolClient']>[0]);
  }
  // ADC discovers the file through the environment, as every Google client does.
  if (source.file) process.env.GOOGLE_APPLICATION_CREDENTIALS = source.file;
  return new lib.GoogleAuth({
    scopes,
    ...(o.projectId ? { projectId: o.projectId } : {}),
    clientOptions: { transporter },
  }).getClient();
}

/** Mints a Google access token with the chosen credentials. */
export async function googleAccessToken(
  source: GoogleTokenSource,
  o: GoogleAccessTokenOptions,
): Promise<GoogleToken> {
  const lib = await import('google-auth-library');
  const client = await accessTokenClient(lib, source, o, googleTransporter(lib, o));
  if (o.onSubjectToken) reportSubjectToken(client, o.onSubjectToken);
  const { token } = await client.getAccessToken();
  if (!token) throw new Error('Google credentials returned no access token');
  const expiry = client.credentials?.expiry_date;
  return { token, ...(typeof expiry === 'number' ? { expiresAt: expiry } : {}) };
}

/**
 * A Google-signed ID token for `audience` (an IAP OAuth client id) from Application Default
 * Credentials: a service-account key, GCE metadata or an impersonated service account sign
 * ID tokens themselves; Workload Identity Federation (an `external_account` with a service
 * account) cannot, so its service account mints one through IAM Credentials generateIdToken,
 * as google-github-actions/auth does for `token_format: id_token`.
 */
export async function googleIdToken(audience: string, o: GoogleTransportOptions): Promise<string> {
  const lib = await import('google-auth-library');
  const transporter = googleTransporter(lib, o);
  // An ID token needs no project; naming one spares getClient() a Resource Manager lookup
  // that federated credentials would make (with a token the step does not need).
  const projectId =
    process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT || 'not-used-for-id-tokens';
  const auth = new lib.GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    projectId,
    clientOptions: { transporter },
  });
  const client = await auth.getClient();
  if ('fetchIdToken' in client && typeof client.fetchIdToken === 'function') {
    return (client as { fetchIdToken(a: string): Promise<string> }).fetchIdToken(audience);
  }
  const config = (auth.jsonContent ?? {}) as { service_account_impersonation_url?: string };
  const impersonationUrl = config.service_account_impersonation_url;
  const email = /serviceAccounts\/([^/:]+):generateAccessToken/.exec(impersonationUrl ?? '')?.[1];
  if (!impersonationUrl || !email) {
    throw new Error(
      'these credentials cannot mint ID tokens: federated credentials need a service account to impersonate (google-github-actions/auth with `service_account`)',
    );
  }
  // The federated token (not the service account's own) calls generateIdToken.
  const federated = { ...(auth.jsonContent as object) } as Record<string, unknown>;
  delete federated.service_account_impersonation_url;
  delete federated.service_account_impersonation;
  const source = new lib.IdentityPoolClient({
    ...federated,
    transporter,
  } as unknown as ConstructorParameters<GoogleLibrary['IdentityPoolClient']>[0]);
  const res = await source.request<{ token?: string }>({
    url: `${new URL(impersonationUrl).origin}/v1/projects/-/serviceAccounts/${email}:generateIdToken`,
    method: 'POST',
    data: { audience, includeEmail: true, delegates: [] },
  });
  if (!res.data.token) throw new Error('IAM Credentials generateIdToken returned no token');
  return res.data.token;
}
