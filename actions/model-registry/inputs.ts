/**
 * model-registry's inputs: parsed and checked in one step, before any request is sent.
 */
import { InputError } from '../../shared/errors.ts';
import { imageRefProblem } from '../../shared/image-ref.ts';
import { Inputs, parseHttpUrl, type InputSource, runnerInputs } from '../../shared/inputs.ts';
import { parseThresholds, parseTolerance, type Threshold, type Tolerance } from './gate.ts';
// The same grammars the server's answers are checked by: a version or run id typed in is one
// MLflow could have written.
import { RUN_ID, VERSION } from './values.ts';

export const OPERATIONS = ['resolve', 'promote', 'rollback'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Which version: a number, the highest (`latest`), an alias, the run it came from, a legacy stage. */
export type Selector =
  | { kind: 'version'; version: string }
  | { kind: 'latest' }
  | { kind: 'alias'; alias: string }
  | { kind: 'run-id'; runId: string }
  | { kind: 'stage'; stage: string };

export type Auth =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'basic'; username: string; password: string };

export interface RegistryInputs {
  trackingUri: string;
  auth: Auth;
  modelName: string;
  operation: Operation;
  /** Which version (resolve, promote; rollback: the version this run promoted). */
  selector?: Selector;
  thresholds: Threshold[];
  mustBeat?: string;
  tolerance: Tolerance;
  failOnGate: boolean;
  promoteTo?: string;
  /** promote: the version `promote-to` must point at now (`none`: nowhere), else no promotion. */
  expectAliasVersion?: string;
  imageRef?: string;
  environment?: string;
  /** rollback: where the alias goes back to (empty: the alias is deleted). */
  previousVersion: string;
  force: boolean;
  timeoutMs: number;
  /** Where the metrics file goes (RUNNER_TEMP). */
  outputDir: string;
}

/** MLflow names: no quote (names go into search filters), no control characters, 1-256. */
const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9 _.\-/:@]{0,255}$/;
/** MLflow aliases: letters, digits, `_`, `-`; `latest` and `v<n>` are reserved by MLflow. */
const ALIAS = /^[A-Za-z0-9_-]{1,255}$/;
const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9 _.\-/]{0,254}$/;

function alias(inputs: Inputs, name: string): string | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  if (!ALIAS.test(value) || /^(latest|v\d+)$/i.test(value)) {
    throw new InputError(
      `Input '${name}' must be an MLflow alias (letters, digits, '_', '-'; not 'latest' or 'v<number>', which MLflow reserves); got "${value}".`,
    );
  }
  return value;
}

function version(inputs: Inputs, name: string, latest: boolean): string | undefined {
  const value = inputs.optional(name);
  if (value === undefined || (latest && value === 'latest')) return value;
  if (!VERSION.test(value)) {
    throw new InputError(
      `Input '${name}' must be a model version number${latest ? " or 'latest'" : ''}; got "${value}".`,
    );
  }
  return value;
}

function selector(inputs: Inputs, operation: Operation): Selector | undefined {
  const names = ['version', 'alias', 'run-id', 'stage'] as const;
  const which =
    operation === 'rollback' ? inputs.atMostOneOf(...names) : inputs.exactlyOneOf(...names);
  switch (which) {
    case undefined:
      return undefined;
    case 'version': {
      const v = version(inputs, 'version', true) as string;
      return v === 'latest' ? { kind: 'latest' } : { kind: 'version', version: v };
    }
    case 'alias':
      return { kind: 'alias', alias: alias(inputs, 'alias') as string };
    case 'run-id': {
      const runId = inputs.required('run-id');
      if (!RUN_ID.test(runId))
        throw new InputError(`Input 'run-id' must be an MLflow run id; got "${runId}".`);
      return { kind: 'run-id', runId };
    }
    case 'stage':
      return { kind: 'stage', stage: inputs.oneOf('stage', STAGES) as string };
  }
}

function auth(inputs: Inputs): Auth {
  const token = inputs.optional('token');
  const username = inputs.optional('username');
  const password = inputs.optional('password');
  if (token !== undefined && (username !== undefined || password !== undefined)) {
    throw new InputError("Inputs 'token' and 'username'/'password' cannot be used together.");
  }
  if (token !== undefined) return { kind: 'token', token };
  if ((username === undefined) !== (password === undefined)) {
    throw new InputError(
      `Input '${username === undefined ? 'username' : 'password'}' is required with '${username === undefined ? 'password' : 'username'}'.`,
    );
  }
  if (username !== undefined && password !== undefined) {
    if (username.includes(':'))
      throw new InputError("Input 'username' must not contain ':' (basic auth).");
    return { kind: 'basic', username, password };
  }
  return { kind: 'none' };
}

/**
 * Inputs that only one operation reads: set with another, they are a mistake, said so. The
 * runner passes action.yml's default when unset, so the default (here) counts as unset.
 */
