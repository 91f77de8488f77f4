/**
 * Bad input fails before any side effect (no network, no file), in milliseconds, with one
 * line that names the input: the bundle run as the runner runs it.
 */
import { describe, expect, it } from '@jest/globals';
import { runAction } from '../harness/runner.ts';
import { runnerTempEntries } from './helpers.ts';

const OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
};
const WIF = 'projects/123/locations/global/workloadIdentityPools/p/providers/g';
const AKS = {
  provider: 'aks',
  'cluster-name': 'prod',
  'resource-group': 'ml-rg',
  'subscription-id': '00000000-1111-2222-3333-444444444444',
  'client-id': '11111111-2222-3333-4444-555555555555',
  'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
};

const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
  [
    'unknown provider',
    { provider: 'openshift' },
    {},
    /^Input 'provider' must be one of 'gke', 'eks', 'aks', 'kubeconfig' \(got "openshift"\)\.$/,
  ],
  [
    'aks without tenant-id: nothing is sent',
    { ...AKS, 'tenant-id': '' },
    OIDC,
    /^Input 'tenant-id' is required for Azure \(the Microsoft Entra tenant \(directory\) id, a GUID; or set AZURE_TENANT_ID\)\. Nothing was sent\.$/,
  ],
  [
    'aks keyless without OIDC',
    AKS,
    {},
    /^Input 'client-id' needs a GitHub OIDC token.*add `permissions: id-token: write`.*forks/,
  ],
  [
    'aks without resource-group',
    { ...AKS, 'resource-group': '' },
    OIDC,
    /^Input 'resource-group' is required for provider 'aks'/,
  ],
  [
    'aks subscription-id not a GUID',
    { ...AKS, 'subscription-id': 'my-subscription' },
    OIDC,
    /^Input 'subscription-id' must be a GUID \(got "my-subscription"\)\.$/,
  ],
  [
    'aks unknown azure-environment',
    { ...AKS, 'azure-environment': 'AzureGermanCloud' },
    OIDC,
    /^Input 'azure-environment' must be one of 'AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'/,
  ],
  [
    'aks plain-http authority-host',
    { ...AKS, 'authority-host': 'http://login.example.com' },
    OIDC,
    /^Input 'authority-host': http:\/\/login\.example\.com must use https/,
  ],
  [
    'admin with another provider',
    { provider: 'eks', 'cluster-name': 'prod', region: 'us-east-1', admin: 'true' },
    {},
    /^Input 'admin' applies to provider 'aks' only \(provider is 'eks'\)\.$/,
  ],
  [
    'an AKS input with another provider',
    { provider: 'eks', 'cluster-name': 'prod', region: 'us-east-1', 'resource-group': 'rg' },
    {},
    /^Input 'resource-group' applies to provider 'aks' only \(provider is 'eks'\)\.$/,
  ],
  ['missing provider', {}, {}, /^Input 'provider' is required\.$/],
  [
    'gke without cluster-name',
    { provider: 'gke', location: 'us-central1' },
    {},
    /^Input 'cluster-name' is required\.$/,
  ],
  [
    'gke without location',
    { provider: 'gke', 'cluster-name': 'prod' },
    {},
    /^Input 'location' is required for provider 'gke'/,
  ],
  [
    'eks without cluster-name',
    { provider: 'eks', region: 'us-east-1' },
    {},
    /^Input 'cluster-name' is required\.$/,
  ],
  [
    'eks without region',
    { provider: 'eks', 'cluster-name': 'prod' },
    {},
    /^Input 'region' is required for provider 'eks'/,
  ],
  [
    'kubeconfig without kubeconfig',
    { provider: 'kubeconfig' },
    {},
    /^Input 'kubeconfig' is required\.$/,
  ],
  [
    'a key together with workload identity',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'credentials-json': '{"type":"service_account"}',
      'workload-identity-provider': WIF,
    },
    OIDC,
    /^Input 'credentials-json' \(a service-account key\) cannot be used together with 'workload-identity-provider'/,
  ],
  [
    'gke keyless without OIDC',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'workload-identity-provider': WIF,
      'service-account': 'a@p.iam.gserviceaccount.com',
    },
    {},
    /^Input 'workload-identity-provider' needs a GitHub OIDC token.*add `permissions: id-token: write`.*expected on pull requests from forks/,
  ],
  [
    'eks keyless without OIDC',
    {
      provider: 'eks',
      'cluster-name': 'prod',
      region: 'us-east-1',
      'role-to-assume': 'arn:aws:iam::123456789012:role/deployer',
    },
    {},
    /^Input 'role-to-assume' needs a GitHub OIDC token.*id-token: write.*forks/,
  ],
  [
    'malformed workload identity provider',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'workload-identity-provider': 'github-pool',
    },
    OIDC,
    /^Input 'workload-identity-provider' must be the full provider name/,
  ],
  [
    'service-account alone',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'service-account': 'a@p.iam.gserviceaccount.com',
    },
    {},
    /^Input 'service-account' needs 'workload-identity-provider'/,
  ],
  [
    'malformed role ARN',
    { provider: 'eks', 'cluster-name': 'prod', region: 'us-east-1', 'role-to-assume': 'deployer' },
    OIDC,
    /^Input 'role-to-assume' must be an IAM role ARN/,
  ],
  [
    'internal IP and DNS endpoint',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'use-internal-ip': 'true',
      'use-dns-endpoint': 'true',
    },
    {},
    /^Inputs 'use-internal-ip' and 'use-dns-endpoint' cannot both be true/,
  ],
  [
    'bad auth-mode',
    { provider: 'gke', 'cluster-name': 'prod', location: 'l', 'auth-mode': 'oauth' },
    {},
    /^Input 'auth-mode' must be one of 'token', 'exec' \(got "oauth"\)\.$/,
  ],
  [
    'an input of another provider',
    { provider: 'eks', 'cluster-name': 'prod', region: 'us-east-1', location: 'us-central1' },
    {},
    /^Input 'location' applies to provider 'gke' only \(provider is 'eks'\)\.$/,
  ],
  [
    'bad namespace',
    { provider: 'kubeconfig', kubeconfig: 'x', namespace: 'Prod_NS' },
    {},
    /^Input 'namespace' must be a DNS label/,
  ],
  [
    'unknown Google API endpoint',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'google-api-endpoints': 'storage=https://x',
    },
    {},
    /^Input 'google-api-endpoints': unknown service 'storage'/,
  ],
  [
    'plain-http Google endpoint',
    {
      provider: 'gke',
      'cluster-name': 'prod',
      location: 'l',
      'google-api-endpoints': 'container=http://example.com',
    },
    {},
    /must use https/,
  ],
];

describe('bad input', () => {
  it.each(cases)('%s', async (_name, inputs, env, message) => {
    const r = await runAction('setup-cluster-auth', { inputs, env, keep: true });
    try {
      expect(r.exitCode).toBe(1);
      const errors = r.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message.replace(/^setup-cluster-auth: /, '')).toMatch(message);
      expect(errors[0]!.message).not.toMatch(/\n\s+at /);
      expect(r.outputs).toEqual({});
      expect(r.env).toEqual({});
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
      expect(r.post?.exitCode).toBe(0);
      expect(r.log).not.toContain('request-token');
    } finally {
      r.cleanup();
    }
  });
});
