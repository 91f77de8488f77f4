/** kfp-run-and-wait's inputs: every mistake is one InputError naming the input. */
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../shared/errors.ts';
import { parseParameters } from '../../actions/kfp-run-and-wait/parameters.ts';
import { FIXTURES, inputsOf } from './helpers.ts';

const host = 'https://kubeflow.example.com/pipeline/';

describe('pipeline source', () => {
  it('pipeline-file alone: inline, as written, read confined to the workspace and RUNNER_TEMP', () => {
    const inputs = inputsOf({ host, 'pipeline-file': 'pipeline.yaml' });
    expect(inputs.source).toEqual({ kind: 'inline', file: 'pipeline.yaml' });
    expect(inputs.pathPolicy).toEqual({
      workspace: FIXTURES,
      roots: [FIXTURES],
      allowOutside: false,
      liftWith: 'allow-outside-workspace',
    });
  });

  it('allow-outside-workspace: true lifts the confinement', () => {
    const inputs = inputsOf({
      host,
      'pipeline-file': '/abs/p.yaml',
      'allow-outside-workspace': 'true',
    });
    expect(inputs.pathPolicy.allowOutside).toBe(true);
  });

  it('pipeline-file + pipeline-name: upload', () => {
    expect(
      inputsOf({ host, 'pipeline-file': 'pipeline.yaml', 'pipeline-name': 'train' }).source,
    ).toEqual({
      kind: 'upload',
      file: 'pipeline.yaml',
      pipelineName: 'train',
    });
  });

  it('pipeline-id + pipeline-version-id: an existing version', () => {
    expect(inputsOf({ host, 'pipeline-id': 'p-1', 'pipeline-version-id': 'v-2' }).source).toEqual({
      kind: 'version',
      pipelineId: 'p-1',
      pipelineVersionId: 'v-2',
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['no source', {}, "Set one of the inputs 'pipeline-file', 'pipeline-id'."],
    [
      'two sources',
      { 'pipeline-file': 'p.yaml', 'pipeline-id': 'p-1' },
      "Inputs 'pipeline-file' and 'pipeline-id' cannot be used together; set only one of 'pipeline-file', 'pipeline-id'.",
    ],
    [
      'pipeline-name with pipeline-id',
      { 'pipeline-id': 'p-1', 'pipeline-version-id': 'v', 'pipeline-name': 'x' },
      "Inputs 'pipeline-name' and 'pipeline-id' cannot be used together",
    ],
    [
      'pipeline-id without a version',
      { 'pipeline-id': 'p-1' },
      "Input 'pipeline-version-id' is required with 'pipeline-id'",
    ],
    [
      'pipeline-version-id with a file',
      { 'pipeline-file': 'p.yaml', 'pipeline-version-id': 'v' },
      "Input 'pipeline-version-id' goes with 'pipeline-id', not with 'pipeline-file'",
    ],
    [
      'an id that would change the URL',
      { 'pipeline-id': '../runs', 'pipeline-version-id': 'v' },
      `Input 'pipeline-id' must be a KFP id (letters, digits, '.', '_', '-'), got "../runs".`,
    ],
  ])('%s', (_name, values, message) => {
    expect(() => inputsOf({ host, ...values })).toThrow(InputError);
    expect(() => inputsOf({ host, ...values })).toThrow(message);
  });
});

describe('connection and the rest', () => {
  const ok = { host, 'pipeline-file': 'pipeline.yaml' };

  it('defaults', () => {
    const i = inputsOf(ok);
    expect(i).toMatchObject({
      host: 'https://kubeflow.example.com/pipeline',
      auth: { kind: 'none' },
      wait: true,
      timeoutMs: 3_600_000,
      pollIntervalMs: 20_000,
      cancelOnTimeout: true,
      parameters: '',
      runName: 'pipeline abcdef0 #4242.1',
    });
  });

  it('parameters as JSON or YAML', () => {
    expect(parseParameters('{"lr": 0.1, "tags": ["a"]}')).toEqual({ lr: 0.1, tags: ['a'] });
    expect(parseParameters('lr: 0.1\nuse_gpu: true')).toEqual({ lr: 0.1, use_gpu: true });
    expect(parseParameters('')).toEqual({});
  });

  it.each([
    ['[1, 2]', "Input 'parameters' must be a map"],
    ['{"lr": ', "Input 'parameters' is not valid JSON or YAML"],
  ])('parameters %j: an input error', (text, message) => {
    expect(() => parseParameters(text)).toThrow(InputError);
    expect(() => parseParameters(text)).toThrow(message);
  });

  it('a token is taken with or without its Bearer prefix', () => {
    expect(inputsOf({ ...ok, token: 'Bearer abc.def' }).auth).toEqual({
      kind: 'token',
      token: 'abc.def',
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['no host', { host: '' }, "Input 'host' is required."],
    ['a host that is not a URL', { host: 'kubeflow' }, "Input 'host' must be the http(s) URL"],
    [
      'a host with credentials',
      { host: 'https://u:p@kf.example.com' },
      'must not carry credentials',
    ],
    ['a host with a query', { host: 'https://kf.example.com/?x=1' }, 'must not have a query'],
    [
      'two credentials',
      { token: 't', cookie: 'a=b' },
      "Inputs 'token' and 'cookie' cannot be used together.",
    ],
    [
      'a cookie that is not NAME=VALUE',
      { cookie: 'just-a-value' },
      "Input 'cookie' must be NAME=VALUE pairs",
    ],
    ['a bad namespace', { namespace: 'Team_A' }, "Input 'namespace' must be a DNS label"],
    ['a bad timeout', { timeout: 'soon' }, "Input 'timeout' must be a duration"],
    [
      'a poll interval under 1s',
      { 'poll-interval': '100ms' },
      "Input 'poll-interval' must be at least 1s.",
    ],
    ['a bad wait', { wait: 'yes' }, `Input 'wait' must be true or false (got "yes").`],
    ['a run name over two lines', { 'run-name': 'a\nb' }, "Input 'run-name' must be one line"],
  ])('%s', (_name, values, message) => {
    expect(() => inputsOf({ ...ok, ...values })).toThrow(message);
  });
});
