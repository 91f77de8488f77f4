/**
 * kfp-run-and-wait's inputs: parsed and checked in one step, before any file is read or any
 * request is made. Every error names the input and what is allowed.
 */
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import type { PathPolicy } from '../../shared/files.ts';
import { Inputs, parseHttpUrl } from '../../shared/inputs.ts';

/** Where the pipeline comes from: the three ways of the issue, exactly one of them. */
export type PipelineSource =
  /** `pipeline-file` alone: the compiled spec is sent inline with the run. */
  | { kind: 'inline'; file: string }
  /** `pipeline-file` + `pipeline-name`: uploaded as a new version of that pipeline. */
  | { kind: 'upload'; file: string; pipelineName: string }
  /** `pipeline-id` + `pipeline-version-id`: a pipeline version already in KFP. */
  | { kind: 'version'; pipelineId: string; pipelineVersionId: string };

export type KfpAuth =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'cookie'; cookie: string }
  | { kind: 'iap'; audience: string };

/** What every call to KFP needs: shared by the main and the post step. */
export interface ConnectionInputs {
  /** The KFP API root without a trailing slash, e.g. https://kubeflow.example.com/pipeline. */
  host: string;
  namespace?: string;
  auth: KfpAuth;
  cancelOnTimeout: boolean;
}

export interface KfpInputs extends ConnectionInputs {
  source: PipelineSource;
  experimentName?: string;
  runName: string;
  /**
   * The `parameters` text (a JSON or YAML map), parsed by parameters.ts in the first phase:
   * the YAML parser stays out of the entry bundle, so a bad input fails in milliseconds.
   */
  parameters: string;
  wait: boolean;
  timeoutMs: number;
  /** The cap of the adaptive polling interval. */
  pollIntervalMs: number;
  /** Where `run-details` is written (RUNNER_TEMP). */
  outputDir: string;
  /** GITHUB_WORKSPACE: `pipeline-file` is relative to it. */
  workspace: string;
  /**
   * Where `pipeline-file` may lead (after symlinks): the workspace and RUNNER_TEMP, unless
   * `allow-outside-workspace` lifts that.
   */
  pathPolicy: PathPolicy;
  /** Used to name uploaded versions and default run names. */
  context: { sha: string; runId: string; runAttempt: string; repository: string };
}

/** KFP ids are UUIDs; accepting only URL-safe characters keeps them out of path tricks. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Pipeline and experiment names: printable, one line, bounded. */
const NAME = /^[^\p{Cc}]{1,255}$/u;

function parseHost(inputs: Inputs): string {
  const url = parseHttpUrl('host', inputs.required('host'), {
    must: 'be the http(s) URL of the KFP API, e.g. https://kubeflow.example.com/pipeline',
    credentials: "use 'token', 'cookie' or 'iap-audience'",
    plain: true,
  });
  return url.toString().replace(/\/+$/, '');
}

function parseAuth(inputs: Inputs): KfpAuth {
  const which = inputs.atMostOneOf('token', 'cookie', 'iap-audience');
  if (which === 'token') {
    const token = inputs.required('token').replace(/^Bearer\s+/i, '');
    if (/\s/.test(token)) throw new InputError("Input 'token' must be one token, without spaces.");
    return { kind: 'token', token };
  }
  if (which === 'cookie') {
    const cookie = inputs.required('cookie');
    if (!/^[^=\s;]+=[^;\r\n]*(;\s*[^=\s;]+=[^;\r\n]*)*;?$/.test(cookie)) {
      throw new InputError(
        "Input 'cookie' must be NAME=VALUE pairs separated by '; ' (e.g. oauth2_proxy_kubeflow=… or authservice_session=…).",
      );
    }
    return { kind: 'cookie', cookie };
  }
  if (which === 'iap-audience') {
    const audience = inputs.required('iap-audience');
    if (/\s/.test(audience)) {
      throw new InputError(
        "Input 'iap-audience' must be the IAP OAuth client id (…apps.googleusercontent.com), without spaces.",
      );
    }
    return { kind: 'iap', audience };
  }
  return { kind: 'none' };
}

