/**
 * Google access tokens through google-auth-library: Application Default Credentials, a
 * service-account key, or keyless Workload Identity Federation from the GitHub OIDC token
 * (an `external_account` configuration, as google-github-actions/auth writes it, so the
 * library does the STS exchange and the impersonation), minted by shared/google-token.ts over
 * the one HTTP client. Shared by the action and the bundled credential command; loaded only
 * on the GKE path.
 */
import { createHttpClient, type HttpClient } from '../../shared/http.ts';
import {
  googleAccessToken as mintGoogleAccessToken,
  type GoogleToken,
  type GoogleTokenSource,
} from '../../shared/google-token.ts';
import type { OidcRequest } from '../../shared/github-oidc.ts';
import type { GoogleService } from './inputs.ts';
import { oidcTokenUrl } from '../../shared/github-oidc.ts';

export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/cloud-platform',
  'https://www.googleapis.com/auth/userinfo.email',
];

export type GoogleEndpoints = Partial<Record<GoogleService, string>>;

/** What the credential command needs to mint a token again (stored in a 0600 file). */
export type GoogleCredentialSource =
  | { kind: 'adc'; file?: string }
  | { kind: 'key'; json: string }
  | { kind: 'wif'; provider: string; serviceAccount?: string; audience: string; oidc: OidcRequest };

export type { GoogleToken };

export function defaultEndpoint(service: GoogleService): string {
  return `https://${service}.googleapis.com`;
}

export function endpointOf(endpoints: GoogleEndpoints, service: GoogleService): string {
  return endpoints[service] ?? defaultEndpoint(service);
}

/** The `external_account` ADC document for keyless federation (google-github-actions/auth's shape). */
export function externalAccountConfig(
  source: Extract<GoogleCredentialSource, { kind: 'wif' }>,
  endpoints: GoogleEndpoints,
): Record<string, unknown> {
  return {
    type: 'external_account',
    audience: `//iam.googleapis.com/${source.provider}`,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${endpointOf(endpoints, 'sts')}/v1/token`,
    credential_source: {
      url: oidcTokenUrl(source.oidc, source.audience),
      headers: { Authorization: `Bearer ${source.oidc.token}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
    ...(source.serviceAccount
      ? {
          service_account_impersonation_url: `${endpointOf(endpoints, 'iamcredentials')}/v1/projects/-/serviceAccounts/${source.serviceAccount}:generateAccessToken`,
        }
      : {}),
  };
}

/**
 * Rewrites `https://<service>.googleapis.com` to the configured endpoint for every request
 * the library makes (key-based token grants have no URL option of their own).
 */
function rewrite(url: string, endpoints: GoogleEndpoints): string {
  for (const [service, base] of Object.entries(endpoints)) {
    const from = defaultEndpoint(service as GoogleService);
    if (url === from || url.startsWith(`${from}/`)) return base + url.slice(from.length);
  }
  return url;
}

/** The shared module's source for a credential source (federation as an `external_account`). */
function tokenSource(
  source: GoogleCredentialSource,
  endpoints: GoogleEndpoints,
): GoogleTokenSource {
  return source.kind === 'wif'
    ? { kind: 'external', config: externalAccountConfig(source, endpoints) }
    : source;
}

/** Mints a Google access token with the chosen credentials, through the one HTTP client. */
export async function googleAccessToken(
  source: GoogleCredentialSource,
  endpoints: GoogleEndpoints,
  userAgent: string,
  /** Known project: spares ADC a Resource Manager lookup it would make for external accounts. */
  projectId?: string,
  /** Called with the external subject token (the GitHub OIDC JWT) as soon as it is fetched. */
  onSubjectToken?: (token: string) => void,
  http: HttpClient = createHttpClient({ userAgent }),
): Promise<GoogleToken> {
  return mintGoogleAccessToken(tokenSource(source, endpoints), {
    http,
    userAgent,
    rewriteUrl: (url) => rewrite(url, endpoints),
    scopes: GOOGLE_SCOPES,
    ...(projectId ? { projectId } : {}),
    ...(onSubjectToken ? { onSubjectToken } : {}),
  });
}

/** The project of a credential, when it names one without a network call. */
export function projectOfCredentials(source: GoogleCredentialSource): string | undefined {
  if (source.kind === 'key') {
    const key = JSON.parse(source.json) as { project_id?: unknown; quota_project_id?: unknown };
    return typeof key.project_id === 'string' ? key.project_id : undefined;
  }
  if (source.kind === 'wif' && source.serviceAccount) {
    return /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(source.serviceAccount)?.[1];
  }
  return undefined;
}
