import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const summaryModule = path.resolve(path.dirname(actionModule), 'summary.ts');

/** Runs a snippet in a real Node process, as an action's entry would run. */
function run(
  body: string,
  env: Record<string, string> = {},
): { status: number | null; stdout: string } {
  const script = `import { runAction, runPost } from '${actionModule}';\nimport { writeSummary } from '${summaryModule}';\nimport { InputError, LocatedErrors, LocatedError } from '${errorsModule}';\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env },
    timeout: 20_000,
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

  it('writes a failure summary once: only when the action wrote none', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'action-test-'));
    try {
      const file = path.join(dir, 'summary.md');
      run(`await runAction('demo', async () => { throw new Error('boom'); });`, {
        GITHUB_STEP_SUMMARY: file,
      });
      expect(readFileSync(file, 'utf8')).toBe('## ❌ demo: failed\n\n```\nboom\n```\n\n');
      const own = path.join(dir, 'own.md');
      run(
        `await runAction('demo', async () => { await writeSummary('## mine'); throw new Error('boom'); });`,
        { GITHUB_STEP_SUMMARY: own },
      );
      expect(readFileSync(own, 'utf8')).toBe('## mine\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns SIGINT into an aborted signal: the action winds down and the step fails as cancelled', () => {
    const r = run(
      `await runAction('demo', async (signal) => {
        const work = setInterval(() => undefined, 1000); // an open watch, say
        setImmediate(() => process.kill(process.pid, 'SIGINT'));
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        clearInterval(work);
        console.log('wound down: ' + signal.reason);
      });`,
    );
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      '::warning::demo: received SIGINT; stopping',
      'wound down: SIGINT',
      '::error::demo: cancelled (SIGINT)',
    ]);
  });

  it('only warns when a post step fails', () => {
    const r = run(`await runPost('demo', async () => { throw new Error('cleanup failed'); });`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('::warning::demo (post): cleanup failed\n');
  });
});
