/**
 * Fake Amazon EKS API (rest-json; model: boto/botocore botocore/data/eks/2017-11-01/service-2.json
 * @ 0e6e2404b85dc336dd2889814e089bde7d1a4c55): DescribeCluster
 * `GET /clusters/{name}` signed with SigV4 (checked independently) → `{cluster}`; errors as
 * the service sends them (`x-amzn-errortype` + `{"message"}`): 404 ResourceNotFoundException,
 * 403 AccessDeniedException, 403 for bad signatures.
 */
import { randomUUID } from 'node:crypto';
import type { Cluster } from '@aws-sdk/client-eks';
import { verifyHeaderSignature, type AwsKeyStore } from './aws-sigv4.ts';
import { startFake, type FakeResponse, type FakeServer } from './http-fake.ts';

function eksError(status: number, type: string, message: string, extra: object = {}): FakeResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': type,
      'x-amzn-requestid': randomUUID(),
    },
    body: { message, ...extra },
  };
}

export async function startAwsEks(o: {
  keys: AwsKeyStore;
  region: string;
  clusters: Record<string, Cluster>;
  /** ARNs that may not call DescribeCluster. */
  denied?: string[];
}): Promise<FakeServer> {
  return startFake('aws-eks', (req) => {
    const m = /^\/clusters\/([^/]+)$/.exec(req.path);
    if (req.method !== 'GET' || !m)
      return eksError(404, 'UnknownOperationException', 'Unknown operation');
    const verdict = verifyHeaderSignature(o.keys, req, 'eks');
    if (!verdict.ok)
      return eksError(
        403,
        verdict.code === 'SignatureDoesNotMatch'
          ? 'InvalidSignatureException'
          : 'UnrecognizedClientException',
        verdict.message,
      );
    const name = decodeURIComponent(m[1]!);
    const arn = `arn:aws:eks:${o.region}:${o.keys.account}:cluster/${name}`;
    if (o.denied?.includes(verdict.identity.arn)) {
      return eksError(
        403,
        'AccessDeniedException',
        `User: ${verdict.identity.arn} is not authorized to perform: eks:DescribeCluster on resource: ${arn}`,
      );
    }
    const cluster = o.clusters[name];
    if (!cluster)
      return eksError(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, {
        clusterName: name,
      });
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { cluster: { name, arn, ...cluster } },
    };
  });
}
