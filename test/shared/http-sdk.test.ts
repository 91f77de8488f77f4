/**
 * Every SDK sends through the one HTTP client (shared/http.ts): Octokit by `request.fetch`
 * (shared/github.ts), the AWS SDK by `requestHandler` (shared/http-aws.ts), gaxios by its
 * adapter (shared/google-token.ts). Proven by what only shared/http.ts does: it retries a 503
 * after the Retry-After it names, on the injected clock (a ManualClock records the wait), and
 * waits for none past its deadline. The SDKs' own retries are off: a retry the SDK made
 * would not be on the ManualClock, and a 4xx reaches the SDK once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as http from 'node:http';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { createHttpClient, type HttpClient } from '../../shared/http.ts';
import { awsClientTransport } from '../../shared/http-aws.ts';
import { awsDefaultChain } from '../../shared/aws-default-chain.ts';
import { createGitHubClient } from '../../shared/github.ts';
import { googleAccessToken } from '../../shared/google-token.ts';
import {
  startFake,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
} from '../harness/fakes/http-fake.ts';
import { OWNER, REPO, startGitHubApi, type GitHubFake } from '../harness/fakes/github-api.ts';
import { AwsKeyStore } from '../harness/fakes/aws-sigv4.ts';
import { startAwsEcr, type EcrFake } from '../harness/fakes/aws-ecr.ts';
import {
  makeServiceAccountKey,
  startGoogleOAuth2,
  type OAuth2Fake,
} from '../harness/fakes/google-oauth2.ts';
import { ManualClock } from '../harness/doubles.ts';
import { startGitHubOidc, type GitHubOidcFake } from '../harness/fakes/github-oidc.ts';
import { startAwsSts, type AwsStsFake } from '../harness/fakes/aws-sts.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { azureAccessToken } from '../../shared/azure-token.ts';
import { startEntra, type EntraFake } from '../harness/fakes/azure-entra.ts';

/** Forwards a request unchanged (Host too: SigV4 signs it) to a contract fake. */
function forward(target: string, req: FakeRequest): Promise<FakeResponse> {
  return new Promise((resolve, reject) => {
    const out = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers });
    out.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: { 'content-type': res.headers['content-type'] ?? 'application/json' },
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    out.on('error', reject);
    out.end(req.body);
  });
}

/**
 * A contract fake behind a front that first answers with `faults` (as the service's edge does
 * when overloaded), then passes requests through.
 */
async function behindFaults(
  target: FakeServer,
  faults: FakeResponse[],
): Promise<FakeServer & { faults: FakeResponse[] }> {
  const queue = faults;
  const front = await startFake('faulty-front', (req) => {
    const fault = queue.shift();
    return fault ?? forward(target.url, req);
  });
  return Object.assign(front, { faults: queue });
}

const unavailable = (retryAfterSeconds: number, body: object): FakeResponse => ({
  status: 503,
  headers: { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) },
  body,
});

function client(clock: ManualClock, deadlineInMs?: number): HttpClient {
  const deadline = deadlineInMs === undefined ? undefined : clock.now() + deadlineInMs;
  return createHttpClient({
    userAgent: 'mlops-actions/test',
    clock,
    random: () => 0.5,
    ...(deadline === undefined ? {} : { deadline: () => deadline }),
  });
}

