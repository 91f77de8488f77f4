import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const actionModule = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'shared',
  'action.ts',
);
const errorsModule = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'shared',
  'errors.ts',
);

/** Runs a snippet in a real Node process, as an action's entry would run. */
function run(body: string): { status: number | null; stdout: string } {
  const script = `import { runAction, runPost } from '${actionModule}';\nimport { InputError, LocatedErrors, LocatedError } from '${errorsModule}';\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout };
}

describe('runAction / runPost', () => {
  it('turns a thrown non-Error into a failure line and exit code 1', () => {
    const r = run(`await runAction('demo', async () => { throw 'plain string'; });`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('::error::demo: plain string\n');
  });

  it('reports an InputError without its stack, other errors with the stack at debug', () => {
    const input = run(
      `await runAction('demo', async () => { throw new InputError("Input 'x' is required."); });`,
    );
    expect(input.stdout).toBe(`::error::demo: Input 'x' is required.\n`);
    const internal = run(`await runAction('demo', async () => { throw new Error('boom'); });`);
    expect(internal.stdout).toMatch(/^::debug::Error: boom%0A\s+at /);
    expect(internal.stdout).toMatch(/::error::demo: boom\n$/);
  });

  it('annotates each located error with file and line, and escapes message data', () => {
    const r = run(
      `await runAction('demo', async () => { throw new LocatedErrors('2 problems', [new LocatedError('a: 100%', 'x.yaml', 3), new LocatedError('b,c', 'y.yaml')]); });`,
    );
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      '::error title=mlops-actions,file=x.yaml,line=3::a: 100%25',
      '::error title=mlops-actions,file=y.yaml::b,c',
      '::error::demo: 2 problems',
    ]);
  });

  it('lists each cause of an AggregateError', () => {
    const r = run(
      `await runAction('demo', async () => { throw new AggregateError([new Error('one'), 'two'], 'several'); });`,
    );
    expect(r.stdout).toContain('::error::demo: several%0A  - one%0A  - two');
  });

  it('leaves a successful step at exit code 0', () => {
    expect(run(`await runAction('demo', async () => {});`)).toEqual({ status: 0, stdout: '' });
  });

  it('only warns when a post step fails', () => {
    const r = run(`await runPost('demo', async () => { throw new Error('cleanup failed'); });`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('::warning::demo (post): cleanup failed\n');
  });
});
