/**
 * build-push-image's bundle pushing to "ACR" keylessly, as the runner runs it: the GitHub
 * OIDC token → Entra ID (HTTPS fake, federated credential checked) → the registry's
 * /oauth2/exchange (ACR front fake) → docker logs in as 00000000-0000-0000-0000-000000000000
 * with the refresh token, and Debian's dockerd pushes through the front to the real
 * docker-registry, whose htpasswd password is that refresh token. `registry-type: acr` is
 * forced: the loopback registry is not named *.azurecr.io.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ACR_TOKEN_USER } from '../../actions/build-push-image/acr-login.ts';
import { startDockerd, type Dockerd } from '../harness/dockerd.ts';
import { startAcr, type AcrFake } from '../harness/fakes/azure-acr.ts';
import { startEntra, type EntraFake } from '../harness/fakes/azure-entra.ts';
import {
  GITHUB_ISSUER,
  startGitHubOidc,
  type GitHubOidcFake,
} from '../harness/fakes/github-oidc.ts';
import { registryDigest, startRegistry, type Registry } from '../harness/registry.ts';
import { runAction } from '../harness/runner.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const REFRESH = 'eyJhbGciOiJSUzI1NiJ9.eyJncmFudF90eXBlIjoicmVmcmVzaF90b2tlbiJ9.acr-refresh-sig';

let root: string;
let oidc: GitHubOidcFake;
let entra: EntraFake;
let registry: Registry;
let acr: AcrFake;
let dockerd: Dockerd;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'bpi-acr-e2e-'));
  oidc = await startGitHubOidc();
  [entra, registry, dockerd] = await Promise.all([
    startEntra({
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
      ],
    }),
    startRegistry({ htpasswd: { user: ACR_TOKEN_USER, password: REFRESH } }),
    startDockerd(),
  ]);
  acr = await startAcr({ entra, upstream: registry.url, refreshToken: REFRESH });
}, 60_000);

afterAll(async () => {
  await Promise.all([oidc, entra, acr, registry, dockerd].map((p) => p?.stop()));
  rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('ACR, keyless (registry-type acr)', () => {
  it('exchanges the Entra token for a refresh token, pushes with it, reports the digest; post removes the login', async () => {
    const ws = path.join(root, 'ws');
    mkdirSync(ws);
    writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\nCOPY model.txt /model.txt\n');
    writeFileSync(path.join(ws, 'model.txt'), 'acr model\n');
    const r = await runAction('build-push-image', {
      inputs: {
        image: `${acr.host}/ml/iris`,
        builder: 'docker',
        'registry-type': 'acr',
        'client-id': CLIENT,
        'tenant-id': TENANT,
        'authority-host': entra.url,
      },
      workspace: ws,
      env: { ...dockerd.env, ...oidc.env(), NODE_EXTRA_CA_CERTS: entra.caFile },
      timeoutMs: 120_000,
      deferPost: true,
    });
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(acr.exchanges).toEqual([{ service: acr.host, tenant: TENANT, clientId: CLIENT }]);
    const dir = r.state['docker-config-dir']!;
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toContain(
      Buffer.from(`${ACR_TOKEN_USER}:${REFRESH}`).toString('base64'),
    );
    expect(r.outputs.digest).toBe(
      await registryDigest(registry, 'ml/iris', 'sha-0123456', {
        user: ACR_TOKEN_USER,
        password: REFRESH,
      }),
    );
    expect(r.log).toContain('/oauth2/exchange (keyless GitHub OIDC federation');
    expect(r.summary).toContain('/oauth2/exchange');
    const visible = r.log
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of [
      REFRESH,
      oidc.requestToken,
      ...oidc.issued.keys(),
      ...entra.issued.keys(),
    ])
      expect(visible).not.toContain(secret);
    await r.runPost!();
    expect(existsSync(dir)).toBe(false);
  });
});
