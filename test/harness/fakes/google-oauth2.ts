/**
 * Fake Google OAuth 2.0 token endpoint for service-account keys: `POST /token` with
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>`. The JWT's
 * signature is checked against the key's public half; answers `{access_token, expires_in}`.
 */
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { json, startFake, type FakeServer } from './http-fake.ts';

export interface ServiceAccountKey {
  json: string;
  email: string;
  publicKey: string;
}

/** A throwaway service-account key in the format the Cloud console downloads. */
export function makeServiceAccountKey(email: string, project: string): ServiceAccountKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const doc = {
    type: 'service_account',
    project_id: project,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '100000000000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
  };
  return {
    json: JSON.stringify(doc),
    email,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface OAuth2Fake extends FakeServer {
  issued: string[];
}

export async function startGoogleOAuth2(o: {
  keys: ServiceAccountKey[];
  mint: (email: string) => string;
}): Promise<OAuth2Fake> {
  const issued: string[] = [];
  const server = await startFake('google-oauth2', (req) => {
    if (req.method !== 'POST' || req.path !== '/token') return json(404, { error: 'not_found' });
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return json(400, {
        error: 'unsupported_grant_type',
        error_description: 'Invalid grant_type',
      });
    }
    const [h, p, s] = (form.get('assertion') ?? '').split('.');
    if (!h || !p || !s)
      return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT.' });
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as {
      iss?: string;
      aud?: string;
      exp?: number;
      scope?: string;
    };
    const key = o.keys.find((k) => k.email === claims.iss);
    if (!key)
      return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const ok = createVerify('RSA-SHA256')
      .update(`${h}.${p}`)
      .verify(key.publicKey, Buffer.from(s, 'base64url'));
    if (!ok)
      return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    if (claims.aud !== 'https://oauth2.googleapis.com/token')
      return json(400, { error: 'invalid_grant', error_description: 'Invalid JWT: audience.' });
    if (!claims.exp || claims.exp * 1000 < Date.now())
      return json(400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT: Token must be a short-lived token.',
      });
    if (!claims.scope?.includes('https://www.googleapis.com/auth/cloud-platform'))
      return json(400, { error: 'invalid_scope', error_description: 'Invalid scope.' });
    const token = o.mint(key.email);
    issued.push(token);
    return json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  });
  return { ...server, issued };
}
