/**
 * provider gke, end to end: the real bundle against fakes of GitHub OIDC, Google STS, IAM
 * Credentials, OAuth2 and the Container API; the kubeconfig it writes is then used by the real
 * kubectl and by @kubernetes/client-node against the Kubernetes simulator (TLS, CA checked,
 * bearer token).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Kubeconfig } from '../../shared/kube/kubeconfig.ts';
import { errorMessages, runAction, type ActionRunResult } from '../harness/runner.ts';
import {
  GKE_LOCATION,
  GKE_PROJECT,
  SERVICE_ACCOUNT,
  Scratch,
  WIF_PROVIDER,
  clientNodeNamespaces,
  kubectl,
  runnerTempEntries,
  startGkeWorld,
  type GkeWorld,
} from './helpers.ts';

let world: GkeWorld;
let scratch: Scratch;
/** A PATH with neither gke-gcloud-auth-plugin nor aws: the bundled credential command is used. */
let bareBin: string;

beforeAll(async () => {
  scratch = new Scratch();
  bareBin = scratch.bin();
  world = await startGkeWorld();
});

afterAll(async () => {
  await world?.stop();
  scratch?.cleanup();
});

function wifInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'gke',
    'cluster-name': 'prod',
    location: GKE_LOCATION,
    'workload-identity-provider': WIF_PROVIDER,
    'service-account': SERVICE_ACCOUNT,
    'google-api-endpoints': world.endpoints,
    ...extra,
  };
}

async function run(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  post = false,
): Promise<ActionRunResult> {
  return runAction('setup-cluster-auth', {
    inputs,
    env: { PATH: bareBin, ...world.oidc.env(), ...env },
    keep: true,
    post,
  });
}

function readKubeconfig(r: ActionRunResult): Kubeconfig {
  return parse(readFileSync(r.outputs['kubeconfig-path']!, 'utf8')) as Kubeconfig;
}

/** No secret in what the runner shows. */
function expectNoLeak(r: ActionRunResult, secrets: string[]): void {
  for (const s of secrets) {
    expect(r.maskedLog).not.toContain(s);
    expect(r.summary).not.toContain(s);
  }
}

