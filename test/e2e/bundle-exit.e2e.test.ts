/**
 * Every bundle exits as soon as its event loop is empty, without tearing down the heap (the
 * build's starter calls process.exit() on 'beforeExit'): a finished step's process ends
 * within milliseconds of its last output. Exit codes, outputs and summaries are unchanged.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runAction } from '../harness/runner.ts';

/** Preloaded into the bundle: reports a call of process.exit and the code it exits with. */
const PROBE = `const exit = process.exit.bind(process);
// Passes its arguments on as given: exit(undefined) would clear process.exitCode.
process.exit = (...args) => {
  process.stderr.write('probe: process.exit called\\n');
  return exit(...args);
};
process.on('exit', (code) => process.stderr.write('probe: exit code ' + code + '\\n'));
`;

describe('bundles exit once their work is done', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-exit-'));
  const probe = path.join(dir, 'probe.mjs');
  writeFileSync(probe, PROBE);
  const env = { NODE_OPTIONS: `--import ${probe}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a step that succeeds: exit 0 through process.exit, outputs and summary written', async () => {
    const workspace = mkdtempSync(path.join(dir, 'ok-'));
    writeFileSync(
      path.join(workspace, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n',
    );
    const r = await runAction('render-manifests', {
      inputs: { manifests: 'cm.yaml', 'output-dir': 'out' },
      workspace,
      env,
    });
    expect(r.exitCode).toBe(0);
    expect(r.log).toContain('probe: process.exit called');
    expect(r.log).toContain('probe: exit code 0');
    expect(r.outputs['resource-count']).toBe('1');
    expect(r.summary).not.toBe('');
  });

  it('a step that fails: the failure line in full, exit 1 kept', async () => {
    const r = await runAction('render-manifests', { inputs: {}, env });
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(/^::error.*manifests/m);
    expect(r.log).toContain('probe: process.exit called');
    expect(r.log).toContain('probe: exit code 1');
  });
});
