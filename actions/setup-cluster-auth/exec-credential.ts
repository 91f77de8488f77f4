import { errorMessage } from '../../shared/errors.ts';
import { createHttpClient } from '../../shared/http.ts';
import type { Clock } from '../../shared/clock.ts';
import type { CredentialConfig } from './credential-config.ts';

export const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
];
const REFRESH_MARGIN_MS = 60_000;

export interface ExecCredentialIo {
  readFile(path: string): Promise<string>;
  writeFile(path: string, text: string): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Cached tokens are compared with this clock (the shared Clock's `now`). */
  clock: Pick<Clock, 'now'>;
}

export interface MintedToken {
  token: string;
  expiresAt?: Date;
}

/** The apiVersion kubectl asked for in KUBERNETES_EXEC_INFO; v1beta1 when absent or unknown. */
export function requestedApiVersion(env: NodeJS.ProcessEnv): string {
  try {
    const info = JSON.parse(env.KUBERNETES_EXEC_INFO ?? '') as { apiVersion?: unknown };
    if (typeof info.apiVersion === 'string' && EXEC_API_VERSIONS.includes(info.apiVersion))
      return info.apiVersion;
  } catch {
    // absent or malformed: the default below
  }
  return 'client.authentication.k8s.io/v1beta1';
}

export function execCredential(apiVersion: string, t: MintedToken): string {
  const status: Record<string, string> = { token: t.token };
  if (t.expiresAt) status.expirationTimestamp = t.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${JSON.stringify({ kind: 'ExecCredential', apiVersion, spec: {}, status })}\n`;
}

export async function mintToken(
  config: CredentialConfig,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<MintedToken> {
  if (config.provider === 'gke') {
    const { googleAccessToken } = await import('./google-auth.ts');
    const t = await googleAccessToken(
      config.source,
      config.endpoints,
      config.userAgent,
      config.project,
    );
    return { token: t.token, ...(t.expiresAt ? { expiresAt: new Date(t.expiresAt) } : {}) };
  }
  if (config.provider === 'aks') {
    const { azureAccessToken } = await import('../../shared/azure-token.ts');
    const t = await azureAccessToken(config.credentials, config.scope, {
      http: createHttpClient({ userAgent: config.userAgent, timeoutMs: 20_000 }),
      authorityHost: config.authorityHost,
    });
    return { token: t.token, expiresAt: new Date(t.expiresAt) };
  }
  const [{ awsCredentials }, { eksToken }] = await Promise.all([
    import('./aws-credentials.ts'),
    import('./eks-token.ts'),
  ]);
  const stsEndpoint = config.stsEndpoint ?? (env.AWS_ENDPOINT_URL_STS || undefined);
  const credentials = await awsCredentials(config.credentials, {
    region: config.region,
    http: createHttpClient({ userAgent: config.userAgent, timeoutMs: 20_000 }),
    ...(stsEndpoint ? { stsEndpoint } : {}),
  });
  return eksToken({ cluster: config.cluster, region: config.region, credentials, now });
}

async function cached(path: string, io: ExecCredentialIo): Promise<MintedToken | undefined> {
  try {
    const c = JSON.parse(await io.readFile(path)) as { token?: unknown; expiresAt?: unknown };
    if (typeof c.token !== 'string' || typeof c.expiresAt !== 'string') return undefined;
    const expiresAt = new Date(c.expiresAt);
    return expiresAt.getTime() - io.clock.now() > REFRESH_MARGIN_MS
      ? { token: c.token, expiresAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the exit code; prints the ExecCredential, or one line on stderr. */
export async function execCredentialMain(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: ExecCredentialIo,
): Promise<number> {
  const configPath = args[0];
  if (!configPath) {
    io.stderr('usage: exec-credential <config.json> (written by setup-cluster-auth)\n');
    return 2;
  }
  try {
    const config = JSON.parse(await io.readFile(configPath)) as CredentialConfig;
    const cachePath = `${configPath}.cache`;
    let token = await cached(cachePath, io);
    if (!token) {
      token = await mintToken(config, env, new Date(io.clock.now()));
      if (token.expiresAt) {
        await io.writeFile(
          cachePath,
          JSON.stringify({ token: token.token, expiresAt: token.expiresAt.toISOString() }),
        );
      }
    }
    io.stdout(execCredential(requestedApiVersion(env), token));
    return 0;
  } catch (error) {
    io.stderr(`setup-cluster-auth credential command: ${errorMessage(error)}\n`);
    return 1;
  }
}
