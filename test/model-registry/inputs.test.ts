/** model-registry's inputs: what is accepted, and one error naming the input otherwise. */
import { describe, expect, it } from '@jest/globals';
import { getInputs, secretsOf } from '../../actions/model-registry/inputs.ts';
import { InputError } from '../../shared/errors.ts';
import { mapInputs } from '../../shared/inputs.ts';

const BASE = { 'tracking-uri': 'https://mlflow.example.com/', 'model-name': 'iris' };
const parse = (values: Record<string, string>) =>
  getInputs(mapInputs({ ...BASE, ...values }), { RUNNER_TEMP: '/tmp/rt' });

describe('model-registry inputs', () => {
  it('resolve by each selector; version latest; defaults', () => {
    const p = parse({ version: '7' });
    expect(p).toMatchObject({
      trackingUri: 'https://mlflow.example.com',
      operation: 'resolve',
      selector: { kind: 'version', version: '7' },
      failOnGate: true,
      tolerance: { kind: 'absolute', value: 0 },
      timeoutMs: 300_000,
      outputDir: '/tmp/rt',
      auth: { kind: 'none' },
    });
    expect(parse({ version: 'latest' }).selector).toEqual({ kind: 'latest' });
    expect(parse({ alias: 'challenger' }).selector).toEqual({ kind: 'alias', alias: 'challenger' });
    expect(parse({ 'run-id': 'a'.repeat(32) }).selector).toEqual({
      kind: 'run-id',
      runId: 'a'.repeat(32),
    });
    expect(parse({ stage: 'Production' }).selector).toEqual({ kind: 'stage', stage: 'Production' });
  });

  it('auth: bearer or basic; the secrets to mask include the basic header value', () => {
    expect(secretsOf(parse({ version: '1', token: 't0k' }))).toEqual(['t0k']);
    const basic = parse({ version: '1', username: 'ci', password: 'pw' });
    expect(secretsOf(basic)).toEqual(['pw', Buffer.from('ci:pw').toString('base64')]);
  });

  it.each([
    [{ version: '1', alias: 'champion' }, "'version' and 'alias'"],
    [{}, "'version', 'alias', 'run-id', 'stage'"],
    [{ version: '0' }, "'version'"],
    [{ alias: 'latest' }, "'alias'"],
    [{ alias: 'v3' }, "'alias'"],
    [{ stage: 'prod' }, "'stage'"],
    [{ 'run-id': '../x' }, "'run-id'"],
    [{ version: '1', 'model-name': "iris' or name='x" }, "'model-name'"],
    [{ version: '1', 'tracking-uri': 'http://mlflow.example.com' }, "'tracking-uri'"],
    [{ version: '1', 'tracking-uri': 'https://u:p@mlflow.example.com' }, "'tracking-uri'"],
    [{ version: '1', token: 't', password: 'p' }, "'token'"],
    [{ version: '1', password: 'p' }, "'username'"],
    [{ version: '1', 'must-beat': 'champion' }, "'must-beat'"],
    [{ version: '1', 'min-metrics': 'accuracy>>0.9' }, "'min-metrics'"],
    [{ version: '1', operation: 'promote' }, "'promote-to'"],
    [{ version: '1', 'promote-to': 'champion' }, "'promote-to'"],
    [
      { version: '1', operation: 'promote', 'promote-to': 'champion', 'min-metrics': 'a>=1' },
      "'min-metrics'",
    ],
    [
      { version: '1', operation: 'promote', 'promote-to': 'champion', 'image-ref': 'Bad Ref' },
      "'image-ref'",
    ],
    [
      { version: '1', operation: 'promote', 'promote-to': 'champion', 'expect-alias-version': 'x' },
      "'expect-alias-version'",
    ],
    [{ operation: 'rollback', 'promote-to': 'champion' }, "'version'"],
    [
      { version: '1', operation: 'rollback', 'promote-to': 'champion', 'previous-version': 'one' },
      "'previous-version'",
    ],
    [{ version: '1', timeout: 'forever' }, "'timeout'"],
    [{ version: '1', operation: 'deploy' }, "'operation'"],
  ])('refuses %j naming %s', (values, named) => {
    expect(() => parse(values as Record<string, string>)).toThrow(named);
    // An input error (the step's one line naming the input), not a crash further in.
    expect(() => parse(values as Record<string, string>)).toThrow(InputError);
  });

  it('plain http is fine on loopback (a local server, the tests)', () => {
    expect(parse({ version: '1', 'tracking-uri': 'http://127.0.0.1:5000' }).trackingUri).toBe(
      'http://127.0.0.1:5000',
    );
  });
});
