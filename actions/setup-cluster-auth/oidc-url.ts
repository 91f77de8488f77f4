import type { OidcRequest } from './inputs.ts';

/** The GitHub token request URL with the audience added (the URL already has a query). */
export function oidcTokenUrl(oidc: OidcRequest, audience: string): string {
  const url = new URL(oidc.url);
  url.searchParams.set('audience', audience);
  return url.toString();
}
