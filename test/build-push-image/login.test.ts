import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readContractJson } from '../harness/contracts.ts';
import { AwsKeyStore } from '../harness/fakes/aws-sigv4.ts';
import { startAwsEcr, type EcrFake } from '../harness/fakes/aws-ecr.ts';
import {
  makeServiceAccountKey,
  startGoogleOAuth2,
  type OAuth2Fake,
} from '../harness/fakes/google-oauth2.ts';
import { registryRequest, startRegistry, type Registry } from '../harness/registry.ts';
import {
  createDockerConfig,
  ecrLogin,
  existingCredentials,
  garLogin,
  login,
  loginProviderFor,
  needsRenewal,
  writeAuth,
} from '../../actions/build-push-image/login.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const ECR_HOST = '111122223333.dkr.ecr.eu-central-1.amazonaws.com';
const keys = new AwsKeyStore('111122223333');
const user = keys.addUser('ci');
const dirs: string[] = [];
const tmp = (name: string): string => {
  const d = mkdtempSync(path.join(tmpdir(), `bpi-${name}-`));
  dirs.push(d);
  return d;
};
const savedEnv = { ...process.env };
let ecr: EcrFake;
let google: OAuth2Fake;
let gar: Registry;
const GAR_TOKEN = 'ya29.fake-access-token-for-registry';
const sa = makeServiceAccountKey('pusher@proj.iam.gserviceaccount.com', 'proj');

