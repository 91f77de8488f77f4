/**
 * setup-cluster-auth as named phases over a SetupReport: mask the input credentials, check a
 * given kubeconfig, make the directory, get cluster access from the provider, write the
 * kubeconfig (0600, in its own directory under RUNNER_TEMP, recorded in state for the post
 * step), export KUBECONFIG. Each provider's SDK is imported only on its own path.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { singleClusterKubeconfig, writeKubeconfig } from '../../shared/kube/kubeconfig.ts';
import { phase, type Phase } from '../../shared/phases.ts';
import type { ClusterAccess, ProviderDeps } from './access.ts';
import type { SetupInputs } from './inputs.ts';
import { DIR_PREFIX, kubeconfigDirState } from './cleanup.ts';
import { serviceAccountKeySecrets } from './credential-config.ts';
import type { SetupContext, SetupReport } from './report.ts';

export { DIR_PREFIX, kubeconfigDirState };
export type { RunDeps, SetupContext, SetupReport, SetupResult } from './report.ts';

function maskInputs({ inputs, logger }: SetupContext): void {
  if (inputs.provider === 'gke' && inputs.credentials.kind === 'wif')
    logger.secret(inputs.credentials.oidc.token);
  if (inputs.provider === 'gke' && inputs.credentials.kind === 'key')
    for (const s of serviceAccountKeySecrets(inputs.credentials.json)) logger.secret(s);
  if (inputs.provider === 'eks' && inputs.credentials.kind === 'role')
    logger.secret(inputs.credentials.oidc.token);
  if (inputs.provider === 'aks' && inputs.credentials.kind === 'oidc')
    logger.secret(inputs.credentials.oidc.token);
  if (inputs.provider === 'aks' && inputs.credentials.kind === 'secret')
    logger.secret(inputs.credentials.secret);
  // provider kubeconfig: givenKubeconfig masks its credentials (values, not the document).
}

/** Validated before anything is written. */
async function checkGivenKubeconfig(ctx: SetupContext, report: SetupReport): Promise<void> {
  if (ctx.inputs.provider !== 'kubeconfig') return;
  report.given = (await import('./kubeconfig-input.ts')).givenKubeconfig(ctx.inputs, ctx.logger);
}

async function makeDirectory(ctx: SetupContext, report: SetupReport): Promise<void> {
  const dir = await mkdtemp(path.join(ctx.inputs.tempDir, DIR_PREFIX));
  await chmod(dir, 0o700);
  kubeconfigDirState.save(ctx.state, dir);
  report.dir = dir;
}

async function providerAccess(inputs: SetupInputs, deps: ProviderDeps): Promise<ClusterAccess> {
  if (inputs.provider === 'gke') return (await import('./gke.ts')).gkeAccess(inputs, deps);
  if (inputs.provider === 'eks') return (await import('./eks.ts')).eksAccess(inputs, deps);
  if (inputs.provider === 'aks') return (await import('./aks.ts')).aksAccess(inputs, deps);
  throw new Error(`no cluster access for provider ${inputs.provider}`);
}

async function getClusterAccess(ctx: SetupContext, report: SetupReport): Promise<void> {
  const { inputs, logger } = ctx;
  if (report.given) {
    report.config = report.given.config;
    report.access = {
      provider: 'kubeconfig',
      context: report.given.context,
      endpoint: report.given.server,
      credentials: 'the given kubeconfig',
    };
    return;
  }
  const access = await providerAccess(inputs, { ...ctx, dir: report.dir ?? '' });
  if (access.user.token) logger.secret(access.user.token);
  report.config = singleClusterKubeconfig({
    name: access.entryName,
    context: access.context,
    server: access.server,
    ...(access.caData ? { caData: access.caData } : {}),
    user: access.user,
    ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
  });
  report.files = access.files;
  report.access = {
    provider: inputs.provider,
    context: access.context,
    endpoint: access.server,
    credentials: access.credentials,
    ...(access.plugin ? { plugin: access.plugin } : {}),
    ...(access.expiresAt ? { expiresAt: access.expiresAt } : {}),
  };
}

async function writeKubeconfigFiles(ctx: SetupContext, report: SetupReport): Promise<void> {
  const { dir, config, access } = report;
  if (!dir || !config || !access) throw new Error('setup-cluster-auth: no cluster access to write');
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  // The files hold credentials already masked (the key's secrets, the OIDC request token):
  // masking the documents themselves would mask every line of JSON.
  for (const f of report.files) await writeFile(f.path, f.content, { mode: 0o600 });
  await writeKubeconfig(kubeconfigPath, config);
  ctx.logger.info(
    `Wrote kubeconfig ${kubeconfigPath} (context ${access.context}, server ${access.endpoint})`,
  );
  const namespace = ctx.inputs.namespace;
  report.result = { ...access, kubeconfigPath, ...(namespace ? { namespace } : {}) };
}

/** Nothing half-written stays behind when a phase fails (post would remove it too). */
function removingDirOnFailure(run: Phase<SetupContext, SetupReport>['run']) {
  return async (ctx: SetupContext, report: SetupReport): Promise<void> => {
    try {
      await run(ctx, report);
    } catch (error) {
      if (report.dir) await rm(report.dir, { recursive: true, force: true });
      throw error;
    }
  };
}

function exportKubeconfig(ctx: SetupContext, report: SetupReport): void {
  const result = report.result;
  if (!result) return;
  ctx.exportVariable('KUBECONFIG', result.kubeconfigPath);
  // Terraform's and Helm's Kubernetes providers read this one.
  ctx.exportVariable('KUBE_CONFIG_PATH', result.kubeconfigPath);
  ctx.logger.info(`KUBECONFIG=${result.kubeconfigPath} (context ${result.context})`);
}

export const setupPhases: readonly Phase<SetupContext, SetupReport>[] = [
  phase('mask inputs', maskInputs),
  phase('check kubeconfig', checkGivenKubeconfig, (ctx) => ctx.inputs.provider === 'kubeconfig'),
  phase('make directory', makeDirectory),
  phase('get cluster access', removingDirOnFailure(getClusterAccess)),
  phase('write kubeconfig', removingDirOnFailure(writeKubeconfigFiles)),
  phase('export KUBECONFIG', exportKubeconfig),
];