/** The inputs the post step needs to reach KFP again. */
export function getConnectionInputs(inputs = new Inputs()): ConnectionInputs {
  const host = parseHost(inputs);
  const namespace = inputs.dnsLabel('namespace');
  return {
    host,
    ...(namespace ? { namespace } : {}),
    auth: parseAuth(inputs),
    cancelOnTimeout: inputs.bool('cancel-on-timeout', true),
  };
}

function parseSource(inputs: Inputs): PipelineSource {
  const given = inputs.exactlyOneOf('pipeline-file', 'pipeline-id');
  if (given === 'pipeline-file') {
    if (inputs.has('pipeline-version-id')) {
      throw new InputError(
        "Input 'pipeline-version-id' goes with 'pipeline-id', not with 'pipeline-file' (a file is uploaded as a new version: name its pipeline with 'pipeline-name').",
      );
    }
    // As written: read (confined to the workspace) in the first phase, by loadPipelineFile.
    const file = inputs.required('pipeline-file');
    const pipelineName = inputs.optional('pipeline-name');
    if (pipelineName === undefined) return { kind: 'inline', file };
    if (!NAME.test(pipelineName)) {
      throw new InputError(
        "Input 'pipeline-name' must be one line of at most 255 printable characters.",
      );
    }
    return { kind: 'upload', file, pipelineName };
  }
  if (inputs.has('pipeline-name')) {
    throw new InputError(
      "Inputs 'pipeline-name' and 'pipeline-id' cannot be used together: 'pipeline-name' names the pipeline a 'pipeline-file' is uploaded to.",
    );
  }
  const pipelineId = inputs.required('pipeline-id');
  if (!inputs.has('pipeline-version-id')) {
    throw new InputError(
      "Input 'pipeline-version-id' is required with 'pipeline-id': the run must say which version it ran.",
    );
  }
  const pipelineVersionId = inputs.required('pipeline-version-id');
  for (const [name, value] of [
    ['pipeline-id', pipelineId],
    ['pipeline-version-id', pipelineVersionId],
  ] as const) {
    if (!ID.test(value)) {
      throw new InputError(
        `Input '${name}' must be a KFP id (letters, digits, '.', '_', '-'), got "${value}".`,
      );
    }
  }
  return { kind: 'version', pipelineId, pipelineVersionId };
}

/** Parses and validates every input before any side effect. */
export function getInputs(inputs = new Inputs(), env: NodeJS.ProcessEnv = process.env): KfpInputs {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const connection = getConnectionInputs(inputs);
  const source = parseSource(inputs);
  const experimentName = inputs.optional('experiment-name');
  if (experimentName !== undefined && !NAME.test(experimentName)) {
    throw new InputError(
      "Input 'experiment-name' must be one line of at most 255 printable characters.",
    );
  }
  const context = {
    sha: (env.GITHUB_SHA ?? '').slice(0, 7) || 'local',
    runId: env.GITHUB_RUN_ID ?? '0',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    repository: env.GITHUB_REPOSITORY ?? '',
  };
  const runName = inputs.optional('run-name') ?? defaultRunName(source, context);
  if (!NAME.test(runName)) {
    throw new InputError("Input 'run-name' must be one line of at most 255 printable characters.");
  }
  const timeoutMs = inputs.duration('timeout', '60m', { minMs: 1000, maxMs: 72 * 3_600_000 });
  const pollIntervalMs = inputs.duration('poll-interval', '20s', {
    minMs: 1000,
    maxMs: 600_000,
  });
  return {
    ...connection,
    source,
    ...(experimentName ? { experimentName } : {}),
    runName,
    parameters: inputs.raw('parameters'),
    wait: inputs.bool('wait', true),
    timeoutMs,
    pollIntervalMs,
    outputDir: env.RUNNER_TEMP || workspace,
    workspace,
    pathPolicy: {
      workspace,
      roots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [],
      allowOutside: inputs.bool('allow-outside-workspace', false),
      liftWith: 'allow-outside-workspace',
    },
    context,
  };
}

function defaultRunName(source: PipelineSource, c: KfpInputs['context']): string {
  const what =
    source.kind === 'upload'
      ? source.pipelineName
      : source.kind === 'inline'
        ? path.basename(source.file).replace(/\.(ya?ml|json)$/i, '')
        : 'run';
  return `${what} ${c.sha} #${c.runId}.${c.runAttempt}`;
}
