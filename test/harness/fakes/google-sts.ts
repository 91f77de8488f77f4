/**
 * Fake Google Security Token Service (`POST /v1/token`, RFC 8693 token exchange): accepts the
 * JSON body google-github-actions/auth (@ fc2174804b84f912b1f6d334e9463f484f1c552d) sends
 * and the form body google-auth-library sends; the subject token must be a GitHub OIDC token
 * issued by the fake GitHub endpoint for the audience `https://iam.googleapis.com/<provider>`.
 */
import { randomBytes } from 'node:crypto';
import type { GitHubOidcFake } from './github-oidc.ts';
import { json, startFake, type FakeServer } from './http-fake.ts';

export interface GoogleStsFake extends FakeServer {
  /** Federated access tokens issued → provider. */
  federated: Map<string, string>;
}

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

function invalid(error: string, description: string) {
  return json(400, { error, error_description: description });
}

export async function startGoogleSts(o: {
  oidc: GitHubOidcFake;
  providers: string[];
}): Promise<GoogleStsFake> {
  const federated = new Map<string, string>();
  const server = await startFake('google-sts', (req) => {
    if (req.method !== 'POST' || req.path !== '/v1/token')
      return json(404, { error: { code: 404, message: 'Not Found', status: 'NOT_FOUND' } });
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const body: Record<string, unknown> = isJson
      ? (JSON.parse(req.body) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(req.body));
    const field = (snake: string, camel: string): string =>
      String(body[snake] ?? body[camel] ?? '');
    if (field('grant_type', 'grantType') !== GRANT)
      return invalid('unsupported_grant_type', 'Invalid grant_type.');
    if (
      field('subject_token_type', 'subjectTokenType') !== 'urn:ietf:params:oauth:token-type:jwt'
    ) {
      return invalid('invalid_request', 'Invalid subject_token_type.');
    }
    if (
      field('requested_token_type', 'requestedTokenType') !==
      'urn:ietf:params:oauth:token-type:access_token'
    ) {
      return invalid('invalid_request', 'Invalid requested_token_type.');
    }
    const audience = field('audience', 'audience');
    const provider = audience.replace(/^\/\/iam\.googleapis\.com\//, '');
    if (!audience.startsWith('//iam.googleapis.com/') || !o.providers.includes(provider)) {
      return invalid(
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      );
    }
    const claims = o.oidc.issued.get(field('subject_token', 'subjectToken'));
    if (!claims) return invalid('invalid_grant', 'Invalid value for "subject_token".');
    if (claims.aud !== `https://iam.googleapis.com/${provider}`) {
      return invalid(
        'invalid_grant',
        `The audience in ID Token [${claims.aud}] does not match the expected audience https://iam.googleapis.com/${provider}.`,
      );
    }
    const scope = field('scope', 'scope');
    if (!scope.includes('https://www.googleapis.com/auth/cloud-platform'))
      return invalid('invalid_scope', 'Invalid scope.');
    const token = `ya29.d.fed-${randomBytes(24).toString('base64url')}`;
    federated.set(token, provider);
    return json(200, {
      access_token: token,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 3599,
    });
  });
  return { ...server, federated };
}
