/**
 * The EKS bearer token: `k8s-aws-v1.` + base64url (no padding) of an STS GetCallerIdentity
 * URL presigned with SigV4 (query string), signing the `x-k8s-aws-id: <cluster>` header.
 * The signing itself is the AWS SDK's SignatureV4 presigner; this module only arranges the
 * request as aws-iam-authenticator does (pkg/token/token.go GetWithSTS; test vector in
 * test/contracts/eks/).
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface EksToken {
  token: string;
  /** When kubectl should ask again: 14 minutes after signing (STS honours 15). */
  expiresAt: Date;
}

export const TOKEN_PREFIX = 'k8s-aws-v1.';
const EXPIRES_SECONDS = 60;
const VALIDITY_MS = 14 * 60_000;

/** The regional STS host the token is signed for (the verifier accepts the partition's STS hosts). */
export function stsHost(region: string): string {
  return region.startsWith('cn-')
    ? `sts.${region}.amazonaws.com.cn`
    : `sts.${region}.amazonaws.com`;
}

/** RFC 3986 encoding, as SigV4 canonicalises query values. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export async function presignedCallerIdentityUrl(o: {
  cluster: string;
  region: string;
  credentials: AwsCredentials;
  now: Date;
}): Promise<string> {
  const host = stsHost(o.region);
  const signer = new SignatureV4({
    service: 'sts',
    region: o.region,
    credentials: {
      accessKeyId: o.credentials.accessKeyId,
      secretAccessKey: o.credentials.secretAccessKey,
      ...(o.credentials.sessionToken ? { sessionToken: o.credentials.sessionToken } : {}),
    },
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, 'x-k8s-aws-id': o.cluster },
    },
    {
      expiresIn: EXPIRES_SECONDS,
      signingDate: o.now,
      unhoistableHeaders: new Set(['x-k8s-aws-id']),
    },
  );
  // Sorted parameters with the signature last: the layout of aws-iam-authenticator's URL.
  const query = signed.query as Record<string, string>;
  const signature = query['X-Amz-Signature'];
  const params = Object.keys(query)
    .filter((k) => k !== 'X-Amz-Signature')
    .sort()
    .map((k) => `${encode(k)}=${encode(query[k] ?? '')}`);
  params.push(`X-Amz-Signature=${signature}`);
  return `https://${host}/?${params.join('&')}`;
}

export async function eksToken(o: {
  cluster: string;
  region: string;
  credentials: AwsCredentials;
  /** Signing time: from the caller's clock. */
  now: Date;
}): Promise<EksToken> {
  const now = o.now;
  const url = await presignedCallerIdentityUrl(o);
  return {
    token: TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
    expiresAt: new Date(now.getTime() + VALIDITY_MS),
  };
}
