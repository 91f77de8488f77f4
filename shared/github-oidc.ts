/**
 * The GitHub Actions OIDC token (ID token), requested as the runner documents it: the request
 * URL and token the runner gives steps with `permissions: id-token: write`, the audience
 * added to the URL. Shared by every keyless cloud login (Google, AWS, Azure).
 */
import { HttpError, InputError } from './errors.ts';
import type { HttpClient } from './http.ts';

/** GitHub's OIDC token endpoint, as the runner passes it to steps with `id-token: write`. */
export interface OidcRequest {
  url: string;
  token: string;
}

export function oidcUnavailableMessage(input: string): string {
  return (
    `Input '${input}' needs a GitHub OIDC token, but ACTIONS_ID_TOKEN_REQUEST_URL/ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set: ` +
    `add \`permissions: id-token: write\` to the job (or workflow). This is expected on pull requests from forks, ` +
    `which never get an OIDC token: skip this step for them (if: github.event.pull_request.head.repo.fork == false).`
  );
}

/** The runner's OIDC request, or an InputError naming `input` and the permission to add. */
export function oidcRequest(env: NodeJS.ProcessEnv, input: string): OidcRequest {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !token) throw new InputError(oidcUnavailableMessage(input));
  return { url, token };
}

/** The GitHub token request URL with the audience added (the URL already has a query). */
export function oidcTokenUrl(oidc: OidcRequest, audience: string): string {
  const url = new URL(oidc.url);
  url.searchParams.set('audience', audience);
  return url.toString();
}

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
