import { describe, expect, it } from '@jest/globals';
import { getInputs } from '../../actions/setup-cluster-auth/inputs.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';

const OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://gh/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt',
  RUNNER_TEMP: '/rt',
};
const WIF = 'projects/123/locations/global/workloadIdentityPools/github/providers/octo';

function parse(values: Record<string, string>, env: NodeJS.ProcessEnv = { RUNNER_TEMP: '/rt' }) {
  return getInputs(new Inputs(mapInputs(values)), env);
}

describe('setup-cluster-auth inputs', () => {
  it('gke keyless: defaults the audience and keeps the OIDC request', () => {
    expect(
      parse(
        {
          provider: 'gke',
          'cluster-name': 'prod',
          location: 'europe-west4',
          'workload-identity-provider': WIF,
          'service-account': 'd@p.iam.gserviceaccount.com',
        },
        OIDC,
      ),
    ).toEqual({
      provider: 'gke',
      cluster: 'prod',
      location: 'europe-west4',
      useInternalIp: false,
      useDnsEndpoint: false,
      credentials: {
        kind: 'wif',
        provider: WIF,
        serviceAccount: 'd@p.iam.gserviceaccount.com',
        audience: `https://iam.googleapis.com/${WIF}`,
        oidc: { url: OIDC.ACTIONS_ID_TOKEN_REQUEST_URL, token: 'rt' },
      },
      endpoints: {},
      authMode: 'token',
      execPlugin: 'auto',
      tempDir: '/rt',
    });
  });

  it('gke: a full cluster resource name gives project and location; env gives the project otherwise', () => {
    const full = parse({
      provider: 'gke',
      'cluster-name': 'projects/p1/locations/us-central1-a/clusters/c1',
    });
    expect(full).toMatchObject({
      cluster: 'c1',
      location: 'us-central1-a',
      projectId: 'p1',
      credentials: { kind: 'adc' },
    });
    const env = parse(
      { provider: 'gke', 'cluster-name': 'c1', location: 'l' },
      { GOOGLE_CLOUD_PROJECT: 'p2' },
    );
    expect(env).toMatchObject({ projectId: 'p2' });
  });

  it('gke: a service-account key as JSON or base64', () => {
    const key = '{"type":"service_account","project_id":"p"}';
    for (const value of [key, Buffer.from(key).toString('base64')]) {
      expect(
        parse({ provider: 'gke', 'cluster-name': 'c', location: 'l', 'credentials-json': value }),
      ).toMatchObject({
        credentials: { kind: 'key', json: key },
      });
    }
  });

  it('gke: endpoint overrides, trailing slash removed', () => {
    expect(
      parse({
        provider: 'gke',
        'cluster-name': 'c',
        location: 'l',
        'google-api-endpoints':
          'container=https://container-psc.p.googleapis.com/\nsts=https://sts-psc.p.googleapis.com',
      }),
    ).toMatchObject({
      endpoints: {
        container: 'https://container-psc.p.googleapis.com',
        sts: 'https://sts-psc.p.googleapis.com',
      },
    });
  });

  it('eks: region from AWS_REGION; role session name and audience defaults', () => {
    expect(
      parse(
        {
          provider: 'eks',
          'cluster-name': 'prod',
          'role-to-assume': 'arn:aws:iam::123456789012:role/d',
        },
        { ...OIDC, AWS_REGION: 'eu-west-1' },
      ),
    ).toMatchObject({
      region: 'eu-west-1',
      credentials: { kind: 'role', sessionName: 'GitHubActions', audience: 'sts.amazonaws.com' },
    });
  });

  it('kubeconfig: context and namespace; exec mode and plugin choice parsed', () => {
    expect(
      parse({
        provider: 'kubeconfig',
        kubeconfig: 'x',
        context: 'c',
        namespace: 'ns',
        'auth-mode': 'exec',
        'exec-plugin': 'bundled',
      }),
    ).toEqual({
      provider: 'kubeconfig',
      kubeconfig: 'x',
      context: 'c',
      namespace: 'ns',
      authMode: 'exec',
      execPlugin: 'bundled',
      tempDir: '/rt',
    });
  });

  it.each([
    [
      'location contradicting the full name',
      { provider: 'gke', 'cluster-name': 'projects/p/locations/a/clusters/c', location: 'b' },
      /contradicts/,
    ],
    [
      'audience without keyless',
      { provider: 'gke', 'cluster-name': 'c', location: 'l', audience: 'x' },
      /only used with/,
    ],
    ['bad region', { provider: 'eks', 'cluster-name': 'c', region: 'mars' }, /AWS region/],
    [
      'bad session name',
      {
        provider: 'eks',
        'cluster-name': 'c',
        region: 'us-east-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/d',
        'role-session-name': 'a b',
      },
      /role-session-name/,
    ],
    [
      'cluster-name with kubeconfig',
      { provider: 'kubeconfig', kubeconfig: 'x', 'cluster-name': 'c' },
      /does not apply/,
    ],
    [
      'credentials-json that is not a key',
      { provider: 'gke', 'cluster-name': 'c', location: 'l', 'credentials-json': 'hello' },
      /service-account key/,
    ],
  ])('rejects %s', (_name, values, message) => {
    expect(() => parse(values, OIDC)).toThrow(message);
  });
});

