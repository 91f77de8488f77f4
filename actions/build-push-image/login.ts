/**
 * Registry login per registry type: ECR through GetAuthorizationToken, Artifact Registry /
 * GCR through a Google access token (`oauth2accesstoken`), anything else through
 * username/password. Credentials go to a temporary DOCKER_CONFIG (0600, in RUNNER_TEMP,
 * removed by the post step) that buildah reads as its auth file too. The cloud SDKs load
 * only for their registry type, and send through the one HTTP client (shared/http.ts).
 */
import { chmod, copyFile, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { systemClock, type Clock } from '../../shared/clock.ts';
import { createHttpClient, type HttpClient } from '../../shared/http.ts';
import { awsClientTransport } from '../../shared/http-aws.ts';
import { awsDefaultChain } from '../../shared/aws-default-chain.ts';
import type { Logger } from '../../shared/logger.ts';
import { CONFIG_DIR_PREFIX } from './cleanup.ts';
import type { RegistryType } from './inputs.ts';
import type { Credentials } from './registry.ts';

export interface Login extends Credentials {
  /** When the credentials stop working (epoch ms); undefined: they do not expire. */
  expiresAt?: number;
  /** How they were obtained, for the log and summary. */
  via: string;
}

/** Obtains credentials for a registry; injected so tests can use fakes. */
export type LoginProvider = (host: string, signal?: AbortSignal) => Promise<Login>;

/** The HTTP client and clock a cloud login uses (the step's, with its deadline). */
export interface LoginIo {
  http: HttpClient;
  clock: Clock;
  /** Masks a credential minted on the way (an OIDC JWT, an Entra access token). */
  onSecret?: (value: string) => void;
}

/** Standalone use (tests, a caller without a step client): a client of its own. */
function defaultLoginIo(): LoginIo {
  return { http: createHttpClient({ userAgent: USER_AGENT }), clock: systemClock };
}

const USER_AGENT = 'mlops-actions/build-push-image';

/** ECR: GetAuthorizationToken (region from the host); the token decodes to `AWS:<password>`. */
export function ecrLoginWith(io?: LoginIo): LoginProvider {
  return async (host) => {
    const region = /\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(host)?.[1];
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    // The SDK reads AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL itself (VPC endpoints, tests);
    // the one HTTP client carries the call and does the retrying.
    const http = (io ?? defaultLoginIo()).http;
    const client = new ECRClient({
      ...(region ? { region } : {}),
      ...awsClientTransport(http),
      credentials: await awsDefaultChain({ http, ...(region ? { region } : {}) }),
    });
    try {
      const out = await client.send(new GetAuthorizationTokenCommand({}));
      const data = out.authorizationData?.[0];
      if (!data?.authorizationToken) throw new Error('ECR GetAuthorizationToken returned no token');
      const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new Error('ECR returned a token that is not user:password');
      return {
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
        ...(data.expiresAt ? { expiresAt: data.expiresAt.getTime() } : {}),
        via: 'ECR GetAuthorizationToken',
      };
    } catch (error) {
      const e = error as { name?: string; message?: string };
      throw new Error(
        `ECR login for ${host} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)} (are AWS credentials configured, e.g. with aws-actions/configure-aws-credentials, with ecr:GetAuthorizationToken?)`,
        { cause: error },
      );
    } finally {
      client.destroy();
    }
  };
}

export const ecrLogin: LoginProvider = ecrLoginWith();

const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';

/**
 * Artifact Registry / GCR: an access token from Application Default Credentials (as
 * google-github-actions/auth leaves them), by shared/google-token.ts. `tokenUrl` overrides
 * the OAuth token endpoint (tests: a local fake).
 */
export function garLogin(tokenUrl?: string, io?: LoginIo): LoginProvider {
  return async (host) => {
    const { http, clock } = io ?? defaultLoginIo();
    try {
      const { googleAccessToken } = await import('../../shared/google-token.ts');
      const { token, expiresAt } = await googleAccessToken(
        { kind: 'adc' },
        {
          http,
          ...(tokenUrl
            ? { rewriteUrl: (url) => (url.startsWith(GOOGLE_TOKEN_ENDPOINT) ? tokenUrl : url) }
            : {}),
        },
      );
      return {
        username: 'oauth2accesstoken',
        password: token,
        // Google access tokens live an hour unless the library says otherwise.
        expiresAt: expiresAt ?? clock.now() + 3_600_000,
        via: 'Google access token (Application Default Credentials)',
      };
    } catch (error) {
      throw new Error(
        `Artifact Registry login for ${host} failed: ${(error as Error).message} (run google-github-actions/auth first, with roles/artifactregistry.writer)`,
        { cause: error },
      );
    }
  };
}

/**
 * Which provider logs in to a registry type; undefined: no login (use the existing docker
 * config). `io`: the step's HTTP client (its deadline and retries) and clock.
 */
export function loginProviderFor(
  type: RegistryType,
  given: Credentials | undefined,
  googleTokenUrl?: string,
  io?: LoginIo,
): LoginProvider | undefined {
  if (given) return async () => ({ ...given, via: 'username/password' });
  if (type === 'ecr') return io ? ecrLoginWith(io) : ecrLogin;
  if (type === 'gar') return garLogin(googleTokenUrl, io);
  return undefined;
}

/** Whether a login should be renewed before the next use: expired or within `marginMs` of it. */
export function needsRenewal(login: Login, now: number, marginMs = 5 * 60_000): boolean {
  return login.expiresAt !== undefined && now >= login.expiresAt - marginMs;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/** The docker config directory in effect (DOCKER_CONFIG, else ~/.docker). */
export function currentDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || homedir(), '.docker');
}

