/**
 * Microsoft Entra ID access tokens through @azure/identity (MSAL), loaded only when a token is
 * asked for (the Azure paths: setup-cluster-auth `provider: aks`, build-push-image ACR):
 * keyless from the GitHub OIDC token (a `client_assertion` for the app registration or
 * user-assigned identity that has a federated credential for the repository, audience
 * `api://AzureADTokenExchange`, as azure/login does), a client secret, or a federated token
 * file (AZURE_FEDERATED_TOKEN_FILE, workload identity on a self-hosted runner). Every Entra
 * call goes through the one HTTP client (shared/http-azure.ts), the SDK's own retries off.
 */
import { readFile } from 'node:fs/promises';
import { errorMessage } from './errors.ts';
import { githubIdToken } from './github-oidc.ts';
import type { HttpClient } from './http.ts';
import { azureHttpClient } from './http-azure.ts';
import { checkedServerString } from './server-values.ts';
import { describeAzureSource, type AzureCredentialSource } from './azure-cloud.ts';

export type { AzureCredentialSource };

/** An access token as Entra issues it (a JWT, or an opaque token of the same alphabet). */
const ACCESS_TOKEN = /^[A-Za-z0-9._~+/=-]{16,16384}$/;

export interface AzureToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface AzureTokenOptions {
  http: HttpClient;
  /** Entra ID's host for the cloud (https), or a sovereign / test authority. */
  authorityHost: string;
  /** Called with every credential value as soon as it is known (the GitHub OIDC JWT). */
  onSecret?: (value: string) => void;
}

type Identity = typeof import('@azure/identity');
type TokenCredential = Pick<InstanceType<Identity['ClientSecretCredential']>, 'getToken'>;

function credentialOf(
  lib: Identity,
  source: AzureCredentialSource,
  o: AzureTokenOptions,
): TokenCredential {
  const options = {
    authorityHost: o.authorityHost,
    // Sovereign and test authorities are not in Microsoft's instance metadata: MSAL reads the
    // tenant's OpenID configuration from the given host instead.
    disableInstanceDiscovery: true,
    httpClient: azureHttpClient(o.http),
    retryOptions: { maxRetries: 0 },
  };
  if (source.kind === 'secret') {
    return new lib.ClientSecretCredential(source.tenantId, source.clientId, source.secret, options);
  }
  const assertion =
    source.kind === 'oidc'
      ? async (): Promise<string> => {
          const jwt = await githubIdToken(source.oidc, source.audience, o.http);
          o.onSecret?.(jwt);
          return jwt;
        }
      : async (): Promise<string> => (await readFile(source.file, 'utf8')).trim();
  return new lib.ClientAssertionCredential(source.tenantId, source.clientId, assertion, options);
}

/** An Entra access token for `scope` (e.g. `https://management.azure.com/.default`). */
export async function azureAccessToken(
  source: AzureCredentialSource,
  scope: string,
  o: AzureTokenOptions,
): Promise<AzureToken> {
  const lib = await import('@azure/identity');
  let result: { token: string; expiresOnTimestamp: number } | null;
  try {
    result = await credentialOf(lib, source, o).getToken(scope);
  } catch (error) {
    throw new Error(entraFailure(error, scope, source, o.authorityHost), { cause: error });
  }
  if (!result) throw new Error(`Microsoft Entra ID returned no token for ${scope}`);
  const token = checkedServerString(result.token, ACCESS_TOKEN, 'Entra ID access_token');
  o.onSecret?.(token);
  const expiresAt = result.expiresOnTimestamp;
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= 0)
    throw new Error('Microsoft Entra ID returned a token without a valid expiry');
  return { token, expiresAt };
}

/**
 * What Entra said (its AADSTS line, without the SDK's troubleshooting boilerplate), or why it
 * could not be asked, with what to check.
 */
function entraFailure(
  error: unknown,
  scope: string,
  source: AzureCredentialSource,
  authorityHost: string,
): string {
  const text = errorMessage(error);
  const who = `${scope} (${describeAzureSource(source)})`;
  const aadsts = /AADSTS\d+:[^\r\n]*/.exec(text)?.[0];
  if (aadsts) {
    const hint = /AADSTS(700213|70021|700211)\b/.test(aadsts)
      ? ' — check the federated credential of the app registration or managed identity: its issuer (https://token.actions.githubusercontent.com), subject (e.g. repo:OWNER/REPO:ref:refs/heads/main or repo:OWNER/REPO:environment:NAME) and audience (api://AzureADTokenExchange) must match this job'
      : '';
    return `Microsoft Entra ID refused a token for ${who}: ${aadsts.replace(/ Trace ID:.*$/, '')}${hint}`;
  }
  if (/endpoints_resolution_error/.test(text)) {
    return `Microsoft Entra ID could not be reached for ${who}: the tenant's OpenID configuration at ${authorityHost}/${source.tenantId}/v2.0/.well-known/openid-configuration did not answer (check 'authority-host' / 'azure-environment', 'tenant-id', and the runner's network)`;
  }
  return `Microsoft Entra ID gave no token for ${who}: ${text.split('\n')[0] ?? text}`;
}
