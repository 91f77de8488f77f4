/**
 * The ARM ContainerService credential calls (`listClusterUserCredential`,
 * `listClusterAdminCredential`) over the one HTTP client, and the kubeconfig they return,
 * checked field by field before any of it reaches the kubeconfig we write, an output or the
 * log. ARM is called directly rather than through @azure/arm-containerservice: one POST does
 * not justify an SDK chunk, and the call then has the one retry policy without an adapter.
 */
import { HttpError } from '../../shared/errors.ts';
import type { HttpClient } from '../../shared/http.ts';
import {
  kubeconfigSecrets,
  parseKubeconfig,
  selectContext,
  type KubeUser,
} from '../../shared/kube/kubeconfig.ts';
import {
  BASE64,
  checkedServerString,
  checkedServerUrl,
  shownValue,
} from '../../shared/server-values.ts';
import type { AksInputs } from './aks-inputs.ts';

/** The stable ContainerService API version whose credential calls take `format` and `server-fqdn`. */
export const AKS_API_VERSION = '2024-05-01';
/** The AKS server application (Entra ID integrated clusters), as kubelogin's `--server-id`. */
export const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const BEARER = /^[A-Za-z0-9._~+/=-]{8,16384}$/;

/** What the ARM kubeconfig says of the cluster and how its user authenticates. */
export interface AksKubeconfig {
  server: string;
  caData?: string;
  /** Entra ID integrated: the server application whose tokens the API server accepts. */
  entra?: { serverId: string };
  /** Local accounts: the credentials as ARM handed them out (already checked). */
  local?: KubeUser;
}

export function credentialUrl(inputs: AksInputs): string {
  const action = inputs.admin ? 'listClusterAdminCredential' : 'listClusterUserCredential';
  const path = [
    'subscriptions',
    inputs.subscriptionId,
    'resourceGroups',
    inputs.resourceGroup,
    'providers/Microsoft.ContainerService/managedClusters',
    inputs.cluster,
    action,
  ]
    .map((s) => (s.includes('/') ? s : encodeURIComponent(s)))
    .join('/');
  const url = new URL(`${inputs.resourceManager}/${path}`);
  url.searchParams.set('api-version', AKS_API_VERSION);
  // Entra ID clusters: an exec (kubelogin) kubeconfig, whose exec we replace.
  if (!inputs.admin) url.searchParams.set('format', 'exec');
  if (inputs.usePrivateFqdn) url.searchParams.set('server-fqdn', 'private');
  return url.toString();
}

/** ARM's `{ error: { code, message } }`, printable (one line, cut). */
function armError(body: string): { code?: string; message?: string } {
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    const line = (v: unknown): string | undefined =>
      typeof v === 'string' ? v.replace(/[\r\n\t\0]+/g, ' ').slice(0, 400) : undefined;
    const code = line(e?.code);
    const message = line(e?.message);
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
  } catch {
    return {};
  }
}

function armFailure(inputs: AksInputs, error: HttpError): Error {
  const { code, message } = armError(error.body);
  const action = inputs.admin ? 'listClusterAdminCredential' : 'listClusterUserCredential';
  const said = `${code ?? `HTTP ${error.status}`}: ${message ?? (error.detail || 'no message')}`;
  const where = `AKS cluster '${inputs.cluster}' in resource group '${inputs.resourceGroup}' (subscription ${inputs.subscriptionId})`;
  let hint = '';
  if (error.status === 404) hint = ` Check 'cluster-name', 'resource-group' and 'subscription-id'.`;
  else if (error.status === 403)
    hint = ` The identity needs Microsoft.ContainerService/managedClusters/${action}/action on the cluster: assign it the '${inputs.admin ? 'Azure Kubernetes Service Cluster Admin Role' : 'Azure Kubernetes Service Cluster User Role'}'.`;
  else if (error.status === 401)
    hint = ` Check that the token is for this cloud ('azure-environment').`;
  return new Error(`ARM ${action} for ${where} failed (HTTP ${error.status}) — ${said}.${hint}`, {
    cause: error,
  });
}

