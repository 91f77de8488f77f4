/**
 * provider aks, end to end: the real bundle against fakes of GitHub OIDC, Entra ID (HTTPS,
 * client_assertion checked against the app's federated credentials) and ARM (the
 * ContainerService credential actions); the kubeconfig ARM returns points at the Kubernetes
 * simulator, and the written kubeconfig drives the real kubectl there — with an embedded
 * token, and with the bundled credential command in place of kubelogin.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Kubeconfig } from '../../shared/kube/kubeconfig.ts';
import { AKS_SERVER_APP, startArm } from '../harness/fakes/azure-arm.ts';
import { errorMessages, runAction, type ActionRunResult } from '../harness/runner.ts';
import {
  ARM_RESOURCE,
  CLIENT,
  OTHER_BRANCH_CLIENT,
  SECRET,
  SECRET_CLIENT,
  TENANT,
  startAksWorld,
  type AksWorld,
} from './aks-world.ts';
import { Scratch, kubectl, runnerTempEntries } from './helpers.ts';

let world: AksWorld;
let scratch: Scratch;
let bareBin: string;

beforeAll(async () => {
  scratch = new Scratch();
  bareBin = scratch.bin();
  world = await startAksWorld();
});

afterAll(async () => {
  await world?.stop();
  scratch?.cleanup();
});

function run(
  inputs: Record<string, string> = {},
  env: Record<string, string> = world.env(),
): Promise<ActionRunResult> {
  return runAction('setup-cluster-auth', {
    inputs: world.inputs(inputs),
    env: { PATH: bareBin, ...env },
    keep: true,
    post: false,
  });
}

const bearerOf = (header: string | undefined): string =>
  /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';

function readKubeconfig(r: ActionRunResult): Kubeconfig {
  return parse(readFileSync(r.outputs['kubeconfig-path']!, 'utf8')) as Kubeconfig;
}

async function getNamespaces(file: string, env: Record<string, string> = {}): Promise<string> {
  const k = await kubectl(scratch, file, ['get', 'namespaces', '-o', 'name'], {
    PATH: bareBin,
    ...env,
  });
  expect(k.stderr).toBe('');
  return k.stdout;
}

describe('aks: keyless (GitHub OIDC → Entra ID federated credential)', () => {
  it('token mode: ARM listClusterUserCredential, the kubelogin exec replaced by a token for the AKS server app; kubectl gets through', async () => {
    const r = await run({ namespace: 'models' });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.outputs.context).toBe('prod');
      expect(r.outputs['cluster-endpoint']).toBe(world.sim.url);
      expect(statSync(r.outputs['kubeconfig-path']!).mode & 0o777).toBe(0o600);
      expect(r.env.KUBECONFIG).toBe(r.outputs['kubeconfig-path']);
      // The assertion was the GitHub OIDC token for Entra's audience.
      expect(world.oidc.requests.at(-1)!.query.get('audience')).toBe('api://AzureADTokenExchange');
      const arm = world.arm.requests.at(-1)!;
      expect(arm.method).toBe('POST');
      expect(arm.path).toBe(
        `/subscriptions/${world.inputs()['subscription-id']}/resourceGroups/ml-rg/providers/Microsoft.ContainerService/managedClusters/prod/listClusterUserCredential`,
      );
      expect(arm.query.get('format')).toBe('exec');
      expect(arm.query.get('api-version')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const tokens = [...world.entra.issued.entries()];
      expect(tokens.map(([, t]) => t.resource)).toEqual(
        expect.arrayContaining([ARM_RESOURCE, AKS_SERVER_APP]),
      );
      expect(tokens.every(([, t]) => t.clientId === CLIENT && t.via === 'client_assertion')).toBe(
        true,
      );

      const config = readKubeconfig(r);
      expect(config.clusters[0]).toEqual({
        name: 'prod',
        cluster: { server: world.sim.url, 'certificate-authority-data': world.sim.caData },
      });
      expect(config.contexts[0]!.context).toEqual({
        cluster: 'prod',
        user: 'prod',
        namespace: 'models',
      });
      expect(config.users[0]!.user).toEqual({ token: world.sim.token });
      expect(readFileSync(r.outputs['kubeconfig-path']!, 'utf8')).not.toContain('kubelogin');

      expect(await getNamespaces(r.outputs['kubeconfig-path']!)).toContain('namespace/default');
      for (const secret of [world.sim.token!, world.oidc.requestToken, ...world.oidc.issued.keys()])
        expect(r.masks).toContain(secret);
      for (const [secret] of tokens) {
        expect(r.maskedLog).not.toContain(secret);
        expect(r.summary).not.toContain(secret);
      }
      expect(r.log).toContain('The AKS token expires at');
      expect(r.summary).toContain('keyless GitHub OIDC federation');
    } finally {
      r.cleanup();
    }
  });

  it('exec mode: kubectl runs the bundled credential command (no kubelogin, no az), which mints fresh tokens; post removes it all', async () => {
    const r = await runAction('setup-cluster-auth', {
      inputs: world.inputs({ 'auth-mode': 'exec' }),
      env: { PATH: bareBin, ...world.env() },
      deferPost: true,
    });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const exec = readKubeconfig(r).users[0]!.user.exec!;
      expect(exec.command).toBe(process.execPath);
      expect(exec.args![0]).toMatch(/exec-credential[/\\]index\.js$/);
      const configFile = exec.args![1]!;
      expect(path.dirname(configFile)).toBe(path.dirname(r.outputs['kubeconfig-path']!));
      expect(statSync(configFile).mode & 0o777).toBe(0o600);
      const grants = (): string[] =>
        world.entra.requests
          .filter((q) => q.method === 'POST')
          .map((q) => new URLSearchParams(q.body).get('scope') ?? '');
      const before = grants().length;
      const oidcBefore = world.oidc.requests.length;
      // kubectl's environment has no OIDC variables: the config file carries what is needed.
      // NODE_EXTRA_CA_CERTS: the Entra fake's CA (the real login host has a public one).
      const ca = { NODE_EXTRA_CA_CERTS: world.entra.caFile };
      expect(await getNamespaces(r.outputs['kubeconfig-path']!, ca)).toContain('namespace/default');
      expect(world.oidc.requests.length).toBeGreaterThan(oidcBefore);
      expect(grants().slice(before)).toEqual([`${AKS_SERVER_APP}/.default`]);
      // The second call uses the cached token: no new OIDC token, no Entra call.
      const entraBefore = world.entra.requests.length;
      expect(await getNamespaces(r.outputs['kubeconfig-path']!, ca)).toContain('kube-system');
      expect(world.entra.requests.length).toBe(entraBefore);
      const post = await r.runPost!();
      expect(post.exitCode).toBe(0);
      expect(existsSync(configFile)).toBe(false);
      expect(existsSync(r.outputs['kubeconfig-path']!)).toBe(false);
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('admin: listClusterAdminCredential, context <cluster>-admin; use-private-fqdn asks for the private server', async () => {
    const r = await run({ admin: 'true', 'use-private-fqdn': 'true' });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const arm = world.arm.requests.at(-1)!;
      expect(arm.path).toMatch(/\/listClusterAdminCredential$/);
      expect(arm.query.get('server-fqdn')).toBe('private');
      expect(r.outputs.context).toBe('prod-admin');
      expect(r.outputs['cluster-endpoint']).toBe(world.sim.url.replace('127.0.0.1', 'localhost'));
      expect(await getNamespaces(r.outputs['kubeconfig-path']!)).toContain('namespace/default');
    } finally {
      r.cleanup();
    }
  });

  it('a local-accounts cluster keeps the credentials ARM returned (masked)', async () => {
    const r = await run({ 'cluster-name': 'local' });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(readKubeconfig(r).users[0]!.user).toEqual({ token: world.sim.token });
      expect(r.masks).toContain(world.sim.token);
      expect(r.log).toContain('uses local accounts');
      expect(await getNamespaces(r.outputs['kubeconfig-path']!)).toContain('namespace/default');
    } finally {
      r.cleanup();
    }
  });
});

describe('aks: sovereign clouds', () => {
  it('azure-environment AzureUSGovernment: the ARM token is for management.usgovcloudapi.net', async () => {
    const gov = await startArm({
      entra: world.entra,
      resource: 'https://management.usgovcloudapi.net',
      clusters: [
        {
          subscription: world.inputs()['subscription-id']!,
          resourceGroup: 'ml-rg',
          name: 'prod',
          server: world.sim.url,
          caData: world.sim.caData!,
          auth: { kind: 'entra', tenant: TENANT },
        },
      ],
    });
    gov.allowed.add(CLIENT);
    const r = await run({
      'azure-environment': 'AzureUSGovernment',
      'resource-manager-endpoint': gov.url,
    });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(gov.requests).toHaveLength(1);
      const armToken = bearerOf(gov.requests[0]!.headers.authorization);
      expect(world.entra.issued.get(armToken)?.resource).toBe(
        'https://management.usgovcloudapi.net',
      );
      expect(await getNamespaces(r.outputs['kubeconfig-path']!)).toContain('namespace/default');
    } finally {
      r.cleanup();
      await gov.stop();
    }
  });
});

describe('aks: the credentials azure/login users have in the environment', () => {
  it('AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET (a service principal) without the id inputs', async () => {
    const inputs = world.inputs();
    const r = await runAction('setup-cluster-auth', {
      inputs: { ...inputs, 'client-id': '', 'tenant-id': '' },
      env: {
        PATH: bareBin,
        NODE_EXTRA_CA_CERTS: world.entra.caFile,
        AZURE_CLIENT_ID: SECRET_CLIENT,
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_SECRET: SECRET,
      },
      keep: true,
      post: false,
    });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect([...world.entra.issued.values()].at(-1)).toMatchObject({
        clientId: SECRET_CLIENT,
        via: 'client_secret',
      });
      expect(r.masks).toContain(SECRET);
      expect(r.maskedLog).not.toContain(SECRET);
      expect(r.summary).toContain('client secret (AZURE_CLIENT_SECRET)');
    } finally {
      r.cleanup();
    }
  });

  it('AZURE_FEDERATED_TOKEN_FILE (workload identity) is read as the assertion', async () => {
    const jwtRes = await fetch(`${world.oidc.requestUrl}&audience=api://AzureADTokenExchange`, {
      headers: { authorization: `Bearer ${world.oidc.requestToken}` },
    });
    const jwt = ((await jwtRes.json()) as { value: string }).value;
    const file = path.join(scratch.sub('wi'), 'token');
    writeFileSync(file, jwt);
    const r = await run(
      {},
      { NODE_EXTRA_CA_CERTS: world.entra.caFile, AZURE_FEDERATED_TOKEN_FILE: file },
    );
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(r.summary).toContain('federated token file');
    } finally {
      r.cleanup();
    }
  });
});

describe('aks: failures', () => {
  it.each([
    [
      'wrong resource group: ARM says so (404 ResourceGroupNotFound)',
      { 'resource-group': 'nope-rg' },
      /ARM listClusterUserCredential for AKS cluster 'prod' in resource group 'nope-rg' .*failed \(HTTP 404\) — ResourceGroupNotFound: Resource group 'nope-rg' could not be found\..*Check 'cluster-name', 'resource-group'/,
    ],
    [
      'unknown cluster (404 ResourceNotFound)',
      { 'cluster-name': 'gone' },
      /ResourceNotFound: The Resource 'Microsoft.ContainerService\/managedClusters\/gone' under resource group 'ml-rg' was not found/,
    ],
    [
      'a federated credential for another branch: Entra says AADSTS700213, and what to check',
      { 'client-id': OTHER_BRANCH_CLIENT },
      /Microsoft Entra ID refused a token .*AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org\/model-service:ref:refs\/heads\/main'.* — check the federated credential/,
    ],
    [
      'a server URL that is not an https URL of a host (a hostile answer)',
      { 'cluster-name': 'hostile' },
      /AKS cluster 'hostile' server from the server is not an https URL of a host/,
    ],
  ])('%s', async (_name, inputs, message) => {
    const r = await run(inputs);
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(message);
      // One error annotation: a value from a server never starts a workflow command line.
      expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(1);
      expect(r.log).not.toMatch(/^::error::pwned/m);
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('no tenant-id: one line naming the input, and nothing sent to GitHub, Entra ID or ARM', async () => {
    const before = [world.oidc, world.entra, world.arm].map((f) => f.requests.length);
    const r = await run({ 'tenant-id': '' });
    try {
      expect(r.exitCode).toBe(1);
      expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        "setup-cluster-auth: Input 'tenant-id' is required for Azure (the Microsoft Entra tenant (directory) id, a GUID; or set AZURE_TENANT_ID). Nothing was sent.",
      ]);
      expect([world.oidc, world.entra, world.arm].map((f) => f.requests.length)).toEqual(before);
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('an authority host that does not speak TLS: one attempt, a message naming authority-host', async () => {
    const r = await run({ 'authority-host': world.arm.url.replace('http:', 'https:') });
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(
        /Microsoft Entra ID could not be reached for https:\/\/management\.azure\.com\/\.default .*openid-configuration did not answer \(check 'authority-host'/,
      );
      expect(r.log).not.toMatch(/retry \d/);
    } finally {
      r.cleanup();
    }
  });

  it('no permission on the cluster: 403 AuthorizationFailed with the role to assign', async () => {
    world.arm.allowed.delete(CLIENT);
    try {
      const r = await run();
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(
        /AuthorizationFailed: The client '11111111-2222-3333-4444-555555555555' .* does not have authorization .*Azure Kubernetes Service Cluster User Role/,
      );
      r.cleanup();
    } finally {
      world.arm.allowed.add(CLIENT);
    }
  });
});
