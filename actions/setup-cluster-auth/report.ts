/** setup-cluster-auth's types: the phases' context, the report they fill in, the result. */
import type { Clock } from '../../shared/clock.ts';
import type { HttpClient } from '../../shared/http.ts';
import type { Kubeconfig } from '../../shared/kube/kubeconfig.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PhaseContextBase, PhaseReport } from '../../shared/phases.ts';
import type { StateStore } from '../../shared/state.ts';
import type { ClusterAccess } from './access.ts';
import type { SetupInputs } from './inputs.ts';

export interface RunDeps {
  logger: Logger;
  state: StateStore;
  http: HttpClient;
  env: NodeJS.ProcessEnv;
  which(command: string): string | undefined;
  userAgent: string;
  execCredential: { node: string; script: string };
  clock: Pick<Clock, 'now'>;
  /** Sets a variable for the job's later steps (KUBECONFIG). */
  exportVariable(name: string, value: string): void;
}

export interface SetupContext extends PhaseContextBase, RunDeps {
  inputs: SetupInputs;
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

export interface SetupReport extends PhaseReport {
  /** `provider: kubeconfig`: the given kubeconfig, validated before anything is written. */
  given?: { config: Kubeconfig; context: string; server: string };
  /** The 0700 directory under RUNNER_TEMP (recorded in state for the post step). */
  dir?: string;
  /** The kubeconfig to write, what the summary says of it, and its companion files. */
  config?: Kubeconfig;
  access?: Omit<SetupResult, 'kubeconfigPath'>;
  files: ClusterAccess['files'];
  /** Set once the kubeconfig is written. */
  result?: SetupResult;
}
