/**
 * An EKS-style API server front for the Kubernetes simulator: HTTPS with its own CA, checks
 * each bearer token the way aws-iam-authenticator's server does (prefix, base64url, STS host,
 * path, whitelisted query, signed x-k8s-aws-id, expiry) and replays the presigned
 * GetCallerIdentity to the STS fake, then forwards the request to the simulator with the
 * simulator's own token. Mapped ARNs only (as aws-auth / access entries).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTls } from '../kube-sim/auth.ts';
import type { KubeSim } from '../kube-sim/index.ts';

export interface EksAuthProxy {
  url: string;
  /** base64 PEM of the proxy's CA: what DescribeCluster reports. */
  caData: string;
  /** Verified caller ARNs, one per authenticated request. */
  authenticated: string[];
  rejected: string[];
  stop(): Promise<void>;
}

const ALLOWED = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

function unauthorized(res: ServerResponse, why: string, rejected: string[]): void {
  rejected.push(why);
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    }),
  );
}

/** Validates a token's URL like tokenVerifier.Verify; returns the URL or the reason. */
export function parseEksToken(token: string): URL | string {
  if (token.length > 4096) return 'token is too large';
  if (!token.startsWith('k8s-aws-v1.')) return 'token is missing expected "k8s-aws-v1." prefix';
  const b64 = token.slice('k8s-aws-v1.'.length);
  if (!/^[A-Za-z0-9_-]+$/.test(b64))
    return 'input token was not properly formatted: illegal base64 data';
  let url: URL;
  try {
    url = new URL(Buffer.from(b64, 'base64url').toString('utf8'));
  } catch {
    return 'input token was not properly formatted';
  }
  if (url.protocol !== 'https:') return `unexpected scheme ${url.protocol}`;
  if (!/^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(url.hostname))
    return `unexpected hostname "${url.hostname}" in pre-signed URL`;
  if (url.pathname !== '/') return 'unexpected path in pre-signed URL';
  const seen = new Set<string>();
  for (const key of url.searchParams.keys()) {
    const k = key.toLowerCase();
    if (!ALLOWED.has(k)) return `non-whitelisted query parameter "${key}"`;
    if (seen.has(k)) return `query parameter with multiple values "${key}"`;
    seen.add(k);
  }
  if (url.searchParams.get('Action') !== 'GetCallerIdentity')
    return 'unexpected action parameter in pre-signed URL';
  if (!(url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id')) {
    return 'client did not sign the x-k8s-aws-id header in the pre-signed URL';
  }
  const expires = Number(url.searchParams.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > 900)
    return 'X-Amz-Expires parameter out of range';
  return url;
}

export async function startEksAuthProxy(o: {
  sim: KubeSim;
  stsUrl: string;
  clusterId: string;
  mappedArns: string[];
}): Promise<EksAuthProxy> {
  const dir = await mkdtemp(join(tmpdir(), 'eks-proxy-'));
  const tls = await generateTls(dir);
  const authenticated: string[] = [];
  const rejected: string[] = [];
  const sim = new URL(o.sim.url);
  const simCa = o.sim.caData ? Buffer.from(o.sim.caData, 'base64').toString('utf8') : undefined;

  const verify = (token: string): Promise<string | undefined> => {
    const url = parseEksToken(token);
    if (typeof url === 'string') {
      rejected.push(url);
      return Promise.resolve(undefined);
    }
    const sts = new URL(o.stsUrl);
    return new Promise((resolve) => {
      const req = httpRequest(
        {
          host: sts.hostname,
          port: sts.port,
          path: `/${url.search}`,
          method: 'GET',
          headers: { host: url.host, 'x-k8s-aws-id': o.clusterId, accept: 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              rejected.push(`sts ${res.statusCode}: ${body}`);
              resolve(undefined);
              return;
            }
            const arn = (
              JSON.parse(body) as {
                GetCallerIdentityResponse: { GetCallerIdentityResult: { Arn: string } };
              }
            ).GetCallerIdentityResponse.GetCallerIdentityResult.Arn;
            if (!o.mappedArns.includes(arn)) {
              rejected.push(`ARN ${arn} is not mapped`);
              resolve(undefined);
            } else resolve(arn);
          });
        },
      );
      req.on('error', (e) => {
        rejected.push(`sts: ${e.message}`);
        resolve(undefined);
      });
      req.end();
    });
  };

  const server = createServer(
    { cert: tls.certPem, key: tls.keyPem },
    (req: IncomingMessage, res: ServerResponse) => {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      void (token ? verify(token) : Promise.resolve(undefined)).then((arn) => {
        if (!arn) {
          unauthorized(res, token ? 'token rejected' : 'no bearer token', rejected);
          req.resume();
          return;
        }
        authenticated.push(arn);
        const headers = {
          ...req.headers,
          host: sim.host,
          authorization: `Bearer ${o.sim.token ?? ''}`,
        };
        const upstream = (sim.protocol === 'https:' ? httpsRequest : httpRequest)(
          {
            host: sim.hostname,
            port: sim.port,
            path: req.url,
            method: req.method,
            headers,
            ...(simCa ? { ca: simCa } : {}),
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
        req.pipe(upstream);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(tls.caPem).toString('base64'),
    authenticated,
    rejected,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
