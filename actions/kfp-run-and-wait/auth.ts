/**
 * The credentials every KFP request carries: a bearer token, a session cookie, or a
 * Google-signed ID token for IAP (shared/google-token.ts, loaded only on that path). Every secret
 * is masked before anything can print it.
 */
import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import { createHttpClient, type HttpClient } from '../../shared/http.ts';
import type { KfpAuth } from './inputs.ts';

export type AuthHeaders = () => Promise<Record<string, string>>;

/** Mints an ID token for an audience (IAP OAuth client id). */
export type IdTokenSource = (audience: string) => Promise<string>;

/** ID tokens live an hour: mint a new one well before that. */
const ID_TOKEN_REUSE_MS = 45 * 60_000;

/**
 * From Application Default Credentials, by shared/google-token.ts over a client of its own
 * (the KFP client's carries these very headers, so it cannot mint them).
 */
export function googleIdTokenOver(http: HttpClient): IdTokenSource {
  return async (audience) => {
    const { googleIdToken } = await import('../../shared/google-token.ts');
    return googleIdToken(audience, { http, userAgent: USER_AGENT });
  };
}

const USER_AGENT = 'mlops-actions/kfp-run-and-wait';

export const googleIdToken: IdTokenSource = (audience) =>
  googleIdTokenOver(createHttpClient({ userAgent: USER_AGENT }))(audience);

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