describe('gke: keyless Workload Identity Federation', () => {
  it('token mode: writes a 0600 kubeconfig that kubectl and client-node use over TLS', async () => {
    const r = await run(wifInputs({ namespace: 'ml-serving' }));
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(r.exitCode).toBe(0);
      const file = r.outputs['kubeconfig-path']!;
      expect(file.startsWith(r.runnerTemp)).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(r.env.KUBECONFIG).toBe(file);
      expect(r.outputs.context).toBe(`gke_${GKE_PROJECT}_${GKE_LOCATION}_prod`);
      expect(r.outputs['cluster-endpoint']).toBe(world.sim.url);

      const config = readKubeconfig(r);
      expect(config['current-context']).toBe(r.outputs.context);
      expect(config.contexts[0]!.context.namespace).toBe('ml-serving');
      expect(config.clusters[0]!.cluster['certificate-authority-data']).toBe(world.sim.caData);
      expect(config.users[0]!.user.token).toBe(world.sim.token);

      // The GitHub token was requested for the provider's default audience.
      const audiences = world.oidc.requests.map((q) => q.query.get('audience'));
      expect(audiences).toContain(`https://iam.googleapis.com/${WIF_PROVIDER}`);

      const k = await kubectl(scratch, file, ['get', 'namespaces', '-o', 'name'], {
        PATH: bareBin,
      });
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/kube-system');
      // The context's namespace is used by commands without -n.
      const ns = await kubectl(
        scratch,
        file,
        ['config', 'view', '--minify', '-o', 'jsonpath={..namespace}'],
        { PATH: bareBin },
      );
      expect(ns.stdout).toBe('ml-serving');
      expect(await clientNodeNamespaces(file)).toContain('default');

      expect(r.masks).toContain(world.sim.token);
      expectNoLeak(r, [world.sim.token!, world.oidc.requestToken, ...world.sts.federated.keys()]);
      expect(r.summary).toContain('setup-cluster-auth');
      expect(r.summary).toContain(r.outputs.context!);
    } finally {
      r.cleanup();
    }
  });

  it('exec mode: kubectl runs the bundled credential command, which mints (and caches) a fresh token', async () => {
    const r = await run(wifInputs({ 'auth-mode': 'exec' }));
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const file = r.outputs['kubeconfig-path']!;
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(world.sim.token!);
      const user = readKubeconfig(r).users[0]!.user;
      expect(user.exec?.command).toBe(process.execPath);
      expect(user.exec?.args?.[0]).toMatch(/dist\/setup-cluster-auth\/exec-credential\/index\.js$/);
      const configFile = user.exec!.args![1]!;
      expect(statSync(configFile).mode & 0o777).toBe(0o600);

      const before = world.iam.issued.length;
      const k = await kubectl(scratch, file, ['get', 'namespaces', '-o', 'name'], {
        PATH: bareBin,
      });
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/default');
      expect(world.iam.issued.length).toBe(before + 1);
      // A second kubectl reuses the cached token (no new STS exchange or impersonation).
      const again = await kubectl(scratch, file, ['get', 'namespaces', '-o', 'name'], {
        PATH: bareBin,
      });
      expect(again.code).toBe(0);
      expect(world.iam.issued.length).toBe(before + 1);
      expect(await clientNodeNamespaces(file)).toContain('kube-system');
    } finally {
      r.cleanup();
    }
  });

  it('exec mode with gke-gcloud-auth-plugin on PATH: kubectl runs the real plugin with an external_account ADC file', async () => {
    const bin = scratch.bin({ 'gke-gcloud-auth-plugin': '/usr/bin/gke-gcloud-auth-plugin' });
    const r = await runAction('setup-cluster-auth', {
      inputs: wifInputs({ 'auth-mode': 'exec' }),
      env: { PATH: bin, ...world.oidc.env() },
      keep: true,
      post: false,
    });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const exec = readKubeconfig(r).users[0]!.user.exec!;
      expect(exec.command).toBe('gke-gcloud-auth-plugin');
      expect(exec.args).toEqual(['--use_application_default_credentials']);
      expect(exec.provideClusterInfo).toBe(true);
      const adc = exec.env!.find((e) => e.name === 'GOOGLE_APPLICATION_CREDENTIALS')!.value;
      expect(statSync(adc).mode & 0o777).toBe(0o600);
      const doc = JSON.parse(readFileSync(adc, 'utf8')) as Record<string, unknown>;
      expect(doc).toMatchObject({
        type: 'external_account',
        audience: `//iam.googleapis.com/${WIF_PROVIDER}`,
        token_url: `${world.sts.url}/v1/token`,
        service_account_impersonation_url: `${world.iam.url}/v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT}:generateAccessToken`,
      });
      expectNoLeak(r, [world.oidc.requestToken]);
      // The real plugin runs: ADC → STS exchange → impersonation, all against the fakes.
      const before = world.iam.issued.length;
      const k = await kubectl(scratch, r.outputs['kubeconfig-path']!, ['get', 'ns', '-o', 'name'], {
        PATH: bin,
      });
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/kube-system');
      expect(world.iam.issued.length).toBe(before + 1);
    } finally {
      r.cleanup();
    }
  });

  it('the post step deletes the kubeconfig and its credential files', async () => {
    const r = await run(wifInputs({ 'auth-mode': 'exec', 'exec-plugin': 'bundled' }), {}, true);
    try {
      expect(r.exitCode).toBe(0);
      expect(r.post?.exitCode).toBe(0);
      const file = r.outputs['kubeconfig-path']!;
      expect(existsSync(file)).toBe(false);
      expect(existsSync(path.dirname(file))).toBe(false);
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });
});