describe('Octokit through shared/http (shared/github.ts)', () => {
  let github: GitHubFake;
  beforeAll(async () => {
    github = await startGitHubApi();
  });
  afterAll(() => github.stop());

  it('a 503 with Retry-After is retried by shared/http after that wait; the call succeeds', async () => {
    const clock = new ManualClock(Date.now());
    github.faults.push({ times: 1, response: () => unavailable(2, { message: 'Unavailable' }) });
    const before = github.requests.length;
    const octokit = await createGitHubClient({
      token: github.token,
      baseUrl: github.apiUrl,
      http: client(clock),
      userAgent: 'mlops-actions/test',
    });
    const { data } = await octokit.rest.issues.listComments({
      owner: OWNER,
      repo: REPO,
      issue_number: 7,
    });
    expect(data).toEqual([]);
    expect(github.requests.length - before).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
    // The token went as a Bearer header, never into the URL.
    const last = github.requests[github.requests.length - 1]!;
    expect(last.headers.authorization).toBe(`Bearer ${github.token}`);
    expect(last.url).not.toContain(github.token);
  });

  it('a Retry-After past the deadline is not waited for: one request, the 503 is the answer', async () => {
    const clock = new ManualClock(Date.now());
    github.faults.push({ times: 5, response: () => unavailable(60, { message: 'Unavailable' }) });
    const before = github.requests.length;
    const octokit = await createGitHubClient({
      token: github.token,
      baseUrl: github.apiUrl,
      http: client(clock, 5_000),
      userAgent: 'mlops-actions/test',
    });
    const error = await octokit.rest.issues
      .listComments({ owner: OWNER, repo: REPO, issue_number: 7 })
      .catch((e: unknown) => e as { status?: number });
    github.faults.length = 0;
    expect(error).toMatchObject({ status: 503 });
    expect(github.requests.length - before).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('AWS SDK through shared/http (awsClientTransport)', () => {
  const keys = new AwsKeyStore('111122223333');
  const user = keys.addUser('ci');
  let ecr: EcrFake;
  beforeAll(async () => {
    ecr = await startAwsEcr({
      keys,
      account: '111122223333',
      region: 'eu-central-1',
      mint: () => 'ecr-password',
    });
  });
  afterAll(() => ecr.stop());

  const ecrClient = (endpoint: string, httpClient: HttpClient): ECRClient =>
    new ECRClient({
      region: 'eu-central-1',
      endpoint,
      credentials: { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey },
      ...awsClientTransport(httpClient),
    });
  const throttled = { __type: 'ServiceUnavailableException', message: 'Service Unavailable' };

  it('GetAuthorizationToken: a 503 is retried by shared/http (on its clock), the SDK retries nothing', async () => {
    const front = await behindFaults(ecr, [unavailable(1, throttled)]);
    const clock = new ManualClock(Date.now());
    const sdk = ecrClient(front.url, client(clock));
    try {
      const out = await sdk.send(new GetAuthorizationTokenCommand({}));
      const token = out.authorizationData?.[0]?.authorizationToken ?? '';
      expect(Buffer.from(token, 'base64').toString('utf8')).toBe('AWS:ecr-password');
      expect(front.requests).toHaveLength(2);
      expect(ecr.requests.length).toBeGreaterThanOrEqual(1);
      expect(clock.sleeps).toEqual([1000]);
    } finally {
      sdk.destroy();
      await front.stop();
    }
  });

  it('a Retry-After past the deadline: one request, the SDK reports the service error', async () => {
    const front = await behindFaults(ecr, [unavailable(60, throttled), unavailable(60, throttled)]);
    const clock = new ManualClock(Date.now());
    const sdk = ecrClient(front.url, client(clock, 5_000));
    try {
      const error = await sdk
        .send(new GetAuthorizationTokenCommand({}))
        .catch((e: unknown) => e as { name?: string; $metadata?: { httpStatusCode?: number } });
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 503 } });
      expect(front.requests).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    } finally {
      sdk.destroy();
      await front.stop();
    }
  });

  it('a 4xx answer reaches the SDK once (no SDK retry), as its modelled error', async () => {
    const clock = new ManualClock(Date.now());
    const before = ecr.requests.length;
    const sdk = new ECRClient({
      region: 'eu-central-1',
      endpoint: ecr.url,
      credentials: { accessKeyId: user.accessKeyId, secretAccessKey: 'not-the-secret-0123456789' },
      ...awsClientTransport(client(clock)),
    });
    try {
      const error = (await sdk.send(new GetAuthorizationTokenCommand({})).then(
        () => ({}),
        (e: unknown) => e,
      )) as { $metadata?: { httpStatusCode?: number }; message?: string };
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 403 } });
      expect(error.message).not.toContain('not-the-secret-0123456789');
      expect(ecr.requests.length - before).toBe(1);
      expect(clock.sleeps).toEqual([]);
    } finally {
      sdk.destroy();
    }
  });
});

describe('the AWS default credential chain through shared/http (shared/aws-default-chain.ts)', () => {
  const keys = new AwsKeyStore('111122223333');
  const role = 'arn:aws:iam::111122223333:role/deployer';
  let oidc: GitHubOidcFake;
  let sts: AwsStsFake;
  let dir: string;
  beforeAll(async () => {
    oidc = await startGitHubOidc();
    sts = await startAwsSts({ keys, oidc, roles: [role] });
    dir = mkdtempSync(path.join(tmpdir(), 'aws-chain-'));
    const res = await fetch(`${oidc.requestUrl}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${oidc.requestToken}` },
    });
    writeFileSync(path.join(dir, 'token'), ((await res.json()) as { value: string }).value);
  });
  afterAll(async () => {
    await Promise.all([oidc.stop(), sts.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a web identity token file: its STS call is retried by shared/http (on its clock), the SDK retries nothing', async () => {
    const front = await behindFaults(sts, [unavailable(2, { message: 'Service Unavailable' })]);
    const clock = new ManualClock(Date.now());
    try {
      const chain = await awsDefaultChain({
        http: client(clock),
        region: 'eu-west-1',
        stsEndpoint: front.url,
        init: {
          webIdentityTokenFile: path.join(dir, 'token'),
          roleArn: role,
          roleSessionName: 'chain-test',
          // No profile files of this machine's user: the chain reaches the token file.
          filepath: path.join(dir, 'credentials'),
          configFilepath: path.join(dir, 'config'),
        },
      });
      const credentials = await chain();
      expect(credentials.sessionToken).toBeTruthy();
      expect(sts.assumed.at(-1)).toMatchObject({ roleArn: role, sessionName: 'chain-test' });
      expect(front.requests).toHaveLength(2);
      expect(clock.sleeps).toEqual([2000]);
    } finally {
      await front.stop();
    }
  });
});

