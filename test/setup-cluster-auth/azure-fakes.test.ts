/**
 * The Azure fakes answer as the published contracts say (test/contracts/azure): the ARM
 * credential action's response shape (the spec example), Entra ID's v2 token endpoint and
 * its errors, ACR's /oauth2/exchange — so the action tests against them test the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { readContractJson } from '../harness/contracts.ts';
import { startAcr, type AcrFake } from '../harness/fakes/azure-acr.ts';
import { startArm, type ArmFake } from '../harness/fakes/azure-arm.ts';
import { JWT_BEARER, startEntra, type EntraFake } from '../harness/fakes/azure-entra.ts';
import { startGitHubOidc, type GitHubOidcFake } from '../harness/fakes/github-oidc.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const SUB = '00000000-1111-2222-3333-444444444444';

interface EntraContract {
  openidConfiguration: { required: string[] };
  tokenRequest: { form: Record<string, string> };
  tokenResponse: { body: Record<string, unknown> };
  errorResponse: { fields: string[] };
  githubFederatedCredential: { issuer: string; subject: string; audiences: string[] };
}

let oidc: GitHubOidcFake;
let entra: EntraFake;
let arm: ArmFake;
let acr: AcrFake;
const entraContract = readContractJson<EntraContract>('azure', 'entra-client-credentials.json');

beforeAll(async () => {
  oidc = await startGitHubOidc();
  entra = await startEntra({
    tenants: [TENANT],
    oidc,
    apps: [{ clientId: CLIENT, federated: [entraContract.githubFederatedCredential] }],
  });
  arm = await startArm({
    entra,
    clusters: [
      {
        subscription: SUB,
        resourceGroup: 'rg1',
        name: 'clustername1',
        server: 'https://clustername1-dns.hcp.eastus.azmk8s.io:443',
        auth: { kind: 'entra', tenant: TENANT },
      },
    ],
  });
  arm.allowed.add(CLIENT);
  acr = await startAcr({
    entra,
    upstream: 'http://127.0.0.1:9',
    refreshToken: 'eyJ.refresh.token',
  });
});

afterAll(async () => {
  await Promise.all([oidc?.stop(), entra?.stop(), arm?.stop(), acr?.stop()]);
});

/** One HTTPS exchange with the Entra fake, trusting its CA. */
function entraCall(
  path: string,
  form?: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, entra.url);
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = request(
      url,
      {
        method: form ? 'POST' : 'GET',
        ca: readFileSync(entra.caFile, 'utf8'),
        headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function githubJwt(audience: string): Promise<string> {
  const res = await fetch(`${oidc.requestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { authorization: `Bearer ${oidc.requestToken}` },
  });
  return ((await res.json()) as { value: string }).value;
}

describe('Entra ID fake (v2 endpoints)', () => {
  it('serves the OpenID configuration with the fields MSAL requires', async () => {
    const r = await entraCall(`/${TENANT}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    for (const field of entraContract.openidConfiguration.required)
      expect(r.body).toHaveProperty(field);
    expect(r.body.token_endpoint).toBe(`${entra.url}/${TENANT}/oauth2/v2.0/token`);
  });

  it("grants the contract's federated-credential request and answers its response fields", async () => {
    const form = {
      ...entraContract.tokenRequest.form,
      client_assertion: await githubJwt('api://AzureADTokenExchange'),
    };
    expect(entraContract.tokenRequest.form['client_assertion_type']).toBe(JWT_BEARER);
    const r = await entraCall(`/${TENANT}/oauth2/v2.0/token`, form);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(
      Object.keys(entraContract.tokenResponse.body).sort(),
    );
    expect(entra.issued.get(r.body.access_token as string)).toMatchObject({
      resource: 'https://management.azure.com',
      clientId: CLIENT,
    });
  });

  it('an assertion for another audience: 400 with the documented error fields and AADSTS70021', async () => {
    const form = { ...entraContract.tokenRequest.form, client_assertion: await githubJwt('other') };
    const r = await entraCall(`/${TENANT}/oauth2/v2.0/token`, form);
    expect(r.status).toBe(400);
    expect(Object.keys(r.body).sort()).toEqual([...entraContract.errorResponse.fields].sort());
    expect(r.body.error_description).toMatch(/^AADSTS70021: No matching federated identity record/);
    expect(r.body.error_codes).toEqual([70021]);
  });

  it('an assertion the GitHub fake never issued is refused', async () => {
    const form = { ...entraContract.tokenRequest.form, client_assertion: 'eyJ.forged.jwt' };
    expect((await entraCall(`/${TENANT}/oauth2/v2.0/token`, form)).status).toBe(400);
  });
});

describe('ARM fake (ContainerService credential actions)', () => {
  it("answers in the spec example's shape: kubeconfigs[{ name, value: base64 }]", async () => {
    const example = readContractJson<{
      parameters: Record<string, string>;
      responses: { 200: { body: { kubeconfigs: Record<string, string>[] } } };
    }>('azure', 'arm-list-cluster-user-credentials.example.json');
    const token = (
      await entraCall(`/${TENANT}/oauth2/v2.0/token`, {
        ...entraContract.tokenRequest.form,
        client_assertion: await githubJwt('api://AzureADTokenExchange'),
      })
    ).body.access_token as string;
    const p = example.parameters;
    const res = await fetch(
      `${arm.url}/subscriptions/${SUB}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/${p.resourceName}/listClusterUserCredential?api-version=${p['api-version']}`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kubeconfigs: Record<string, string>[] };
    const expected = example.responses[200].body;
    expect(Object.keys(body)).toEqual(Object.keys(expected));
    expect(Object.keys(body.kubeconfigs[0]!).sort()).toEqual(
      Object.keys(expected.kubeconfigs[0]!).sort(),
    );
    expect(Buffer.from(body.kubeconfigs[0]!.value!, 'base64').toString()).toContain('kind: Config');
  });

  it("answers ARM's error shape without a token", async () => {
    const res = await fetch(
      `${arm.url}/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1/listClusterUserCredential?api-version=2024-05-01`,
      { method: 'POST' },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'InvalidAuthenticationToken', message: expect.any(String) },
    });
  });
});

describe('ACR fake (/oauth2/exchange)', () => {
  it('takes the documented form and answers { refresh_token }', async () => {
    const contract = readContractJson<{
      request: { form: Record<string, string> };
      response: { body: Record<string, string> };
    }>('azure', 'acr-oauth-exchange.json');
    const token = (
      await entraCall(`/${TENANT}/oauth2/v2.0/token`, {
        ...entraContract.tokenRequest.form,
        client_assertion: await githubJwt('api://AzureADTokenExchange'),
      })
    ).body.access_token as string;
    const form = {
      ...contract.request.form,
      service: acr.host,
      tenant: TENANT,
      access_token: token,
    };
    expect(Object.keys(form).sort()).toEqual(Object.keys(contract.request.form).sort());
    const res = await fetch(`${acr.url}/oauth2/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object)).toEqual(Object.keys(contract.response.body));
  });
});