describe('setup-cluster-auth inputs: aks', () => {
  const AKS = {
    provider: 'aks',
    'cluster-name': 'ml-serving',
    'resource-group': 'ml-rg',
    'subscription-id': '00000000-1111-2222-3333-444444444444',
    'client-id': '11111111-2222-3333-4444-555555555555',
    'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  };

  it('keyless by default: the OIDC request, audience api://AzureADTokenExchange, AzureCloud endpoints', () => {
    expect(parse(AKS, OIDC)).toEqual({
      provider: 'aks',
      cluster: 'ml-serving',
      resourceGroup: 'ml-rg',
      subscriptionId: AKS['subscription-id'],
      admin: false,
      usePrivateFqdn: false,
      authorityHost: 'https://login.microsoftonline.com',
      resourceManager: 'https://management.azure.com',
      armScope: 'https://management.azure.com/.default',
      credentials: {
        kind: 'oidc',
        tenantId: AKS['tenant-id'],
        clientId: AKS['client-id'],
        oidc: { url: OIDC.ACTIONS_ID_TOKEN_REQUEST_URL, token: 'rt' },
        audience: 'api://AzureADTokenExchange',
      },
      authMode: 'token',
      execPlugin: 'auto',
      tempDir: '/rt',
    });
  });

  it.each([
    ['AzureChinaCloud', 'https://login.chinacloudapi.cn', 'https://management.chinacloudapi.cn'],
    [
      'azureusgovernment',
      'https://login.microsoftonline.us',
      'https://management.usgovcloudapi.net',
    ],
  ])('azure-environment %s sets both endpoints and the ARM scope', (env, login, arm) => {
    const i = parse({ ...AKS, 'azure-environment': env }, OIDC);
    expect(i).toMatchObject({
      authorityHost: login,
      resourceManager: arm,
      armScope: `${arm}/.default`,
    });
  });

  it('explicit endpoints win; AZURE_AUTHORITY_HOST is honoured as @azure/identity does', () => {
    expect(
      parse(
        { ...AKS, 'resource-manager-endpoint': 'https://arm.example/' },
        { ...OIDC, AZURE_AUTHORITY_HOST: 'https://login.example/' },
      ),
    ).toMatchObject({
      authorityHost: 'https://login.example',
      resourceManager: 'https://arm.example',
    });
    expect(
      parse(
        { ...AKS, 'authority-host': 'https://login.input' },
        { ...OIDC, AZURE_AUTHORITY_HOST: 'https://x' },
      ),
    ).toMatchObject({ authorityHost: 'https://login.input' });
  });

  it('ids from the environment; AZURE_CLIENT_SECRET means a client-secret credential', () => {
    const i = parse(
      { provider: 'aks', 'cluster-name': 'c', 'resource-group': 'rg' },
      {
        AZURE_CLIENT_ID: AKS['client-id'],
        AZURE_TENANT_ID: AKS['tenant-id'],
        AZURE_SUBSCRIPTION_ID: AKS['subscription-id'],
        AZURE_CLIENT_SECRET: 's3cret',
      },
    );
    expect(i).toMatchObject({
      subscriptionId: AKS['subscription-id'],
      credentials: { kind: 'secret', clientId: AKS['client-id'], secret: 's3cret' },
    });
  });

  it.each([
    [
      'a cluster name with a dot',
      { 'cluster-name': 'a.b' },
      /^Input 'cluster-name' must be an AKS cluster name/,
    ],
    [
      'a resource group ending in a dot',
      { 'resource-group': 'rg.' },
      /^Input 'resource-group' must be a resource group name/,
    ],
    [
      'a client id that is not a GUID',
      { 'client-id': 'deployer' },
      /^Input 'client-id' must be the application \(client\) id/,
    ],
    [
      'credentials in the ARM endpoint',
      { 'resource-manager-endpoint': 'https://u:p@arm.example' },
      /must not carry credentials/,
    ],
    ['admin: maybe', { admin: 'maybe' }, /^Input 'admin' must be true or false/],
  ])('%s', (_name, extra, message) => {
    expect(() => parse({ ...AKS, ...extra }, OIDC)).toThrow(message);
  });
});
