/**
 * Fake GitHub Actions OIDC token endpoint: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=…`
 * with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` → `{"value": "<jwt>"}`.
 * Issued tokens are recorded so downstream fakes (Google/AWS STS) can verify them.
 */
import { randomBytes } from 'node:crypto';
import { bearer, json, startFake, type FakeServer } from './http-fake.ts';

export interface GitHubOidcFake extends FakeServer {
  /** For ACTIONS_ID_TOKEN_REQUEST_URL (already has a query, as the runner's does). */
  requestUrl: string;
  requestToken: string;
  /** jwt → its claims. */
  issued: Map<string, { aud: string; sub: string; iss: string }>;
  env(): Record<string, string>;
}

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

function b64(o: object): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

export async function startGitHubOidc(): Promise<GitHubOidcFake> {
  const requestToken = `ghs_${randomBytes(16).toString('hex')}`;
  const issued = new Map<string, { aud: string; sub: string; iss: string }>();
  const server = await startFake('github-oidc', (req) => {
    if (req.method !== 'GET' || req.path !== '/_apis/distributedtask/token')
      return json(404, { message: 'Not Found' });
    if (bearer(req) !== requestToken) return json(401, { message: 'Bad credentials' });
    const aud = req.query.get('audience') ?? 'https://github.com/octo-org';
    const claims = {
      iss: GITHUB_ISSUER,
      aud,
      sub: 'repo:octo-org/model-service:ref:refs/heads/main',
      jti: randomBytes(8).toString('hex'),
    };
    const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${randomBytes(32).toString('base64url')}`;
    issued.set(jwt, claims);
    return json(200, { count: 1, value: jwt });
  });
  const requestUrl = `${server.url}/_apis/distributedtask/token?api-version=2.0`;
  return {
    ...server,
    requestUrl,
    requestToken,
    issued,
    env: () => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    }),
  };
}
