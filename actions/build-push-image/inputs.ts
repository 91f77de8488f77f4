/**
 * build-push-image's inputs, parsed and validated in one step before any side effect: every
 * value that reaches a builder's argv, a label or a tag is checked here first.
 */
import { acrCloudOf } from '../../shared/azure-cloud.ts';
import { azureLogin, type AzureLogin } from '../../shared/azure-inputs.ts';
import { InputError } from '../../shared/errors.ts';
import { imageRefProblem, isValidImageName, parseImageRef } from '../../shared/image-ref.ts';
import { Inputs } from '../../shared/inputs.ts';
import { parseTagRules, type TagRule } from './tags.ts';

export const BUILDERS = ['auto', 'buildx', 'docker', 'buildah'] as const;
export type BuilderChoice = (typeof BUILDERS)[number];
export type Builder = Exclude<BuilderChoice, 'auto'>;
export const REGISTRY_TYPES = ['auto', 'ecr', 'gar', 'acr', 'ghcr', 'generic'] as const;
export type RegistryType = Exclude<(typeof REGISTRY_TYPES)[number], 'auto'>;
export const CACHES = ['none', 'gha', 'registry'] as const;
export type CacheMode = (typeof CACHES)[number];
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The Trivy release installed when `trivy` is not on PATH (override with `scan-version`). */
export const TRIVY_DEFAULT_VERSION = '0.69.3';

