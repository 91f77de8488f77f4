/**
 * `provider: aks`: the cluster (`cluster-name`, `resource-group`, `subscription-id`), which
 * credential the ARM API hands back (`admin`, `use-private-fqdn`), the cloud's endpoints
 * (`azure-environment`, or `authority-host` + `resource-manager-endpoint`) and the Entra
 * credential (shared/azure-inputs.ts). Parsed before anything is sent.
 */
import { AZURE_CLOUDS, GUID, type AzureCredentialSource } from '../../shared/azure-cloud.ts';
import { azureLogin, httpsBase } from '../../shared/azure-inputs.ts';
import { InputError } from '../../shared/errors.ts';
import type { Inputs } from '../../shared/inputs.ts';
import type { Common } from './common-inputs.ts';

export interface AksInputs extends Common {
  provider: 'aks';
  cluster: string;
  resourceGroup: string;
  subscriptionId: string;
  /** listClusterAdminCredential instead of listClusterUserCredential. */
  admin: boolean;
  /** Ask ARM for the private FQDN (`server-fqdn=private`). */
  usePrivateFqdn: boolean;
  /** Entra ID's host (https). */
  authorityHost: string;
  /** Azure Resource Manager's base URL. */
  resourceManager: string;
  /** The scope of ARM tokens in the cloud (`https://management.azure.com/.default`). */
  armScope: string;
  credentials: AzureCredentialSource;
}

/** Inputs that only `provider: aks` reads (the booleans are checked where they apply). */
export const AKS_INPUTS = [
  'resource-group',
  'subscription-id',
  'client-id',
  'tenant-id',
  'azure-environment',
  'authority-host',
  'resource-manager-endpoint',
];

/** An AKS cluster name (1-63: letters, digits, '-', '_'; starts and ends alphanumeric). */
const AKS_NAME = /^[A-Za-z0-9]$|^[A-Za-z0-9][A-Za-z0-9_-]{0,61}[A-Za-z0-9]$/;
/** A resource group name: 1-90 of letters, digits, '.', '_', '-', '(', ')'; not ending in '.'. */
const RESOURCE_GROUP = /^[-\p{L}\p{N}._()]{0,89}[-\p{L}\p{N}_()]$/u;

export function aksInputs(inputs: Inputs, env: NodeJS.ProcessEnv, common: Common): AksInputs {
  const cluster = inputs.required('cluster-name');
  if (!AKS_NAME.test(cluster)) {
    throw new InputError(
      `Input 'cluster-name' must be an AKS cluster name (1-63 letters, digits, '-', '_', starting and ending with a letter or digit) (got "${cluster}").`,
    );
  }
  const resourceGroup = inputs.optional('resource-group');
  if (!resourceGroup)
    throw new InputError(
      `Input 'resource-group' is required for provider 'aks' (the cluster's resource group).`,
    );
  if (!RESOURCE_GROUP.test(resourceGroup)) {
    throw new InputError(
      `Input 'resource-group' must be a resource group name (1-90 letters, digits, '.', '_', '-', '(', ')'; not ending in '.') (got "${resourceGroup}").`,
    );
  }
  const subscriptionId = inputs.optional('subscription-id') ?? (env.AZURE_SUBSCRIPTION_ID || '');
  if (!subscriptionId) {
    throw new InputError(
      `Input 'subscription-id' is required for provider 'aks' (the cluster's subscription, a GUID; or set AZURE_SUBSCRIPTION_ID).`,
    );
  }
  if (!GUID.test(subscriptionId))
    throw new InputError(`Input 'subscription-id' must be a GUID (got "${subscriptionId}").`);
  const login = azureLogin(inputs, env);
  const resourceManager =
    httpsBase(inputs, 'resource-manager-endpoint', true) ??
    AZURE_CLOUDS[login.environment].resourceManager;
  return {
    ...common,
    provider: 'aks',
    cluster,
    resourceGroup,
    subscriptionId,
    admin: inputs.bool('admin', false),
    usePrivateFqdn: inputs.bool('use-private-fqdn', false),
    authorityHost: login.authorityHost,
    resourceManager,
    armScope: `${AZURE_CLOUDS[login.environment].resourceManager}/.default`,
    credentials: login.credentials,
  };
}
