/** What a provider hands back to run: everything needed to write the kubeconfig. */
import type { HttpClient } from '../../shared/http.ts';
import * as path from 'node:path';
import type { ExecConfig, KubeUser } from '../../shared/kube/kubeconfig.ts';
import type { CredentialConfig } from './credential-config.ts';
import { EXEC_API_VERSION } from '../../shared/kube/kubeconfig.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';

export interface ClusterAccess {
  /** Name of the cluster and user entries. */
  entryName: string;
  context: string;
  server: string;
  caData?: string;
  user: KubeUser;
  /** Files written beside the kubeconfig, 0600 (credential-command config, ADC file). */
  files: { path: string; content: string }[];
  /** When an embedded token expires. */
  expiresAt?: Date;
  /** For the summary: how the credentials were obtained, and the exec plugin if any. */
  credentials: string;
  plugin?: string;
}

export interface ProviderDeps {
  logger: Logger;
  http: HttpClient;
  env: NodeJS.ProcessEnv;
  /** Absolute path of a program on PATH, or undefined. */
  which(command: string): string | undefined;
  userAgent: string;
  /** The directory (0700, in RUNNER_TEMP) that holds the kubeconfig and its companions. */
  dir: string;
  /** How to run the bundled credential command: the runner's node and the bundle. */
  execCredential: { node: string; script: string };
  clock: Pick<Clock, 'now'>;
}

export const CREDENTIAL_CONFIG_FILE = 'credential.json';

/** The exec entry that runs our bundled credential command with its config file. */
export function bundledExec(deps: ProviderDeps, configPath: string): ExecConfig {
  return {
    apiVersion: EXEC_API_VERSION,
    command: deps.execCredential.node,
    args: [deps.execCredential.script, configPath],
    installHint:
      'This kubeconfig was written by setup-cluster-auth; its credential command runs with the node of the GitHub runner and is valid for the job only.',
    provideClusterInfo: false,
    interactiveMode: 'Never',
  };
}

/**
 * The kubeconfig user for the bundled credential command: its config file (written 0600
 * beside the kubeconfig) and the exec entry that runs it.
 */
export function bundledCredential(
  deps: ProviderDeps,
  config: CredentialConfig,
): { user: KubeUser; file: ClusterAccess['files'][number]; plugin: string } {
  const configPath = path.join(deps.dir, CREDENTIAL_CONFIG_FILE);
  return {
    user: { exec: bundledExec(deps, configPath) },
    file: { path: configPath, content: JSON.stringify(config, null, 2) },
    plugin: 'bundled credential command',
  };
}
