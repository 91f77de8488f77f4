import { InputError } from '../../shared/errors.ts';
import { readConfinedFile, type PathPolicy } from '../../shared/files.ts';
import { isDigest, isValidImageName, isValidTag, parseImageRef } from '../../shared/image-ref.ts';
import { Inputs } from '../../shared/inputs.ts';
import { parseMetrics, type Metric } from './metrics.ts';
import { slackTarget, type SlackTarget } from './slack-inputs.ts';

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
  /** Where the Slack message goes (none when no Slack input is set). */
  slack?: SlackTarget;
}

/** What a key may hold: it is written into an HTML comment and compared byte for byte. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9 ._:/@+=-]{0,99}$/;
const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9 ._:/()+-]{0,99}$/;
/** `metrics`, `metrics-baseline` and `body-file` are read up to this size. */
const MAX_FILE_BYTES = 1024 * 1024;

function httpUrl(inputs: Inputs, name: string): string | undefined {
  // Only http(s) becomes a link: a javascript: or data: URL must never reach the comment.
  return inputs.url(name, { linkSafe: true });
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
 * The file is read confined (a pull request can carry `metrics.json -> /proc/self/environ`).
 */
function metrics(inputs: Inputs, name: string, policy: PathPolicy): Metric[] | undefined {
  const value = inputs.optional(name);
  if (value === undefined) return undefined;
  const looksLikePath = !value.includes('\n') && !/[:{[]/.test(value);
  if (!looksLikePath) return parseMetrics(value, `Input '${name}'`);
  const file = readConfinedFile(name, value, policy, MAX_FILE_BYTES);
  return parseMetrics(file.text, `Input '${name}' (file "${value}")`);
}

function bodyFile(inputs: Inputs, policy: PathPolicy): string | undefined {
  const value = inputs.optional('body-file');
  if (value === undefined) return undefined;
  return readConfinedFile('body-file', value, policy, MAX_FILE_BYTES).text.trimEnd();
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
  const slack = slackTarget(inputs);
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
  // Paths resolve (symlinks too) inside the workspace or RUNNER_TEMP unless lifted.
  const policy: PathPolicy = {
    workspace,
    roots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [],
    allowOutside: inputs.bool('allow-outside-workspace', false),
    liftWith: 'allow-outside-workspace',
  };
  const baseline = metrics(inputs, 'metrics-baseline', policy);
  const current = metrics(inputs, 'metrics', policy);
  if (baseline && !current) {
    throw new InputError("Input 'metrics-baseline' needs 'metrics' to compare against.");
  }
  const bodyParts = [inputs.optional('body'), bodyFile(inputs, policy)].filter(
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
    ...(slack ? { slack } : {}),
  };
}
