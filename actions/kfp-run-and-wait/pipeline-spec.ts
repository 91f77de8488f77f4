/**
 * The compiled pipeline (KFP IR YAML, a PipelineSpec) and its root parameters: the file is
 * checked to be a PipelineSpec before any request, and `parameters` against the spec's root
 * `inputDefinitions`, so a typo fails in the workflow, not 10 minutes into the run.
 */
import { InputError, LocatedError } from '../../shared/errors.ts';
import { readConfinedFile, type PathPolicy } from '../../shared/files.ts';
import { lineOf, parseYamlFile } from '../../shared/yaml.ts';
import { isRecord } from '../../shared/server-values.ts';

/** PipelineSpec `ParameterType.ParameterTypeEnum` (pipeline_spec.proto). */
export type ParameterType =
  | 'STRING'
  | 'NUMBER_INTEGER'
  | 'NUMBER_DOUBLE'
  | 'BOOLEAN'
  | 'LIST'
  | 'STRUCT'
  | 'TASK_FINAL_STATUS';

export interface RootParameter {
  type: ParameterType | undefined;
  /** Has a default value or is optional: the run may leave it out. */
  optional: boolean;
}

export interface LoadedPipeline {
  file: string;
  /** The file's bytes, uploaded as they are. */
  bytes: Buffer;
  /** What `pipeline_spec` carries inline: the spec, or {pipeline_spec, platform_spec}. */
  inline: Record<string, unknown>;
  name: string;
  parameters: Map<string, RootParameter>;
}

/**
 * The largest pipeline file read: KFP's own upload limit (apiserver `MaxFileLength = 32 << 20`,
 * backend/src/apiserver/server/util.go). Compiled specs are KiBs to a few MiB; a larger file
 * could not be uploaded anyway, and reading it whole would only cost the runner memory.
 */
export const MAX_PIPELINE_BYTES = 32 * 1024 * 1024;

/**
 * Reads `pipeline-file` (confined to the workspace and RUNNER_TEMP unless `policy` lifts
 * that; never a kernel pseudo-file) and checks that it is a compiled KFP v2 pipeline.
 */
export function loadPipelineFile(value: string, policy: PathPolicy): LoadedPipeline {
  const read = readConfinedFile('pipeline-file', value, policy, MAX_PIPELINE_BYTES);
  const { real: file, shown } = read;
  const bytes = Buffer.from(read.text, 'utf8');
  const docs = parseYamlFile(read.text, shown);
  const first = docs[0];
  if (!first)
    throw new LocatedError(`${shown} is empty: expected a compiled KFP pipeline`, shown, 1);
  const spec: unknown = first.doc.toJS();
  const problems: string[] = [];
  let at: (string | number)[] = [];
  if (!isRecord(spec)) problems.push('the document is not a map');
  else {
    const need = (key: string, ok: (v: unknown) => boolean, what: string): void => {
      if (!ok(spec[key])) {
        problems.push(`\`${key}\` ${spec[key] === undefined ? 'is missing' : `must be ${what}`}`);
        if (at.length === 0) at = spec[key] === undefined ? [] : [key];
      }
    };
    need(
      'pipelineInfo',
      (v) => isRecord(v) && typeof v.name === 'string' && v.name !== '',
      'a map with a name',
    );
    need('root', (v) => isRecord(v) && isRecord(v.dag), 'a map with a `dag`');
    need('schemaVersion', (v) => typeof v === 'string', 'a string');
    need('components', isRecord, 'a map');
    need('deploymentSpec', isRecord, 'a map');
  }
  if (problems.length > 0 || !isRecord(spec)) {
    const line = lineOf(first, at);
    throw new LocatedError(
      `${shown}${line ? `:${line}` : ''}: not a compiled KFP pipeline (PipelineSpec): ${problems.join('; ')}. Compile it with the KFP SDK (kfp dsl compile / compiler.Compiler().compile) and pass the YAML it writes.`,
      shown,
      line,
    );
  }
  const platform = docs[1]?.doc.toJS() as unknown;
  const inline = isRecord(platform) ? { pipeline_spec: spec, platform_spec: platform } : spec;
  return {
    file,
    bytes,
    inline,
    name: String((spec.pipelineInfo as Record<string, unknown>).name),
    parameters: rootParameters(spec),
  };
}

/** The root `inputDefinitions.parameters` of a PipelineSpec (as JSON from KFP or the file). */
export function rootParameters(spec: unknown): Map<string, RootParameter> {
  const result = new Map<string, RootParameter>();
  const s = isRecord(spec) && isRecord(spec.pipeline_spec) ? spec.pipeline_spec : spec;
  if (!isRecord(s) || !isRecord(s.root) || !isRecord(s.root.inputDefinitions)) return result;
  const params = s.root.inputDefinitions.parameters;
  if (!isRecord(params)) return result;
  for (const [name, def] of Object.entries(params)) {
    const d = isRecord(def) ? def : {};
    result.set(name, {
      type: typeof d.parameterType === 'string' ? (d.parameterType as ParameterType) : undefined,
      optional: d.isOptional === true || d.defaultValue !== undefined,
    });
  }
  return result;
}

function typeOk(type: ParameterType | undefined, value: unknown): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'NUMBER_INTEGER':
      return typeof value === 'number' && Number.isInteger(value);
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' && Number.isFinite(value);
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'LIST':
      return Array.isArray(value);
    case 'STRUCT':
      return isRecord(value);
    default:
      return true;
  }
}

const TYPE_NAMES: Record<ParameterType, string> = {
  STRING: 'a string',
  NUMBER_INTEGER: 'an integer',
  NUMBER_DOUBLE: 'a number',
  BOOLEAN: 'true or false',
  LIST: 'a list',
  STRUCT: 'a map',
  TASK_FINAL_STATUS: 'a task final status',
};

/**
 * Checks `parameters` against the root parameters: every name known, every value of its
 * type, every required one given. One error lists every problem.
 */
export function checkParameters(
  given: Record<string, unknown>,
  declared: Map<string, RootParameter>,
  where: string,
): void {
  const problems: string[] = [];
  const known = [...declared.keys()].sort();
  for (const [name, value] of Object.entries(given)) {
    const def = declared.get(name);
    if (!def) {
      problems.push(
        `unknown parameter '${name}' (${where} declares ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'no parameters'})`,
      );
    } else if (!typeOk(def.type, value)) {
      problems.push(
        `parameter '${name}' must be ${def.type ? TYPE_NAMES[def.type] : 'set'} (got ${JSON.stringify(value)})`,
      );
    }
  }
  for (const [name, def] of declared) {
    if (!def.optional && !(name in given)) {
      problems.push(`parameter '${name}' is required (no default in ${where})`);
    }
  }
  if (problems.length > 0) {
    throw new InputError(`Input 'parameters': ${problems.join('; ')}.`);
  }
}
