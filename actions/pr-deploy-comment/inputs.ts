import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { isDigest, isValidImageName, isValidTag, parseImageRef } from '../../shared/image-ref.ts';
import { Inputs } from '../../shared/inputs.ts';
import { parseMetrics, type Metric } from './metrics.ts';

export const STATUSES = ['success', 'failure', 'in-progress', 'rolled-back', 'cancelled'] as const;
export type DeployStatus = (typeof STATUSES)[number];
export const MODES = ['upsert', 'recreate', 'append'] as const;
export type CommentMode = (typeof MODES)[number];

export interface CommentInputs {
  token: string;
  /** Identifies the sticky comment (written into its hidden marker). */
  key: string;
  status: DeployStatus;
  environment?: string;
  endpoint?: string;
  image?: string;
  digest?: string;
  runUrl?: string;
  metrics?: Metric[];
  baseline?: Metric[];
  /** `body`, then the contents of `body-file`. */
  body?: string;
  mode: CommentMode;
  hidePrevious: boolean;
  prNumber?: number;
  timeoutMs: number;
}

/** What a key may hold: it is written into an HTML comment and compared byte for byte. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9 ._:/@+=-]{0,99}$/;
const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9 ._:/()+-]{0,99}$/;
const MAX_BODY_FILE = 1024 * 1024;

function httpUrl(inputs: Inputs, name: string): string | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  // Only http(s) becomes a link: a javascript: or data: URL must never reach the comment.
  if (!parsed || !/^https?:$/.test(parsed.protocol) || /[\s<>"`]/.test(value)) {
    throw new InputError(`Input '${name}' must be an http(s) URL (got "${value}").`);
  }
  return value;
}

function image(inputs: Inputs): string | undefined {
  const value = inputs.optional('image');
  if (value === undefined) return undefined;
  const ref = parseImageRef(value);
  const ok =
    isValidImageName(ref.name) &&
    (ref.tag === undefined || isValidTag(ref.tag)) &&
    (ref.digest === undefined || isDigest(ref.digest));
  if (!ok) {
    throw new InputError(
      `Input 'image' must be an image reference such as ghcr.io/org/model:v1 or ghcr.io/org/model@sha256:… (got "${value}").`,
    );
  }
  return value;
}

/**
 * `metrics` holds either a file name (one line, no `:` or `{`) or the JSON/YAML text itself.
 * A file that is not there is an error: silently rendering no metrics would hide a broken path.
 */
function metrics(inputs: Inputs, name: string, workspace: string): Metric[] | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  const looksLikePath = !value.includes('\n') && !/[:{[]/.test(value);
  if (!looksLikePath) return parseMetrics(value, `Input '${name}'`);
  const file = path.resolve(workspace, value);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(`Input '${name}': file "${value}" not found (relative to ${workspace}).`);
  }
  if (statSync(file).size > MAX_BODY_FILE) {
    throw new InputError(`Input '${name}': file "${value}" is larger than 1 MiB.`);
  }
  return parseMetrics(readFileSync(file, 'utf8'), `Input '${name}' (file "${value}")`);
}

function bodyFile(inputs: Inputs, workspace: string): string | undefined {
  const value = inputs.optional('body-file');
  if (value === undefined) return undefined;
  const file = path.resolve(workspace, value);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(
      `Input 'body-file': file "${value}" not found (relative to ${workspace}).`,
    );
  }
  if (statSync(file).size > MAX_BODY_FILE) {
    throw new InputError(`Input 'body-file': file "${value}" is larger than 1 MiB.`);
  }
  return readFileSync(file, 'utf8').trimEnd();
}

/** The default key: one comment per workflow and environment, as the design says. */
export function defaultKey(workflow: string | undefined, environment: string | undefined): string {
  const raw = [workflow || 'deploy', environment].filter(Boolean).join('/');
  const cleaned = raw
    .replace(/[^A-Za-z0-9 ._:/@+=-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return cleaned || 'deploy';
}

/** Parses and validates every input (reading the metrics and body files) before any side effect. */
export function getInputs(
  inputs = new Inputs(),
  env: NodeJS.ProcessEnv = process.env,
): CommentInputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const token = inputs.optional('token');
  if (!token) {
    throw new InputError(
      "Input 'token' is empty: pass a token that may write pull-request comments (the default is ${{ github.token }}, which needs `permissions: pull-requests: write`).",
    );
  }
  const status = inputs.oneOf('status', STATUSES);
  if (status === undefined) {
    throw new InputError(
      `Input 'status' is required: one of ${STATUSES.map((s) => `'${s}'`).join(', ')}.`,
    );
  }
  const environment = inputs.optional('environment');
  if (environment !== undefined && !ENVIRONMENT.test(environment)) {
    throw new InputError(
      `Input 'environment' must be 1-100 letters, digits, spaces or ._:/()+- (got "${environment}").`,
    );
  }
  const keyInput = inputs.optional('key');
  if (keyInput !== undefined && !KEY.test(keyInput)) {
    throw new InputError(
      `Input 'key' must be 1-100 letters, digits, spaces or ._:/@+=- starting with a letter or digit (got "${keyInput}").`,
    );
  }
  const digest = inputs.optional('digest');
  if (digest !== undefined && !isDigest(digest)) {
    throw new InputError(`Input 'digest' must be sha256: and 64 hex digits (got "${digest}").`);
  }
  const mode = inputs.oneOf('mode', MODES, 'upsert');
  const hidePrevious = inputs.bool('hide-previous', false);
  if (hidePrevious && mode !== 'recreate') {
    throw new InputError(
      `Input 'hide-previous' applies only to mode 'recreate' (the superseded comment is minimized instead of deleted); mode is '${mode}'.`,
    );
  }
  const baseline = metrics(inputs, 'metrics-baseline', workspace);
  const current = metrics(inputs, 'metrics', workspace);
  if (baseline && !current) {
    throw new InputError("Input 'metrics-baseline' needs 'metrics' to compare against.");
  }
  const bodyParts = [inputs.optional('body'), bodyFile(inputs, workspace)].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  const endpoint = httpUrl(inputs, 'endpoint');
  const runUrl = httpUrl(inputs, 'run-url');
  const imageRef = image(inputs);
  const prNumber = inputs.int('pr-number', { min: 1, max: 2_147_483_647 });
  return {
    token,
    key: keyInput ?? defaultKey(env.GITHUB_WORKFLOW, environment),
    status,
    ...(environment ? { environment } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(imageRef ? { image: imageRef } : {}),
    ...(digest ? { digest } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(current ? { metrics: current } : {}),
    ...(baseline ? { baseline } : {}),
    ...(bodyParts.length ? { body: bodyParts.join('\n\n') } : {}),
    mode,
    hidePrevious,
    ...(prNumber !== undefined ? { prNumber } : {}),
    timeoutMs: inputs.duration('timeout', '2m', { minMs: 1000, maxMs: 3_600_000 }),
  };
}
