/**
 * Bad inputs per action, run through the real bundles (issue 9's figures): each must fail
 * cleanly — exit non-zero, one failure line naming the input or file, no stack trace, no
 * outputs, nothing written (render-manifests' output dir, setup-cluster-auth's RUNNER_TEMP and
 * KUBECONFIG export) and nothing sent to the cluster (rollout-and-verify, against a loopback
 * API server that counts requests); build-push-image leaves no credentials directory and no
 * state. Used by scripts/bench-bad-inputs.ts (`npm run bench`) and
 * test/e2e/bad-inputs.e2e.test.ts.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lastError, runAction } from './runner.ts';

export type ActionName =
  | 'render-manifests'
  | 'setup-cluster-auth'
  | 'rollout-and-verify'
  | 'build-push-image'
  | 'kfp-run-and-wait'
  | 'argocd-bump-image'
  | 'pr-deploy-comment'
  | 'analyze-release'
  | 'model-registry';

/** Actions whose server is the counting loopback server below: nothing may reach it. */
const SERVED: readonly ActionName[] = [
  'rollout-and-verify',
  'kfp-run-and-wait',
  'argocd-bump-image',
  'pr-deploy-comment',
  'analyze-release',
  'model-registry',
];

export interface BadInput {
  action: ActionName;
  name: string;
  inputs: Record<string, string>;
  /** The failure line must contain this (the input's name or the file). */
  names: string;
  /** And, where the exact wording matters, match this. */
  message?: RegExp;
  /** Files to create in the workspace (path → content; a value starting with `symlink:` links). */
  files?: Record<string, string>;
  /**
   * Files to create outside the workspace: the workspace is then `<root>/ws`, these go under
   * `<root>` (so `../x` from the workspace is `x` here), and `@ROOT@` in input values and
   * symlink targets stands for `<root>`.
   */
  outside?: Record<string, string>;
  env?: Record<string, string>;
}

export interface Outcome {
  case: BadInput;
  clean: boolean;
  /** Why it was not clean (empty when clean). */
  why: string[];
  failureLine: string;
  durationMs: number;
}

/** A Deployment whose image is the placeholder DOCKER_IMAGE_PLACEHOLDER (hostile tests reuse it). */
export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-server
spec:
  selector:
    matchLabels: {app: model-server}
  template:
    metadata:
      labels: {app: model-server}
    spec:
      containers:
        - name: server
          image: DOCKER_IMAGE_PLACEHOLDER
`;
const APP = { 'app/deployment.yaml': DEPLOYMENT };
const PH = { manifests: 'app', 'image-placeholder': 'DOCKER_IMAGE_PLACEHOLDER' };
const INJECTED = 'nginx:1", securityContext: {privileged: true}, imagePullPolicy: "Always';
const CM = (body: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${body}`;

