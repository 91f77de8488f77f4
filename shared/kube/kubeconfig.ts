/**
 * kubeconfig files: the typed shape (the fields kubectl and @kubernetes/client-node read),
 * a builder for the one-cluster/one-user/one-context files setup-cluster-auth writes, a
 * parser that validates a user-supplied file without echoing it, and a writer that creates
 * the file 0600. Used by setup-cluster-auth (writes) and rollout-and-verify (reads).
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { InputError } from '../errors.ts';
import { isRecord } from '../server-values.ts';

export interface ExecEnvVar {
  name: string;
  value: string;
}

/** client.authentication.k8s.io exec plugin configuration (kubectl's `users[].user.exec`). */
export interface ExecConfig {
  apiVersion: string;
  command: string;
  args?: string[];
  env?: ExecEnvVar[];
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
}

export interface KubeUser {
  token?: string;
  exec?: ExecConfig;
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  [key: string]: unknown;
}

export interface KubeCluster {
  server: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  'insecure-skip-tls-verify'?: boolean;
  [key: string]: unknown;
}

export interface KubeContext {
  cluster: string;
  user: string;
  namespace?: string;
  [key: string]: unknown;
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: KubeCluster }[];
  users: { name: string; user: KubeUser }[];
  contexts: { name: string; context: KubeContext }[];
  'current-context': string;
  preferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

export interface SingleClusterOptions {
  /** Name of the cluster and user entries. */
  name: string;
  context: string;
  server: string;
  /** base64 PEM; omitted when the endpoint has a publicly trusted certificate. */
  caData?: string;
  user: KubeUser;
  namespace?: string;
}

/** A kubeconfig with one cluster, one user and one context, selected as current. */
export function singleClusterKubeconfig(o: SingleClusterOptions): Kubeconfig {
  const cluster: KubeCluster = { server: o.server };
  if (o.caData) cluster['certificate-authority-data'] = o.caData;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: o.name, cluster }],
    users: [{ name: o.name, user: o.user }],
    contexts: [
      {
        name: o.context,
        context: {
          cluster: o.name,
          user: o.name,
          ...(o.namespace ? { namespace: o.namespace } : {}),
        },
      },
    ],
    'current-context': o.context,
    preferences: {},
  };
}

export function serializeKubeconfig(config: Kubeconfig): string {
  return stringify(config, { lineWidth: 0 });
}

/** Writes a kubeconfig 0600 (also when the file existed with wider permissions). */
export async function writeKubeconfig(file: string, config: Kubeconfig): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, serializeKubeconfig(config), { mode: 0o600 });
  await chmod(file, 0o600);
}

function namedList(
  config: Record<string, unknown>,
  key: string,
  field: string,
): { name: string }[] {
  const list = config[key] ?? [];
  if (
    !Array.isArray(list) ||
    !list.every((e) => isRecord(e) && typeof e.name === 'string' && isRecord(e[field]))
  ) {
    throw new InputError(`the kubeconfig's '${key}' must be a list of {name, ${field}} entries`);
  }
  return list as { name: string }[];
}

/**
 * Parses and checks kubeconfig text (never quoting it: it holds credentials). The result
 * has the three lists, each entry named; the caller selects a context.
 */
export function parseKubeconfig(text: string, what = 'kubeconfig'): Kubeconfig {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: false });
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new InputError(`${what} is not valid YAML${line ? ` (problem at line ${line})` : ''}`);
  }
  if (!isRecord(doc) || (doc.kind !== undefined && doc.kind !== 'Config')) {
    throw new InputError(`${what} is not a kubeconfig (expected a YAML mapping with kind: Config)`);
  }
  namedList(doc, 'clusters', 'cluster');
  namedList(doc, 'users', 'user');
  const contexts = namedList(doc, 'contexts', 'context');
  if (contexts.length === 0) throw new InputError(`${what} has no contexts`);
  return {
    ...doc,
    apiVersion: 'v1',
    kind: 'Config',
    clusters: (doc.clusters ?? []) as Kubeconfig['clusters'],
    users: (doc.users ?? []) as Kubeconfig['users'],
    contexts: contexts as Kubeconfig['contexts'],
    'current-context': typeof doc['current-context'] === 'string' ? doc['current-context'] : '',
  };
}

/**
 * Selects `context` (default: current-context) and optionally sets its namespace. Throws
 * InputError naming the available contexts when it is missing, or when it points at a
 * cluster or user that the file does not define.
 */
export function selectContext(
  config: Kubeconfig,
  context: string | undefined,
  namespace?: string,
): { config: Kubeconfig; context: string; server: string } {
  const names = config.contexts.map((c) => c.name);
  const wanted = context ?? config['current-context'];
  if (!wanted) {
    throw new InputError(
      `the kubeconfig has no current-context: set input 'context' to one of ${names.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  const entry = config.contexts.find((c) => c.name === wanted);
  if (!entry) {
    throw new InputError(
      `context '${wanted}' is not in the kubeconfig; it has ${names.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  const cluster = config.clusters.find((c) => c.name === entry.context.cluster);
  if (!cluster || typeof cluster.cluster.server !== 'string') {
    throw new InputError(
      `context '${wanted}' refers to cluster '${entry.context.cluster}', which has no server in the kubeconfig`,
    );
  }
  if (!config.users.some((u) => u.name === entry.context.user)) {
    throw new InputError(
      `context '${wanted}' refers to user '${entry.context.user}', which the kubeconfig does not define`,
    );
  }
  const contexts = config.contexts.map((c) =>
    c.name === wanted && namespace ? { ...c, context: { ...c.context, namespace } } : c,
  );
  return {
    config: { ...config, contexts, 'current-context': wanted },
    context: wanted,
    server: cluster.cluster.server,
  };
}

const SECRET_USER_FIELDS = [
  'token',
  'client-key-data',
  'client-certificate-data',
  'password',
] as const;

/** auth-provider (oidc, gcp, azure) config keys that hold credentials. */
const SECRET_AUTH_PROVIDER_KEYS = [
  'id-token',
  'refresh-token',
  'client-secret',
  'access-token',
  'idp-certificate-authority-data',
];

/**
 * Every credential value of a kubeconfig, to be masked before anything is logged: tokens,
 * client key and certificate data, passwords, exec env values and auth-provider tokens. Only
 * values: never the document, whose lines (`kind: Config`, `user:`) must stay readable.
 */
export function kubeconfigSecrets(config: Kubeconfig): string[] {
  const values: string[] = [];
  for (const { user } of config.users) {
    for (const field of SECRET_USER_FIELDS) {
      const v = user[field];
      if (typeof v === 'string' && v) values.push(v);
    }
    for (const e of user.exec?.env ?? []) if (e.value) values.push(e.value);
    const provider = user['auth-provider'];
    const providerConfig =
      typeof provider === 'object' && provider !== null
        ? (provider as { config?: unknown }).config
        : undefined;
    if (typeof providerConfig === 'object' && providerConfig !== null) {
      for (const key of SECRET_AUTH_PROVIDER_KEYS) {
        const v = (providerConfig as Record<string, unknown>)[key];
        if (typeof v === 'string' && v) values.push(v);
      }
    }
  }
  return values;
}
