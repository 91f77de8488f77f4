import * as path from 'node:path';
import * as core from '@actions/core';
import { createHttpClient } from '../../shared/http.ts';
import { coreLogger } from '../../shared/logger.ts';
import { runnerState } from '../../shared/state.ts';
import { writeSummary } from '../../shared/summary.ts';
import type { SetupInputs } from './inputs.ts';
import { setupClusterAuth } from './run.ts';
import { setupSummary } from './summary.ts';
import { USER_AGENT } from './user-agent.ts';
import { which } from '../../shared/exec.ts';

/** Runs the logic with the runner's dependencies and maps the result to outputs. */
export async function main(inputs: SetupInputs): Promise<void> {
  const script = path.join(path.dirname(process.argv[1] ?? ''), 'exec-credential', 'index.js');
  const result = await core.group(`Set up ${inputs.provider} cluster credentials`, () =>
    setupClusterAuth(inputs, {
      logger: coreLogger,
      state: runnerState,
      http: createHttpClient({ userAgent: USER_AGENT, onRetry: (m) => coreLogger.info(m) }),
      env: process.env,
      which: (command) => which(command),
      userAgent: USER_AGENT,
      execCredential: { node: process.execPath, script },
      now: () => new Date(),
    }),
  );
  core.setOutput('kubeconfig-path', result.kubeconfigPath);
  core.setOutput('context', result.context);
  core.setOutput('cluster-endpoint', result.endpoint);
  core.exportVariable('KUBECONFIG', result.kubeconfigPath);
  // Terraform's and Helm's Kubernetes providers read this one.
  core.exportVariable('KUBE_CONFIG_PATH', result.kubeconfigPath);
  coreLogger.info(`KUBECONFIG=${result.kubeconfigPath} (context ${result.context})`);
  await writeSummary(setupSummary(result));
}
