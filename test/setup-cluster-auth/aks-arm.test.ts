/**
 * The ARM credential call's URL and the kubeconfig ARM returns, read field by field: the
 * kubelogin exec (format exec) or azure auth-provider (format azure) of Entra ID clusters
 * gives the server application; local accounts keep their checked credentials; a hostile
 * value fails naming the field, after every credential in the file was masked.
 */
import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import {
  AKS_SERVER_APP,
  credentialUrl,
  readAksKubeconfig,
} from '../../actions/setup-cluster-auth/aks-arm.ts';
import type { AksInputs } from '../../actions/setup-cluster-auth/aks-inputs.ts';

const inputs: AksInputs = {
  provider: 'aks',
  cluster: 'ml-serving',
  resourceGroup: 'ml-rg(prod)',
  subscriptionId: '00000000-1111-2222-3333-444444444444',
  admin: false,
  usePrivateFqdn: false,
  authorityHost: 'https://login.microsoftonline.com',
  resourceManager: 'https://management.azure.com',
  armScope: 'https://management.azure.com/.default',
  credentials: {
    kind: 'secret',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    clientId: '11111111-2222-3333-4444-555555555555',
    secret: 's',
  },
  authMode: 'token',
  execPlugin: 'auto',
  tempDir: '/tmp',
};

function kubeconfig(user: object, cluster: object = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'c',
        cluster: {
          server: 'https://ml-serving-dns-1a2b.hcp.westeurope.azmk8s.io:443',
          'certificate-authority-data': 'LS0tLS1CRUdJTg==',
          ...cluster,
        },
      },
    ],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ml-serving', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ml-serving',
  });
}

describe('credentialUrl', () => {
  it.each([
    [
      'user credentials, exec format',
      {},
      '/listClusterUserCredential?api-version=2024-05-01&format=exec',
    ],
    [
      'admin credentials (no format)',
      { admin: true },
      '/listClusterAdminCredential?api-version=2024-05-01',
    ],
    [
      'the private FQDN',
      { usePrivateFqdn: true },
      '/listClusterUserCredential?api-version=2024-05-01&format=exec&server-fqdn=private',
    ],
  ])('%s', (_name, extra, tail) => {
    const url = credentialUrl({ ...inputs, ...extra });
    expect(url).toBe(
      `https://management.azure.com/subscriptions/${inputs.subscriptionId}/resourceGroups/ml-rg(prod)/providers/Microsoft.ContainerService/managedClusters/ml-serving${tail}`,
    );
  });
});

describe('readAksKubeconfig', () => {
  it('Entra ID, exec format: the kubelogin --server-id', () => {
    const serverId = '00000000-aaaa-bbbb-cccc-000000000000';
    const k = readAksKubeconfig(
      kubeconfig({ exec: { command: 'kubelogin', args: ['get-token', '--server-id', serverId] } }),
      'ml-serving',
      () => undefined,
    );
    expect(k).toEqual({
      server: 'https://ml-serving-dns-1a2b.hcp.westeurope.azmk8s.io:443',
      caData: 'LS0tLS1CRUdJTg==',
      entra: { serverId },
    });
  });

  it('Entra ID, azure auth-provider (format azure): apiserver-id, else the AKS server app', () => {
    const k = readAksKubeconfig(
      kubeconfig({ 'auth-provider': { name: 'azure', config: { 'tenant-id': 't' } } }),
      'ml-serving',
      () => undefined,
    );
    expect(k.entra).toEqual({ serverId: AKS_SERVER_APP });
  });

  it('local accounts: the client certificate, key and token, masked', () => {
    const masked: string[] = [];
    const user = {
      'client-certificate-data': 'Y2VydA==',
      'client-key-data': 'a2V5',
      token: 'abcdef0123456789',
    };
    const k = readAksKubeconfig(kubeconfig(user), 'ml-serving', (v) => masked.push(v));
    expect(k.local).toEqual(user);
    expect(masked).toEqual(expect.arrayContaining(Object.values(user)));
  });

  it.each([
    [
      'a server with a path',
      { server: 'https://evil.example/x' },
      /server from the server is not an https URL of a host/,
    ],
    [
      'a plain-http server',
      { server: 'http://10.0.0.1' },
      /server from the server is not an https URL of a host/,
    ],
    [
      'CA data that is not base64',
      { 'certificate-authority-data': 'not base64!' },
      /ARM kubeconfig CA data/,
    ],
  ])('refuses %s, the credentials masked first', (_name, cluster, message) => {
    const masked: string[] = [];
    expect(() =>
      readAksKubeconfig(
        kubeconfig({ token: 'local-token-0123456789' }, cluster),
        'ml-serving',
        (v) => masked.push(v),
      ),
    ).toThrow(message);
    expect(masked).toContain('local-token-0123456789');
  });

  it('refuses a --server-id that is not a GUID, and a user with no credential at all', () => {
    expect(() =>
      readAksKubeconfig(
        kubeconfig({ exec: { command: 'kubelogin', args: ['--server-id', '../x'] } }),
        'ml-serving',
        () => undefined,
      ),
    ).toThrow(/kubelogin --server-id from the server is not a valid value/);
    expect(() =>
      readAksKubeconfig(kubeconfig({ username: 'a' }), 'ml-serving', () => undefined),
    ).toThrow(/neither Entra ID \(kubelogin\) nor local credentials/);
  });
});
