/**
 * Fake Microsoft Entra ID (v2 endpoints, HTTPS on loopback: MSAL accepts only https
 * authorities), following the published contracts (test/contracts/azure/README.md):
 *  - GET  /{tenant}/v2.0/.well-known/openid-configuration → the tenant's metadata;
 *  - POST /{tenant}/oauth2/v2.0/token, client credentials grant with either `client_secret`
 *    or `client_assertion` (+ `client_assertion_type=…jwt-bearer`): the assertion must be a
 *    GitHub OIDC token the GitHub fake issued, and its iss/sub/aud must match a federated
 *    credential of the client; `scope` must be `<resource>/.default`.
 * Errors are AADSTS-style `{ error, error_description, error_codes, … }` with the real
 * statuses (400 for a bad request or an unmatched assertion, 401 for a wrong secret).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { generateTls } from '../kube-sim/auth.ts';
import type { GitHubOidcFake } from './github-oidc.ts';
import { json, startFake, type FakeResponse, type FakeServer } from './http-fake.ts';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface FederatedCredential {
  issuer: string;
  subject: string;
  audiences: string[];
}

export interface EntraApp {
  clientId: string;
  federated?: FederatedCredential[];
  secret?: string;
}

export interface IssuedToken {
  tenant: string;
  clientId: string;
  /** The scope less `/.default`. */
  resource: string;
  via: 'client_assertion' | 'client_secret';
}

export interface EntraFake extends FakeServer {
  /** The PEM file of the fake's CA (NODE_EXTRA_CA_CERTS for the processes that call it). */
  caFile: string;
  issued: Map<string, IssuedToken>;
  /** Tokens' lifetime in seconds (default 3599, as Entra's `expires_in`). */
  setLifetime(seconds: number): void;
  /** Answers for the next token requests (e.g. a 503 with Retry-After), before any check. */
  faults: FakeResponse[];
}

function aadsts(status: number, error: string, code: number, description: string): FakeResponse {
  const trace = randomUUID();
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${randomUUID()} Timestamp: 2026-01-01 00:00:00Z`,
    error_codes: [code],
    timestamp: '2026-01-01 00:00:00Z',
    trace_id: trace,
    correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function claimsOf(jwt: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return undefined;
  }
}

export async function startEntra(o: {
  tenants: string[];
  apps: EntraApp[];
  oidc: GitHubOidcFake;
  /** The token for a resource, when it is not a fresh random one (the simulator's token). */
  mint?: (resource: string, clientId: string) => string | undefined;
}): Promise<EntraFake> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-fake-'));
  const tls = await generateTls(dir);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, tls.caPem);
  const issued = new Map<string, IssuedToken>();
  let lifetime = 3599;
  let base = '';
  const faults: FakeResponse[] = [];

  const assertionProblem = (app: EntraApp, assertion: string): FakeResponse | undefined => {
    const claims = o.oidc.issued.get(assertion) ?? claimsOf(assertion);
    if (!o.oidc.issued.has(assertion) || !claims)
      return aadsts(400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    const { iss, sub, aud } = claims as { iss: string; sub: string; aud: string };
    const match = (app.federated ?? []).find(
      (f) => f.issuer === iss && f.subject === sub && f.audiences.includes(aud),
    );
    if (match) return undefined;
    if ((app.federated ?? []).some((f) => f.issuer === iss && f.audiences.includes(aud)))
      return aadsts(
        400,
        'invalid_client',
        700213,
        `No matching federated identity record found for presented assertion subject '${sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      );
    return aadsts(
      400,
      'invalid_request',
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    );
  };

  const token = (tenant: string, form: URLSearchParams): FakeResponse => {
    if (form.get('grant_type') !== 'client_credentials')
      return aadsts(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    const clientId = form.get('client_id') ?? '';
    const app = o.apps.find((a) => a.clientId === clientId);
    if (!app)
      return aadsts(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    const assertion = form.get('client_assertion');
    const secret = form.get('client_secret');
    let via: IssuedToken['via'];
    if (assertion !== null) {
      if (form.get('client_assertion_type') !== JWT_BEARER)
        return aadsts(400, 'invalid_request', 50027, 'Invalid client_assertion_type.');
      const problem = assertionProblem(app, assertion);
      if (problem) return problem;
      via = 'client_assertion';
    } else if (secret !== null) {
      if (secret !== app.secret)
        return aadsts(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        );
      via = 'client_secret';
    } else {
      return aadsts(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s.endsWith('/.default'));
    if (scopes.length !== 1)
      return aadsts(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
    const resource = scopes[0]!.slice(0, -'/.default'.length);
    const value =
      o.mint?.(resource, clientId) ??
      `eyJ0eXAiOiJKV1QifQ.${randomBytes(24).toString('base64url')}.sig`;
    issued.set(value, { tenant, clientId, resource, via });
    return json(200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: value,
    });
  };

  const server = await startFake(
    'entra',
    (req) => {
      const m =
        /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(
          req.path,
        );
      if (!m) return json(404, { error: 'not_found' });
      const tenant = decodeURIComponent(m[1]!);
      if (!o.tenants.includes(tenant))
        return aadsts(
          400,
          'invalid_tenant',
          90002,
          `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
      if (m[2]!.startsWith('v2.0')) {
        if (req.method !== 'GET') return json(405, { error: 'method' });
        return json(200, {
          issuer: `${base}/${tenant}/v2.0`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
        });
      }
      if (req.method !== 'POST') return json(405, { error: 'method' });
      return faults.shift() ?? token(tenant, new URLSearchParams(req.body));
    },
    { cert: tls.certPem, key: tls.keyPem },
  );
  base = server.url;
  return {
    ...server,
    caFile,
    issued,
    faults,
    setLifetime: (s) => {
      lifetime = s;
    },
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
