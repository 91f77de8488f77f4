/**
 * The credentials every KFP request carries: a bearer token, a session cookie, or a
 * Google-signed ID token for IAP (google-auth-library, loaded only on that path). Every secret
 * is masked before anything can print it.
 */
import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import type { KfpAuth } from './inputs.ts';

export type AuthHeaders = () => Promise<Record<string, string>>;

/** Mints an ID token for an audience (IAP OAuth client id). */
export type IdTokenSource = (audience: string) => Promise<string>;

/** ID tokens live an hour: mint a new one well before that. */
const ID_TOKEN_REUSE_MS = 45 * 60_000;

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * From Application Default Credentials: a service-account key, GCE metadata, or an
 * impersonated service account sign ID tokens themselves; Workload Identity Federation (what
 * google-github-actions/auth leaves, an `external_account` with a service account) cannot, so
 * its service account mints the token through IAM Credentials generateIdToken.
 */
export const googleIdToken: IdTokenSource = async (audience) => {
  const { GoogleAuth, IdentityPoolClient } = await import('google-auth-library');
  // An ID token needs no project; naming one spares getClient() a Resource Manager lookup
  // that federated credentials would make (with a token the step does not need).
  const projectId =
    process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT || 'not-used-for-id-tokens';
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM], projectId });
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
  // As google-github-actions/auth does for `token_format: id_token`: the federated token (not
  // the service account's own) calls generateIdToken, at the endpoint the configuration names.
  const federated = { ...(auth.jsonContent as object) } as Record<string, unknown>;
  delete federated.service_account_impersonation_url;
  delete federated.service_account_impersonation;
  const source = new IdentityPoolClient(
    federated as unknown as ConstructorParameters<typeof IdentityPoolClient>[0],
  );
  const res = await source.request<{ token?: string }>({
    url: `${new URL(impersonationUrl).origin}/v1/projects/-/serviceAccounts/${email}:generateIdToken`,
    method: 'POST',
    data: { audience, includeEmail: true, delegates: [] },
  });
  if (!res.data.token) throw new Error('IAM Credentials generateIdToken returned no token');
  return res.data.token;
};

export function authHeaders(
  auth: KfpAuth,
  logger: Logger,
  clock: Clock,
  idToken: IdTokenSource = googleIdToken,
): AuthHeaders {
  switch (auth.kind) {
    case 'token':
      logger.secret(auth.token);
      return async () => ({ authorization: `Bearer ${auth.token}` });
    case 'cookie':
      logger.secret(auth.cookie);
      for (const pair of auth.cookie.split(';')) {
        const value = pair.slice(pair.indexOf('=') + 1).trim();
        if (value.length >= 4) logger.secret(value);
      }
      return async () => ({ cookie: auth.cookie });
    case 'iap': {
      let cached: { token: string; at: number } | undefined;
      return async () => {
        if (!cached || clock.now() - cached.at > ID_TOKEN_REUSE_MS) {
          let token: string;
          try {
            token = await idToken(auth.audience);
          } catch (error) {
            throw new Error(
              `cannot mint a Google ID token for IAP audience ${auth.audience}: ${(error as Error).message}. ` +
                'It needs Application Default Credentials that can sign ID tokens (a service-account key, ' +
                'google-github-actions/auth with a service_account, or GCE metadata).',
            );
          }
          logger.secret(token);
          cached = { token, at: clock.now() };
        }
        return { authorization: `Bearer ${cached.token}` };
      };
    }
    case 'none':
      return async () => ({});
  }
}
