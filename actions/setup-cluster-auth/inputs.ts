import { InputError } from '../../shared/errors.ts';
import { oidcRequest, type OidcRequest } from '../../shared/github-oidc.ts';
import { DNS_LABEL, Inputs, parseHttpUrl } from '../../shared/inputs.ts';
import { AKS_INPUTS, aksInputs, type AksInputs } from './aks-inputs.ts';
import { AUTH_MODES, EXEC_PLUGINS, type Common } from './common-inputs.ts';

export { oidcUnavailableMessage } from '../../shared/github-oidc.ts';
export type { OidcRequest };
export type { AksInputs };
export { AUTH_MODES, EXEC_PLUGINS };
export type { AuthMode, ExecPlugin } from './common-inputs.ts';

export const PROVIDERS = ['gke', 'eks', 'aks', 'kubeconfig'] as const;

/** The Google API hosts whose base URL `google-api-endpoints` may override. */
export const GOOGLE_SERVICES = ['container', 'sts', 'iamcredentials', 'oauth2'] as const;
export type GoogleService = (typeof GOOGLE_SERVICES)[number];

export interface GkeInputs extends Common {
  provider: 'gke';
  cluster: string;
  location: string;
  projectId?: string;
  useInternalIp: boolean;
  useDnsEndpoint: boolean;
  credentials:
    | { kind: 'adc' }
    | { kind: 'key'; json: string }
    | {
        kind: 'wif';
        provider: string;
        serviceAccount?: string;
        audience: string;
        oidc: OidcRequest;
      };
  endpoints: Partial<Record<GoogleService, string>>;
  quotaProjectId?: string;
}

export interface EksInputs extends Common {
  provider: 'eks';
  cluster: string;
  region: string;
  credentials:
    | { kind: 'default' }
    | { kind: 'role'; roleArn: string; sessionName: string; audience: string; oidc: OidcRequest };
}

export interface KubeconfigInputs extends Common {
  provider: 'kubeconfig';
  /** Raw YAML or base64 of it; parsed (never echoed) by run. */
  kubeconfig: string;
}

export type SetupInputs = GkeInputs | EksInputs | AksInputs | KubeconfigInputs;

const WIF_PROVIDER =
  /^projects\/\d+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+\/providers\/[a-z0-9-]+$/;
const SERVICE_ACCOUNT =
  /^[^@\s]+@[a-z0-9-.]+\.iam\.gserviceaccount\.com$|^[^@\s]+@developer\.gserviceaccount\.com$/;
const GKE_FULL_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

const PROVIDER_INPUTS: Record<string, readonly string[]> = {
  gke: [
    'location',
    'project-id',
    'workload-identity-provider',
    'service-account',
    'credentials-json',
    'google-api-endpoints',
    'quota-project-id',
  ],
  eks: ['region', 'role-to-assume', 'role-session-name'],
  aks: AKS_INPUTS,
  kubeconfig: ['kubeconfig'],
};

function https(name: string, value: string): string {
  parseHttpUrl(name, value, { must: 'hold absolute URLs', loopbackHttp: true });
  return value.replace(/\/+$/, '');
}

function rejectForeignInputs(inputs: Inputs, provider: string): void {
  for (const [other, names] of Object.entries(PROVIDER_INPUTS)) {
    if (other === provider) continue;
    for (const name of names) {
      if (inputs.has(name)) {
        throw new InputError(
          `Input '${name}' applies to provider '${other}' only (provider is '${provider}').`,
        );
      }
    }
  }
  if (provider === 'kubeconfig') {
    for (const name of ['cluster-name', 'use-internal-ip', 'use-dns-endpoint']) {
      if (inputs.has(name) && !(name !== 'cluster-name' && inputs.raw(name) === 'false')) {
        throw new InputError(`Input '${name}' does not apply to provider 'kubeconfig'.`);
      }
    }
  }
}