const render: BadInput[] = (
  [
    { name: 'manifests missing', inputs: { manifests: '' }, names: "'manifests'" },
    { name: 'nothing matched', inputs: { manifests: 'nope/*.yaml' }, names: "'manifests'" },
    { name: 'image injection', inputs: { ...PH, image: INJECTED }, names: "'image'", files: APP },
    {
      name: 'image upper case',
      inputs: { ...PH, image: 'UPPER/Case:tag' },
      names: "'image'",
      files: APP,
    },
    {
      name: 'image space in tag',
      inputs: { ...PH, image: 'nginx:bad tag' },
      names: "'image'",
      files: APP,
    },
    {
      name: 'image bad digest',
      inputs: { ...PH, image: 'nginx@sha256:xyz' },
      names: "'image'",
      files: APP,
    },
    { name: 'image a:b:c:d', inputs: { ...PH, image: 'a:b:c:d' }, names: "'image'", files: APP },
    {
      name: 'image newline',
      inputs: { ...PH, image: 'nginx:1\nprivileged: true' },
      names: "'image'",
      files: APP,
    },
    {
      name: 'images upper case',
      inputs: { manifests: 'app', images: 'nginx=UPPER:1' },
      names: "'images'",
      files: APP,
    },
    {
      name: 'images bad digest',
      inputs: { manifests: 'app', images: 'nginx@sha256:xyz' },
      names: "'images'",
      files: APP,
    },
    {
      name: 'placeholder without image',
      inputs: { ...PH },
      names: "'image-placeholder'",
      files: APP,
    },
    {
      name: 'placeholder nowhere',
      inputs: { manifests: 'app', 'image-placeholder': 'NOPE', image: 'nginx:1' },
      names: "'image-placeholder'",
      files: APP,
    },
    {
      name: 'absolute path outside',
      inputs: { manifests: '/etc/hostname' },
      names: '/etc/hostname',
      message: /^render-manifests: Input 'manifests': .*\/etc\/hostname.* is outside the workspace/,
    },
    {
      name: '../ outside',
      inputs: { manifests: `${'../'.repeat(3)}etc/hostname` },
      names: 'etc/hostname',
      message: /Input 'manifests': .*is outside the workspace/,
    },
    {
      name: 'output-dir outside',
      inputs: { manifests: 'app', 'output-dir': '/proc/render-out' },
      names: "'output-dir'",
      files: APP,
    },
    {
      name: 'symlink to /proc/self/environ',
      inputs: { manifests: 'app' },
      names: 'app/env.yaml',
      message:
        /Input 'manifests': "app\/env\.yaml" resolves to \/proc\/(self|\d+)\/environ, outside the workspace/,
      files: { ...APP, 'app/env.yaml': 'symlink:/proc/self/environ' },
    },
    {
      name: 'kustomization loads ../',
      inputs: { manifests: 'k' },
      names: 'k',
      files: { 'k/kustomization.yaml': 'resources:\n  - /etc/hostname\n' },
    },
    {
      name: 'unresolved var (fail flag)',
      inputs: { manifests: 'c', 'fail-on-unresolved-vars': 'true' },
      names: 'c/cm.yaml',
      files: { 'c/cm.yaml': CM('  name: c\ndata:\n  a: ${X}\n') },
    },
    {
      name: 'var with no value',
      inputs: { manifests: 'c', vars: 'Y=1' },
      names: 'c/cm.yaml',
      files: { 'c/cm.yaml': CM('  name: c\ndata:\n  a: ${X}\n') },
    },
    {
      name: 'bad vars line',
      inputs: { manifests: 'c', vars: 'no equals' },
      names: "'vars'",
      files: { 'c/cm.yaml': CM('  name: c\n') },
    },
    {
      name: 'bad metadata.name',
      inputs: { manifests: 'c' },
      names: 'c/cm.yaml',
      files: { 'c/cm.yaml': CM('  name: "bad:name!"\n') },
    },
    {
      name: 'ConfigMap over 1 MiB',
      inputs: { manifests: 'c' },
      names: 'c/cm.yaml',
      files: { 'c/cm.yaml': CM(`  name: big\ndata:\n  a: ${'x'.repeat(1024 * 1024 + 1)}\n`) },
    },
    {
      name: 'alias bomb',
      inputs: { manifests: 'c' },
      names: 'c/bomb.yaml',
      files: {
        'c/bomb.yaml': CM(
          `  name: b\ndata:\n  a: &a ["x","x","x","x","x","x","x","x","x","x"]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
        ),
      },
    },
    {
      name: 'broken YAML',
      inputs: { manifests: 'c' },
      names: 'c/cm.yaml',
      files: { 'c/cm.yaml': 'a: [\n' },
    },
    {
      name: 'bad namespace',
      inputs: { manifests: 'app', namespace: 'Prod_NS' },
      names: "'namespace'",
      files: APP,
    },
    {
      name: 'bad kubernetes-version',
      inputs: { manifests: 'app', 'kubernetes-version': 'latest' },
      names: "'kubernetes-version'",
      files: APP,
    },
    {
      name: 'bad boolean',
      inputs: { manifests: 'app', 'allow-outside-workspace': 'yes' },
      names: "'allow-outside-workspace'",
      files: APP,
    },
  ] as Omit<BadInput, 'action'>[]
).map((c) => ({ ...c, action: 'render-manifests' as const }));

const OIDC = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
};
const KUBECONFIG_OK =
  'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t0k3n-secret}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\ncurrent-context: a\n';

const auth: BadInput[] = (
  [
    { name: 'provider missing', inputs: {}, names: "'provider'" },
    { name: 'unknown provider', inputs: { provider: 'openshift' }, names: "'provider'" },
    {
      name: 'gke without cluster-name',
      inputs: { provider: 'gke', location: 'us-central1' },
      names: "'cluster-name'",
    },
    {
      name: 'gke without location',
      inputs: { provider: 'gke', 'cluster-name': 'prod' },
      names: "'location'",
    },
    {
      name: 'gke bad workload-identity-provider',
      inputs: {
        provider: 'gke',
        'cluster-name': 'prod',
        location: 'l',
        'workload-identity-provider': 'nope',
      },
      names: "'workload-identity-provider'",
      env: OIDC,
    },
    {
      name: 'gke credentials-json not JSON',
      inputs: {
        provider: 'gke',
        'cluster-name': 'prod',
        location: 'l',
        'credentials-json': '{not json',
      },
      names: "'credentials-json'",
    },
    {
      name: 'gke bad google-api-endpoints',
      inputs: {
        provider: 'gke',
        'cluster-name': 'prod',
        location: 'l',
        'google-api-endpoints': 'container=ftp://x',
      },
      names: "'google-api-endpoints'",
    },
    {
      name: 'eks without region',
      inputs: { provider: 'eks', 'cluster-name': 'prod' },
      names: "'region'",
    },
    {
      name: 'eks bad role-to-assume',
      inputs: {
        provider: 'eks',
        'cluster-name': 'prod',
        region: 'us-east-1',
        'role-to-assume': 'not-an-arn',
      },
      names: "'role-to-assume'",
      env: OIDC,
    },
    {
      name: 'bad auth-mode',
      inputs: {
        provider: 'eks',
        'cluster-name': 'prod',
        region: 'us-east-1',
        'auth-mode': 'magic',
      },
      names: "'auth-mode'",
    },
    {
      name: 'aks without tenant-id',
      inputs: {
        provider: 'aks',
        'cluster-name': 'prod',
        'resource-group': 'ml-rg',
        'subscription-id': '00000000-1111-2222-3333-444444444444',
        'client-id': '11111111-2222-3333-4444-555555555555',
      },
      names: "'tenant-id'",
      env: OIDC,
    },
    {
      name: 'aks keyless without id-token permission',
      inputs: {
        provider: 'aks',
        'cluster-name': 'prod',
        'resource-group': 'ml-rg',
        'subscription-id': '00000000-1111-2222-3333-444444444444',
        'client-id': '11111111-2222-3333-4444-555555555555',
        'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
      },
      names: "'client-id'",
      message: /permissions: id-token: write/,
    },
    { name: 'kubeconfig missing', inputs: { provider: 'kubeconfig' }, names: "'kubeconfig'" },
    {
      name: 'kubeconfig garbage',
      inputs: { provider: 'kubeconfig', kubeconfig: 's3cr3t%%%' },
      names: "'kubeconfig'",
    },
    {
      name: 'kubeconfig not YAML',
      inputs: { provider: 'kubeconfig', kubeconfig: 'a: [\nb: 1' },
      names: "'kubeconfig'",
    },
    {
      name: 'kubeconfig unknown context',
      inputs: { provider: 'kubeconfig', kubeconfig: KUBECONFIG_OK, context: 'prod' },
      names: "context 'prod'",
    },
    {
      name: 'bad namespace',
      inputs: { provider: 'kubeconfig', kubeconfig: KUBECONFIG_OK, namespace: 'Bad_NS' },
      names: "'namespace'",
    },
  ] as Omit<BadInput, 'action'>[]
).map((c) => ({ ...c, action: 'setup-cluster-auth' as const }));

const rollout: BadInput[] = (
  [
    { name: 'manifests missing', inputs: { manifests: '' }, names: "'manifests'" },
    { name: 'nothing matched', inputs: { manifests: 'nope.yaml' }, names: "'manifests'" },
    {
      name: 'absolute path outside',
      inputs: { manifests: '/etc/hostname' },
      names: '/etc/hostname',
    },
    {
      name: 'symlink to /proc/self/environ',
      inputs: { manifests: 'app' },
      names: 'app/env.yaml',
      files: { ...APP, 'app/env.yaml': 'symlink:/proc/self/environ' },
    },
    {
      name: 'a kustomization',
      inputs: { manifests: 'k' },
      names: "'manifests'",
      files: { 'k/kustomization.yaml': 'resources: []\n' },
    },
    {
      name: 'broken YAML',
      inputs: { manifests: 'c' },
      names: 'c/cm.yaml',
      files: { 'c/cm.yaml': 'a: [\n' },
    },
    {
      name: 'bad namespace',
      inputs: { manifests: 'app', namespace: 'Bad_NS' },
      names: "'namespace'",
      files: APP,
    },
    {
      name: 'bad timeout',
      inputs: { manifests: 'app', timeout: 'forever' },
      names: "'timeout'",
      files: APP,
    },
    {
      name: 'bad boolean',
      inputs: { manifests: 'app', apply: 'yes' },
      names: "'apply'",
      files: APP,
    },
    {
      name: 'bad smoke-url',
      inputs: { manifests: 'app', 'smoke-url': 'ftp://x' },
      names: "'smoke-url'",
      files: APP,
    },
    {
      name: 'bad smoke-path',
      inputs: { manifests: 'app', 'smoke-url': 'http://127.0.0.1:9', 'smoke-path': 'x' },
      names: "'smoke-path'",
      files: APP,
    },
    {
      name: 'bad smoke-expect-status',
      inputs: { manifests: 'app', 'smoke-url': 'http://127.0.0.1:9', 'smoke-expect-status': 'ok' },
      names: "'smoke-expect-status'",
      files: APP,
    },
    {
      name: 'kubeconfig missing file',
      inputs: { manifests: 'app', kubeconfig: 'nope/kubeconfig' },
      names: 'nope/kubeconfig',
      files: APP,
    },
    {
      name: 'bad finish-canary',
      inputs: { 'finish-canary': 'undo', 'inference-service': 'iris' },
      names: "'finish-canary'",
    },
    {
      name: 'finish-canary with manifests',
      inputs: { 'finish-canary': 'rollback', 'inference-service': 'iris', manifests: 'app' },
      names: "'manifests'",
      files: APP,
    },
    {
      name: 'bad inference-service',
      inputs: { 'finish-canary': 'promote', 'inference-service': 'a/b/c' },
      names: "'inference-service'",
    },
    {
      name: 'finish-canary with an input only an apply uses',
      inputs: { 'finish-canary': 'rollback', 'inference-service': 'iris', rollback: 'false' },
      names: "'rollback'",
    },
  ] as Omit<BadInput, 'action'>[]
).map((c) => ({ ...c, action: 'rollout-and-verify' as const }));

const DOCKERFILE = { Dockerfile: 'FROM scratch\n' };
const CONFINED = { image: 'ghcr.io/org/app', builder: 'docker', push: 'false' };
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
const build: BadInput[] = (
  [
    { name: 'image missing', inputs: {}, names: "'image'", files: DOCKERFILE },
    {
      name: 'image with a tag',
      inputs: { image: 'ghcr.io/org/app:v1' },
      names: "'image'",
      files: DOCKERFILE,
    },
    {
      name: 'image with a digest',
      inputs: { image: `ghcr.io/org/app@sha256:${'a'.repeat(64)}` },
      names: "'image'",
      files: DOCKERFILE,
    },
    {
      name: 'image upper case',
      inputs: { image: 'ghcr.io/Org/App' },
      names: "'image'",
      files: DOCKERFILE,
    },
    {
      name: 'unknown builder',
      inputs: { image: 'ghcr.io/org/app', builder: 'kaniko' },
      names: "'builder'",
      files: DOCKERFILE,
    },
    {
      name: 'Dockerfile missing',
      inputs: { image: 'ghcr.io/org/app' },
      names: "'file'",
    },
    {
      name: 'file missing',
      inputs: { image: 'ghcr.io/org/app', file: 'docker/Dockerfile.gpu' },
      names: "'file'",
      files: DOCKERFILE,
    },
    {
      name: 'build-args as options',
      inputs: { image: 'ghcr.io/org/app', 'build-args': '--privileged' },
      names: "'build-args'",
      files: DOCKERFILE,
    },
    {
      name: 'bad tag rule',
      inputs: { image: 'ghcr.io/org/app', tags: 'latest' },
      names: "'tags'",
      files: DOCKERFILE,
    },
    {
      name: 'username without password',
      inputs: { image: 'ghcr.io/org/app', username: 'octocat' },
      names: "'username'",
      files: DOCKERFILE,
    },
    {
      name: 'scan without push',
      inputs: { image: 'ghcr.io/org/app', scan: 'trivy', push: 'false' },
      names: "'scan'",
      files: DOCKERFILE,
    },
    {
      name: 'bad scan-fail-on',
      inputs: { image: 'ghcr.io/org/app', 'scan-fail-on': 'SEVERE' },
      names: "'scan-fail-on'",
      files: DOCKERFILE,
    },
    // Paths that lead out of the workspace (issue 20). Should the check ever be missed, the
    // build fails at once on a docker socket that is not there, never reaching a registry.
    {
      name: 'context ../x',
      inputs: { ...CONFINED, context: '../x' },
      env: NO_DOCKER,
      names: "'context'",
      message: /"\.\.\/x" is outside the workspace .*allow-outside-workspace/,
      outside: { 'x/Dockerfile': 'FROM scratch\n' },
    },
    {
      name: 'context absolute, outside',
      inputs: { ...CONFINED, context: '@ROOT@/x' },
      env: NO_DOCKER,
      names: "'context'",
      message: /is outside the workspace/,
      outside: { 'x/Dockerfile': 'FROM scratch\n' },
    },
    {
      name: 'context a symlink to a directory outside',
      inputs: { ...CONFINED, context: 'ctx' },
      env: NO_DOCKER,
      names: "'context'",
      message: /"ctx" resolves to .*, outside the workspace/,
      files: { ctx: 'symlink:@ROOT@/x' },
      outside: { 'x/Dockerfile': 'FROM scratch\n' },
    },
    {
      name: 'file a symlink to /proc/self/environ',
      inputs: { ...CONFINED, file: 'Dockerfile.env' },
      env: NO_DOCKER,
      names: "'file'",
      message: /kernel pseudo-file/,
      files: { ...DOCKERFILE, 'Dockerfile.env': 'symlink:/proc/self/environ' },
    },
    {
      name: 'Dockerfile in the context a symlink to /proc/self/environ',
      inputs: { ...CONFINED },
      env: NO_DOCKER,
      names: "'file'",
      message: /kernel pseudo-file/,
      files: { Dockerfile: 'symlink:/proc/self/environ' },
    },
    {
      name: 'file ../Dockerfile',
      inputs: { ...CONFINED, file: '../Dockerfile' },
      env: NO_DOCKER,
      names: "'file'",
      message: /"\.\.\/Dockerfile" is outside the workspace/,
      files: DOCKERFILE,
      outside: { Dockerfile: 'FROM scratch\n' },
    },
    {
      name: 'ACR client-id without tenant-id',
      inputs: {
        image: 'mlregistry.azurecr.io/iris',
        'client-id': '11111111-2222-3333-4444-555555555555',
      },
      names: "'tenant-id'",
      env: OIDC,
    },
    {
      name: 'ACR keyless without id-token permission',
      inputs: {
        image: 'mlregistry.azurecr.io/iris',
        'client-id': '11111111-2222-3333-4444-555555555555',
        'tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
      },
      names: "'client-id'",
      message: /permissions: id-token: write/,
    },
  ] as Omit<BadInput, 'action'>[]
).map((c) => ({ ...c, action: 'build-push-image' as const }));

/**
 * Path inputs of the actions that read a file the user names (issue 20): a pull request can
 * carry a symlink, so each is confined to the workspace (and RUNNER_TEMP) after resolving it,
 * and never reads the kernel's pseudo-files even when `allow-outside-workspace` lifts that.
 */
const OUTSIDE = `${'../'.repeat(8)}etc/hostname`;
const ENVIRON = { 'notes.md': 'symlink:/proc/self/environ' };
const ESCAPE = { 'escape.md': 'symlink:/etc/hostname' };
const pathCases = (
  action: ActionName,
  input: string,
  base: Record<string, string>,
  files: Record<string, string> = {},
): BadInput[] => [
  {
    action,
    name: `${input}: ../ outside`,
    inputs: { ...base, [input]: OUTSIDE },
    names: `'${input}'`,
    message: new RegExp(`Input '${input}': "[./]*etc/hostname" is outside the workspace`),
    files,
  },
  {
    action,
    name: `${input}: absolute path outside`,
    inputs: { ...base, [input]: '/etc/hostname' },
    names: `'${input}'`,
    message: new RegExp(`Input '${input}': "/etc/hostname" is outside the workspace`),
    files,
  },
  {
    action,
    name: `${input}: symlink out of the workspace`,
    inputs: { ...base, [input]: 'escape.md' },
    names: `'${input}'`,
    message: new RegExp(`Input '${input}': "escape\\.md" resolves to /etc/hostname, outside`),
    files: { ...files, ...ESCAPE },
  },
  {
    action,
    name: `${input}: symlink to /proc/self/environ, even with allow-outside-workspace`,
    inputs: { ...base, [input]: 'notes.md', 'allow-outside-workspace': 'true' },
    names: `'${input}'`,
    message: new RegExp(
      `Input '${input}': "notes\\.md" resolves to /proc/(self|\\d+)/environ, a kernel pseudo-file`,
    ),
    files: { ...files, ...ENVIRON },
  },
];

const COMMENT = { status: 'success', 'pr-number': '7', token: 'ghs_badinputsweep' };
const KFP = { host: 'SERVER' };
const paths: BadInput[] = [
  ...pathCases('pr-deploy-comment', 'body-file', COMMENT),
  ...pathCases('pr-deploy-comment', 'metrics', COMMENT),
  ...pathCases('pr-deploy-comment', 'metrics-baseline', {
    ...COMMENT,
    metrics: '{"accuracy": 0.9}',
  }),
  ...pathCases('kfp-run-and-wait', 'pipeline-file', KFP),
  {
    action: 'setup-cluster-auth',
    name: 'kubeconfig: a path is not read (the input holds the kubeconfig itself)',
    inputs: { provider: 'kubeconfig', kubeconfig: '/proc/self/environ' },
    names: "'kubeconfig'",
    message: /neither kubeconfig YAML nor base64 of it/,
  },
  ...(['/etc/hostname', '../outside.yaml', 'apps/../../x.yaml'] as const).map((file): BadInput => ({
    action: 'argocd-bump-image',
    name: `files: ${file}`,
    inputs: { repository: 'SERVER/org/config.git', token: 't', files: file, image: 'r/app:v2' },
    names: "'files'",
    message: /Input 'files': ".*" must be a path relative to the root of the repository, inside it/,
  })),
  {
    action: 'argocd-bump-image',
    name: 'storage-uri: an MLflow URI with a line break (never a workflow command)',
    inputs: {
      repository: 'SERVER/org/config.git',
      token: 't',
      files: 'isvc.yaml',
      image: 'r/app:v2',
      'storage-uri': 'mlflow-artifacts:/1/abc\n::error::injected',
    },
    names: "'storage-uri'",
    message: /Input 'storage-uri' must be one URI/,
  },
];

/** pr-deploy-comment's Slack inputs: the Slack API is the counting server too. */
const SLACK = { ...COMMENT, 'slack-api-url': 'SERVER/api/' };
const slack: BadInput[] = (
  [
    {
      name: 'slack-token without slack-channel',
      inputs: { 'slack-token': 'xoxb-1-2-sweepSecret' },
      names: "'slack-token'",
    },
    {
      name: 'slack-channel is a name, not an id',
      inputs: { 'slack-token': 'xoxb-1-2-sweepSecret', 'slack-channel': '#deploys' },
      names: "'slack-channel'",
    },
    {
      name: 'slack-token is not a token (not echoed)',
      inputs: { 'slack-token': 'hooks.slack.com/sweepSecret', 'slack-channel': 'C0123ABCD' },
      names: "'slack-token'",
      message: /the value is not shown because it is a secret/,
    },
    {
      name: 'slack-token and slack-webhook-url both set',
      inputs: {
        'slack-token': 'xoxb-1-2-sweepSecret',
        'slack-channel': 'C0123ABCD',
        'slack-webhook-url': 'SERVER/services/T/B/sweepSecret',
      },
      names: "'slack-token'",
    },
    {
      name: 'slack-webhook-url over plain http to another host (not echoed)',
      inputs: { 'slack-webhook-url': 'http://hooks.example.com/services/T/B/sweepSecret' },
      names: "'slack-webhook-url'",
      message: /the value is not shown because it is a secret/,
    },
    {
      name: 'slack-channel without slack-token',
      inputs: { 'slack-channel': 'C0123ABCD' },
      names: "'slack-channel'",
    },
    {
      name: 'slack-api-url not http',
      inputs: {
        'slack-token': 'xoxb-1-2-sweepSecret',
        'slack-channel': 'C0123ABCD',
        'slack-api-url': 'file:///etc/passwd',
      },
      names: "'slack-api-url'",
    },
  ] as const
).map((c): BadInput => ({ action: 'pr-deploy-comment', ...c, inputs: { ...SLACK, ...c.inputs } }));

/** analyze-release: its `url` is the counting server (SERVER), so nothing may be loaded. */
const ANALYZE = { url: 'SERVER', duration: '1s', warmup: '0s' };
const analyze: BadInput[] = (
  [
    { name: 'no url', inputs: { rate: '5' }, names: "'url'" },
    { name: 'url not http', inputs: { url: 'file:///etc/passwd' }, names: "'url'" },
    {
      name: 'rate and concurrency',
      inputs: { ...ANALYZE, rate: '5', concurrency: '2' },
      names: "'rate'",
    },
    { name: 'rate not a number', inputs: { ...ANALYZE, rate: 'fast' }, names: "'rate'" },
    {
      name: 'max-latency',
      inputs: { ...ANALYZE, 'max-latency': 'p95>1s' },
      names: "'max-latency'",
    },
    {
      name: 'max-regression without baseline',
      inputs: { ...ANALYZE, 'max-regression': 'p95:10%' },
      names: "'max-regression'",
    },
    {
      name: 'header without a name',
      inputs: { ...ANALYZE, headers: ': value' },
      names: "'headers'",
    },
    { name: 'hpa not a name', inputs: { ...ANALYZE, hpa: 'a/b/c' }, names: "'hpa'" },
    { name: 'url and service', inputs: { ...ANALYZE, service: 'iris' }, names: "'service'" },
    { name: 'service bad name', inputs: { service: 'Iris/../x' }, names: "'service'" },
    {
      name: 'bad PromQL condition',
      inputs: {
        ...ANALYZE,
        'prometheus-url': 'SERVER',
        queries: '- {name: e, query: up, condition: "~ 1"}',
      },
      names: "'queries'",
    },
    {
      name: 'metrics only with a load input',
      inputs: {
        'prometheus-url': 'SERVER',
        queries: '- {name: e, query: up, condition: "< 1"}',
        rate: '5',
      },
      names: "'rate'",
    },
    {
      name: 'metrics-only evaluations with a load',
      inputs: {
        ...ANALYZE,
        'prometheus-url': 'SERVER',
        queries: '- {name: e, query: up, condition: "< 1"}',
        evaluations: '3',
      },
      names: "'evaluations'",
    },
  ] as Omit<BadInput, 'action'>[]
)
  .map((c): BadInput => ({ action: 'analyze-release', ...c }))
  .concat(pathCases('analyze-release', 'requests', ANALYZE));

/** model-registry: its `tracking-uri` is the counting server, so no request may reach MLflow. */
const REGISTRY = { 'tracking-uri': 'SERVER', 'model-name': 'iris', token: 't0ken' };
const registry: BadInput[] = (
  [
    {
      name: 'no tracking-uri',
      inputs: { 'model-name': 'iris', version: '1' },
      names: "'tracking-uri'",
    },
    {
      name: 'tracking-uri plain http off loopback',
      inputs: { ...REGISTRY, 'tracking-uri': 'http://mlflow.example.com', version: '1' },
      names: "'tracking-uri'",
    },
    { name: 'no version selector', inputs: { ...REGISTRY }, names: "'version'" },
    {
      name: 'two selectors',
      inputs: { ...REGISTRY, version: '1', alias: 'champion' },
      names: "'version'",
    },
    { name: 'version not a number', inputs: { ...REGISTRY, version: '1.0' }, names: "'version'" },
    { name: 'reserved alias', inputs: { ...REGISTRY, alias: 'latest' }, names: "'alias'" },
    {
      name: 'model name with a quote (search filter)',
      inputs: { ...REGISTRY, 'model-name': "iris' or name='x", version: '1' },
      names: "'model-name'",
    },
    {
      name: 'token and password',
      inputs: { ...REGISTRY, version: '1', username: 'u', password: 'p' },
      names: "'token'",
    },
    {
      name: 'min-metrics',
      inputs: { ...REGISTRY, version: '1', 'min-metrics': 'accuracy=>0.9' },
      names: "'min-metrics'",
    },
    {
      name: 'must-beat without min-metrics',
      inputs: { ...REGISTRY, version: '1', 'must-beat': 'champion' },
      names: "'must-beat'",
    },
    {
      name: 'tolerance',
      inputs: { ...REGISTRY, version: '1', 'min-metrics': 'a>=1', tolerance: '-1' },
      names: "'tolerance'",
    },
    {
      name: 'promote without promote-to',
      inputs: { ...REGISTRY, version: '1', operation: 'promote' },
      names: "'promote-to'",
    },
    {
      name: 'promote image-ref',
      inputs: {
        ...REGISTRY,
        version: '1',
        operation: 'promote',
        'promote-to': 'champion',
        'image-ref': 'x y',
      },
      names: "'image-ref'",
    },
    {
      name: 'rollback without version or force',
      inputs: { ...REGISTRY, operation: 'rollback', 'promote-to': 'champion' },
      names: "'version'",
    },
    { name: 'timeout', inputs: { ...REGISTRY, version: '1', timeout: 'soon' }, names: "'timeout'" },
  ] as Omit<BadInput, 'action'>[]
).map((c): BadInput => ({ action: 'model-registry', ...c }));

export const BAD_INPUTS: readonly BadInput[] = [
  ...render,
  ...auth,
  ...rollout,
  ...build,
  ...paths,
  ...slack,
  ...analyze,
  ...registry,
];

/** A loopback "API server" that answers 500 to everything and counts what it was sent. */
async function countingServer(): Promise<{ server: Server; url: string; count(): number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => requests,
  };
}

function writeFiles(
  dir: string,
  files: Record<string, string>,
  place: (v: string) => string,
): void {
  for (const [file, content] of Object.entries(files)) {
    const abs = path.join(dir, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    if (content.startsWith('symlink:')) symlinkSync(place(content.slice('symlink:'.length)), abs);
    else writeFileSync(abs, content);
  }
}

/** Runs one case and judges it. */
export async function runBadInput(c: BadInput): Promise<Outcome> {
  const root = c.outside ? mkdtempSync(path.join(tmpdir(), 'bad-root-')) : undefined;
  const workspace = root ? path.join(root, 'ws') : mkdtempSync(path.join(tmpdir(), 'bad-ws-'));
  const place = (v: string): string => (root ? v.replaceAll('@ROOT@', root) : v);
  const api = SERVED.includes(c.action) ? await countingServer() : undefined;
  try {
    mkdirSync(workspace, { recursive: true });
    writeFiles(workspace, c.files ?? {}, place);
    if (root) writeFiles(root, c.outside ?? {}, place);
    const env: Record<string, string> = { ...c.env };
    if (api) {
      const kubeconfig = path.join(workspace, '.kubeconfig');
      writeFileSync(
        kubeconfig,
        `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${api.url}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: a, context: {cluster: c, user: u, namespace: default}}]\ncurrent-context: a\n`,
      );
      env.KUBECONFIG = kubeconfig;
    }
    if (api && c.action !== 'rollout-and-verify') {
      env.GITHUB_API_URL = api.url;
      env.GITHUB_SERVER_URL = api.url;
      env.GITHUB_REPOSITORY = 'org/app';
    }
    const given = Object.fromEntries(
      Object.entries(c.inputs).map(([k, v]) => [k, place(api ? v.replace('SERVER', api.url) : v)]),
    );
    const inputs = c.action === 'render-manifests' ? { 'output-dir': 'out', ...given } : given;
    const r = await runAction(c.action, { inputs, env, workspace, keep: true, post: false });
    try {
      const line = lastError(r);
      const why: string[] = [];
      if (r.exitCode === 0) why.push('exit 0');
      if (!line.startsWith(`${c.action}: `)) why.push('no failure line');
      if (
        !(line.split('\n')[0] ?? '').includes(c.names) &&
        !r.annotations.some((a) => a.level === 'error' && a.properties.file?.includes(c.names))
      )
        why.push(`failure line does not name ${c.names}`);
      if (c.message && !c.message.test(line)) why.push(`failure line does not match ${c.message}`);
      if (/\n\s+at /.test(r.log)) why.push('stack trace in the log');
      // rollout-and-verify reports status=failed and failure-reason by contract; nothing else.
      const allowed = c.action === 'rollout-and-verify' ? ['status', 'failure-reason'] : [];
      const extra = Object.keys(r.outputs).filter((k) => !allowed.includes(k));
      if (extra.length > 0) why.push(`outputs set: ${extra.join(', ')}`);
      if (r.outputs.status !== undefined && r.outputs.status !== 'failed')
        why.push(`status ${r.outputs.status}`);
      const out = path.join(workspace, 'out');
      if (existsSync(out) && readdirSync(out).length > 0) why.push('output written');
      if (c.action === 'build-push-image') {
        if (readdirSync(r.runnerTemp).length > 0) why.push('files left in RUNNER_TEMP');
        if (Object.keys(r.state).length > 0) why.push('state saved for the post step');
      }
      if (c.action === 'setup-cluster-auth') {
        if (readdirSync(r.runnerTemp).length > 0) why.push('files left in RUNNER_TEMP');
        if (r.env.KUBECONFIG) why.push('KUBECONFIG exported');
      }
      if (api && api.count() > 0) why.push(`${api.count()} request(s) sent to the server`);
      return { case: c, clean: why.length === 0, why, failureLine: line, durationMs: r.durationMs };
    } finally {
      r.cleanup();
    }
  } finally {
    api?.server.close();
    rmSync(root ?? workspace, { recursive: true, force: true });
  }
}

/** Runs every case (one at a time: the bundles are the unit). */
export async function runBadInputs(cases: readonly BadInput[] = BAD_INPUTS): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const c of cases) outcomes.push(await runBadInput(c));
  return outcomes;
}

/** Per action: tried, failed cleanly. */
export function tally(
  outcomes: readonly Outcome[],
): Record<ActionName, { tried: number; clean: number }> {
  const result = {} as Record<ActionName, { tried: number; clean: number }>;
  for (const o of outcomes) {
    const t = (result[o.case.action] ??= { tried: 0, clean: 0 });
    t.tried++;
    if (o.clean) t.clean++;
  }
  return result;
}
