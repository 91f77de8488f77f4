/**
 * Fake Amazon ECR API for registry login (AWS JSON 1.1; model: test/contracts/ecr-oci/
 * ecr-get-authorization-token.json, reduced from boto/botocore @ 0e6e2404): `POST /` with
 * `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken`, SigV4-signed for
 * service `ecr` (checked independently) → `{authorizationData:[{authorizationToken,
 * expiresAt, proxyEndpoint}]}`, the token being base64 of `AWS:<password>`. Errors as the
 * service sends them: `{"__type": "...", "message": "..."}` with HTTP 400.
 */
import { randomUUID } from 'node:crypto';
import { readContractJson } from '../contracts.ts';
import { verifyHeaderSignature, type AwsKeyStore } from './aws-sigv4.ts';
import { startFake, type FakeResponse, type FakeServer } from './http-fake.ts';

interface EcrModel {
  metadata: { targetPrefix: string; jsonVersion: string; signingName: string };
}

export const ECR_MODEL = readContractJson<EcrModel>('ecr-oci', 'ecr-get-authorization-token.json');

function ecrError(type: string, message: string, status = 400): FakeResponse {
  return {
    status,
    headers: {
      'content-type': `application/x-amz-json-${ECR_MODEL.metadata.jsonVersion}`,
      'x-amzn-requestid': randomUUID(),
    },
    body: { __type: type, message },
  };
}

export interface EcrFake extends FakeServer {
  /** Passwords handed out, in order. */
  issued: string[];
}

export async function startAwsEcr(o: {
  keys: AwsKeyStore;
  account: string;
  region: string;
  /** The password of each token (called per request). */
  mint: () => string;
  /** Seconds the token is valid (ECR: 12 h). */
  lifetimeSeconds?: number;
  /** The proxyEndpoint to report (default the real ECR host of account and region). */
  proxyEndpoint?: string;
}): Promise<EcrFake> {
  const issued: string[] = [];
  const { targetPrefix, jsonVersion, signingName } = ECR_MODEL.metadata;
  const server = await startFake('aws-ecr', (req) => {
    if (req.method !== 'POST' || req.path !== '/')
      return ecrError('UnknownOperationException', 'Unknown operation', 404);
    if (req.headers['content-type'] !== `application/x-amz-json-${jsonVersion}`)
      return ecrError('SerializationException', 'Unexpected content type');
    const target = req.headers['x-amz-target'];
    if (target !== `${targetPrefix}.GetAuthorizationToken`)
      return ecrError('UnknownOperationException', `Unknown operation ${String(target)}`);
    const verdict = verifyHeaderSignature(o.keys, req, signingName);
    if (!verdict.ok) return ecrError(verdict.code, verdict.message, 403);
    const password = o.mint();
    issued.push(password);
    return {
      status: 200,
      headers: {
        'content-type': `application/x-amz-json-${jsonVersion}`,
        'x-amzn-requestid': randomUUID(),
      },
      body: {
        authorizationData: [
          {
            authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
            expiresAt: Date.now() / 1000 + (o.lifetimeSeconds ?? 12 * 3600),
            proxyEndpoint:
              o.proxyEndpoint ?? `https://${o.account}.dkr.ecr.${o.region}.amazonaws.com`,
          },
        ],
      },
    };
  });
  return { ...server, issued };
}
