import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { runId } from './ownership.ts';
import { Inputs, splitList } from '../../shared/inputs.ts';

export interface RolloutInputs {
  /** This run's id (RUN_ANNOTATION on what it applies), from the GITHUB_* variables. */
  runId: string;
  manifests: string[];
  namespace?: string;
  kubeconfig: string;
  context?: string;
  apply: boolean;
  forceConflicts: boolean;
  timeoutMs: number;
  failFast: boolean;
  unschedulableGraceMs: number;
  rollback: boolean;
  smoke: SmokeInputs;
  waitForLoadBalancer: boolean;
  workspace: string;
}

export interface SmokeInputs {
  url?: string;
  path: string;
  method: string;
  body?: string;
  expectStatus: number[];
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function statuses(text: string): number[] {
  const result: number[] = [];
  for (const item of splitList(text)) {
    const range = /^([1-5])xx$/i.exec(item);
    if (range) {
      const base = Number(range[1]) * 100;
      for (let s = base; s < base + 100; s++) result.push(s);
    } else if (/^[1-5]\d\d$/.test(item)) result.push(Number(item));
    else {
      throw new InputError(
        `Input 'smoke-expect-status' must list HTTP statuses such as 200, 204 or 2xx (got "${item}").`,
      );
    }
  }
  return result;
}

/** Parses and validates every input before any side effect. */
export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): RolloutInputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const manifests = splitList(inputs.required('manifests'), { commas: false });
  const namespace = inputs.dnsLabel('namespace');
  const kubeconfigInput = inputs.optional('kubeconfig');
  const kubeconfigEnv = env.KUBECONFIG?.split(path.delimiter).find((p) => p.trim() !== '');
  const kubeconfig = kubeconfigInput ?? kubeconfigEnv;
  if (!kubeconfig) {
    throw new InputError(
      "No kubeconfig: set input 'kubeconfig' to a kubeconfig file, or run setup-cluster-auth first (it exports KUBECONFIG).",
    );
  }
  const url = inputs.optional('smoke-url');
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      throw new InputError(`Input 'smoke-url' must be an http(s) URL (got "${url}").`);
    }
  }
  const smokePath = inputs.optional('smoke-path', '/');
  if (!smokePath.startsWith('/')) {
    throw new InputError(`Input 'smoke-path' must start with '/' (got "${smokePath}").`);
  }
  const body = inputs.optional('smoke-body');
  const context = inputs.optional('context');
  const waitForLoadBalancer = inputs.bool('wait-for-load-balancer', false);
  if (url === undefined && !waitForLoadBalancer) {
    // Without a URL to test, these would be silently ignored: the smoke test would never run.
    // The runner passes action.yml's defaults: only a value other than the default counts.
    const defaults: Record<string, string> = {
      'smoke-path': '/',
      'smoke-method': 'GET',
      'smoke-body': '',
      'smoke-expect-status': '200',
    };
    const orphan = Object.keys(defaults).find(
      (n) => inputs.has(n) && inputs.raw(n) !== defaults[n],
    );
    if (orphan) {
      throw new InputError(
        `Input '${orphan}' is set but there is nothing to smoke-test: set 'smoke-url' to the service's URL, or 'wait-for-load-balancer: true' to test the LoadBalancer Service's address.`,
      );
    }
  }
  return {
    runId: runId(env),
    manifests,
    ...(namespace ? { namespace } : {}),
    kubeconfig: path.resolve(workspace, kubeconfig),
    ...(context ? { context } : {}),
    apply: inputs.bool('apply', true),
    forceConflicts: inputs.bool('force-conflicts', true),
    timeoutMs: inputs.duration('timeout', '10m', { minMs: 1000, maxMs: 6 * 3_600_000 }),
    failFast: inputs.bool('fail-fast', true),
    unschedulableGraceMs: inputs.duration('unschedulable-grace', '30s', { maxMs: 3_600_000 }),
    rollback: inputs.bool('rollback', true),
    smoke: {
      ...(url ? { url } : {}),
      path: smokePath,
      method: inputs.oneOf('smoke-method', METHODS, 'GET'),
      ...(body ? { body } : {}),
      expectStatus: statuses(inputs.optional('smoke-expect-status', '200')),
    },
    waitForLoadBalancer,
    workspace,
  };
}