/** Docker's `auths` key for a host (Docker Hub keeps its historical URL). */
export function authKey(host: string): string {
  return host === 'docker.io' ? 'https://index.docker.io/v1/' : host;
}

/** Credentials for `host` in an existing docker config (a login done before this step). */
export async function existingCredentials(
  dir: string,
  host: string,
): Promise<Credentials | undefined> {
  try {
    const config = JSON.parse(
      await readFile(path.join(dir, 'config.json'), 'utf8'),
    ) as DockerConfig;
    const auth = config.auths?.[authKey(host)]?.auth;
    if (!auth) return undefined;
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0
      ? undefined
      : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/**
 * A fresh docker config directory under `base` holding the user's existing config with this
 * registry's credentials added (and its credential helpers dropped for that host, or they
 * would win); buildx builders and CLI plugins are linked from the original directory, so
 * a builder set up by docker/setup-buildx-action stays in use.
 */
export async function createDockerConfig(base: string, originalDir: string): Promise<string> {
  const dir = await mkdtemp(path.join(base, CONFIG_DIR_PREFIX));
  await chmod(dir, 0o700);
  for (const sub of ['buildx', 'cli-plugins', 'contexts']) {
    const from = path.join(originalDir, sub);
    if (existsSync(from)) await symlink(from, path.join(dir, sub));
  }
  const original = path.join(originalDir, 'config.json');
  if (existsSync(original)) await copyFile(original, path.join(dir, 'config.json'));
  return dir;
}

/** Writes `host`'s credentials into the config (0600). Re-run to renew them. */
export async function writeAuth(dir: string, host: string, creds: Credentials): Promise<void> {
  const file = path.join(dir, 'config.json');
  let config: DockerConfig = {};
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as DockerConfig;
  } catch {
    config = {};
  }
  const key = authKey(host);
  config.auths = {
    ...config.auths,
    [key]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') },
  };
  // A credential store or helper would be asked first and not know these credentials.
  delete config.credsStore;
  if (config.credHelpers) {
    config.credHelpers = Object.fromEntries(
      Object.entries(config.credHelpers).filter(([host]) => host !== key),
    );
  }
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Logs in (through `provider`), masks the secret, writes the config; returns the login. */
export async function login(
  provider: LoginProvider,
  o: { host: string; configDir: string; logger: Logger; clock: Clock; signal?: AbortSignal },
): Promise<Login> {
  const creds = await provider(o.host, o.signal);
  o.logger.secret(creds.password);
  o.logger.secret(Buffer.from(`${creds.username}:${creds.password}`).toString('base64'));
  await writeAuth(o.configDir, o.host, creds);
  const until =
    creds.expiresAt === undefined
      ? ''
      : ` (valid for ${Math.max(0, Math.round((creds.expiresAt - o.clock.now()) / 60_000))} min)`;
  o.logger.info(`Logged in to ${o.host} as ${creds.username} via ${creds.via}${until}`);
  return creds;
}
