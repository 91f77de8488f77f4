/**
 * provider eks, end to end: the real bundle against fakes of GitHub OIDC, AWS STS and EKS
 * (SigV4 checked independently); the cluster endpoint is an EKS-style authenticating front
 * of the Kubernetes simulator that verifies each `k8s-aws-v1.` token by replaying its
 * presigned GetCallerIdentity to the STS fake, as aws-iam-authenticator does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Kubeconfig } from '../../shared/kube/kubeconfig.ts';
import { errorMessages, runAction, type ActionRunResult } from '../harness/runner.ts';
import {
  EKS_REGION,
  ROLE_ARN,
  Scratch,
  clientNodeNamespaces,
  kubectl,
  runnerTempEntries,
  startEksWorld,
  type EksWorld,
} from './helpers.ts';

let world: EksWorld;
let scratch: Scratch;
let bareBin: string;
const CLUSTER_ARN = `arn:aws:eks:${EKS_REGION}:111122223333:cluster/prod`;

beforeAll(async () => {
  scratch = new Scratch();
  bareBin = scratch.bin();
  world = await startEksWorld(scratch);
});

afterAll(async () => {
  await world?.stop();
  scratch?.cleanup();
});

function keyEnv(id = world.user): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: id.accessKeyId, AWS_SECRET_ACCESS_KEY: id.secretAccessKey };
}

async function run(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  path = bareBin,
): Promise<ActionRunResult> {
  return runAction('setup-cluster-auth', {
    inputs: { provider: 'eks', 'cluster-name': 'prod', ...inputs },
    env: { PATH: path, ...world.sdkEnv(), ...env },
    keep: true,
    post: false,
  });
}

function readKubeconfig(r: ActionRunResult): Kubeconfig {
  return parse(readFileSync(r.outputs['kubeconfig-path']!, 'utf8')) as Kubeconfig;
}

describe('eks: keyless role-to-assume', () => {
  it('token mode: AssumeRoleWithWebIdentity, DescribeCluster, then kubectl and client-node get through the EKS authenticator', async () => {
    const r = await run(
      { region: EKS_REGION, 'role-to-assume': ROLE_ARN, namespace: 'models' },
      world.oidc.env(),
    );
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.outputs.context).toBe(CLUSTER_ARN);
      expect(r.outputs['cluster-endpoint']).toBe(world.proxy.url);
      expect(statSync(r.outputs['kubeconfig-path']!).mode & 0o777).toBe(0o600);
      expect(r.env.KUBECONFIG).toBe(r.outputs['kubeconfig-path']);
      expect(world.sts.assumed.at(-1)).toMatchObject({
        roleArn: ROLE_ARN,
        sessionName: 'GitHubActions',
      });
      expect(world.oidc.requests.at(-1)!.query.get('audience')).toBe('sts.amazonaws.com');

      const config = readKubeconfig(r);
      expect(config.clusters[0]).toEqual({
        name: CLUSTER_ARN,
        cluster: { server: world.proxy.url, 'certificate-authority-data': world.proxy.caData },
      });
      expect(config.contexts[0]).toEqual({
        name: CLUSTER_ARN,
        context: { cluster: CLUSTER_ARN, user: CLUSTER_ARN, namespace: 'models' },
      });
      const token = config.users[0]!.user.token!;
      expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);

      const k = await kubectl(
        scratch,
        r.outputs['kubeconfig-path']!,
        ['get', 'namespaces', '-o', 'name'],
        { PATH: bareBin },
      );
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/kube-system');
      expect(await clientNodeNamespaces(r.outputs['kubeconfig-path']!)).toContain('default');
      expect(world.proxy.authenticated.at(-1)).toBe(
        'arn:aws:sts::111122223333:assumed-role/deployer/GitHubActions',
      );

      expect(r.masks).toContain(token);
      const session = [...world.keys.keys.values()].filter((i) => i.sessionToken);
      for (const secret of [
        token,
        world.oidc.requestToken,
        ...session.flatMap((s) => [s.secretAccessKey, s.sessionToken!]),
      ]) {
        expect(r.maskedLog).not.toContain(secret);
        expect(r.summary).not.toContain(secret);
      }
      expect(r.log).toContain('expires at');
    } finally {
      r.cleanup();
    }
  });

  it('exec mode: kubectl runs the bundled command, which fetches a fresh OIDC token and assumes the role', async () => {
    const r = await run(
      { region: EKS_REGION, 'role-to-assume': ROLE_ARN, 'auth-mode': 'exec' },
      world.oidc.env(),
    );
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const exec = readKubeconfig(r).users[0]!.user.exec!;
      expect(exec.command).toBe(process.execPath);
      const assumedBefore = world.sts.assumed.length;
      // kubectl's environment has no OIDC or AWS variables: the config file carries what is needed.
      const k = await kubectl(
        scratch,
        r.outputs['kubeconfig-path']!,
        ['get', 'namespaces', '-o', 'name'],
        { PATH: bareBin },
      );
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/default');
      expect(world.sts.assumed.length).toBe(assumedBefore + 1);
      expect(await clientNodeNamespaces(r.outputs['kubeconfig-path']!)).toContain('kube-system');
    } finally {
      r.cleanup();
    }
  });
});

describe('eks: default credential chain', () => {
  it('exec mode with keys in the environment and AWS_REGION instead of the region input', async () => {
    const r = await run({ 'auth-mode': 'exec' }, { ...keyEnv(), AWS_REGION: EKS_REGION });
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const file = r.outputs['kubeconfig-path']!;
      expect(readFileSync(file, 'utf8')).not.toContain(world.user.secretAccessKey);
      const before = world.proxy.authenticated.length;
      // As in a later workflow step: the keys are in the environment (GITHUB_ENV).
      const k = await kubectl(scratch, file, ['get', 'namespaces', '-o', 'name'], {
        PATH: bareBin,
        ...keyEnv(),
      });
      expect(k.stderr).toBe('');
      expect(k.stdout).toContain('namespace/default');
      expect(world.proxy.authenticated.slice(before)).toContain(world.user.arn);
      expect(r.maskedLog).not.toContain(world.user.secretAccessKey);
    } finally {
      r.cleanup();
    }
  });

  it('exec mode with aws on PATH writes `aws eks get-token`, as aws eks update-kubeconfig does', async () => {
    const bin = scratch.bin({ aws: '/bin/true' });
    // A named profile, as `aws configure` leaves it (the SDK then skips the env keys).
    writeFileSync(
      world.sdkEnv().AWS_SHARED_CREDENTIALS_FILE!,
      `[ci]\naws_access_key_id = ${world.user.accessKeyId}\naws_secret_access_key = ${world.user.secretAccessKey}\n`,
    );
    const r = await run({ region: EKS_REGION, 'auth-mode': 'exec' }, { AWS_PROFILE: 'ci' }, bin);
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const config = readKubeconfig(r);
      // Same shape as aws-cli's tests/functional/eks/testdata/output_single (v2 @ 73fb33bb).
      expect(config.users[0]!.user.exec).toMatchObject({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: [
          '--region',
          EKS_REGION,
          'eks',
          'get-token',
          '--cluster-name',
          'prod',
          '--output',
          'json',
        ],
        env: [{ name: 'AWS_PROFILE', value: 'ci' }],
      });
    } finally {
      r.cleanup();
    }
  });

  it('token mode with the default chain', async () => {
    const r = await run({ region: EKS_REGION }, keyEnv());
    try {
      expect(errorMessages(r).join('\n')).toBe('');
      const k = await kubectl(scratch, r.outputs['kubeconfig-path']!, ['get', 'ns', '-o', 'name'], {
        PATH: bareBin,
      });
      expect(k.stdout).toContain('namespace/default');
      expect(world.proxy.authenticated.at(-1)).toBe(world.user.arn);
    } finally {
      r.cleanup();
    }
  });
});

describe('eks: failures', () => {
  it.each([
    [
      'cluster not found (404)',
      { 'cluster-name': 'gone' },
      world_user,
      /EKS cluster 'gone' was not found in region eu-west-1 \(HTTP 404/,
    ],
    [
      'permission denied (403)',
      {},
      () => world.denied,
      /Permission denied for EKS DescribeCluster on 'prod' .*HTTP 403.*eks:DescribeCluster/,
    ],
    [
      'cluster not ACTIVE',
      { 'cluster-name': 'fresh' },
      world_user,
      /EKS cluster 'fresh' is CREATING; it must be ACTIVE or UPDATING/,
    ],
    [
      'an endpoint that is not an https URL of a host (a hostile answer)',
      { 'cluster-name': 'hostile' },
      world_user,
      /EKS cluster 'hostile' endpoint from the server is not an https URL of a host \(got ".*"\); refusing to use it/,
    ],
  ])('%s', async (_name, inputs, id, message) => {
    const r = await run({ region: EKS_REGION, ...inputs }, keyEnv(id()));
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toMatch(message);
      expect(runnerTempEntries(r.runnerTemp)).toEqual([]);
    } finally {
      r.cleanup();
    }
  });

  it('a role that does not trust the repository fails with the STS error', async () => {
    const r = await run(
      { region: EKS_REGION, 'role-to-assume': 'arn:aws:iam::111122223333:role/other' },
      world.oidc.env(),
    );
    try {
      expect(r.exitCode).toBe(1);
      expect(errorMessages(r).join('\n')).toContain('AssumeRoleWithWebIdentity');
      expect(errorMessages(r).join('\n')).toContain('AccessDenied');
      expect(r.maskedLog).not.toContain(world.oidc.requestToken);
    } finally {
      r.cleanup();
    }
  });
});

function world_user() {
  return world.user;
}