/** POSTs the credential call; returns the first kubeconfig's YAML text. */
export async function listClusterCredential(
  inputs: AksInputs,
  armToken: string,
  http: HttpClient,
): Promise<string> {
  let body: { kubeconfigs?: { name?: unknown; value?: unknown }[] };
  try {
    const res = await http.request({
      method: 'POST',
      url: credentialUrl(inputs),
      headers: { authorization: `Bearer ${armToken}`, accept: 'application/json' },
      // Listing credentials changes nothing: sending it twice is harmless.
      idempotent: true,
    });
    body = res.json<typeof body>();
  } catch (error) {
    if (error instanceof HttpError && error.status !== undefined) throw armFailure(inputs, error);
    throw error;
  }
  const value = Array.isArray(body?.kubeconfigs) ? body.kubeconfigs[0]?.value : undefined;
  checkedServerString(value, BASE64, 'ARM kubeconfigs[0].value');
  return Buffer.from(value as string, 'base64').toString('utf8');
}

/** `--server-id <id>` of a kubelogin exec, or the AKS server app when it is not given. */
function serverIdOf(user: KubeUser): string | undefined {
  const exec = user.exec;
  if (exec) {
    const args = exec.args ?? [];
    const i = args.indexOf('--server-id');
    const id = i >= 0 ? args[i + 1] : AKS_SERVER_APP;
    return checkedServerString(id, GUID, 'ARM kubeconfig kubelogin --server-id');
  }
  const provider = user['auth-provider'] as { name?: unknown; config?: Record<string, unknown> };
  if (provider?.name === 'azure') {
    const id = provider.config?.['apiserver-id'] ?? AKS_SERVER_APP;
    return checkedServerString(id, GUID, 'ARM kubeconfig auth-provider apiserver-id');
  }
  return undefined;
}

/** Local accounts: client certificate and key, or a token, each checked. */
function localUser(user: KubeUser): KubeUser {
  const out: KubeUser = {};
  for (const field of ['client-certificate-data', 'client-key-data'] as const) {
    if (user[field] !== undefined)
      out[field] = checkedServerString(user[field], BASE64, `ARM kubeconfig user ${field}`);
  }
  if (user.token !== undefined)
    out.token = checkedServerString(user.token, BEARER, 'ARM kubeconfig user token');
  if (Object.keys(out).length === 0) {
    throw new Error(
      `The kubeconfig ARM returned has a user with neither Entra ID (kubelogin) nor local credentials (its keys: ${shownValue(Object.keys(user))}).`,
    );
  }
  return out;
}

/** The cluster (server, CA) and user of the ARM kubeconfig's current context. */
export function readAksKubeconfig(
  text: string,
  cluster: string,
  onSecret: (value: string) => void,
): AksKubeconfig {
  let selected;
  try {
    const parsed = parseKubeconfig(text, 'the kubeconfig ARM returned');
    // Masked before any check can quote a value.
    for (const s of kubeconfigSecrets(parsed)) onSecret(s);
    selected = selectContext(parsed, undefined);
  } catch (error) {
    throw new Error(`AKS cluster '${cluster}': ${(error as Error).message}`, { cause: error });
  }
  // selectContext checked that the context, its cluster and its user exist.
  const { config, context } = selected;
  const entry = config.contexts.find((c) => c.name === context);
  const kubeCluster = config.clusters.find((c) => c.name === entry?.context.cluster)?.cluster;
  const user = config.users.find((u) => u.name === entry?.context.user)?.user;
  if (!kubeCluster || !user) throw new Error(`AKS cluster '${cluster}': incomplete kubeconfig`);
  const server = checkedServerUrl(kubeCluster.server, `AKS cluster '${cluster}' server`);
  const ca = kubeCluster['certificate-authority-data'];
  const caData =
    ca === undefined ? undefined : checkedServerString(ca, BASE64, 'ARM kubeconfig CA data');
  const serverId = serverIdOf(user);
  if (serverId) return { server, ...(caData ? { caData } : {}), entra: { serverId } };
  return { server, ...(caData ? { caData } : {}), local: localUser(user) };
}