beforeAll(async () => {
  let n = 0;
  ecr = await startAwsEcr({
    keys,
    account: '111122223333',
    region: 'eu-central-1',
    mint: () => `ecr-password-${++n}`,
  });
  google = await startGoogleOAuth2({ keys: [sa], mint: () => GAR_TOKEN });
  gar = await startRegistry({ htpasswd: { user: 'oauth2accesstoken', password: GAR_TOKEN } });
});
afterAll(async () => {
  for (const key of Object.keys(process.env))
    if (!(key in savedEnv)) Reflect.deleteProperty(process.env, key);
  Object.assign(process.env, savedEnv);
  await Promise.all([ecr.stop(), google.stop(), gar.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function useAws(): void {
  process.env.AWS_ACCESS_KEY_ID = user.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = user.secretAccessKey;
  process.env.AWS_ENDPOINT_URL_ECR = ecr.url;
  delete process.env.AWS_PROFILE;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

function authOf(dir: string, host: string): string {
  const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
    auths: Record<string, { auth: string }>;
  };
  return Buffer.from(config.auths[host]!.auth, 'base64').toString('utf8');
}

describe('ECR login (GetAuthorizationToken through the SDK, endpoint from AWS_ENDPOINT_URL_ECR)', () => {
  it('writes AWS:<password> for the registry host, 0600, masked, with the expiry', async () => {
    useAws();
    const dir = tmp('ecr');
    const logger = new RecordingLogger();
    const clock = new ManualClock(Date.now());
    const result = await login(ecrLogin, { host: ECR_HOST, configDir: dir, logger, clock });
    expect(result.username).toBe('AWS');
    expect(result.password).toBe(ecr.issued.at(-1));
    expect(authOf(dir, ECR_HOST)).toBe(`AWS:${ecr.issued.at(-1)}`);
    expect(statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(logger.secrets).toContain(result.password);
    expect(logger.text()).not.toContain(result.password);
    expect(result.expiresAt! - Date.now()).toBeGreaterThan(11 * 3600_000);
    // The request as the model describes it: signed, JSON 1.1, the operation in X-Amz-Target.
    const req = ecr.requests.at(-1)!;
    expect(req.headers['x-amz-target']).toBe(
      'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
    );
    expect(req.headers.authorization).toContain('/eu-central-1/ecr/aws4_request');
    expect(ecr.errors).toEqual([]);
  });

  it("the fake answers with the model's member names", () => {
    const model = readContractJson<{
      shapes: Record<string, { members?: Record<string, unknown> }>;
    }>('ecr-oci', 'ecr-get-authorization-token.json');
    expect(Object.keys(model.shapes.GetAuthorizationTokenResponse!.members!)).toEqual([
      'authorizationData',
    ]);
    expect(Object.keys(model.shapes.AuthorizationData!.members!).sort()).toEqual([
      'authorizationToken',
      'expiresAt',
      'proxyEndpoint',
    ]);
  });

  it('bad AWS credentials: a message naming ECR and what to check, no secret', async () => {
    useAws();
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret-0123456789';
    const error = await ecrLogin(ECR_HOST).catch((e: unknown) => e as Error);
    expect((error as Error).message).toContain(`ECR login for ${ECR_HOST} failed`);
    expect((error as Error).message).toContain('ecr:GetAuthorizationToken');
    expect((error as Error).message).not.toContain('not-the-secret-0123456789');
  });
});

describe('Artifact Registry login (Google access token as oauth2accesstoken)', () => {
  it('writes oauth2accesstoken:<token>, which the registry accepts', async () => {
    const keyFile = path.join(tmp('gkey'), 'key.json');
    writeFileSync(keyFile, sa.json);
    process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    const dir = tmp('gar');
    const logger = new RecordingLogger();
    const result = await login(garLogin(`${google.url}/token`), {
      host: gar.host,
      configDir: dir,
      logger,
      clock: new ManualClock(Date.now()),
    });
    expect(result.username).toBe('oauth2accesstoken');
    expect(authOf(dir, gar.host)).toBe(`oauth2accesstoken:${GAR_TOKEN}`);
    expect(logger.secrets).toContain(GAR_TOKEN);
    expect(result.expiresAt).toBeGreaterThan(Date.now());
    // The real registry (htpasswd) takes exactly these credentials.
    const creds = await existingCredentials(dir, gar.host);
    expect(
      (
        await registryRequest(`${gar.url}/v2/`, {
          auth: { user: creds!.username, password: creds!.password },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await registryRequest(`${gar.url}/v2/`, {
          auth: { user: 'oauth2accesstoken', password: 'stale' },
        })
      ).status,
    ).toBe(401);
  });
});

describe('docker config', () => {
  it('copies the existing config, links buildx builders, drops credential helpers for the host', async () => {
    const original = tmp('orig');
    mkdirSync(path.join(original, 'buildx'));
    writeFileSync(
      path.join(original, 'config.json'),
      JSON.stringify({
        auths: { 'other.example.com': { auth: Buffer.from('o:p').toString('base64') } },
        credsStore: 'desktop',
        credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' },
      }),
    );
    const dir = await createDockerConfig(tmp('base'), original);
    expect(path.basename(dir)).toMatch(/^build-push-image-/);
    expect(lstatSync(path.join(dir, 'buildx')).isSymbolicLink()).toBe(true);
    await writeAuth(dir, 'ghcr.io', { username: 'u', password: 'p' });
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toEqual({
      auths: {
        'other.example.com': { auth: Buffer.from('o:p').toString('base64') },
        'ghcr.io': { auth: Buffer.from('u:p').toString('base64') },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
    });
    // The original is untouched.
    expect(readFileSync(path.join(original, 'config.json'), 'utf8')).toContain('desktop');
    expect(await existingCredentials(original, 'other.example.com')).toEqual({
      username: 'o',
      password: 'p',
    });
    expect(await existingCredentials(original, 'ghcr.io')).toBeUndefined();
    expect(existsSync(path.join(tmp('none'), 'config.json'))).toBe(false);
  });

  it.each([
    ['no expiry', undefined, 0, false],
    ['fresh', 3_600_000, 0, false],
    ['within the 5 min margin', 3_600_000, 56 * 60_000, true],
    ['expired', 3_600_000, 2 * 3_600_000, true],
  ])('needsRenewal: %s', (_n, lifetime, elapsed, expected) => {
    const login = {
      username: 'u',
      password: 'p',
      via: 'x',
      ...(lifetime !== undefined ? { expiresAt: lifetime } : {}),
    };
    expect(needsRenewal(login, elapsed)).toBe(expected);
  });

  it('login provider per registry type', () => {
    expect(loginProviderFor('ghcr', undefined)).toBeUndefined();
    expect(loginProviderFor('generic', undefined)).toBeUndefined();
    expect(loginProviderFor('ecr', undefined)).toBe(ecrLogin);
    expect(loginProviderFor('gar', undefined)).toBeDefined();
    expect(loginProviderFor('ecr', { username: 'u', password: 'p' })).not.toBe(ecrLogin);
  });
});