describe('gaxios through shared/http (shared/google-token.ts)', () => {
  const sa = makeServiceAccountKey('pusher@proj.iam.gserviceaccount.com', 'proj');
  let google: OAuth2Fake;
  beforeAll(async () => {
    google = await startGoogleOAuth2({ keys: [sa], mint: () => 'ya29.token-through-shared-http' });
  });
  afterAll(() => google.stop());

  const tokenAt =
    (base: string) =>
    (url: string): string =>
      url.startsWith('https://oauth2.googleapis.com/token') ? `${base}/token` : url;
  const unavailableGoogle = (seconds: number): FakeResponse =>
    unavailable(seconds, { error: 'unavailable', error_description: 'Service Unavailable' });

  it('a token grant answered 503 is retried by shared/http (on its clock); gaxios retries nothing', async () => {
    const front = await behindFaults(google, [unavailableGoogle(3)]);
    const clock = new ManualClock(Date.now());
    try {
      const t = await googleAccessToken(
        { kind: 'key', json: sa.json },
        { http: client(clock), rewriteUrl: tokenAt(front.url) },
      );
      expect(t.token).toBe('ya29.token-through-shared-http');
      expect(front.requests).toHaveLength(2);
      expect(front.requests[1]!.path).toBe('/token');
      expect(clock.sleeps).toEqual([3000]);
    } finally {
      await front.stop();
    }
  });

  it('a Retry-After past the deadline: one request, the grant fails', async () => {
    const front = await behindFaults(google, [unavailableGoogle(60), unavailableGoogle(60)]);
    const clock = new ManualClock(Date.now());
    try {
      await expect(
        googleAccessToken(
          { kind: 'key', json: sa.json },
          { http: client(clock, 5_000), rewriteUrl: tokenAt(front.url) },
        ),
      ).rejects.toThrow(/503|unavailable/i);
      expect(front.requests).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    } finally {
      await front.stop();
    }
  });
});

describe('@azure/identity through shared/http (shared/http-azure.ts)', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const CLIENT = '77777777-2222-3333-4444-555555555555';
  let oidc: GitHubOidcFake;
  let entra: EntraFake;
  let agent: Agent;
  beforeAll(async () => {
    oidc = await startGitHubOidc();
    entra = await startEntra({
      tenants: [TENANT],
      oidc,
      apps: [{ clientId: CLIENT, secret: 'the-secret-value-0123' }],
    });
    agent = new Agent({ ca: [...rootCertificates, readFileSync(entra.caFile, 'utf8')] });
  });
  afterAll(async () => {
    agent.destroy();
    await Promise.all([oidc.stop(), entra.stop()]);
  });

  /** The step's client (on the ManualClock), trusting the fake's CA as runners trust Entra's. */
  const azureClient = (clock: ManualClock, deadlineInMs?: number): HttpClient => {
    const deadline = deadlineInMs === undefined ? undefined : clock.now() + deadlineInMs;
    return createHttpClient({
      clock,
      random: () => 0.5,
      agent: () => agent,
      ...(deadline === undefined ? {} : { deadline: () => deadline }),
    });
  };
  const grants = (): number => entra.requests.filter((r) => r.method === 'POST').length;
  const source = (secret = 'the-secret-value-0123') =>
    ({ kind: 'secret', tenantId: TENANT, clientId: CLIENT, secret }) as const;

  it('a token grant answered 503 is retried by shared/http (on its clock); MSAL retries nothing', async () => {
    const clock = new ManualClock(Date.now());
    entra.faults.push(unavailable(3, { error: 'temporarily_unavailable' }));
    const before = grants();
    const t = await azureAccessToken(source(), 'https://management.azure.com/.default', {
      http: azureClient(clock),
      authorityHost: entra.url,
    });
    expect(entra.issued.get(t.token)).toMatchObject({ via: 'client_secret' });
    expect(grants() - before).toBe(2);
    expect(clock.sleeps).toEqual([3000]);
  });

  it("a 401 AADSTS answer reaches MSAL once and becomes the step's message", async () => {
    const clock = new ManualClock(Date.now());
    const before = grants();
    const error = await azureAccessToken(source('wrong'), 'https://management.azure.com/.default', {
      http: azureClient(clock),
      authorityHost: entra.url,
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/AADSTS7000215: Invalid client secret provided/);
    expect((error as Error).message).not.toContain('Trace ID');
    expect(grants() - before).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('which SDK requests may be repeated after a 5xx', () => {
  it('GitHub: all but POST, and POST /graphql (queries, minimizeComment)', async () => {
    const { githubIdempotent } = await import('../../shared/github.ts');
    const api = 'https://api.github.com';
    expect(githubIdempotent('PATCH', `${api}/repos/o/r/issues/comments/1`)).toBe(true);
    expect(githubIdempotent('DELETE', `${api}/repos/o/r/issues/comments/1`)).toBe(true);
    expect(githubIdempotent('POST', `${api}/graphql`)).toBe(true);
    expect(githubIdempotent('POST', `https://ghe.example.com/api/graphql`)).toBe(true);
    expect(githubIdempotent('POST', `${api}/repos/o/r/issues/1/comments`)).toBe(false);
    expect(githubIdempotent('POST', `${api}/repos/o/r/pulls`)).toBe(false);
  });
});
