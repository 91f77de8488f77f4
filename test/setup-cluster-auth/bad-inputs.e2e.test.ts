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

const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
  [
    'unknown provider',
    { provider: 'openshift' },
    {},
    /^Input 'provider' must be one of 'gke', 'eks', 'kubeconfig' \(got "openshift"\)\.$/,
  ],
  [
    'aks is not there yet',
    { provider: 'aks' },
    {},
    /^Input 'provider': 'aks' is not supported yet/,
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
