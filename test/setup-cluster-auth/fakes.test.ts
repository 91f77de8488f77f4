/**
 * The fakes follow the published contracts: the SigV4 checker accepts the published EKS vector
 * (computed upstream, not by us) and rejects tampering; the EKS authenticator front applies
 * aws-iam-authenticator's token checks with its error strings.
 */
import { describe, expect, it } from '@jest/globals';
import { readContractJson } from '../harness/contracts.ts';
import { AwsKeyStore, verifyPresigned } from '../harness/fakes/aws-sigv4.ts';
import { parseEksToken } from '../harness/fakes/eks-auth-proxy.ts';

const vector = readContractJson<{
  inputs: { clusterId: string; accessKeyIdBase64: string; secretAccessKeyBase64: string };
  expected: { presignedUrl: string; token: string };
}>('eks', 'token-test-vector.json');

function storeWithVectorKey(): AwsKeyStore {
  const keys = new AwsKeyStore();
  const accessKeyId = Buffer.from(vector.inputs.accessKeyIdBase64, 'base64').toString('utf8');
  keys.keys.set(accessKeyId, {
    accessKeyId,
    secretAccessKey: Buffer.from(vector.inputs.secretAccessKeyBase64, 'base64').toString('utf8'),
    arn: 'arn:aws:iam::111122223333:user/vector',
    account: '111122223333',
    userId: 'AIDAVECTOR',
  });
  return keys;
}

function verify(keys: AwsKeyStore, url: URL, cluster: string) {
  return verifyPresigned(
    keys,
    {
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { host: url.host, 'x-k8s-aws-id': cluster },
    },
    'sts',
  );
}

describe('SigV4 checker of the AWS fakes', () => {
  it('accepts the published presigned URL', () => {
    const url = new URL(vector.expected.presignedUrl);
    expect(verify(storeWithVectorKey(), url, vector.inputs.clusterId)).toMatchObject({ ok: true });
  });

  it.each([
    ['another cluster id', (u: URL) => u, 'other-cluster', 'SignatureDoesNotMatch'],
    [
      'a changed expiry',
      (u: URL) => (u.searchParams.set('X-Amz-Expires', '900'), u),
      'test-cluster',
      'SignatureDoesNotMatch',
    ],
    [
      'an unknown key',
      (u: URL) => (
        u.searchParams.set(
          'X-Amz-Credential',
          u.searchParams.get('X-Amz-Credential')!.replace(/^[A-Z0-9]+/, 'AKIAUNKNOWN'),
        ),
        u
      ),
      'test-cluster',
      'InvalidClientTokenId',
    ],
  ])('rejects %s', (_name, change, cluster, code) => {
    const url = change(new URL(vector.expected.presignedUrl));
    expect(verify(storeWithVectorKey(), url, cluster)).toMatchObject({ ok: false, code });
  });
});

describe('EKS authenticator token checks', () => {
  const encode = (url: string): string => `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
  const good = new URL(vector.expected.presignedUrl);

  it('accepts the published token', () => {
    expect(parseEksToken(vector.expected.token)).toBeInstanceOf(URL);
  });

  it.each([
    [
      'no prefix',
      vector.expected.token.slice('k8s-aws-v1.'.length),
      'token is missing expected "k8s-aws-v1." prefix',
    ],
    [
      'padding',
      `${vector.expected.token}==`,
      'input token was not properly formatted: illegal base64 data',
    ],
    [
      'another host',
      encode(good.href.replace('sts.us-west-2.amazonaws.com', 'evil.example.com')),
      'unexpected hostname "evil.example.com" in pre-signed URL',
    ],
    [
      'another path',
      encode(good.href.replace('.com/?', '.com/x?')),
      'unexpected path in pre-signed URL',
    ],
    [
      'an extra parameter',
      encode(`${good.href}&X-Extra=1`),
      'non-whitelisted query parameter "X-Extra"',
    ],
    [
      'x-k8s-aws-id unsigned',
      encode(good.href.replace('host%3Bx-k8s-aws-id', 'host')),
      'client did not sign the x-k8s-aws-id header in the pre-signed URL',
    ],
    [
      'expiry out of range',
      encode(good.href.replace('X-Amz-Expires=60', 'X-Amz-Expires=901')),
      'X-Amz-Expires parameter out of range',
    ],
  ])('rejects %s', (_name, token, reason) => {
    expect(parseEksToken(token)).toBe(reason);
  });
});