/** One way to authenticate to Google: a key, keyless (workload identity), or ADC. */
function gkeCredentials(inputs: Inputs, env: NodeJS.ProcessEnv): GkeInputs['credentials'] {
  const key = inputs.optional('credentials-json');
  const wif = inputs.optional('workload-identity-provider');
  const sa = inputs.optional('service-account');
  if (key && (wif || sa)) {
    throw new InputError(
      `Input 'credentials-json' (a service-account key) cannot be used together with 'workload-identity-provider'/'service-account': use one way to authenticate, preferably keyless.`,
    );
  }
  if (sa && !SERVICE_ACCOUNT.test(sa)) {
    throw new InputError(
      `Input 'service-account' must be a service-account email such as deployer@my-project.iam.gserviceaccount.com (got "${sa}").`,
    );
  }
  if (sa && !wif) {
    throw new InputError(
      `Input 'service-account' needs 'workload-identity-provider' (keyless), or leave both empty to use Application Default Credentials.`,
    );
  }
  if (key) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(
        key.trim().startsWith('{') ? key : Buffer.from(key, 'base64').toString('utf8'),
      );
    } catch {
      throw new InputError(
        `Input 'credentials-json' must be a service-account key (JSON, or base64 of it).`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || !('type' in parsed)) {
      throw new InputError(
        `Input 'credentials-json' must be a service-account key (JSON with a "type" field).`,
      );
    }
    return { kind: 'key', json: JSON.stringify(parsed) };
  } else if (wif) {
    if (!WIF_PROVIDER.test(wif)) {
      throw new InputError(
        `Input 'workload-identity-provider' must be the full provider name projects/<NUMBER>/locations/global/workloadIdentityPools/<POOL>/providers/<PROVIDER> (got "${wif}").`,
      );
    }
    return {
      kind: 'wif',
      provider: wif,
      ...(sa ? { serviceAccount: sa } : {}),
      audience: inputs.optional('audience') ?? `https://iam.googleapis.com/${wif}`,
      oidc: oidcRequest(env, 'workload-identity-provider'),
    };
  } else if (inputs.has('audience')) {
    throw new InputError(
      `Input 'audience' is only used with 'workload-identity-provider' or 'role-to-assume'.`,
    );
  }
  return { kind: 'adc' };
}

function googleEndpoints(inputs: Inputs): GkeInputs['endpoints'] {
  const endpoints: GkeInputs['endpoints'] = {};
  for (const [service, url] of inputs.keyValues('google-api-endpoints', /^[a-z0-9]+$/)) {
    if (!(GOOGLE_SERVICES as readonly string[]).includes(service)) {
      throw new InputError(
        `Input 'google-api-endpoints': unknown service '${service}'; allowed: ${GOOGLE_SERVICES.join(', ')}.`,
      );
    }
    endpoints[service as GoogleService] = https('google-api-endpoints', url);
  }
  return endpoints;
}

function gkeInputs(inputs: Inputs, env: NodeJS.ProcessEnv, common: Common): GkeInputs {
  const name = inputs.required('cluster-name');
  const full = GKE_FULL_NAME.exec(name);
  const cluster = full?.[3] ?? name;
  const location = inputs.optional('location') ?? full?.[2];
  if (!location) {
    throw new InputError(
      `Input 'location' is required for provider 'gke' (the cluster's zone or region, e.g. us-central1).`,
    );
  }
  if (full && inputs.has('location') && inputs.raw('location') !== full[2]) {
    throw new InputError(
      `Input 'location' (${inputs.raw('location')}) contradicts 'cluster-name' (${name}).`,
    );
  }
  const projectId =
    inputs.optional('project-id') ??
    full?.[1] ??
    (env.CLOUDSDK_CORE_PROJECT ||
      env.GOOGLE_CLOUD_PROJECT ||
      env.GCLOUD_PROJECT ||
      env.GCP_PROJECT ||
      undefined);
  if (!DNS_LABEL.test(cluster) || cluster.length > 40) {
    throw new InputError(
      `Input 'cluster-name' must be a GKE cluster name or projects/P/locations/L/clusters/C (got "${name}").`,
    );
  }
  if (inputs.bool('use-internal-ip', false) && inputs.bool('use-dns-endpoint', false)) {
    throw new InputError(
      `Inputs 'use-internal-ip' and 'use-dns-endpoint' cannot both be true: choose the private IP or the DNS endpoint.`,
    );
  }

  const credentials = gkeCredentials(inputs, env);
  const endpoints = googleEndpoints(inputs);
  const quotaProjectId = inputs.optional('quota-project-id');
  return {
    ...common,
    provider: 'gke',
    cluster,
    location,
    ...(projectId ? { projectId } : {}),
    useInternalIp: inputs.bool('use-internal-ip', false),
    useDnsEndpoint: inputs.bool('use-dns-endpoint', false),
    credentials,
    endpoints,
    ...(quotaProjectId ? { quotaProjectId } : {}),
  };
}

