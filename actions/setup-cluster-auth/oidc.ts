/** The GitHub Actions OIDC token (ID token), requested as the runner documents it. */
import type { HttpClient } from '../../shared/http.ts';
import { HttpError } from '../../shared/errors.ts';
import type { OidcRequest } from './inputs.ts';
import { oidcTokenUrl } from './oidc-url.ts';

export async function githubIdToken(
  oidc: OidcRequest,
  audience: string,
  http: HttpClient,
): Promise<string> {
  let value: unknown;
  try {
    const res = await http.request({
      url: oidcTokenUrl(oidc, audience),
      headers: {
        authorization: `Bearer ${oidc.token}`,
        accept: 'application/json; api-version=2.0',
      },
    });
    value = res.json<{ value?: unknown }>().value;
  } catch (error) {
    const detail =
      error instanceof HttpError ? `HTTP ${error.status ?? 'error'}` : (error as Error).message;
    throw new Error(
      `Could not get the GitHub OIDC token (${detail}): check that the job has \`permissions: id-token: write\`.`,
    );
  }
  if (typeof value !== 'string' || !value)
    throw new Error('The GitHub OIDC token endpoint returned no token.');
  return value;
}
