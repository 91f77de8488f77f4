/**
 * What setup-cluster-auth masks, through the real bundle: secret values (tokens, client key and
 * certificate data, passwords, private keys, the GitHub OIDC JWT) — never whole documents, so
 * `kind: Config`, `user:` or `{` stay readable in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { stringify } from 'yaml';
import { runAction, type ActionRunResult } from '../harness/runner.ts';
import {
  GKE_LOCATION,
  GKE_PROJECT,
  SERVICE_ACCOUNT,
  Scratch,
  WIF_PROVIDER,
  randomToken,
  startGkeWorld,
  type GkeWorld,
} from './helpers.ts';

let scratch: Scratch;
let bin: string;
let world: GkeWorld;

beforeAll(async () => {
  scratch = new Scratch();
  bin = scratch.bin();
  world = await startGkeWorld();
});

afterAll(async () => {
  await world?.stop();
  scratch?.cleanup();
});

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const secrets = {
  token: randomToken('tok-'),
  password: randomToken('pw-'),
  keyData: Buffer.from(keyPem).toString('base64'),
  certData: Buffer.from(
    `-----BEGIN CERTIFICATE-----\n${randomToken('cert-')}\n-----END CERTIFICATE-----\n`,
  ).toString('base64'),
  refreshToken: randomToken('refresh-'),
};

const kubeconfig = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
  users: [
    { name: 'with-token', user: { token: secrets.token } },
    {
      name: 'with-cert',
      user: { 'client-certificate-data': secrets.certData, 'client-key-data': secrets.keyData },
    },
    { name: 'with-password', user: { username: 'admin', password: secrets.password } },
    {
      name: 'with-oidc',
      user: {
        'auth-provider': {
          name: 'oidc',
          config: { 'client-id': 'kubectl', 'refresh-token': secrets.refreshToken },
        },
      },
    },
  ],
  contexts: [{ name: 'a', context: { cluster: 'c', user: 'with-token' } }],
  'current-context': 'a',
});

/** No mask is a piece of kubeconfig structure, and none holds a whole document. */
function expectReadableMasks(r: ActionRunResult): void {
  for (const m of r.masks) {
    expect(m).not.toMatch(/kind: Config|apiVersion|current-context|^\s*users?:|^\{|^\}|"type":/);
    expect(m).not.toMatch(/^-----(BEGIN|END) /);
    expect(m.length).toBeGreaterThanOrEqual(4);
  }
}

describe('masking: secret values only', () => {
  it.each([
    ['raw YAML', () => kubeconfig],
    ['base64', () => Buffer.from(kubeconfig).toString('base64')],
  ])(
    'provider kubeconfig (%s): masks each credential, not `kind: Config` or `user:`',
    async (_name, value) => {
      const r = await runAction('setup-cluster-auth', {
        inputs: { provider: 'kubeconfig', kubeconfig: value() },
        env: { PATH: bin },
        post: false,
      });
      expect(r.exitCode).toBe(0);
      expect(r.masks).not.toContain('kind: Config');
      expect(r.masks.filter((m) => m.includes('kind: Config'))).toEqual([]);
      expect(r.masks.filter((m) => m.trim() === 'user:')).toEqual([]);
      for (const s of Object.values(secrets)) {
        expect(r.masks).toContain(s);
        expect(r.maskedLog).not.toContain(s);
      }
      expectReadableMasks(r);
      // Each value once (the whole kubeconfig used to be registered three times).
      expect(new Set(r.masks).size).toBe(r.masks.length);
      // The log stays readable: something the action printed survives masking.
      expect(r.maskedLog).toContain('Wrote kubeconfig');
      expect(r.maskedLog).toContain('context a');
    },
  );

  it('gke keyless: masks the GitHub OIDC JWT and the access token, not the credential config', async () => {
    const before = new Set(world.oidc.issued.keys());
    const r = await runAction('setup-cluster-auth', {
      inputs: {
        provider: 'gke',
        'cluster-name': 'prod',
        location: GKE_LOCATION,
        'workload-identity-provider': WIF_PROVIDER,
        'service-account': SERVICE_ACCOUNT,
        'google-api-endpoints': world.endpoints,
      },
      env: { PATH: bin, ...world.oidc.env() },
      post: false,
    });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    const jwts = [...world.oidc.issued.keys()].filter((j) => !before.has(j));
    expect(jwts.length).toBeGreaterThan(0);
    for (const jwt of jwts) {
      expect(r.masks).toContain(jwt);
      expect(r.maskedLog).not.toContain(jwt);
    }
    expect(r.masks).toContain(world.sim.token);
    expect(r.masks).toContain(world.oidc.requestToken);
    expectReadableMasks(r);
  });

  it('gke exec mode: the credential files are not masked line by line', async () => {
    const r = await runAction('setup-cluster-auth', {
      inputs: {
        provider: 'gke',
        'cluster-name': 'prod',
        location: GKE_LOCATION,
        'workload-identity-provider': WIF_PROVIDER,
        'service-account': SERVICE_ACCOUNT,
        'google-api-endpoints': world.endpoints,
        'auth-mode': 'exec',
      },
      env: { PATH: bin, ...world.oidc.env() },
      post: false,
    });
    expect(r.exitCode).toBe(0);
    expect(r.masks).toContain(world.oidc.requestToken);
    expectReadableMasks(r);
  });

  it('gke service-account key: masks the private key (line by line, not its armour) and its id', async () => {
    const r = await runAction('setup-cluster-auth', {
      inputs: {
        provider: 'gke',
        'cluster-name': `projects/${GKE_PROJECT}/locations/${GKE_LOCATION}/clusters/prod`,
        'credentials-json': world.key.json,
        'google-api-endpoints': world.endpoints,
      },
      env: { PATH: bin },
      post: false,
    });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    const key = JSON.parse(world.key.json) as { private_key: string; private_key_id?: string };
    const body = key.private_key.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const line of body) expect(r.masks).toContain(line);
    if (key.private_key_id) expect(r.masks).toContain(key.private_key_id);
    expectReadableMasks(r);
  });
});
