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
  /** An InferenceService created by this run that fails is deleted (else left applied). */
  deleteNewOnFailure: boolean;
  /** A verified InferenceService canary: promote it to 100 %, or hold the split. */
  canary: 'promote' | 'hold';
  /** `finish-canary`: promote or roll back the canary an earlier step held (no manifests). */
  finishCanary?: FinishCanaryInputs;
  smoke: SmokeInputs;
  waitForLoadBalancer: boolean;
  workspace: string;
}

export interface FinishCanaryInputs {
  action: 'promote' | 'rollback';
  /** From `inference-service` ([namespace/]name); unset: `namespace`, the context's, default. */
  namespace?: string;
  name: string;
}

export interface SmokeInputs {
  url?: string;
  path: string;
  /** smoke-path was set: an InferenceService is then not probed by its protocol. */
  pathGiven: boolean;
  method: string;
  body?: string;
  expectStatus: number[];
  /** smoke-expect: a JSON path in the answer, and optionally the value it must have. */
  expect?: { path: string; value?: string };
  /** A smoke input that needs a target (smoke-url, a load balancer or an InferenceService). */
  orphan?: string;
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

/**
 * A smoke input set to other than its default while nothing names a target. Checked once the
 * manifests are read: an InferenceService's status.url is a target too.
 */
function orphanSmokeInput(inputs: Inputs): string | undefined {
  const defaults: Record<string, string> = {
    'smoke-path': '/',
    'smoke-method': 'GET',
    'smoke-body': '',
    'smoke-expect-status': '200',
    'smoke-expect': '',
  };
  return Object.keys(defaults).find((n) => inputs.has(n) && inputs.raw(n) !== defaults[n]);
}

function smokeExpect(inputs: Inputs): { path: string; value?: string } | undefined {
  const expectText = inputs.optional('smoke-expect');
  if (!expectText) return undefined;
  const m = /^\s*([^=\s]+)\s*(?:=\s*(.*?))?\s*$/.exec(expectText);
  if (!m?.[1] || !/^(\$\.?)?[A-Za-z0-9_\-.[\]]+$/.test(m[1])) {
    throw new InputError(
      `Input 'smoke-expect' must be a JSON path, optionally with a value: outputs[0].data[0]=1 or predictions (got "${expectText}").`,
    );
  }
  return { path: m[1], ...(m[2] !== undefined ? { value: m[2] } : {}) };
}

/** [namespace/]name: each a DNS-1123 label of at most 63 characters. */
const ISVC_REF =
  /^(?:([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\/)?([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)$/;

const SMOKE =
  "it belongs to the smoke test after an apply, and 'finish-canary' only moves the traffic of a canary already verified";
const NEW_PODS =
  "it judges the pods of a revision an apply starts, and 'finish-canary' starts none (it moves the traffic between two ready revisions)";

/** Given a value other than its default (the runner passes action.yml's defaults as values). */
const differs =
  (name: string, fallback: string) =>
  (inputs: Inputs): boolean =>
    inputs.has(name) && inputs.raw(name) !== fallback;
const boolDiffers =
  (name: string, fallback: boolean) =>
  (inputs: Inputs): boolean =>
    inputs.bool(name, fallback) !== fallback;

/** What only an apply of `manifests` uses, and why `finish-canary` would ignore it. */
const APPLY_ONLY: readonly [string, (inputs: Inputs) => boolean, string][] = [
  ['apply', boolDiffers('apply', true), "'finish-canary' always applies the canary percentage"],
  [
    'force-conflicts',
    boolDiffers('force-conflicts', true),
    "'finish-canary' applies only the canary percentage, in fields the field manager mlops-actions owns, always with force",
  ],
  ['fail-fast', boolDiffers('fail-fast', true), NEW_PODS],
  ['unschedulable-grace', (i) => i.duration('unschedulable-grace', '30s') !== 30_000, NEW_PODS],
  [
    'rollback',
    boolDiffers('rollback', true),
    "it undoes a failed apply of manifests, and 'finish-canary' applies no release to undo ('finish-canary: rollback' is the canary's rollback)",
  ],
  [
    'delete-new-on-failure',
    boolDiffers('delete-new-on-failure', false),
    "it deletes an InferenceService that a failed apply created, and 'finish-canary' creates none",
  ],
  [
    'canary',
    (i) => i.oneOf('canary', ['promote', 'hold'] as const, 'promote') !== 'promote',
    "it says what becomes of a canary that an apply verified; for a held canary, 'finish-canary' itself says it (promote or rollback)",
  ],
  ['smoke-url', differs('smoke-url', ''), SMOKE],
  ['smoke-path', differs('smoke-path', '/'), SMOKE],
  ['smoke-method', differs('smoke-method', 'GET'), SMOKE],
  ['smoke-body', differs('smoke-body', ''), SMOKE],
  ['smoke-expect-status', differs('smoke-expect-status', '200'), SMOKE],
  ['smoke-expect', differs('smoke-expect', ''), SMOKE],
  ['wait-for-load-balancer', boolDiffers('wait-for-load-balancer', false), SMOKE],
];

/** An input that only an apply uses would be silently ignored by `finish-canary`: refused. */
function refuseApplyOnly(inputs: Inputs): void {
  const given = APPLY_ONLY.find(([, isGiven]) => isGiven(inputs));
  if (!given) return;
  throw new InputError(
    `Input '${given[0]}' is for applying manifests, and 'finish-canary' would ignore it: ${given[2]}. Leave it unset (or at its default).`,
  );
}

/**
 * `finish-canary` + `inference-service`: they go together, and replace `manifests` (the
 * canary is already in the cluster). Undefined when neither is set.
 */
function finishCanaryInputs(inputs: Inputs): FinishCanaryInputs | undefined {
  const action = inputs.oneOf('finish-canary', ['promote', 'rollback'] as const);
  const ref = inputs.optional('inference-service');
  if (action === undefined) {
    if (ref === undefined) return undefined;
    throw new InputError(
      "Input 'inference-service' names the InferenceService whose held canary 'finish-canary' (promote or rollback) finishes: set 'finish-canary' too.",
    );
  }
  if (ref === undefined) {
    throw new InputError(
      "Input 'finish-canary' needs 'inference-service': the [namespace/]name of the InferenceService that holds the canary.",
    );
  }
  const m = ISVC_REF.exec(ref);
  if (!m) {
    throw new InputError(
      `Input 'inference-service' must be [namespace/]name, e.g. models/iris (got "${ref}").`,
    );
  }
  if (inputs.optional('manifests') !== undefined) {
    throw new InputError(
      "Input 'manifests' must be empty with 'finish-canary': it finishes the canary already in the cluster (apply the release in an earlier step with 'canary: hold').",
    );
  }
  refuseApplyOnly(inputs);
  return { action, ...(m[1] ? { namespace: m[1] } : {}), name: m[2] ?? '' };
}

/** Parses and validates every input before any side effect. */
export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): RolloutInputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const finishCanary = finishCanaryInputs(inputs);
  const manifests = finishCanary ? [] : splitList(inputs.required('manifests'), { commas: false });
  const namespace = inputs.dnsLabel('namespace');
  const kubeconfigInput = inputs.optional('kubeconfig');
  const kubeconfigEnv = env.KUBECONFIG?.split(path.delimiter).find((p) => p.trim() !== '');
  const kubeconfig = kubeconfigInput ?? kubeconfigEnv;
  if (!kubeconfig) {
    throw new InputError(
      "No kubeconfig: set input 'kubeconfig' to a kubeconfig file, or run setup-cluster-auth first (it exports KUBECONFIG).",
    );
  }
  const url = inputs.url('smoke-url');
  const smokePath = inputs.optional('smoke-path', '/');
  if (!smokePath.startsWith('/')) {
    throw new InputError(`Input 'smoke-path' must start with '/' (got "${smokePath}").`);
  }
  const body = inputs.optional('smoke-body');
  const context = inputs.optional('context');
  const waitForLoadBalancer = inputs.bool('wait-for-load-balancer', false);
  const orphan = url === undefined && !waitForLoadBalancer ? orphanSmokeInput(inputs) : undefined;
  const expect = smokeExpect(inputs);
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
    deleteNewOnFailure: inputs.bool('delete-new-on-failure', false),
    canary: inputs.oneOf('canary', ['promote', 'hold'] as const, 'promote'),
    ...(finishCanary ? { finishCanary } : {}),
    smoke: {
      ...(url ? { url } : {}),
      path: smokePath,
      pathGiven: smokePath !== '/',
      method: inputs.oneOf('smoke-method', METHODS, 'GET'),
      ...(body ? { body } : {}),
      expectStatus: statuses(inputs.optional('smoke-expect-status', '200')),
      ...(expect ? { expect } : {}),
      ...(orphan ? { orphan } : {}),
    },
    waitForLoadBalancer,
    workspace,
  };
}

/**
 * A smoke input with nothing to test is an input error; an InferenceService in the manifests
 * is a target (its status.url, probed by its protocol).
 */
export function checkSmokeTarget(inputs: RolloutInputs, kinds: readonly string[]): void {
  const orphan = inputs.smoke.orphan;
  if (!orphan || kinds.includes('InferenceService')) return;
  throw new InputError(
    `Input '${orphan}' is set but there is nothing to smoke-test: set 'smoke-url' to the service's URL, or 'wait-for-load-balancer: true' to test the LoadBalancer Service's address (or deploy an InferenceService: its status.url is tested).`,
  );
}