function eksInputs(inputs: Inputs, env: NodeJS.ProcessEnv, common: Common): EksInputs {
  const cluster = inputs.required('cluster-name');
  if (!EKS_NAME.test(cluster)) {
    throw new InputError(
      `Input 'cluster-name' must be an EKS cluster name (letters, digits, '-', '_'; at most 100) (got "${cluster}").`,
    );
  }
  const region =
    inputs.optional('region') ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined);
  if (!region) {
    throw new InputError(
      `Input 'region' is required for provider 'eks' (or set AWS_REGION, as aws-actions/configure-aws-credentials does).`,
    );
  }
  if (!REGION.test(region))
    throw new InputError(
      `Input 'region' must be an AWS region such as us-east-1 (got "${region}").`,
    );
  const roleArn = inputs.optional('role-to-assume');
  let credentials: EksInputs['credentials'] = { kind: 'default' };
  if (roleArn) {
    if (!ROLE_ARN.test(roleArn)) {
      throw new InputError(
        `Input 'role-to-assume' must be an IAM role ARN such as arn:aws:iam::123456789012:role/deployer (got "${roleArn}").`,
      );
    }
    const sessionName = inputs.optional('role-session-name', 'GitHubActions');
    if (!SESSION_NAME.test(sessionName)) {
      throw new InputError(
        `Input 'role-session-name' must be 2-64 characters of letters, digits and +=,.@_- (got "${sessionName}").`,
      );
    }
    credentials = {
      kind: 'role',
      roleArn,
      sessionName,
      audience: inputs.optional('audience', 'sts.amazonaws.com'),
      oidc: oidcRequest(env, 'role-to-assume'),
    };
  } else if (inputs.has('role-session-name') || inputs.has('audience')) {
    throw new InputError(
      `Inputs 'role-session-name' and 'audience' are only used with 'role-to-assume'.`,
    );
  }
  return { ...common, provider: 'eks', cluster, region, credentials };
}

/** Parses and validates every input; no side effects, no network. */
export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): SetupInputs {
  inputs.required('provider');
  const provider = inputs.oneOf('provider', PROVIDERS, 'gke');
  rejectForeignInputs(inputs, provider);
  for (const name of ['admin', 'use-private-fqdn']) {
    if (provider !== 'aks' && inputs.bool(name, false))
      throw new InputError(
        `Input '${name}' applies to provider 'aks' only (provider is '${provider}').`,
      );
  }
  const namespace = inputs.dnsLabel('namespace');
  const context = inputs.optional('context');
  const common: Common = {
    ...(context ? { context } : {}),
    ...(namespace ? { namespace } : {}),
    authMode: inputs.oneOf('auth-mode', AUTH_MODES, 'token'),
    execPlugin: inputs.oneOf('exec-plugin', EXEC_PLUGINS, 'auto'),
    tempDir: env.RUNNER_TEMP || (env.TMPDIR ?? '/tmp'),
  };
  switch (provider) {
    case 'gke':
      return gkeInputs(inputs, env, common);
    case 'eks':
      return eksInputs(inputs, env, common);
    case 'aks':
      return aksInputs(inputs, env, common);
    case 'kubeconfig':
      if (inputs.has('audience'))
        throw new InputError(`Input 'audience' does not apply to provider 'kubeconfig'.`);
      return { ...common, provider: 'kubeconfig', kubeconfig: inputs.required('kubeconfig') };
  }
}