export interface BuildInputs {
  /** Registry host + repository, no tag: `ghcr.io/org/app`. */
  image: string;
  /** The registry host as Docker names it (`docker.io` for Docker Hub names). */
  registry: string;
  builder: BuilderChoice;
  /** As written: a directory relative to the workspace, or a remote (git/https) context. */
  context: string;
  /** As written, relative to the workspace; unset: `Dockerfile` in the context. */
  file?: string;
  /** Lifts the workspace confinement of `context` and `file` (not /proc, /sys, /dev). */
  allowOutsideWorkspace: boolean;
  target?: string;
  buildArgs: [string, string][];
  platforms: string[];
  labels: [string, string][];
  tagRules: TagRule[];
  push: boolean;
  registryType: RegistryType;
  username?: string;
  password?: string;
  /** ACR without username/password: the Entra ID credentials to exchange at the registry. */
  azure?: AzureLogin;
  cache: CacheMode;
  skipIfExists: boolean;
  scan: 'none' | 'trivy';
  scanSeverity: Severity[];
  scanFailOn: Severity[];
  scanVersion: string;
  scanChecksum?: string;
  insecure: boolean;
  timeoutMs: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** The host part of an image name, as Docker resolves it (no host: Docker Hub). */
export function registryOf(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = name.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

/** Registry type from the host: ECR, Artifact Registry / GCR, ACR, GHCR, anything else generic. */
export function detectRegistryType(host: string): RegistryType {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  if (/^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(h)) return 'ecr';
  if (/^[a-z0-9-]+-docker\.pkg\.dev$/.test(h) || /^([a-z]+\.)?gcr\.io$/.test(h)) return 'gar';
  if (acrCloudOf(h)) return 'acr';
  if (h === 'ghcr.io') return 'ghcr';
  return 'generic';
}

/** 127.0.0.0/8, ::1 and localhost: spoken to over plain HTTP, as Docker does. */
export function isLoopbackRegistry(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function pairs(inputs: Inputs, name: string, key: RegExp, what: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of inputs.list(name, { commas: false })) {
    const eq = line.indexOf('=');
    const k = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = line.slice(eq + 1);
    if (!k || !key.test(k)) {
      throw new InputError(`Input '${name}' must hold ${what}=VALUE lines (got "${line}").`);
    }
    if (/[\r\n\0]/.test(value))
      throw new InputError(`Input '${name}': a value has a control character.`);
    out.push([k, value.trim()]);
  }
  return out;
}

function severities(inputs: Inputs, name: string, fallback: string): Severity[] {
  const raw = inputs.optional(name, fallback);
  if (raw.toLowerCase() === 'none' || raw === '') return [];
  const list = raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((s) => s.toUpperCase());
  for (const s of list) {
    if (!(SEVERITIES as readonly string[]).includes(s)) {
      throw new InputError(
        `Input '${name}' must list severities among ${SEVERITIES.join(', ')} (got "${s}").`,
      );
    }
  }
  return [...new Set(list)] as Severity[];
}

/** `scan`, and the Trivy release it installs when there is none on PATH. */
function scanner(inputs: Inputs): {
  scan: 'none' | 'trivy';
  scanVersion: string;
  scanChecksum?: string;
} {
  const scan = inputs.oneOf('scan', ['none', 'trivy'] as const, 'none');
  const scanVersion = inputs.optional('scan-version', TRIVY_DEFAULT_VERSION);
  if (!/^\d+\.\d+\.\d+$/.test(scanVersion)) {
    throw new InputError(
      `Input 'scan-version' must be a Trivy version such as ${TRIVY_DEFAULT_VERSION} (got "${scanVersion}").`,
    );
  }
  const scanChecksum = inputs.optional('scan-checksum');
  if (scanChecksum !== undefined && !/^(sha256:)?[a-f0-9]{64}$/.test(scanChecksum)) {
    throw new InputError(`Input 'scan-checksum' must be a sha256 of 64 lower-case hex digits.`);
  }
  return { scan, scanVersion, ...(scanChecksum ? { scanChecksum } : {}) };
}

const AZURE_INPUTS = ['client-id', 'tenant-id', 'azure-environment', 'authority-host'];

/**
 * ACR without username/password: Entra ID credentials when a client id is given (input or
 * AZURE_CLIENT_ID), else an existing docker login (`az acr login` before this step).
 */
function acrCredentials(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  registryType: RegistryType,
  registry: string,
  basic: boolean,
): AzureLogin | undefined {
  const named = AZURE_INPUTS.filter((n) => inputs.has(n));
  if (registryType !== 'acr' || basic) {
    if (named.length > 0)
      throw new InputError(
        `Input '${named[0]}' is for the keyless ACR login: it needs registry-type acr (a *.azurecr.io image) and no 'username'/'password'.`,
      );
    return undefined;
  }
  if (named.length === 0 && !env.AZURE_CLIENT_ID) return undefined;
  return azureLogin(inputs, env, acrCloudOf(registry) ?? 'AzureCloud');
}

export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): BuildInputs {
  const image = inputs.required('image');
  const ref = parseImageRef(image);
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new InputError(
      `Input 'image' must be a name without tag or digest, e.g. ghcr.io/org/model (got "${image}"); tags come from the 'tags' input.`,
    );
  }
  if (!isValidImageName(image)) {
    const why = imageRefProblem(image) ?? 'it is not a valid image name';
    throw new InputError(`Input 'image' is not a valid image name: ${why} (got "${image}").`);
  }
  const registry = registryOf(image);
  const builder = inputs.oneOf('builder', BUILDERS, 'auto');
  const context = inputs.optional('context', '.');
  const file = inputs.optional('file');
  for (const [n, v] of [
    ['context', context],
    ['file', file],
  ] as const) {
    if (v !== undefined && (/[\r\n\0]/.test(v) || v.startsWith('-'))) {
      throw new InputError(`Input '${n}' must be a path (got "${v}").`);
    }
  }
  const target = inputs.optional('target');
  if (target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new InputError(`Input 'target' must be a build stage name (got "${target}").`);
  }
  const platforms = inputs.list('platforms');
  for (const p of platforms) {
    if (!PLATFORM.test(p))
      throw new InputError(`Input 'platforms': "${p}" is not os/arch[/variant], e.g. linux/amd64.`);
  }
  const detected = detectRegistryType(registry);
  const chosen = inputs.oneOf('registry-type', REGISTRY_TYPES, 'auto');
  const registryType = chosen === 'auto' ? detected : chosen;
  const username = inputs.optional('username');
  const password = inputs.optional('password');
  if ((username === undefined) !== (password === undefined)) {
    throw new InputError(
      `Inputs 'username' and 'password' go together: set both, or neither (${registryType === 'ecr' || registryType === 'gar' || registryType === 'acr' ? 'this registry logs in with cloud credentials' : 'to use an existing docker login'}).`,
    );
  }
  const azure = acrCredentials(inputs, env, registryType, registry, username !== undefined);
  const { scan, scanVersion, scanChecksum } = scanner(inputs);
  const push = inputs.bool('push', true);
  if (scan === 'trivy' && !push) {
    throw new InputError(`Input 'scan': trivy scans the pushed digest, so it needs push: true.`);
  }
  const skipIfExists = inputs.bool('skip-if-exists', false);
  return {
    image,
    registry,
    builder,
    context,
    ...(file ? { file } : {}),
    allowOutsideWorkspace: inputs.bool('allow-outside-workspace', false),
    ...(target ? { target } : {}),
    buildArgs: pairs(inputs, 'build-args', KEY, 'NAME'),
    platforms,
    labels: pairs(inputs, 'labels', LABEL_KEY, 'KEY'),
    tagRules: parseTagRules(inputs.optional('tags', 'type=sha')),
    push,
    registryType,
    ...(username !== undefined && password !== undefined ? { username, password } : {}),
    ...(azure ? { azure } : {}),
    cache: inputs.oneOf('cache', CACHES, 'none'),
    skipIfExists,
    scan,
    scanSeverity: severities(inputs, 'scan-severity', 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL'),
    scanFailOn: severities(inputs, 'scan-fail-on', 'none'),
    scanVersion,
    ...(scanChecksum ? { scanChecksum: scanChecksum.replace(/^sha256:/, '') } : {}),
    insecure: inputs.bool('insecure', false),
    timeoutMs: inputs.duration('timeout', '1h', { minMs: 10_000, maxMs: 6 * 3_600_000 }),
  };
}
