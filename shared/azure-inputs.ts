/**
 * The Azure inputs both Azure paths read (setup-cluster-auth `provider: aks`, build-push-image
 * ACR): `client-id`, `tenant-id`, `azure-environment`, `authority-host`, `audience`, and which
 * credential mints the token. Parsed before anything loads or is sent.
 */
import {
  AZURE_CLOUDS,
  AZURE_ENVIRONMENTS,
  AZURE_OIDC_AUDIENCE,
  AZURE_TENANT,
  GUID,
  type AzureCredentialSource,
  type AzureEnvironment,
} from './azure-cloud.ts';
import { InputError } from './errors.ts';
import { oidcRequest } from './github-oidc.ts';
import { parseHttpUrl, urlForError, type Inputs } from './inputs.ts';

export interface AzureLogin {
  environment: AzureEnvironment;
  /** Entra ID's host (https, no trailing slash). */
  authorityHost: string;
  credentials: AzureCredentialSource;
}

/** `azure-environment`, case-insensitive as azure/login's `environment` (default AzureCloud). */
export function azureEnvironment(
  inputs: Inputs,
  fallback: AzureEnvironment = 'AzureCloud',
): AzureEnvironment {
  const raw = inputs.optional('azure-environment');
  if (raw === undefined) return fallback;
  const env = AZURE_ENVIRONMENTS.find((e) => e.toLowerCase() === raw.toLowerCase());
  if (!env) {
    throw new InputError(
      `Input 'azure-environment' must be one of ${AZURE_ENVIRONMENTS.map((e) => `'${e}'`).join(', ')} (got "${raw}"); for another cloud set 'authority-host' and 'resource-manager-endpoint'.`,
    );
  }
  return env;
}

/** An https base URL input (no credentials, query or fragment), without a trailing slash. */
export function httpsBase(inputs: Inputs, name: string, loopbackHttp = false): string | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  const url = parseHttpUrl(name, value, {
    must: 'be an https URL',
    credentials: 'use client-id and the federated credential',
    plain: true,
    loopbackHttp: true,
  });
  if (url.protocol !== 'https:' && !loopbackHttp)
    throw new InputError(`Input '${name}' must be an https URL (got "${value}").`);
  return value.replace(/\/+$/, '');
}

function idInput(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  name: string,
  variable: string,
  grammar: RegExp,
  what: string,
): string {
  const value = inputs.optional(name) ?? (env[variable] || undefined);
  if (!value) {
    throw new InputError(
      `Input '${name}' is required for Azure (${what}; or set ${variable}). Nothing was sent.`,
    );
  }
  if (!grammar.test(value))
    throw new InputError(`Input '${name}' must be ${what} (got "${value}").`);
  return value;
}

/**
 * The credential: AZURE_CLIENT_SECRET (a service principal's secret, as azure/login's `creds`
 * holds), AZURE_FEDERATED_TOKEN_FILE (workload identity), else keyless GitHub OIDC.
 */
export function azureLogin(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  fallback: AzureEnvironment = 'AzureCloud',
): AzureLogin {
  const clientId = idInput(
    inputs,
    env,
    'client-id',
    'AZURE_CLIENT_ID',
    GUID,
    'the application (client) id of the app registration or user-assigned identity, a GUID',
  );
  const tenantId = idInput(
    inputs,
    env,
    'tenant-id',
    'AZURE_TENANT_ID',
    AZURE_TENANT,
    'the Microsoft Entra tenant (directory) id, a GUID',
  );
  const environment = azureEnvironment(inputs, fallback);
  const authorityHost =
    httpsBase(inputs, 'authority-host') ??
    (env.AZURE_AUTHORITY_HOST ? env.AZURE_AUTHORITY_HOST.replace(/\/+$/, '') : undefined) ??
    AZURE_CLOUDS[environment].authorityHost;
  if (!authorityHost.startsWith('https://'))
    throw new InputError(
      `AZURE_AUTHORITY_HOST must be an https URL (got "${urlForError(authorityHost)}").`,
    );
  const audience = inputs.optional('audience', AZURE_OIDC_AUDIENCE);
  const ids = { tenantId, clientId };
  let credentials: AzureCredentialSource;
  if (env.AZURE_CLIENT_SECRET) {
    credentials = { kind: 'secret', ...ids, secret: env.AZURE_CLIENT_SECRET };
  } else if (env.AZURE_FEDERATED_TOKEN_FILE) {
    credentials = { kind: 'token-file', ...ids, file: env.AZURE_FEDERATED_TOKEN_FILE };
  } else {
    credentials = { kind: 'oidc', ...ids, oidc: oidcRequest(env, 'client-id'), audience };
  }
  return { environment, authorityHost, credentials };
}
