import { describe, expect, it } from '@jest/globals';
import { serverOf } from '../../actions/setup-cluster-auth/gke.ts';
import { decodeKubeconfig } from '../../actions/setup-cluster-auth/kubeconfig-input.ts';
import {
  kubeconfigSecrets,
  parseKubeconfig,
  selectContext,
  singleClusterKubeconfig,
} from '../../shared/kube/kubeconfig.ts';

describe('shared/kubeconfig', () => {
  it('builds the one-cluster file get-credentials tools write', () => {
    expect(
      singleClusterKubeconfig({
        name: 'n',
        context: 'ctx',
        server: 'https://1.2.3.4',
        caData: 'Q0E=',
        user: { token: 't' },
        namespace: 'ns',
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'n', cluster: { server: 'https://1.2.3.4', 'certificate-authority-data': 'Q0E=' } },
      ],
      users: [{ name: 'n', user: { token: 't' } }],
      contexts: [{ name: 'ctx', context: { cluster: 'n', user: 'n', namespace: 'ns' } }],
      'current-context': 'ctx',
      preferences: {},
    });
  });

  it('selectContext rejects contexts whose user is missing', () => {
    const config = parseKubeconfig(
      'clusters: [{name: c, cluster: {server: "https://x"}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nusers: []\n',
    );
    expect(() => selectContext(config, 'a')).toThrow(
      "context 'a' refers to user 'u', which the kubeconfig does not define",
    );
  });

  it('lists every credential for masking', () => {
    const config = parseKubeconfig(
      'clusters: [{name: c, cluster: {server: "https://x", certificate-authority-data: CA}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n' +
        'users: [{name: u, user: {token: T, client-key-data: K, client-certificate-data: C}}, {name: e, user: {exec: {apiVersion: v, command: x, env: [{name: S, value: V}]}}}]\n',
    );
    // The cluster's CA data is public: it is not a credential and stays readable.
    expect(kubeconfigSecrets(config).sort()).toEqual(['C', 'K', 'T', 'V']);
  });

  it('decodes base64 and raw alike', () => {
    const raw =
      'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n';
    expect(decodeKubeconfig(Buffer.from(raw).toString('base64')).config.contexts[0]!.name).toBe(
      'a',
    );
    expect(decodeKubeconfig(raw).text).toBe(raw);
  });
});

describe('GKE server and CA choice', () => {
  const cluster = {
    endpoint: '34.1.2.3',
    masterAuth: { clusterCaCertificate: 'Q0E=' },
    privateClusterConfig: { privateEndpoint: '10.0.0.2' },
    controlPlaneEndpointsConfig: {
      dnsEndpointConfig: { endpoint: 'gke-abc.us-central1.gke.goog' },
    },
  };
  it.each([
    [
      'public',
      { useInternalIp: false, useDnsEndpoint: false },
      { server: 'https://34.1.2.3', caData: 'Q0E=' },
    ],
    [
      'private',
      { useInternalIp: true, useDnsEndpoint: false },
      { server: 'https://10.0.0.2', caData: 'Q0E=' },
    ],
    [
      'DNS endpoint (public CA)',
      { useInternalIp: false, useDnsEndpoint: true },
      { server: 'https://gke-abc.us-central1.gke.goog' },
    ],
  ])('%s', (_name, flags, expected) => {
    expect(serverOf(cluster, { cluster: 'c', ...flags })).toEqual(expected);
  });

  it('use-internal-ip on a public cluster is an error', () => {
    expect(() =>
      serverOf(
        { endpoint: '34.1.2.3' },
        { cluster: 'c', useInternalIp: true, useDnsEndpoint: false },
      ),
    ).toThrow(/no private endpoint/);
  });
});
