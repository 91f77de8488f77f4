/**
 * GKE: a Google access token (ADC, key, or keyless WIF), the Container API cluster GET,
 * then the server/CA/user for the kubeconfig, as get-gke-credentials and gcloud do.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HttpError, InputError, errorMessage } from '../../shared/errors.ts';
import { EXEC_API_VERSION, type KubeUser } from '../../shared/kube/kubeconfig.ts';
import { bundledCredential, type ClusterAccess, type ProviderDeps } from './access.ts';
import { BASE64, checkedServerString, HOST } from '../../shared/server-values.ts';
import {
  endpointOf,
  externalAccountConfig,
  googleAccessToken,
  projectOfCredentials,
  type GoogleCredentialSource,
} from './google-auth.ts';
import type { GkeInputs } from './inputs.ts';
import { serviceAccountKeySecrets } from './credential-config.ts';

/** The Cluster fields a kubeconfig needs (Kubernetes Engine API container/v1 `Cluster`). */
export interface GkeCluster {
  name?: string;
  endpoint?: string;
  status?: string;
  masterAuth?: { clusterCaCertificate?: string };
  privateClusterConfig?: { privateEndpoint?: string; publicEndpoint?: string };
  controlPlaneEndpointsConfig?: {
    dnsEndpointConfig?: { endpoint?: string; allowExternalTraffic?: boolean };
    ipEndpointsConfig?: { privateEndpoint?: string; publicEndpoint?: string };
  };
}

const PLUGIN = 'gke-gcloud-auth-plugin';
const PLUGIN_HINT =
  'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin';

function credentialSource(inputs: GkeInputs, env: NodeJS.ProcessEnv): GoogleCredentialSource {
  const c = inputs.credentials;
  if (c.kind === 'key') return { kind: 'key', json: c.json };
  if (c.kind === 'wif') {
    return {
      kind: 'wif',
      provider: c.provider,
      audience: c.audience,
      oidc: c.oidc,
      ...(c.serviceAccount ? { serviceAccount: c.serviceAccount } : {}),
    };
  }
  const file = env.GOOGLE_APPLICATION_CREDENTIALS;
  return file ? { kind: 'adc', file } : { kind: 'adc' };
}

function describe(source: GoogleCredentialSource): string {
  switch (source.kind) {
    case 'key':
      return 'service-account key (credentials-json)';
    case 'wif':
      return source.serviceAccount
        ? `Workload Identity Federation as ${source.serviceAccount}`
        : 'Workload Identity Federation (direct)';
    case 'adc':
      return source.file
        ? `Application Default Credentials (${path.basename(source.file)})`
        : 'Application Default Credentials';
  }
}

/** Project from an ADC file: a key's project_id, or the impersonated account's domain. */
function projectOfAdcFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      project_id?: unknown;
      service_account_impersonation_url?: unknown;
    };
    if (typeof doc.project_id === 'string') return doc.project_id;
    if (typeof doc.service_account_impersonation_url === 'string') {
      return /@([a-z0-9-]+)\.iam\.gserviceaccount\.com:/.exec(
        doc.service_account_impersonation_url,
      )?.[1];
    }
  } catch {
    // the library reports unreadable files when it uses them
  }
  return undefined;
}

export async function getGkeCluster(
  inputs: GkeInputs,
  project: string,
  token: string,
  deps: Pick<ProviderDeps, 'http'>,
): Promise<GkeCluster> {
  const name = `projects/${project}/locations/${inputs.location}/clusters/${inputs.cluster}`;
  const url = `${endpointOf(inputs.endpoints, 'container')}/v1/${name}`;
  try {
    const res = await deps.http.request({
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(inputs.quotaProjectId ? { 'x-goog-user-project': inputs.quotaProjectId } : {}),
      },
    });
    return res.json<GkeCluster>();
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      throw new Error(
        `GKE cluster ${name} was not found (HTTP 404 from ${error.method} ${error.url}): check 'cluster-name', 'location' (zone or region) and 'project-id'.`,
        { cause: error },
      );
    }
    if (error instanceof HttpError && error.status === 403) {
      throw new Error(
        `Permission denied reading GKE cluster ${name} (HTTP 403): the credentials need container.clusters.get on project ${project} (e.g. roles/container.clusterViewer), and the Kubernetes Engine API must be enabled. Google said: ${googleMessage(error.body)}`,
        { cause: error },
      );
    }
    throw error;
  }
}

function googleMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    if (typeof m === 'string') return m;
  } catch {
    // not JSON
  }
  return body.slice(0, 200);
}

