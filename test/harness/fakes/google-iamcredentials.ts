/**
 * Fake IAM Service Account Credentials API:
 * `POST /v1/projects/-/serviceAccounts/<email>:generateAccessToken` with a federated bearer
 * token, body `{scope, lifetime, delegates}` → `{accessToken, expireTime}`; 403
 * PERMISSION_DENIED when the caller may not impersonate the account (as called by
 * google-github-actions/auth @ fc2174804b84f912b1f6d334e9463f484f1c552d).
 */
import { bearer, json, startFake, type FakeServer } from './http-fake.ts';

export interface IamCredentialsFake extends FakeServer {
  issued: string[];
}

export async function startIamCredentials(o: {
  /** Whether the bearer token (a federated token) may call the API. */
  acceptToken(token: string): boolean;
  /** Accounts that may be impersonated, and the access token each issues. */
  accounts: Record<string, () => string>;
  lifetimeSeconds?: number;
}): Promise<IamCredentialsFake> {
  const issued: string[] = [];
  const server = await startFake('iamcredentials', (req) => {
    const m = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(req.path);
    if (req.method !== 'POST' || !m)
      return json(404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
    const token = bearer(req);
    if (!token || !o.acceptToken(token)) {
      return json(401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
    }
    const email = decodeURIComponent(m[1]!);
    const mint = o.accounts[email];
    if (!mint) {
      return json(403, {
        error: {
          code: 403,
          message: `Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).`,
          status: 'PERMISSION_DENIED',
        },
      });
    }
    const body = JSON.parse(req.body || '{}') as { scope?: unknown };
    if (
      !Array.isArray(body.scope) ||
      !body.scope.includes('https://www.googleapis.com/auth/cloud-platform')
    ) {
      return json(400, {
        error: { code: 400, message: 'Scope required.', status: 'INVALID_ARGUMENT' },
      });
    }
    const accessToken = mint();
    issued.push(accessToken);
    const expireTime = new Date(Date.now() + (o.lifetimeSeconds ?? 3600) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    return json(200, { accessToken, expireTime });
  });
  return { ...server, issued };
}
