/** Worlds of local fakes + the Kubernetes simulator, and the real clients that use the kubeconfig. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { AwsKeyStore, type AwsIdentity } from '../harness/fakes/aws-sigv4.ts';
import { startAwsEks } from '../harness/fakes/aws-eks.ts';
import { startAwsSts, type AwsStsFake } from '../harness/fakes/aws-sts.ts';
import { startEksAuthProxy, type EksAuthProxy } from '../harness/fakes/eks-auth-proxy.ts';
import { startGitHubOidc, type GitHubOidcFake } from '../harness/fakes/github-oidc.ts';
import { startGoogleContainer } from '../harness/fakes/google-container.ts';
import {
  startIamCredentials,
  type IamCredentialsFake,
} from '../harness/fakes/google-iamcredentials.ts';
import {
  makeServiceAccountKey,
  startGoogleOAuth2,
  type OAuth2Fake,
  type ServiceAccountKey,
} from '../harness/fakes/google-oauth2.ts';
import { startGoogleSts, type GoogleStsFake } from '../harness/fakes/google-sts.ts';
import type { FakeServer } from '../harness/fakes/http-fake.ts';

export const KUBECTL = '/usr/bin/kubectl';

/** A scratch dir; `bin(...)` makes a PATH dir holding only the named programs. */
export class Scratch {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'sca-test-'));
  private n = 0;
  sub(name: string): string {
    const d = path.join(this.dir, `${name}-${this.n++}`);
    mkdirSync(d, { recursive: true });
    return d;
  }
  bin(programs: Record<string, string> = {}): string {
    const d = this.sub('bin');
    for (const [name, target] of Object.entries(programs)) symlinkSync(target, path.join(d, name));
    return d;
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real kubectl with its own cache dir and exactly the given environment. */
export function kubectl(
  scratch: Scratch,
  kubeconfig: string,
  args: string[],
  env: Record<string, string>,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', scratch.sub('kubectl-cache'), ...args],
      { timeout: 30_000, env: { HOME: scratch.sub('home'), ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** @kubernetes/client-node with the file: lists namespaces (runs exec plugins itself). */
export async function clientNodeNamespaces(kubeconfig: string): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = kc.makeApiClient(CoreV1Api);
  const list = await api.listNamespace();
  return list.items.map((n) => n.metadata?.name ?? '');
}

export function runnerTempEntries(runnerTemp: string): string[] {
  try {
    return readdirSync(runnerTemp);
  } catch {
    return [];
  }
}

export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64url')}`;
}

async function stopAll(items: { stop(): Promise<void> }[]): Promise<void> {
  await Promise.all(items.map((i) => i.stop()));
}

export const WIF_PROVIDER =
  'projects/123456789012/locations/global/workloadIdentityPools/github/providers/octo-org';
export const SERVICE_ACCOUNT = 'deployer@ml-project.iam.gserviceaccount.com';
export const GKE_PROJECT = 'ml-project';
export const GKE_LOCATION = 'us-central1';

export interface GkeWorld {
  sim: KubeSim;
  oidc: GitHubOidcFake;
  sts: GoogleStsFake;
  iam: IamCredentialsFake;
  oauth2: OAuth2Fake;
  container: FakeServer;
  key: ServiceAccountKey;
  /** The `google-api-endpoints` input value pointing at the fakes. */
  endpoints: string;
  stop(): Promise<void>;
}

/**
 * GKE: cluster `prod` (public endpoint = the simulator) and `private-one` (private + DNS
 * endpoints). The impersonated service account and the key's account get the simulator's
 * token; a federated token without impersonation is denied by the Container API (403).
 */
export async function startGkeWorld(): Promise<GkeWorld> {
  const sim = await startKubeSim({ tls: true, token: randomToken('ya29.c.sim-') });
  const simToken = sim.token!;
  const oidc = await startGitHubOidc();
  const sts = await startGoogleSts({ oidc, providers: [WIF_PROVIDER] });
  const iam = await startIamCredentials({
    acceptToken: (t) => sts.federated.has(t),
    accounts: { [SERVICE_ACCOUNT]: () => simToken },
  });
  const key = makeServiceAccountKey(`keyed@${GKE_PROJECT}.iam.gserviceaccount.com`, GKE_PROJECT);
  const oauth2 = await startGoogleOAuth2({ keys: [key], mint: () => simToken });
  const endpoint = new URL(sim.url).host;
  const base = `projects/${GKE_PROJECT}/locations/${GKE_LOCATION}/clusters`;
  const container = await startGoogleContainer({
    authorize: (t) => (t === simToken ? 'ok' : sts.federated.has(t) ? 'denied' : 'unknown'),
    clusters: {
      [`${base}/prod`]: {
        name: 'prod',
        endpoint,
        status: 'RUNNING',
        masterAuth: { clusterCaCertificate: sim.caData! },
      },
      [`${base}/hostile`]: {
        name: 'hostile',
        endpoint: 'evil.example/steal?x=',
        status: 'RUNNING',
        masterAuth: { clusterCaCertificate: sim.caData! },
      },
      [`${base}/private-one`]: {
        name: 'private-one',
        endpoint: '203.0.113.10',
        status: 'RUNNING',
        masterAuth: { clusterCaCertificate: sim.caData! },
        privateClusterConfig: { privateEndpoint: endpoint, publicEndpoint: '203.0.113.10' },
        controlPlaneEndpointsConfig: {
          dnsEndpointConfig: { endpoint: 'gke-0123456789abcdef.us-central1.gke.goog' },
        },
      },
    },
  });
  return {
    sim,
    oidc,
    sts,
    iam,
    oauth2,
    container,
    key,
    endpoints: [
      `container=${container.url}`,
      `sts=${sts.url}`,
      `iamcredentials=${iam.url}`,
      `oauth2=${oauth2.url}`,
    ].join('\n'),
    stop: () => stopAll([sim, oidc, sts, iam, oauth2, container]),
  };
}

export const EKS_REGION = 'eu-west-1';
export const ROLE_ARN = 'arn:aws:iam::111122223333:role/deployer';

export interface EksWorld {
  sim: KubeSim;
  oidc: GitHubOidcFake;
  keys: AwsKeyStore;
  /** A long-term key (default chain) mapped in the cluster. */
  user: AwsIdentity;
  /** A long-term key without eks:DescribeCluster. */
  denied: AwsIdentity;
  sts: AwsStsFake;
  eks: FakeServer;
  proxy: EksAuthProxy;
  /** SDK endpoint settings and a sealed-off config for the AWS SDK. */
  sdkEnv(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startEksWorld(scratch: Scratch): Promise<EksWorld> {
  const sim = await startKubeSim({ tls: true, token: randomToken('sim-eks-') });
  const oidc = await startGitHubOidc();
  const keys = new AwsKeyStore();
  const user = keys.addUser('ci');
  const denied = keys.addUser('intern');
  const sts = await startAwsSts({ keys, oidc, roles: [ROLE_ARN] });
  const proxy = await startEksAuthProxy({
    sim,
    stsUrl: sts.url,
    clusterId: 'prod',
    mappedArns: [user.arn, `arn:aws:sts::${keys.account}:assumed-role/deployer/GitHubActions`],
  });
  const eks = await startAwsEks({
    keys,
    region: EKS_REGION,
    clusters: {
      prod: {
        endpoint: proxy.url,
        certificateAuthority: { data: proxy.caData },
        status: 'ACTIVE',
        version: '1.33',
      },
      fresh: {
        endpoint: proxy.url,
        certificateAuthority: { data: proxy.caData },
        status: 'CREATING',
      },
      // A hostile answer: the endpoint would carry a path and a second line into the kubeconfig.
      hostile: {
        endpoint: `${proxy.url}/x?\n::error::pwned`,
        certificateAuthority: { data: proxy.caData },
        status: 'ACTIVE',
      },
    },
    denied: [denied.arn],
  });
  const configDir = scratch.sub('aws');
  return {
    sim,
    oidc,
    keys,
    user,
    denied,
    sts,
    eks,
    proxy,
    sdkEnv: () => ({
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL_EKS: eks.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(configDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(configDir, 'credentials'),
    }),
    stop: () => stopAll([sim, oidc, sts, eks, proxy]),
  };
}