describe('gke: other credentials', () => {
  it('a service-account key (credentials-json), with the token grant sent to the oauth2 endpoint override', async () => {
    const r = await run({
      provider: 'gke',
      'cluster-name': `projects/${GKE_PROJECT}/locations/${GKE_LOCATION}/clusters/prod`,
      'credentials-json': Buffer.from(world.key.json).toString('base64'),
      'google-api-endpoints': world.endpoints,
    });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(world.oauth2.issued.length).toBeGreaterThan(0);
      const k = await kubectl(scratch, r.outputs['kubeconfig-path']!, ['get', 'ns', '-o', 'name'], {
        PATH: bareBin,
      });
      expect(k.stdout).toContain('namespace/default');
      const key = JSON.parse(world.key.json) as { private_key: string };
      // A PEM is masked line by line (the runner masks per line), not its armour lines.
      for (const line of key.private_key.split('\n').filter((l) => l && !l.startsWith('-----')))
        expect(r.masks).toContain(line);
      expectNoLeak(r, [key.private_key, world.sim.token!]);
    } finally {
      r.cleanup();
    }
  });

  it('Application Default Credentials: an external_account file as google-github-actions/auth leaves it', async () => {
    const dir = scratch.sub('adc');
    const adc = path.join(dir, 'gha-creds.json');
    const url = new URL(world.oidc.requestUrl);
    url.searchParams.set('audience', `https://iam.googleapis.com/${WIF_PROVIDER}`);
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'external_account',
        audience: `//iam.googleapis.com/${WIF_PROVIDER}`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${world.sts.url}/v1/token`,
        credential_source: {
          url: url.toString(),
          headers: { Authorization: `Bearer ${world.oidc.requestToken}` },
          format: { type: 'json', subject_token_field_name: 'value' },
        },
        service_account_impersonation_url: `${world.iam.url}/v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT}:generateAccessToken`,
      }),
      { mode: 0o600 },
    );
    const adcInputs = {
      provider: 'gke',
      'cluster-name': 'prod',
      location: GKE_LOCATION,
      'google-api-endpoints': `container=${world.container.url}`,
    };
    const adcEnv = { GOOGLE_APPLICATION_CREDENTIALS: adc, CLOUDSDK_CORE_PROJECT: GKE_PROJECT };
    const r = await run(adcInputs, adcEnv);
    // exec mode: the bundled command uses the same ADC file when kubectl runs it.
    const e = await run({ ...adcInputs, 'auth-mode': 'exec' }, adcEnv);
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(r.outputs.context).toBe(`gke_${GKE_PROJECT}_${GKE_LOCATION}_prod`);
      expect(await clientNodeNamespaces(r.outputs['kubeconfig-path']!)).toContain('default');
      expect(errorMessages(e).join('\n')).toBe('');
      const before = world.iam.issued.length;
      const k = await kubectl(scratch, e.outputs['kubeconfig-path']!, ['get', 'ns', '-o', 'name'], {
        PATH: bareBin,
      });
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/default');
      expect(world.iam.issued.length).toBe(before + 1);
    } finally {
      r.cleanup();
      e.cleanup();
    }
  });
});

describe('gke: endpoints and failures', () => {
  it('use-internal-ip picks the private endpoint; use-dns-endpoint drops the CA', async () => {
    const internal = await run(
      wifInputs({ 'cluster-name': 'private-one', 'use-internal-ip': 'true' }),
    );
    const dns = await run(wifInputs({ 'cluster-name': 'private-one', 'use-dns-endpoint': 'true' }));
    try {
      expect(errorMessages(internal).join('\n')).toBe('');
      expect(internal.outputs['cluster-endpoint']).toBe(world.sim.url);
      expect(
        (await clientNodeNamespaces(internal.outputs['kubeconfig-path']!)).length,
      ).toBeGreaterThan(0);
      expect(dns.outputs['cluster-endpoint']).toBe(
        'https://gke-0123456789abcdef.us-central1.gke.goog',
      );
      expect(
        readKubeconfig(dns).clusters[0]!.cluster['certificate-authority-data'],
      ).toBeUndefined();
    } finally {
      internal.cleanup();
      dns.cleanup();
    }
  });

  it('cluster not found (404) names the cluster and what to check; nothing is left behind', async () => {
    const r = await run(wifInputs({ 'cluster-name': 'nope' }));
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(
        /^setup-cluster-auth: GKE cluster projects\/ml-project\/locations\/us-central1\/clusters\/nope was not found \(HTTP 404/,
      );
      expect(errorMessages(r).join('\n')).toContain("'location'");
      expect(r.outputs['kubeconfig-path']).toBeUndefined();
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
      expect(r.summary).toContain('failed');
    } finally {
      r.cleanup();
    }
  });

  it('an endpoint the API answers that is not a host (a path, a query) is refused, not written to the kubeconfig', async () => {
    const r = await run(wifInputs({ 'cluster-name': 'hostile' }));
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(
        /GKE cluster hostile endpoint from the server is not a valid value \(got "evil\.example\/steal\?x="\)/,
      );
      expect(r.outputs['cluster-endpoint']).toBeUndefined();
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('permission denied (403) says which permission is missing', async () => {
    // Direct federation: the federated principal has no container.clusters.get.
    const r = await run(wifInputs({ 'service-account': '', 'project-id': GKE_PROJECT }));
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toContain('Permission denied reading GKE cluster');
      expect(errorMessages(r).join('\n')).toContain('HTTP 403');
      expect(errorMessages(r).join('\n')).toContain('container.clusters.get');
    } finally {
      r.cleanup();
    }
  });

  it('impersonation refused by IAM fails with the Google error, and masks the OIDC request token', async () => {
    const r = await run(
      wifInputs({ 'service-account': 'other@ml-project.iam.gserviceaccount.com' }),
    );
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toContain('Google authentication');
      expect(errorMessages(r).join('\n')).toContain('iam.serviceAccounts.getAccessToken');
      expectNoLeak(r, [world.oidc.requestToken]);
    } finally {
      r.cleanup();
    }
  });
});
