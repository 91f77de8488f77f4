/**
 * AKS: an Entra ID token for Azure Resource Manager (keyless through GitHub OIDC, or the
 * credentials left in the environment), the ARM credential call for the cluster's kubeconfig,
 * then its server/CA and a user of our own: for Entra ID integrated clusters the kubelogin exec
 * ARM hands out becomes a token for the AKS server application (`auth-mode: token`) or the
 * bundled credential command (`exec`), so neither kubelogin nor the Azure CLI is needed;
 * local-account clusters keep the credentials ARM returned.
 */
import { describeAzureSource } from '../../shared/azure-cloud.ts';
import { azureAccessToken, type AzureTokenOptions } from '../../shared/azure-token.ts';
import type { KubeUser } from '../../shared/kube/kubeconfig.ts';
import { bundledCredential, type ClusterAccess, type ProviderDeps } from './access.ts';
import { listClusterCredential, readAksKubeconfig } from './aks-arm.ts';
import type { AksInputs } from './aks-inputs.ts';

type AksUser = Pick<ClusterAccess, 'user' | 'files' | 'expiresAt' | 'plugin'>;

/** Entra ID integrated cluster: a token for the AKS server app, or the bundled command. */
async function entraUser(
  inputs: AksInputs,
  deps: ProviderDeps,
  serverId: string,
  o: AzureTokenOptions,
): Promise<AksUser> {
  const scope = `${serverId}/.default`;
  if (inputs.authMode === 'token') {
    const t = await azureAccessToken(inputs.credentials, scope, o);
    const expiresAt = new Date(t.expiresAt);
    deps.logger.info(
      `The AKS token expires at ${expiresAt.toISOString()}; use auth-mode: exec for longer jobs.`,
    );
    return { user: { token: t.token } as KubeUser, files: [], expiresAt };
  }
  const bundled = bundledCredential(deps, {
    provider: 'aks',
    credentials: inputs.credentials,
    authorityHost: inputs.authorityHost,
    scope,
    userAgent: deps.userAgent,
  });
  return { user: bundled.user, files: [bundled.file], plugin: bundled.plugin };
}

export async function aksAccess(inputs: AksInputs, deps: ProviderDeps): Promise<ClusterAccess> {
  const { logger } = deps;
  const how = describeAzureSource(inputs.credentials);
  logger.info(`Authenticating to Microsoft Entra ID (${inputs.authorityHost}) with ${how}`);
  const o: AzureTokenOptions = {
    http: deps.http,
    authorityHost: inputs.authorityHost,
    onSecret: (v) => logger.secret(v),
  };
  const arm = await azureAccessToken(inputs.credentials, inputs.armScope, o);
  const text = await listClusterCredential(inputs, arm.token, deps.http);
  const kubeconfig = readAksKubeconfig(text, inputs.cluster, (v) => logger.secret(v));
  let access: AksUser;
  if (kubeconfig.entra) {
    access = await entraUser(inputs, deps, kubeconfig.entra.serverId, o);
  } else {
    logger.info(
      `AKS cluster '${inputs.cluster}' uses local accounts: the kubeconfig keeps the ${inputs.admin ? 'admin' : 'user'} credentials ARM returned ('auth-mode' does not apply).`,
    );
    access = { user: kubeconfig.local ?? {}, files: [] };
  }
  const entryName = inputs.admin ? `${inputs.cluster}-admin` : inputs.cluster;
  return {
    entryName,
    context: inputs.context ?? entryName,
    server: kubeconfig.server,
    ...(kubeconfig.caData ? { caData: kubeconfig.caData } : {}),
    user: access.user,
    files: access.files,
    ...(access.expiresAt ? { expiresAt: access.expiresAt } : {}),
    credentials: `${how}${kubeconfig.entra ? ' (Entra ID cluster)' : ' (local accounts)'}`,
    ...(access.plugin ? { plugin: access.plugin } : {}),
  };
}