/** Chooses the endpoint and CA exactly as get-gke-credentials does. */
export function serverOf(
  cluster: GkeCluster,
  inputs: Pick<GkeInputs, 'useInternalIp' | 'useDnsEndpoint' | 'cluster'>,
): {
  server: string;
  caData?: string;
} {
  let endpoint = cluster.endpoint;
  let publicCert = false;
  if (inputs.useInternalIp) {
    endpoint =
      cluster.privateClusterConfig?.privateEndpoint ??
      cluster.controlPlaneEndpointsConfig?.ipEndpointsConfig?.privateEndpoint;
    if (!endpoint) {
      throw new Error(
        `GKE cluster ${inputs.cluster} has no private endpoint: 'use-internal-ip' needs a private cluster.`,
      );
    }
  } else if (inputs.useDnsEndpoint) {
    endpoint = cluster.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint;
    if (!endpoint) {
      throw new Error(
        `GKE cluster ${inputs.cluster} has no DNS-based control plane endpoint: enable it, or unset 'use-dns-endpoint'.`,
      );
    }
    publicCert = true;
  }
  if (!endpoint)
    throw new Error(
      `GKE cluster ${inputs.cluster} has no endpoint yet (status ${cluster.status ?? 'unknown'}).`,
    );
  // What the API returns becomes the kubeconfig's server and the cluster-endpoint output.
  checkedServerString(endpoint, HOST, `GKE cluster ${inputs.cluster} endpoint`);
  if (endpoint.endsWith('gke.goog')) publicCert = true;
  const caData = cluster.masterAuth?.clusterCaCertificate;
  if (caData !== undefined)
    checkedServerString(caData, BASE64, 'GKE masterAuth.clusterCaCertificate');
  if (!publicCert && !caData)
    throw new Error(`GKE cluster ${inputs.cluster} reports no masterAuth.clusterCaCertificate.`);
  return { server: `https://${endpoint}`, ...(!publicCert && caData ? { caData } : {}) };
}

/** gke-gcloud-auth-plugin with ADC: a credentials file that mints fresh tokens, and its exec. */
function gcloudPluginUser(
  inputs: GkeInputs,
  deps: ProviderDeps,
  source: GoogleCredentialSource,
): { user: KubeUser; files: ClusterAccess['files'] } {
  const files: ClusterAccess['files'] = [];
  let adcFile = source.kind === 'adc' ? source.file : undefined;
  if (source.kind !== 'adc') {
    adcFile = path.join(deps.dir, 'application_default_credentials.json');
    const doc =
      source.kind === 'key'
        ? source.json
        : JSON.stringify(externalAccountConfig(source, inputs.endpoints), null, 2);
    files.push({ path: adcFile, content: doc });
  }
  const user: KubeUser = {
    exec: {
      apiVersion: EXEC_API_VERSION,
      command: PLUGIN,
      args: ['--use_application_default_credentials'],
      ...(adcFile ? { env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: adcFile }] } : {}),
      installHint: PLUGIN_HINT,
      provideClusterInfo: true,
      interactiveMode: 'Never',
    },
  };
  return { user, files };
}

/** How kubectl authenticates: the token, gke-gcloud-auth-plugin, or the bundled command. */
function gkeUser(
  inputs: GkeInputs,
  deps: ProviderDeps,
  source: GoogleCredentialSource,
  project: string,
  token: string,
): { user: KubeUser; files: ClusterAccess['files']; plugin?: string } {
  if (inputs.authMode === 'token') return { user: { token }, files: [] };
  const pluginPath = inputs.execPlugin === 'auto' ? deps.which(PLUGIN) : undefined;
  if (pluginPath)
    return { ...gcloudPluginUser(inputs, deps, source), plugin: `${PLUGIN} (${pluginPath})` };
  const bundled = bundledCredential(deps, {
    provider: 'gke',
    source,
    endpoints: inputs.endpoints,
    project,
    userAgent: deps.userAgent,
  });
  return { user: bundled.user, files: [bundled.file], plugin: bundled.plugin };
}

export async function gkeAccess(inputs: GkeInputs, deps: ProviderDeps): Promise<ClusterAccess> {
  const { logger } = deps;
  const source = credentialSource(inputs, deps.env);
  if (source.kind === 'key')
    for (const s of serviceAccountKeySecrets(source.json)) logger.secret(s);
  const project =
    inputs.projectId ??
    projectOfCredentials(source) ??
    projectOfAdcFile(source.kind === 'adc' ? source.file : undefined);
  if (!project) {
    throw new InputError(
      `Input 'project-id' is required: it is not in 'cluster-name' and the credentials do not name a project.`,
    );
  }
  logger.info(`Authenticating to Google with ${describe(source)}`);
  let token: string;
  let expiresAt: number | undefined;
  try {
    ({ token, expiresAt } = await googleAccessToken(
      source,
      inputs.endpoints,
      deps.userAgent,
      project,
      // The GitHub OIDC JWT the library fetches for federation is a credential too.
      (jwt) => logger.secret(jwt),
      deps.http,
    ));
  } catch (error) {
    throw new Error(`Google authentication (${describe(source)}) failed: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  logger.secret(token);

  const cluster = await getGkeCluster(inputs, project, token, deps);
  if (cluster.status && !['RUNNING', 'RECONCILING', 'DEGRADED'].includes(cluster.status)) {
    logger.warning(`GKE cluster ${inputs.cluster} is ${cluster.status}: its API may not answer.`);
  }
  const { server, caData } = serverOf(cluster, inputs);
  const entryName = `gke_${project}_${inputs.location}_${inputs.cluster}`;
  const { user, files, plugin } = gkeUser(inputs, deps, source, project, token);
  return {
    entryName,
    context: inputs.context ?? entryName,
    server,
    ...(caData ? { caData } : {}),
    user,
    files,
    ...(inputs.authMode === 'token' && expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
    credentials: describe(source),
    ...(plugin ? { plugin } : {}),
  };
}
