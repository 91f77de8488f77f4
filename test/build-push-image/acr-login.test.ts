/**
 * ACR keyless login against fakes that follow the published contracts: the GitHub OIDC token
 * as Entra ID's client_assertion (HTTPS fake), the Entra ARM token exchanged at the
 * registry's /oauth2/exchange (ACR front fake) for a refresh token, and the real
 * docker-registry (htpasswd) behind the front accepting the docker login
 * `00000000-0000-0000-0000-000000000000` + refresh token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ACR_TOKEN_USER, acrLogin } from '../../actions/build-push-image/acr-login.ts';
import { getInputs } from '../../actions/build-push-image/inputs.ts';
import { login, needsRenewal } from '../../actions/build-push-image/login.ts';
import type { AzureLogin } from '../../shared/azure-inputs.ts';
import { InputError } from '../../shared/errors.ts';
import { createHttpClient } from '../../shared/http.ts';
import { Inputs, mapInputs } from '../../shared/inputs.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';
import { startAcr, type AcrFake } from '../harness/fakes/azure-acr.ts';
import { startEntra, type EntraFake } from '../harness/fakes/azure-entra.ts';
import {
  GITHUB_ISSUER,
  startGitHubOidc,
  type GitHubOidcFake,
} from '../harness/fakes/github-oidc.ts';
import { registryRequest, startRegistry, type Registry } from '../harness/registry.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const OTHER = '99999999-2222-3333-4444-555555555555';
const EXP = 2_000_000_000;
const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
/** An ACR refresh token is a JWT; its `exp` says when to renew. */
const REFRESH = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ exp: EXP, grant_type: 'refresh_token' })}.c2ln`;

let oidc: GitHubOidcFake;
let entra: EntraFake;
let registry: Registry;
let acr: AcrFake;
let govAcr: AcrFake;
const dirs: string[] = [];

beforeAll(async () => {
  oidc = await startGitHubOidc();
  entra = await startEntra({
    tenants: [TENANT],
    oidc,
    apps: [
      {
        clientId: CLIENT,
        federated: [
          {
            issuer: GITHUB_ISSUER,
            subject: 'repo:octo-org/model-service:ref:refs/heads/main',
            audiences: ['api://AzureADTokenExchange'],
          },
        ],
      },
      { clientId: OTHER, federated: [] },
    ],
  });
  registry = await startRegistry({ htpasswd: { user: ACR_TOKEN_USER, password: REFRESH } });
  acr = await startAcr({ entra, upstream: registry.url, refreshToken: REFRESH });
  // A registry of another cloud: it refuses AzureCloud's ARM tokens.
  govAcr = await startAcr({
    entra,
    upstream: registry.url,
    refreshToken: REFRESH,
    resource: 'https://management.usgovcloudapi.net',
  });
});

afterAll(async () => {
  await Promise.all([oidc?.stop(), entra?.stop(), acr?.stop(), govAcr?.stop(), registry?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function azure(clientId = CLIENT): AzureLogin {
  return {
    environment: 'AzureCloud',
    authorityHost: entra.url,
    credentials: {
      kind: 'oidc',
      tenantId: TENANT,
      clientId,
      oidc: { url: oidc.requestUrl, token: oidc.requestToken },
      audience: 'api://AzureADTokenExchange',
    },
  };
}

/** The step's HTTP client, trusting the Entra fake's CA as the runner trusts the real one. */
function io(clock = new ManualClock(1_000_000), masked: string[] = []) {
  const agent = new Agent({ ca: [...rootCertificates, readFileSync(entra.caFile, 'utf8')] });
  return () => ({
    http: createHttpClient({ agent: () => agent, attempts: 1 }),
    clock,
    onSecret: (v: string) => masked.push(v),
  });
}

describe('ACR keyless login (Entra ID token → /oauth2/exchange → refresh token)', () => {
  it('writes 00000000-…:<refresh token>, masked, which the registry behind ACR accepts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bpi-acr-'));
    dirs.push(dir);
    const logger = new RecordingLogger();
    const clock = new ManualClock(1_000_000);
    const masked: string[] = [];
    const result = await login(acrLogin(azure(), io(clock, masked)), {
      host: acr.host,
      configDir: dir,
      logger,
      clock,
    });
    expect(result.username).toBe('00000000-0000-0000-0000-000000000000');
    expect(result.password).toBe(REFRESH);
    expect(result.expiresAt).toBe(EXP * 1000);
    expect(result.via).toContain('/oauth2/exchange');
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(Buffer.from(config.auths[acr.host]!.auth, 'base64').toString()).toBe(
      `${ACR_TOKEN_USER}:${REFRESH}`,
    );
    expect(statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(logger.secrets).toContain(REFRESH);
    expect(logger.text()).not.toContain(REFRESH);
    // The exchange as the contract has it: the registry as service, the tenant, an ARM token
    // that Entra minted for the federated client.
    expect(acr.exchanges.at(-1)).toEqual({ service: acr.host, tenant: TENANT, clientId: CLIENT });
    expect([...entra.issued.values()].at(-1)).toMatchObject({
      resource: 'https://management.azure.com',
      via: 'client_assertion',
    });
    // The Resource Manager token Entra minted, and the GitHub OIDC JWT it was minted for, are
    // masked before anything could print them.
    expect(masked).toContain([...entra.issued.keys()].at(-1));
    expect(masked).toContain([...oidc.issued.keys()].at(-1));
    const auth = { user: result.username, password: result.password };
    expect((await registryRequest(`${acr.url}/v2/`, { auth })).status).toBe(200);
    const stale = { user: ACR_TOKEN_USER, password: 'stale' };
    expect((await registryRequest(`${acr.url}/v2/`, { auth: stale })).status).toBe(401);
  });

  it('is renewed before the push once the refresh token is within 5 minutes of its exp', async () => {
    const result = await acrLogin(azure(), io())(acr.host);
    expect(needsRenewal(result, EXP * 1000 - 10 * 60_000)).toBe(false);
    expect(needsRenewal(result, EXP * 1000 - 4 * 60_000)).toBe(true);
  });

  it('an app without a federated credential for this repository: Entra says AADSTS70021', async () => {
    const error = await acrLogin(azure(OTHER), io())(acr.host).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /Microsoft Entra ID refused a token for https:\/\/management\.azure\.com\/\.default .*AADSTS70021: No matching federated identity record/,
    );
    expect((error as Error).message).not.toContain(oidc.requestToken);
  });

  it("a US Government registry takes the token for that cloud's Resource Manager", async () => {
    const gov = { ...azure(), environment: 'AzureUSGovernment' as const };
    const result = await acrLogin(gov, io())(govAcr.host);
    expect(result.password).toBe(REFRESH);
    expect(govAcr.exchanges.at(-1)).toMatchObject({ service: govAcr.host, tenant: TENANT });
  });

  it('a registry that refuses the token: the exchange error and the role to check', async () => {
    const error = await acrLogin(azure(), io())(govAcr.host).catch((e: unknown) => e as Error);
    expect((error as Error).message).toBe(
      `ACR token exchange at ${govAcr.host} failed (HTTP 401): Invalid AAD access token — the identity needs the AcrPush role on the registry, and the registry must allow Entra ID authentication.`,
    );
    expect(govAcr.refused.at(-1)?.status).toBe(401);
  });
});

describe('ACR inputs', () => {
  const OIDC_ENV = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/t?x=1',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
  };
  const parse = (values: Record<string, string>, env: NodeJS.ProcessEnv = OIDC_ENV) =>
    getInputs(new Inputs(mapInputs(values)), env);

  it('*.azurecr.io with client-id + tenant-id: keyless, AzureCloud', () => {
    const i = parse({ image: 'mlreg.azurecr.io/model', 'client-id': CLIENT, 'tenant-id': TENANT });
    expect(i.registryType).toBe('acr');
    expect(i.azure).toMatchObject({
      environment: 'AzureCloud',
      authorityHost: 'https://login.microsoftonline.com',
      credentials: { kind: 'oidc', clientId: CLIENT, tenantId: TENANT },
    });
  });

  it('*.azurecr.cn: the China cloud unless azure-environment says otherwise', () => {
    const i = parse({ image: 'mlreg.azurecr.cn/model', 'client-id': CLIENT, 'tenant-id': TENANT });
    expect(i.azure?.environment).toBe('AzureChinaCloud');
    expect(i.azure?.authorityHost).toBe('https://login.chinacloudapi.cn');
  });

  it('username/password keep working (no Entra login)', () => {
    const i = parse({ image: 'mlreg.azurecr.io/model', username: 'sp', password: 'pw' });
    expect(i.azure).toBeUndefined();
    expect(i.username).toBe('sp');
  });

  it('no client id anywhere: an existing docker login (az acr login) is used', () => {
    expect(parse({ image: 'mlreg.azurecr.io/model' }, {}).azure).toBeUndefined();
  });

  it.each([
    [
      'client-id without tenant-id',
      { image: 'mlreg.azurecr.io/model', 'client-id': CLIENT },
      OIDC_ENV,
      /^Input 'tenant-id' is required for Azure/,
    ],
    [
      'client-id for a registry that is not ACR',
      { image: 'ghcr.io/org/model', 'client-id': CLIENT, 'tenant-id': TENANT },
      OIDC_ENV,
      /^Input 'client-id' is for the keyless ACR login: it needs registry-type acr/,
    ],
    [
      'keyless without the id-token permission',
      { image: 'mlreg.azurecr.io/model', 'client-id': CLIENT, 'tenant-id': TENANT },
      {},
      /permissions: id-token: write/,
    ],
  ])('%s', (_name, values, env, message) => {
    expect(() => parse(values, env)).toThrow(InputError);
    expect(() => parse(values, env)).toThrow(message);
  });

  it('registry-type acr can be forced for a loopback registry', () => {
    const i = parse({
      image: '127.0.0.1:5000/model',
      'registry-type': 'acr',
      'client-id': CLIENT,
      'tenant-id': TENANT,
    });
    expect(i.registryType).toBe('acr');
    expect(i.azure?.credentials.kind).toBe('oidc');
  });
});
