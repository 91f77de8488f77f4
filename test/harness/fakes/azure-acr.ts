/**
 * Fake Azure Container Registry front on loopback, after ACR's AAD-OAuth contract
 * (test/contracts/azure/README.md): `POST /oauth2/exchange` with the form
 * `grant_type=access_token&service=<registry>&tenant=<tenant>&access_token=<Entra ARM token>`
 * → `{ "refresh_token": "…" }`; everything else (the /v2/ API) is proxied to a real registry
 * (Debian's docker-registry with htpasswd), whose password is the refresh token this fake
 * mints — so docker's login `00000000-0000-0000-0000-000000000000` + refresh token is what the
 * real registry checks.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntraFake } from './azure-entra.ts';

export interface AcrExchange {
  service: string;
  tenant: string;
  clientId: string;
}

export interface AcrFake {
  /** `127.0.0.1:PORT`: the registry host to use in image names. */
  host: string;
  url: string;
  exchanges: AcrExchange[];
  /** Exchange failures (status, body) as the fake answered them. */
  refused: { status: number; body: string }[];
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startAcr(o: {
  entra: EntraFake;
  /** The real registry to proxy /v2/ to (http://127.0.0.1:PORT). */
  upstream: string;
  /** The refresh token minted (the upstream's htpasswd password). */
  refreshToken: string;
  /** The resource the Entra token must be for. */
  resource?: string;
}): Promise<AcrFake> {
  const exchanges: AcrExchange[] = [];
  const refused: AcrFake['refused'] = [];
  const resource = o.resource ?? 'https://management.azure.com';
  let host = '';
  const answer = (res: ServerResponse, status: number, body: object): void => {
    const text = JSON.stringify(body);
    if (status !== 200) refused.push({ status, body: text });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(text);
  };
  const exchange = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    if (req.method !== 'POST' || form.get('grant_type') !== 'access_token')
      return answer(res, 400, {
        errors: [{ code: 'UNSUPPORTED', message: 'grant_type must be access_token' }],
      });
    const token = o.entra.issued.get(form.get('access_token') ?? '');
    if (!token || token.resource !== resource)
      return answer(res, 401, {
        errors: [{ code: 'UNAUTHORIZED', message: 'Invalid AAD access token' }],
      });
    if (form.get('service') !== host || form.get('tenant') !== token.tenant)
      return answer(res, 400, {
        errors: [{ code: 'DENIED', message: `service or tenant mismatch for ${host}` }],
      });
    exchanges.push({ service: host, tenant: token.tenant, clientId: token.clientId });
    answer(res, 200, { refresh_token: o.refreshToken });
  };
  const upstream = new URL(o.upstream);
  const proxy = (req: IncomingMessage, res: ServerResponse): void => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        // The registry's Location headers name its own host: rewrite them to this front.
        const headers = { ...up.headers };
        if (typeof headers.location === 'string')
          headers.location = headers.location.replace(upstream.host, host);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };
  const server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/oauth2/exchange')) void exchange(req, res);
    else proxy(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    exchanges,
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
