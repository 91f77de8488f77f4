/**
 * Fake Azure Resource Manager, ContainerService credential actions only, after the REST spec
 * (test/contracts/azure/README.md): POST
 * /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}/listCluster{User,Admin}Credential?api-version=…[&format=exec|azure][&server-fqdn=…]
 * → `{ kubeconfigs: [{ name, value: base64(kubeconfig) }] }`. Bearer tokens must be ARM tokens
 * the Entra fake issued; ARM's errors `{ error: { code, message } }` with its statuses
 * (401 InvalidAuthenticationToken, 403 AuthorizationFailed, 404 SubscriptionNotFound /
 * ResourceGroupNotFound / ResourceNotFound, 400 MissingApiVersionParameter).
 */
import { stringify } from 'yaml';
import type { EntraFake } from './azure-entra.ts';
import { bearer, json, startFake, type FakeResponse, type FakeServer } from './http-fake.ts';

export const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The Azure CLI's client id, as ARM writes it into kubelogin's arguments. */
const AZURE_CLI_CLIENT = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

export interface FakeAksCluster {
  subscription: string;
  resourceGroup: string;
  name: string;
  server: string;
  /** server-fqdn=private answers this server. */
  privateServer?: string;
  caData?: string;
  /** Entra ID integrated (kubelogin exec), or local accounts with this token. */
  auth: { kind: 'entra'; tenant: string } | { kind: 'local'; token: string };
}

export interface ArmFake extends FakeServer {
  /** Clients (app ids) allowed the credential actions. */
  allowed: Set<string>;
}

function armError(status: number, code: string, message: string): FakeResponse {
  return json(status, { error: { code, message } });
}

function kubeconfigOf(c: FakeAksCluster, admin: boolean, format: string, server: string): string {
  const user = admin
    ? `clusterAdmin_${c.resourceGroup}_${c.name}`
    : `clusterUser_${c.resourceGroup}_${c.name}`;
  const context = admin ? `${c.name}-admin` : c.name;
  let userEntry: Record<string, unknown>;
  if (c.auth.kind === 'local') userEntry = { token: c.auth.token };
  else if (format === 'azure')
    userEntry = {
      'auth-provider': {
        name: 'azure',
        config: {
          'apiserver-id': AKS_SERVER_APP,
          'client-id': AZURE_CLI_CLIENT,
          'config-mode': '1',
          environment: 'AzurePublicCloud',
          'tenant-id': c.auth.tenant,
        },
      },
    };
  else
    userEntry = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'kubelogin',
        args: [
          'get-token',
          '--environment',
          'AzurePublicCloud',
          '--server-id',
          AKS_SERVER_APP,
          '--client-id',
          AZURE_CLI_CLIENT,
          '--tenant-id',
          c.auth.tenant,
          '--login',
          'devicecode',
        ],
        env: null,
        installHint:
          'kubelogin is not installed which is required to connect to AAD enabled cluster.',
        interactiveMode: 'IfAvailable',
        provideClusterInfo: false,
      },
    };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: c.name,
        cluster: { server, ...(c.caData ? { 'certificate-authority-data': c.caData } : {}) },
      },
    ],
    contexts: [{ name: context, context: { cluster: c.name, user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: user, user: userEntry }],
  });
}

const PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/(listClusterUserCredential|listClusterAdminCredential)$/i;

export async function startArm(o: {
  entra: EntraFake;
  clusters: FakeAksCluster[];
  /** The ARM resource the tokens must be for. */
  resource?: string;
}): Promise<ArmFake> {
  const allowed = new Set<string>();
  const resource = o.resource ?? 'https://management.azure.com';
  const server = await startFake('arm', (req) => {
    const m = PATH.exec(req.path);
    if (!m) return armError(404, 'InvalidResourceType', `The resource type could not be found.`);
    if (req.method !== 'POST')
      return armError(
        405,
        'MethodNotAllowed',
        `The requested method ${req.method} is not allowed.`,
      );
    if (!req.query.get('api-version'))
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    const token = bearer(req);
    const issued = token === undefined ? undefined : o.entra.issued.get(token);
    if (!issued || issued.resource !== resource)
      return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    const [, sub, rg, name, action] = m as unknown as string[];
    const scope = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    if (!allowed.has(issued.clientId))
      return armError(
        403,
        'AuthorizationFailed',
        `The client '${issued.clientId}' with object id '${issued.clientId}' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/${action}/action' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    if (!o.clusters.some((c) => c.subscription === sub))
      return armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    if (
      !o.clusters.some(
        (c) => c.subscription === sub && c.resourceGroup.toLowerCase() === rg!.toLowerCase(),
      )
    )
      return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    const cluster = o.clusters.find(
      (c) =>
        c.subscription === sub &&
        c.resourceGroup.toLowerCase() === rg!.toLowerCase() &&
        c.name === name,
    );
    if (!cluster)
      return armError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    const admin = action!.toLowerCase() === 'listclusteradmincredential';
    const fqdn = req.query.get('server-fqdn');
    const server =
      fqdn === 'private' && cluster.privateServer ? cluster.privateServer : cluster.server;
    const text = kubeconfigOf(cluster, admin, req.query.get('format') ?? 'azure', server);
    return json(200, {
      kubeconfigs: [
        {
          name: admin ? 'clusterAdmin' : 'clusterUser',
          value: Buffer.from(text).toString('base64'),
        },
      ],
    });
  });
  return { ...server, allowed };
}
