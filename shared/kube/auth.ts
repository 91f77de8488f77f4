/**
 * From a kubeconfig to what each request needs: the server, an https agent carrying the
 * cluster's trust and the client certificate, and the auth headers. Static credentials
 * (token, token file, client certificate, basic auth) are read once; exec credential plugins
 * (what `gcloud container clusters get-credentials`, `aws eks update-kubeconfig` and
 * setup-cluster-auth's exec mode write) run through @kubernetes/client-node's own small
 * ExecAuth module, loaded only then — not the whole library. `proxy-url` (http/https) is a
 * CONNECT tunnel. Every credential is masked before anything can print it.
 */
import * as https from 'node:https';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { errorMessage, InputError } from '../errors.ts';
import { TunnelAgent } from '../proxy.ts';
import type { Logger } from '../logger.ts';
import {
  kubeconfigSecrets,
  parseKubeconfig,
  selectContext,
  type ExecConfig,
  type KubeCluster,
  type KubeUser,
} from './kubeconfig.ts';

export interface ClusterConnection {
  /** The API server URL, without a trailing slash. */
  server: string;
  /** The context's namespace, if it sets one. */
  namespace: string | undefined;
  /** The kubeconfig user's name (for messages). */
  user: string;
  /** For https servers: trust, client certificate, keep-alive, proxy (asked per request). */
  agent(): https.Agent | undefined;
  /** Headers for one request (an exec plugin's token is refreshed when it expires). */
  authHeaders(): Promise<Record<string, string>>;
  /** Which kind of credential is used, for messages: token, client certificate, exec plugin… */
  credential: string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The parts of a kubeconfig one context uses. */
interface SelectedContext {
  server: string;
  namespace: string | undefined;
  userName: string;
  cluster: KubeCluster;
  user: KubeUser;
  /** The kubeconfig's directory: relative file paths in it are relative to this. */
  dir: string;
}

/** Reads and validates the kubeconfig, masks every credential in it, and picks `context`. */
async function loadContext(
  kubeconfigPath: string,
  context: string | undefined,
  logger: Logger,
): Promise<SelectedContext> {
  let text: string;
  try {
    text = await readFile(kubeconfigPath, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read the kubeconfig ${kubeconfigPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const parsed = parseKubeconfig(text, `the kubeconfig ${kubeconfigPath}`);
  for (const secret of kubeconfigSecrets(parsed)) logger.secret(secret);
  const selected = selectContext(parsed, context);
  const ctx = selected.config.contexts.find((c) => c.name === selected.context)?.context;
  const userName = ctx?.user ?? '';
  return {
    server: selected.server.replace(/\/+$/, ''),
    namespace: str(ctx?.namespace),
    userName,
    cluster: selected.config.clusters.find((c) => c.name === ctx?.cluster)?.cluster as KubeCluster,
    user: selected.config.users.find((u) => u.name === userName)?.user ?? {},
    dir: path.dirname(kubeconfigPath),
  };
}

/** `<key>-data` (base64) or the file `<key>` (relative to the kubeconfig), if either is set. */
async function fileOrData(
  dir: string,
  from: Record<string, unknown>,
  key: string,
): Promise<Buffer | undefined> {
  const data = str(from[`${key}-data`]);
  if (data) return Buffer.from(data, 'base64');
  const file = str(from[key]);
  if (!file) return undefined;
  try {
    return await readFile(path.resolve(dir, file));
  } catch (error) {
    throw new InputError(
      `the kubeconfig's ${key} file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
    );
  }
}

/** The https agents for the cluster: its trust, the client certificate, the proxy tunnel. */
async function agentsFor(selected: SelectedContext): Promise<{
  makeAgent: (extra?: https.AgentOptions) => https.Agent;
  staticAgent: https.Agent | undefined;
  hasCertificate: boolean;
}> {
  const { cluster, user, dir, server } = selected;
  const ca = await fileOrData(dir, cluster, 'certificate-authority');
  const cert = await fileOrData(dir, user, 'client-certificate');
  const key = await fileOrData(dir, user, 'client-key');
  const tlsOptions: https.AgentOptions = {
    keepAlive: true,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { rejectUnauthorized: false } : {}),
    ...(str(cluster['tls-server-name']) ? { servername: str(cluster['tls-server-name']) } : {}),
  };
  const proxy = str(cluster['proxy-url']);
  const makeAgent = (extra: https.AgentOptions = {}): https.Agent =>
    proxy
      ? new TunnelAgent(proxyUrl(proxy), { ...tlsOptions, ...extra })
      : new https.Agent({ ...tlsOptions, ...extra });
  if (proxy && !server.startsWith('https:')) {
    throw new InputError(
      `the kubeconfig's proxy-url is supported for https API servers only (server ${server})`,
    );
  }
  const staticAgent = server.startsWith('https:') ? makeAgent() : undefined;
  return { makeAgent, staticAgent, hasCertificate: cert !== undefined };
}

type Credentials = Pick<ClusterConnection, 'authHeaders' | 'credential'>;

/** An auth-provider user: only OIDC survives in kubectl, its id-token a bearer token. */
function providerCredentials(
  provider: { name?: string; config?: Record<string, unknown> },
  userName: string,
  logger: Logger,
): Credentials {
  // gcp and azure were removed from kubectl in 1.26.
  const idToken = provider.name === 'oidc' ? str(provider.config?.['id-token']) : undefined;
  if (!idToken) {
    throw new InputError(
      `the kubeconfig's user '${userName}' uses the auth-provider '${provider.name ?? '?'}', which kubectl no longer supports; use an exec credential plugin (setup-cluster-auth writes one, as do 'gcloud container clusters get-credentials' and 'aws eks update-kubeconfig')`,
    );
  }
  logger.secret(idToken);
  return {
    authHeaders: async () => ({ authorization: `Bearer ${idToken}` }),
    credential: 'OIDC id-token',
  };
}

/** A token, token file or basic auth (or only the client certificate), read once. */
async function staticCredentials(
  selected: SelectedContext,
  hasCertificate: boolean,
  logger: Logger,
): Promise<Credentials> {
  const { user, dir } = selected;
  const headers: Record<string, string> = {};
  let credential = hasCertificate ? 'client certificate' : 'none';
  let token = str(user.token);
  const tokenFile = str(user.tokenFile);
  if (!token && tokenFile) {
    try {
      token = (await readFile(path.resolve(dir, tokenFile), 'utf8')).trim();
    } catch (error) {
      throw new InputError(
        `the kubeconfig's tokenFile ${tokenFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
      );
    }
    logger.secret(token);
  }
  if (token) {
    headers.authorization = `Bearer ${token}`;
    credential = 'bearer token';
  } else if (str(user.username) && str(user.password)) {
    headers.authorization = `Basic ${Buffer.from(`${str(user.username)}:${str(user.password)}`).toString('base64')}`;
    logger.secret(headers.authorization.slice('Basic '.length));
    credential = 'basic auth';
  }
  return { authHeaders: async () => headers, credential };
}

/** Loads the kubeconfig at `kubeconfigPath`, masks its credentials, and resolves `context`. */
export async function connectToCluster(
  kubeconfigPath: string,
  context: string | undefined,
  logger: Logger,
): Promise<ClusterConnection> {
  const selected = await loadContext(kubeconfigPath, context, logger);
  const { server, userName, user, cluster, dir } = selected;
  const { makeAgent, staticAgent, hasCertificate } = await agentsFor(selected);
  const base = {
    server,
    namespace: selected.namespace,
    user: userName,
    agent: () => staticAgent,
  };
  if (user.exec) {
    const exec = await execCredentials(
      user.exec,
      userName,
      server,
      cluster,
      dir,
      logger,
      makeAgent,
    );
    return { ...base, ...exec, agent: () => exec.certificateAgent() ?? staticAgent };
  }
  const provider = user['auth-provider'] as
    { name?: string; config?: Record<string, unknown> } | undefined;
  if (provider) return { ...base, ...providerCredentials(provider, userName, logger) };
  return { ...base, ...(await staticCredentials(selected, hasCertificate, logger)) };
}

/**
 * An exec credential plugin through ExecAuth (which caches the credential until it expires).
 * kubectl's rules that ExecAuth leaves out are applied here: a relative command path is
 * relative to the kubeconfig, and `provideClusterInfo` passes KUBERNETES_EXEC_INFO.
 */
async function execCredentials(
  exec: ExecConfig,
  userName: string,
  server: string,
  cluster: KubeCluster,
  dir: string,
  logger: Logger,
  makeAgent: (extra: https.AgentOptions) => https.Agent,
): Promise<
  Pick<ClusterConnection, 'authHeaders' | 'credential'> & {
    certificateAgent(): https.Agent | undefined;
  }
> {
  const { ExecAuth } = await import('@kubernetes/client-node/dist/exec_auth.js');
  const execAuth = new ExecAuth();
  const command =
    exec.command.includes('/') && !path.isAbsolute(exec.command)
      ? path.resolve(dir, exec.command)
      : exec.command;
  const env = execEnv(exec, server, cluster);
  // ExecAuth passes `env` only when present; an empty list would be the same as none.
  const execUser = {
    name: userName,
    exec: { ...exec, command, ...(env.length > 0 ? { env } : {}) },
  } as unknown as Parameters<typeof execAuth.applyAuthentication>[0];
  let agent: https.Agent | undefined;
  let agentCert = '';
  let agentKey = '';
  let maskedAuth = '';
  const fetchHeaders = async (): Promise<Record<string, string>> => {
    const opts: https.RequestOptions & { headers?: Record<string, string> } = {};
    try {
      await execAuth.applyAuthentication(execUser, opts);
    } catch (error) {
      const detail = errorMessage(error).trim().split('\n').slice(-5).join(' | ');
      throw new InputError(
        `the kubeconfig's exec credential command '${exec.command}' failed: ${detail || 'no output'}${exec.installHint ? ` (${exec.installHint})` : ''}`,
      );
    }
    const header = opts.headers?.Authorization;
    const auth = typeof header === 'string' ? header : undefined;
    // Masked when it changes, not on every request (each mask is a line in the log).
    if (auth && auth !== maskedAuth) logger.secret(auth.slice('Bearer '.length));
    if (auth) maskedAuth = auth;
    if (typeof opts.cert === 'string' && typeof opts.key === 'string') {
      // A plugin that returns a client certificate: the agent must present it.
      if (opts.cert !== agentCert || opts.key !== agentKey) {
        logger.secret(opts.key);
        agentCert = opts.cert;
        agentKey = opts.key;
        agent = makeAgent({ cert: opts.cert, key: opts.key });
      }
    }
    return auth ? { authorization: auth } : {};
  };
  // ExecAuth caches a credential only once the plugin has answered: requests that start
  // together share one run instead of each starting the plugin.
  let pending: Promise<Record<string, string>> | undefined;
  return {
    credential: `exec plugin ${path.basename(command)}`,
    authHeaders(): Promise<Record<string, string>> {
      pending ??= fetchHeaders().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    certificateAgent: () => agent,
  };
}

/** The plugin's env; with `provideClusterInfo`, KUBERNETES_EXEC_INFO as kubectl passes it. */
function execEnv(
  exec: ExecConfig,
  server: string,
  cluster: KubeCluster,
): { name: string; value: string }[] {
  const env = [...(exec.env ?? [])];
  if (!exec.provideClusterInfo) return env;
  env.push({
    name: 'KUBERNETES_EXEC_INFO',
    value: JSON.stringify({
      apiVersion: exec.apiVersion,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: {
          server,
          ...(str(cluster['certificate-authority-data'])
            ? { 'certificate-authority-data': str(cluster['certificate-authority-data']) }
            : {}),
          ...(str(cluster['tls-server-name'])
            ? { 'tls-server-name': str(cluster['tls-server-name']) }
            : {}),
        },
      },
    }),
  });
  return env;
}

function proxyUrl(text: string): URL {
  let u: URL | undefined;
  try {
    u = new URL(text);
  } catch {
    u = undefined;
  }
  if (!u || !/^https?:$/.test(u.protocol)) {
    throw new InputError(
      `the kubeconfig's proxy-url must be an http:// or https:// proxy URL (SOCKS proxies are not supported)`,
    );
  }
  return u;
}
