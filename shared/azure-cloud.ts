/**
 * Azure clouds and credentials as plain data (no SDK): the endpoints of each cloud, the
 * grammar of tenant, client and subscription ids, and how a credential is described. Inputs
 * parse against these before anything loads; shared/azure-token.ts mints the tokens.
 */
import type { OidcRequest } from './github-oidc.ts';

export const AZURE_ENVIRONMENTS = ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const;
export type AzureEnvironment = (typeof AZURE_ENVIRONMENTS)[number];

export interface AzureCloud {
  /** Entra ID's login host. */
  authorityHost: string;
  /** Azure Resource Manager. */
  resourceManager: string;
  /** Container registries' DNS suffix. */
  acrSuffix: string;
}

/** The clouds' endpoints, as the Azure CLI's `az cloud show` lists them. */
export const AZURE_CLOUDS: Record<AzureEnvironment, AzureCloud> = {
  AzureCloud: {
    authorityHost: 'https://login.microsoftonline.com',
    resourceManager: 'https://management.azure.com',
    acrSuffix: 'azurecr.io',
  },
  AzureChinaCloud: {
    authorityHost: 'https://login.chinacloudapi.cn',
    resourceManager: 'https://management.chinacloudapi.cn',
    acrSuffix: 'azurecr.cn',
  },
  AzureUSGovernment: {
    authorityHost: 'https://login.microsoftonline.us',
    resourceManager: 'https://management.usgovcloudapi.net',
    acrSuffix: 'azurecr.us',
  },
};

/** The audience of the GitHub OIDC token for an Entra federated credential. */
export const AZURE_OIDC_AUDIENCE = 'api://AzureADTokenExchange';
/** A tenant: a GUID or a domain name (contoso.onmicrosoft.com). */
export const AZURE_TENANT = /^([0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}|[A-Za-z0-9.-]+)$/;
/** A client (application) id, a subscription id: a GUID. */
export const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** What mints the token again (the credential command stores it in a 0600 file). */
export type AzureCredentialSource =
  | { kind: 'oidc'; tenantId: string; clientId: string; oidc: OidcRequest; audience: string }
  | { kind: 'secret'; tenantId: string; clientId: string; secret: string }
  | { kind: 'token-file'; tenantId: string; clientId: string; file: string };

/** How the credentials are described in logs and summaries (no secret in it). */
export function describeAzureSource(source: AzureCredentialSource): string {
  switch (source.kind) {
    case 'oidc':
      return `keyless GitHub OIDC federation as client ${source.clientId} in tenant ${source.tenantId}`;
    case 'secret':
      return `client secret (AZURE_CLIENT_SECRET) of client ${source.clientId} in tenant ${source.tenantId}`;
    case 'token-file':
      return `federated token file (AZURE_FEDERATED_TOKEN_FILE) as client ${source.clientId} in tenant ${source.tenantId}`;
  }
}

/** The cloud whose registries end in `host`'s suffix, if any (`*.azurecr.io` → AzureCloud). */
export function acrCloudOf(host: string): AzureEnvironment | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  for (const env of AZURE_ENVIRONMENTS) {
    const suffix = AZURE_CLOUDS[env].acrSuffix.replace(/\./g, '\\.');
    if (new RegExp(`^[a-z0-9][a-z0-9-]*\\.${suffix}$`).test(h)) return env;
  }
  return undefined;
}
