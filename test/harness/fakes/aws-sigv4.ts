/**
 * An independent SigV4 verifier for the AWS fakes (node:crypto only, written from the
 * published algorithm, not from the SDK), plus the fake account's key store: the fakes know
 * every secret they hand out, so they can check signatures like AWS does.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface AwsIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  arn: string;
  account: string;
  userId: string;
}

export class AwsKeyStore {
  readonly keys = new Map<string, AwsIdentity>();
  readonly account: string;
  constructor(account = '111122223333') {
    this.account = account;
  }
  /** A long-term user key, as aws-actions/configure-aws-credentials would leave in the env. */
  addUser(name: string): AwsIdentity {
    const id: AwsIdentity = {
      accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      arn: `arn:aws:iam::${this.account}:user/${name}`,
      account: this.account,
      userId: `AIDA${randomBytes(8).toString('hex').toUpperCase()}`,
    };
    this.keys.set(id.accessKeyId, id);
    return id;
  }
  addSession(roleArn: string, sessionName: string): AwsIdentity {
    const role = roleArn.split(':role/')[1] ?? 'role';
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    const id: AwsIdentity = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `FwoGZXIvYXdzE${randomBytes(48).toString('base64')}`,
      arn: `arn:aws:sts::${this.account}:assumed-role/${role}/${sessionName}`,
      account: this.account,
      userId: `${roleId}:${sessionName}`,
    };
    this.keys.set(id.accessKeyId, id);
    return id;
  }
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string): Buffer =>
  createHmac('sha256', key).update(s).digest();

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(params: URLSearchParams, omit?: string): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of params) if (k !== omit) pairs.push([rfc3986(k), rfc3986(v)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
}

export type Verdict =
  { ok: true; identity: AwsIdentity } | { ok: false; code: string; message: string };

function check(
  store: AwsKeyStore,
  o: {
    method: string;
    path: string;
    query: string;
    headers: Record<string, string | string[] | undefined>;
    signedHeaders: string;
    payloadHash: string;
    credential: string;
    amzDate: string;
    signature: string;
    sessionToken: string | undefined;
    service: string;
  },
): Verdict {
  const [akid, date, region, service, terminator] = o.credential.split('/');
  const identity = store.keys.get(akid ?? '');
  if (!identity)
    return {
      ok: false,
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    };
  if (
    service !== o.service ||
    terminator !== 'aws4_request' ||
    !o.amzDate.startsWith(date ?? '-')
  ) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'Credential should be scoped correctly.',
    };
  }
  if (identity.sessionToken !== undefined && identity.sessionToken !== o.sessionToken) {
    return {
      ok: false,
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    };
  }
  const names = o.signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${headerValue(o.headers, n)}\n`).join('');
  const canonicalRequest = [
    o.method,
    o.path,
    o.query,
    canonicalHeaders,
    o.signedHeaders,
    o.payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', o.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${identity.secretAccessKey}`, date!), region!), service!),
    'aws4_request',
  );
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  if (expected !== o.signature) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return { ok: true, identity };
}

/** Verifies a request signed in the Authorization header (SDK calls). */
export function verifyHeaderSignature(
  store: AwsKeyStore,
  req: {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  },
  service: string,
): Verdict {
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      headerValue(req.headers, 'authorization'),
    );
  if (!m)
    return {
      ok: false,
      code: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    };
  const hashHeader = headerValue(req.headers, 'x-amz-content-sha256');
  return check(store, {
    method: req.method,
    path: req.path,
    query: canonicalQuery(req.query),
    headers: req.headers,
    signedHeaders: m[2]!,
    payloadHash: hashHeader || sha256(req.body),
    credential: m[1]!,
    amzDate: headerValue(req.headers, 'x-amz-date'),
    signature: m[3]!,
    sessionToken: headerValue(req.headers, 'x-amz-security-token') || undefined,
    service,
  });
}

/** Verifies a query-string (presigned) request; `headers` must hold the signed headers' values. */
export function verifyPresigned(
  store: AwsKeyStore,
  req: {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | string[] | undefined>;
  },
  service: string,
): Verdict {
  const q = req.query;
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
    return { ok: false, code: 'IncompleteSignature', message: 'Unsupported algorithm.' };
  return check(store, {
    method: req.method,
    path: req.path,
    query: canonicalQuery(q, 'X-Amz-Signature'),
    headers: req.headers,
    signedHeaders: q.get('X-Amz-SignedHeaders') ?? '',
    payloadHash: sha256(''),
    credential: q.get('X-Amz-Credential') ?? '',
    amzDate: q.get('X-Amz-Date') ?? '',
    signature: q.get('X-Amz-Signature') ?? '',
    sessionToken: q.get('X-Amz-Security-Token') ?? undefined,
    service,
  });
}

/** `20230428T000000Z` → epoch ms. */
export function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}
