/**
 * The EKS token against the fixed vector in test/contracts/eks/token-test-vector.json (from
 * aws-iam-authenticator's TestGetWithSTS, re-verified with an independent SigV4): fixed
 * credentials, time, region and cluster give exactly the published token.
 */
import { describe, expect, it } from '@jest/globals';
import {
  eksToken,
  presignedCallerIdentityUrl,
  stsHost,
} from '../../actions/setup-cluster-auth/eks-token.ts';
import { readContractJson } from '../harness/contracts.ts';
import { AwsKeyStore, verifyPresigned } from '../harness/fakes/aws-sigv4.ts';
import { parseEksToken } from '../harness/fakes/eks-auth-proxy.ts';

interface Vector {
  inputs: {
    clusterId: string;
    region: string;
    now: string;
    accessKeyIdBase64: string;
    secretAccessKeyBase64: string;
  };
  expected: { presignedUrl: string; token: string; tokenExpiration: string };
}

const vector = readContractJson<Vector>('eks', 'token-test-vector.json');
const credentials = {
  accessKeyId: Buffer.from(vector.inputs.accessKeyIdBase64, 'base64').toString('utf8'),
  secretAccessKey: Buffer.from(vector.inputs.secretAccessKeyBase64, 'base64').toString('utf8'),
};

describe('EKS token', () => {
  it('reproduces the published vector byte for byte', async () => {
    const t = await eksToken({
      cluster: vector.inputs.clusterId,
      region: vector.inputs.region,
      credentials,
      now: new Date(vector.inputs.now),
    });
    expect(t.token).toBe(vector.expected.token);
    expect(t.expiresAt.toISOString().replace('.000Z', 'Z')).toBe(vector.expected.tokenExpiration);
  });

  it('the presigned URL is the published one', async () => {
    const url = await presignedCallerIdentityUrl({
      cluster: vector.inputs.clusterId,
      region: vector.inputs.region,
      credentials,
      now: new Date(vector.inputs.now),
    });
    expect(url).toBe(vector.expected.presignedUrl);
  });

  it('with session credentials: the token carries X-Amz-Security-Token, passes the server checks and verifies', async () => {
    const keys = new AwsKeyStore();
    const session = keys.addSession('arn:aws:iam::111122223333:role/deployer', 'GitHubActions');
    const t = await eksToken({
      cluster: 'prod',
      region: 'eu-west-1',
      credentials: session,
      now: new Date(),
    });
    expect(t.token).not.toContain('=');
    const url = parseEksToken(t.token);
    if (typeof url === 'string') throw new Error(url);
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(session.sessionToken);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    const verdict = verifyPresigned(
      keys,
      {
        method: 'GET',
        path: '/',
        query: url.searchParams,
        headers: { host: url.host, 'x-k8s-aws-id': 'prod' },
      },
      'sts',
    );
    expect(verdict).toMatchObject({ ok: true });
    // Signed for another cluster, it does not verify.
    const other = verifyPresigned(
      keys,
      {
        method: 'GET',
        path: '/',
        query: url.searchParams,
        headers: { host: url.host, 'x-k8s-aws-id': 'staging' },
      },
      'sts',
    );
    expect(other).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });

  it.each([
    ['us-east-1', 'sts.us-east-1.amazonaws.com'],
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
  ])('STS host for %s', (region, host) => {
    expect(stsHost(region)).toBe(host);
  });
});
