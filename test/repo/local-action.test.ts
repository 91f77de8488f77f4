// The actions run under GitHub's local-action (`npx @github/local-action run <action-dir>
// <entrypoint> <.env>`), the real package from devDependencies, offline: entry modules export
// run() and do nothing when imported, and each action's .env.example is a sample that works.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';
import { actionDirs } from '../../scripts/docs.ts';
import { discoverEntries } from '../../scripts/entries.ts';

const temp = mkdtempSync(path.join(tmpdir(), 'local-action-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface LocalActionRun {
  exitCode: number | null;
  stdout: string;
  /** `::set-output name=…::…` lines that local-action's @actions/core stub prints. */
  outputs: Record<string, string>;
}

/** `npx @github/local-action run …` from the repository root, as the .env.example files say. */
function localAction(args: string[], runnerTemp: string): Promise<LocalActionRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no', '@github/local-action', 'run', ...args], {
      cwd: repoRoot,
      env: {
        // Node 24 and tsx from node_modules/.bin, as after `npm ci`.
        PATH: `${path.join(repoRoot, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? temp,
        RUNNER_TEMP: runnerTemp,
        // Proves it needs no network: npm answers from node_modules or fails.
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const outputs: Record<string, string> = {};
      for (const m of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm))
        outputs[m[1]!] = m[2]!;
      resolve({ exitCode, stdout, outputs });
    });
  });
}

function freshDir(name: string): string {
  return mkdtempSync(path.join(temp, `${name}-`));
}

describe('entry modules', () => {
  it.each(discoverEntries(repoRoot).map((e) => path.relative(repoRoot, e.source)))(
    '%s exports run() and does nothing when imported',
    async (file) => {
      const exitCode = process.exitCode;
      const module = (await import(pathToFileURL(path.join(repoRoot, file)).href)) as {
        run?: unknown;
      };
      expect(typeof module.run).toBe('function');
      expect(process.exitCode).toBe(exitCode);
    },
  );
});

describe('.env.example of every action', () => {
  it.each(actionDirs())('%s: every input of action.yml, named as the runner names it', (dir) => {
    const meta = parse(readFileSync(path.join(repoRoot, dir, 'action.yml'), 'utf8')) as {
      inputs?: Record<string, unknown>;
    };
    const sample = readFileSync(path.join(repoRoot, dir, '.env.example'), 'utf8');
    const keys = [...sample.matchAll(/^([A-Z][A-Z0-9_-]*)=/gm)].map((m) => m[1]);
    for (const name of Object.keys(meta.inputs ?? {}))
      expect(keys).toContain(`INPUT_${name.toUpperCase()}`);
    expect(sample).toContain(
      `npx @github/local-action run ${dir} ../actions/${dir}/main.ts ${dir}/.env.example`,
    );
  });
});

describe('npx @github/local-action run', () => {
  it('render-manifests with its .env.example: outputs, and the file they name', async () => {
    const runnerTemp = freshDir('render');
    const result = await localAction(
      ['render-manifests', '../actions/render-manifests/main.ts', 'render-manifests/.env.example'],
      runnerTemp,
    );
    expect(result.exitCode).toBe(0);
    const file = path.join(runnerTemp, 'render-manifests', 'manifests.yaml');
    expect(result.outputs['manifests-path']).toBe(file);
    expect(JSON.parse(result.outputs.images!)).toEqual(['ghcr.io/octo-org/recommender:1.0.0']);
    expect(result.outputs.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8')).toContain('image: ghcr.io/octo-org/recommender:1.0.0');
    // local-action's own table of what the action set.
    expect(result.stdout).toContain('Action Outputs');
    expect(result.stdout).not.toContain('No outputs were set!');
  }, 120_000);

  it('render-manifests with a bad input: one error line, exit 1, no outputs', async () => {
    const runnerTemp = freshDir('render-bad');
    const env = path.join(runnerTemp, 'bad.env');
    writeFileSync(
      env,
      readFileSync(path.join(repoRoot, 'render-manifests', '.env.example'), 'utf8').replace(
        /^INPUT_IMAGE=.*$/m,
        'INPUT_IMAGE=',
      ),
    );
    const result = await localAction(
      ['render-manifests', '../actions/render-manifests/main.ts', env],
      runnerTemp,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "::error::render-manifests: Input 'image-placeholder' is set but 'image' is empty",
    );
    expect(result.outputs).toEqual({});
    expect(existsSync(path.join(runnerTemp, 'render-manifests'))).toBe(false);
  }, 120_000);

  it('setup-cluster-auth with its .env.example and --post: kubeconfig written, then removed', async () => {
    const runnerTemp = freshDir('auth');
    const result = await localAction(
      [
        'setup-cluster-auth',
        '../actions/setup-cluster-auth/main.ts',
        'setup-cluster-auth/.env.example',
        '--post',
        path.join(repoRoot, 'actions', 'setup-cluster-auth', 'post.ts'),
      ],
      runnerTemp,
    );
    expect(result.exitCode).toBe(0);
    expect(result.outputs.context).toBe('kube-sim');
    expect(result.outputs['cluster-endpoint']).toBe('http://127.0.0.1:6443');
    const kubeconfig = result.outputs['kubeconfig-path']!;
    expect(kubeconfig.startsWith(runnerTemp + path.sep)).toBe(true);
    expect(result.stdout).toContain('Running Post Step');
    expect(existsSync(kubeconfig)).toBe(false);
  }, 120_000);
});
