/**
 * Azure Container Registry, keyless: an Entra ID access token for Azure Resource Manager
 * (GitHub OIDC federation, or the credentials in the environment; shared/azure-token.ts, which
 * loads @azure/identity only here) exchanged at the registry's `/oauth2/exchange` for an ACR
 * refresh token, which docker uses as the password of the user
 * `00000000-0000-0000-0000-000000000000` — what `az acr login` does, without the Azure CLI.
 * Renewed before the push when close to expiry (ACR refresh tokens live 3 hours).
 */
import { AZURE_CLOUDS, describeAzureSource } from '../../shared/azure-cloud.ts';
import type { AzureLogin } from '../../shared/azure-inputs.ts';
import { HttpError } from '../../shared/errors.ts';
import { checkedServerString } from '../../shared/server-values.ts';
import { isLoopbackRegistry } from './inputs.ts';
import type { LoginIo, LoginProvider } from './login.ts';

/** The docker user name ACR expects with a refresh token as the password. */
export const ACR_TOKEN_USER = '00000000-0000-0000-0000-000000000000';
const ACR_REFRESH_TOKEN = /^[A-Za-z0-9._~+/=-]{16,16384}$/;
/** ACR refresh tokens last 3 hours; the JWT's `exp` says so more precisely when readable. */
const ACR_REFRESH_LIFETIME_MS = 3 * 3_600_000;

/** The expiry (`exp`, epoch seconds) of a JWT refresh token, when it has a sane one. */
function jwtExpiry(token: string): number | undefined {
  try {
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isSafeInteger(claims.exp)
      ? claims.exp * 1000
      : undefined;
  } catch {
    return undefined;
  }
}

/** The registry's exchange endpoint (plain http for a loopback registry, as Docker). */
export function acrExchangeUrl(host: string): string {
  return `${isLoopbackRegistry(host) ? 'http' : 'https'}://${host}/oauth2/exchange`;
}

function exchangeFailure(host: string, error: HttpError): Error {
  let said = error.detail ?? `HTTP ${error.status}`;
  try {
    const body = JSON.parse(error.body) as {
      errors?: { message?: unknown }[];
      error?: unknown;
      error_description?: unknown;
    };
    const m = body.errors?.[0]?.message ?? body.error_description ?? body.error;
    if (typeof m === 'string') said = m.replace(/[\r\n\t\0]+/g, ' ').slice(0, 300);
  } catch {
    // not JSON: the detail
  }
  return new Error(
    `ACR token exchange at ${host} failed (HTTP ${error.status}): ${said} — the identity needs the AcrPush role on the registry, and the registry must allow Entra ID authentication.`,
    { cause: error },
  );
}

/** The login provider for an ACR registry with Entra ID credentials. */
export function acrLogin(azure: AzureLogin, io: () => LoginIo): LoginProvider {
  return async (host, signal) => {
    const { http, clock, onSecret } = io();
    const { azureAccessToken } = await import('../../shared/azure-token.ts');
    const scope = `${AZURE_CLOUDS[azure.environment].resourceManager}/.default`;
    // The GitHub OIDC JWT and the Resource Manager token are masked as soon as they exist.
    const arm = await azureAccessToken(azure.credentials, scope, {
      http,
      authorityHost: azure.authorityHost,
      ...(onSecret ? { onSecret } : {}),
    });
    let refresh: unknown;
    try {
      const res = await http.request({
        method: 'POST',
        url: acrExchangeUrl(host),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'access_token',
          service: host,
          tenant: azure.credentials.tenantId,
          access_token: arm.token,
        }).toString(),
        // Minting a refresh token changes nothing: sending it twice is harmless.
        idempotent: true,
        ...(signal ? { signal } : {}),
        label: `POST ${host}/oauth2/exchange`,
      });
      refresh = res.json<{ refresh_token?: unknown }>().refresh_token;
    } catch (error) {
      if (error instanceof HttpError && error.status !== undefined)
        throw exchangeFailure(host, error);
      throw error;
    }
    const password = checkedServerString(refresh, ACR_REFRESH_TOKEN, 'ACR refresh_token');
    return {
      username: ACR_TOKEN_USER,
      password,
      expiresAt: jwtExpiry(password) ?? clock.now() + ACR_REFRESH_LIFETIME_MS,
      via: `Entra ID token exchanged at ${host}/oauth2/exchange (${describeAzureSource(azure.credentials)})`,
    };
  };
}
