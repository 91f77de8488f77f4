/**
 * AKS world: GitHub OIDC, Entra ID (HTTPS, its CA for NODE_EXTRA_CA_CERTS), ARM and the
 * Kubernetes simulator (TLS) as the cluster's API server. Cluster `prod` is Entra ID
 * integrated (the simulator accepts the token Entra mints for the AKS server application);
 * `local` uses local accounts (ARM hands out the simulator's token itself).
 */
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { startArm, AKS_SERVER_APP, type ArmFake } from '../harness/fakes/azure-arm.ts';
import { startEntra, type EntraFake } from '../harness/fakes/azure-entra.ts';
import {
  GITHUB_ISSUER,
  startGitHubOidc,
  type GitHubOidcFake,
} from '../harness/fakes/github-oidc.ts';
import { randomToken } from './helpers.ts';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '11111111-2222-3333-4444-555555555555';
/** An app with a federated credential for another branch only. */
export const OTHER_BRANCH_CLIENT = '99999999-2222-3333-4444-555555555555';
/** An app whose secret is SECRET (azure/login `creds`-style service principal). */
export const SECRET_CLIENT = '77777777-2222-3333-4444-555555555555';
export const SECRET = 'sp~secret.value-0123456789abcdef';
export const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
export const RESOURCE_GROUP = 'ml-rg';
export const ARM_RESOURCE = 'https://management.azure.com';

export interface AksWorld {
  sim: KubeSim;
  oidc: GitHubOidcFake;
  entra: EntraFake;
  arm: ArmFake;
  /** The inputs pointing the action at the fakes (and the keyless credential). */
  inputs(extra?: Record<string, string>): Record<string, string>;
  /** NODE_EXTRA_CA_CERTS (the Entra fake's CA) and the runner's OIDC variables. */
  env(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

export async function startAksWorld(): Promise<AksWorld> {
  const sim = await startKubeSim({ tls: true, token: randomToken('aks-sim-') });
  const oidc = await startGitHubOidc();
  const subject = 'repo:octo-org/model-service:ref:refs/heads/main';
  const entra = await startEntra({
    tenants: [TENANT],
    oidc,
    apps: [
      {
        clientId: CLIENT,
        federated: [{ issuer: GITHUB_ISSUER, subject, audiences: ['api://AzureADTokenExchange'] }],
      },
      {
        clientId: OTHER_BRANCH_CLIENT,
        federated: [
          {
            issuer: GITHUB_ISSUER,
            subject: 'repo:octo-org/model-service:ref:refs/heads/release',
            audiences: ['api://AzureADTokenExchange'],
          },
        ],
      },
      { clientId: SECRET_CLIENT, secret: SECRET },
    ],
    mint: (resource) => (resource === AKS_SERVER_APP ? sim.token : undefined),
  });
  const server = sim.url;
  const arm = await startArm({
    entra,
    clusters: [
      {
        subscription: SUBSCRIPTION,
        resourceGroup: RESOURCE_GROUP,
        name: 'prod',
        server,
        privateServer: server.replace('127.0.0.1', 'localhost'),
        caData: sim.caData!,
        auth: { kind: 'entra', tenant: TENANT },
      },
      {
        subscription: SUBSCRIPTION,
        resourceGroup: RESOURCE_GROUP,
        name: 'local',
        server,
        caData: sim.caData!,
        auth: { kind: 'local', token: sim.token! },
      },
      {
        subscription: SUBSCRIPTION,
        resourceGroup: RESOURCE_GROUP,
        name: 'hostile',
        server: `${server}/x?\n::error::pwned`,
        caData: sim.caData!,
        auth: { kind: 'entra', tenant: TENANT },
      },
    ],
  });
  arm.allowed.add(CLIENT).add(SECRET_CLIENT);
  return {
    sim,
    oidc,
    entra,
    arm,
    inputs: (extra = {}) => ({
      provider: 'aks',
      'cluster-name': 'prod',
      'resource-group': RESOURCE_GROUP,
      'subscription-id': SUBSCRIPTION,
      'client-id': CLIENT,
      'tenant-id': TENANT,
      'authority-host': entra.url,
      'resource-manager-endpoint': arm.url,
      ...extra,
    }),
    env: (extra = {}) => ({ NODE_EXTRA_CA_CERTS: entra.caFile, ...oidc.env(), ...extra }),
    stop: async () => {
      await Promise.all([sim.stop(), oidc.stop(), entra.stop(), arm.stop()]);
    },
  };
}
