/**
 * setup-cluster-auth's logic: credentials for the chosen provider, then a kubeconfig (0600)
 * in its own directory under RUNNER_TEMP, recorded in state for the post step. Each provider's
 * SDK is imported only on its own path.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { HttpClient } from '../../shared/http.ts';
import {
  singleClusterKubeconfig,
  writeKubeconfig,
  type Kubeconfig,
} from '../../shared/kube/kubeconfig.ts';
import type { Logger } from '../../shared/logger.ts';
import type { StateStore } from '../../shared/state.ts';
import type { ClusterAccess, ProviderDeps } from './access.ts';
import type { SetupInputs } from './inputs.ts';

import { DIR_PREFIX, kubeconfigDirState } from './cleanup.ts';
import { serviceAccountKeySecrets } from './credential-config.ts';

export { DIR_PREFIX, kubeconfigDirState };

export interface RunDeps {
  logger: Logger;
  state: StateStore;
  http: HttpClient;
  env: NodeJS.ProcessEnv;
  which(command: string): string | undefined;
  userAgent: string;
  execCredential: { node: string; script: string };
  now(): Date;
}

export interface SetupResult {
  provider: SetupInputs['provider'];
  kubeconfigPath: string;
  context: string;
  endpoint: string;
  namespace?: string;
  credentials: string;
  plugin?: string;
  expiresAt?: Date;
}

function maskInputs(inputs: SetupInputs, logger: Logger): void {
  if (inputs.provider === 'gke' && inputs.credentials.kind === 'wif')
    logger.secret(inputs.credentials.oidc.token);
  if (inputs.provider === 'gke' && inputs.credentials.kind === 'key')
    for (const s of serviceAccountKeySecrets(inputs.credentials.json)) logger.secret(s);
  if (inputs.provider === 'eks' && inputs.credentials.kind === 'role')
    logger.secret(inputs.credentials.oidc.token);
  // provider kubeconfig: givenKubeconfig masks its credentials (values, not the document).
}

async function providerAccess(inputs: SetupInputs, deps: ProviderDeps): Promise<ClusterAccess> {
  if (inputs.provider === 'gke') return (await import('./gke.ts')).gkeAccess(inputs, deps);
  if (inputs.provider === 'eks') return (await import('./eks.ts')).eksAccess(inputs, deps);
  throw new Error(`no cluster access for provider ${inputs.provider}`);
}

export async function setupClusterAuth(inputs: SetupInputs, deps: RunDeps): Promise<SetupResult> {
  const { logger } = deps;
  maskInputs(inputs, logger);
  let config: Kubeconfig;
  let result: Omit<SetupResult, 'kubeconfigPath'>;
  let files: ClusterAccess['files'] = [];
  let given: { config: Kubeconfig; context: string; server: string } | undefined;
  if (inputs.provider === 'kubeconfig') {
    // Validated before anything is written.
    given = (await import('./kubeconfig-input.ts')).givenKubeconfig(inputs, logger);
  }

  const dir = await mkdtemp(path.join(inputs.tempDir, DIR_PREFIX));
  await chmod(dir, 0o700);
  kubeconfigDirState.save(deps.state, dir);
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  try {
    if (given) {
      config = given.config;
      result = {
        provider: 'kubeconfig',
        context: given.context,
        endpoint: given.server,
        credentials: 'the given kubeconfig',
      };
    } else {
      const access = await providerAccess(inputs, { ...deps, dir });
      if (access.user.token) logger.secret(access.user.token);
      config = singleClusterKubeconfig({
        name: access.entryName,
        context: access.context,
        server: access.server,
        ...(access.caData ? { caData: access.caData } : {}),
        user: access.user,
        ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
      });
      files = access.files;
      result = {
        provider: inputs.provider,
        context: access.context,
        endpoint: access.server,
        credentials: access.credentials,
        ...(access.plugin ? { plugin: access.plugin } : {}),
        ...(access.expiresAt ? { expiresAt: access.expiresAt } : {}),
      };
    }
    // The files hold credentials already masked above (the key's secrets, the OIDC request
    // token): masking the documents themselves would mask every line of JSON.
    for (const f of files) {
      await writeFile(f.path, f.content, { mode: 0o600 });
    }
    await writeKubeconfig(kubeconfigPath, config);
  } catch (error) {
    // Nothing half-written stays behind (post would remove it too).
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  logger.info(
    `Wrote kubeconfig ${kubeconfigPath} (context ${result.context}, server ${result.endpoint})`,
  );
  return {
    ...result,
    kubeconfigPath,
    ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
  };
}