const ONLY: Record<string, [Operation, string]> = {
  'min-metrics': ['resolve', ''],
  'must-beat': ['resolve', ''],
  tolerance: ['resolve', '0'],
  'image-ref': ['promote', ''],
  environment: ['promote', ''],
  'expect-alias-version': ['promote', ''],
  'previous-version': ['rollback', ''],
  force: ['rollback', 'false'],
};

function checkOperationInputs(inputs: Inputs, operation: Operation): void {
  for (const [name, [op, fallback]] of Object.entries(ONLY)) {
    const value = inputs.optional(name, fallback);
    if (op !== operation && value !== fallback) {
      throw new InputError(`Input '${name}' is for 'operation: ${op}', not '${operation}'.`);
    }
  }
  if (operation !== 'resolve' && !inputs.has('promote-to')) {
    throw new InputError(
      `Input 'promote-to' is required for 'operation: ${operation}' (the alias, e.g. champion).`,
    );
  }
  if (operation === 'resolve' && inputs.has('promote-to')) {
    throw new InputError(
      "Input 'promote-to' is for 'operation: promote' or 'rollback', not 'resolve'.",
    );
  }
}

function gateInputs(inputs: Inputs): Pick<RegistryInputs, 'thresholds' | 'mustBeat' | 'tolerance'> {
  const thresholds = parseThresholds('min-metrics', inputs.optional('min-metrics', ''));
  const mustBeat = alias(inputs, 'must-beat');
  if (mustBeat && thresholds.length === 0) {
    throw new InputError(
      "Input 'must-beat' compares the metrics named in 'min-metrics' (their operator says which way is better): set 'min-metrics', e.g. accuracy>=0.9.",
    );
  }
  return {
    thresholds,
    ...(mustBeat ? { mustBeat } : {}),
    tolerance: parseTolerance('tolerance', inputs.optional('tolerance', '0')),
  };
}

function promoteInputs(
  inputs: Inputs,
): Pick<RegistryInputs, 'imageRef' | 'environment' | 'expectAliasVersion'> {
  const imageRef = inputs.optional('image-ref');
  const problem = imageRef === undefined ? undefined : imageRefProblem(imageRef);
  if (problem) throw new InputError(`Input 'image-ref' is not an image reference: ${problem}.`);
  const environment = inputs.optional('environment');
  if (environment !== undefined && !ENVIRONMENT.test(environment)) {
    throw new InputError(
      `Input 'environment' must be a name (letters, digits, ' _.-/'); got "${environment}".`,
    );
  }
  const expected = inputs.optional('expect-alias-version');
  if (expected !== undefined && expected !== 'none' && !VERSION.test(expected)) {
    throw new InputError(
      `Input 'expect-alias-version' must be a version number or 'none'; got "${expected}".`,
    );
  }
  return {
    ...(imageRef ? { imageRef } : {}),
    ...(environment ? { environment } : {}),
    ...(expected ? { expectAliasVersion: expected } : {}),
  };
}

export function getInputs(source: InputSource = runnerInputs, env = process.env): RegistryInputs {
  const inputs = new Inputs(source);
  const trackingUri = inputs.required('tracking-uri');
  parseHttpUrl('tracking-uri', trackingUri, {
    loopbackHttp: true,
    credentials: "use 'token' or 'username' and 'password'",
    plain: true,
  });
  const modelName = inputs.required('model-name');
  if (!MODEL_NAME.test(modelName)) {
    throw new InputError(
      `Input 'model-name' must be an MLflow model name (no quotes or control characters, at most 256); got "${modelName}".`,
    );
  }
  const operation = inputs.oneOf('operation', OPERATIONS, 'resolve');
  checkOperationInputs(inputs, operation);
  const sel = selector(inputs, operation);
  const force = inputs.bool('force', false);
  if (operation === 'rollback' && !sel && !force) {
    throw new InputError(
      "Rollback checks that 'promote-to' still points at the version this run promoted: set 'version' to it (the promote step's `version` output), or 'force: true' to roll back whatever it points at.",
    );
  }
  const promoteTo = alias(inputs, 'promote-to');
  return {
    trackingUri: trackingUri.replace(/\/+$/, ''),
    auth: auth(inputs),
    modelName,
    operation,
    ...(sel ? { selector: sel } : {}),
    ...gateInputs(inputs),
    failOnGate: inputs.bool('fail-on-gate', true),
    ...(promoteTo ? { promoteTo } : {}),
    ...promoteInputs(inputs),
    previousVersion: version(inputs, 'previous-version', false) ?? '',
    force,
    timeoutMs: inputs.duration('timeout', '5m', { minMs: 1000, maxMs: 6 * 3_600_000 }),
    outputDir: env.RUNNER_TEMP || env.GITHUB_WORKSPACE || process.cwd(),
  };
}

/** What must never be printed: the token, the password (and the basic-auth header made of it). */
export function secretsOf(parsed: RegistryInputs): string[] {
  const a = parsed.auth;
  if (a.kind === 'token') return [a.token];
  if (a.kind === 'basic')
    return [a.password, Buffer.from(`${a.username}:${a.password}`).toString('base64')];
  return [];
}
