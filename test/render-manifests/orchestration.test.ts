/**
 * render-manifests' orchestration with fake dependencies: a fake kubectl (a runner that
 * answers `kustomize` with fixed YAML), a manual clock, a recording logger; no runner, no
 * network. The phases run in order, skip what the inputs skip, and the report alone gives
 * outputs and summary.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocatedErrors } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import { mapInputs, Inputs } from '../../shared/inputs.ts';
import { runPhases } from '../../shared/phases.ts';
import { getInputs } from '../../actions/render-manifests/inputs.ts';
import { renderBody } from '../../actions/render-manifests/wiring.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: IMAGE
`;
const KUSTOMIZED = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`;

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-orch-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A kubectl that only knows `kustomize`: records its calls, answers with fixed YAML. */
function fakeKubectl(calls: string[][]): CommandRunner {
  return {
    run: async (command, args) => {
      calls.push([command, ...args]);
      return { exitCode: 0, stdout: KUSTOMIZED, stderr: '' };
    },
  };
}

async function runBody(ws: string, values: Record<string, string>) {
  const calls: string[][] = [];
  const logger = new RecordingLogger();
  const clock = new ManualClock(1_000);
  const inputs = getInputs(
    new Inputs(mapInputs({ 'output-dir': path.join(ws, 'out'), ...values })),
    {
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: ws,
    },
  );
  const body = renderBody({ runner: fakeKubectl(calls), logger, clock });
  const ctx = {
    ...(await body.context(inputs, new AbortController().signal)),
    kubectl: async () => '/fake/kubectl',
  };
  const report = body.report(ctx);
  const error = await runPhases(body.phases, ctx, report).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { calls, logger, report, error, body };
}

describe('render-manifests orchestration (fake kubectl, manual clock)', () => {
  it('runs every phase in order and derives outputs and summary from the report', async () => {
    const ws = workspace({
      'app/deploy.yaml': DEPLOYMENT,
      'kust/kustomization.yaml': 'resources: []\n',
    });
    const { calls, logger, report, error, body } = await runBody(ws, {
      manifests: 'app/deploy.yaml\nkust',
      'image-placeholder': 'IMAGE',
      image: 'ghcr.io/acme/web:1.0',
      validate: 'false',
    });
    expect(error).toBeUndefined();
    expect(report.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual([
      'resolve sources:done',
      'build kustomizations:done',
      'parse:done',
      'substitute:done',
      'transform:done',
      'check references:done',
      'validate:skipped',
      'write:done',
      'announce:done',
    ]);
    expect(calls).toEqual([
      [
        '/fake/kubectl',
        'kustomize',
        '--load-restrictor',
        'LoadRestrictionsRootOnly',
        path.join(ws, 'kust'),
      ],
    ]);
    const outputs = body.outputs(report);
    expect(outputs['manifests-path']).toBe(path.join(ws, 'out', 'manifests.yaml'));
    expect(outputs['resource-count']).toBe('2');
    expect(JSON.parse(outputs.images ?? '')).toEqual(['ghcr.io/acme/web:1.0']);
    const written = readFileSync(path.join(ws, 'out', 'manifests.yaml'), 'utf8');
    expect(written).toContain('image: ghcr.io/acme/web:1.0');
    expect(written).toContain('name: settings');
    expect(body.summary(report)).toContain('render-manifests: 2 resources, not validated');
    expect(logger.records.map((r) => r.message)).toContain(
      `Rendered 2 resources to ${path.join(ws, 'out', 'manifests.yaml')}`,
    );
  });

  it('a problem fails the write phase: nothing written, no outputs, no own summary', async () => {
    const ws = workspace({ 'app/deploy.yaml': DEPLOYMENT.replace('kind: Deployment\n', '') });
    const { report, error, body } = await runBody(ws, { manifests: 'app/deploy.yaml' });
    expect(error).toBeInstanceOf(LocatedErrors);
    expect((error as LocatedErrors).errors[0]?.message).toBe(
      'app/deploy.yaml:1: document 1 has no kind',
    );
    expect(report.phases.map((p) => `${p.name}:${p.outcome}`).slice(-3)).toEqual([
      'check references:done',
      'validate:skipped',
      'write:failed',
    ]);
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
    expect(body.outputs(report, error)).toEqual({});
    expect(body.summary(report, error)).toBeUndefined();
  });

  it('a cancelled job stops before the next phase', async () => {
    const ws = workspace({ 'app/deploy.yaml': DEPLOYMENT });
    const inputs = getInputs(
      new Inputs(mapInputs({ manifests: 'app/deploy.yaml', 'output-dir': path.join(ws, 'out') })),
      {
        GITHUB_WORKSPACE: ws,
        RUNNER_TEMP: ws,
      },
    );
    const controller = new AbortController();
    const body = renderBody({
      runner: fakeKubectl([]),
      logger: new RecordingLogger(),
      clock: new ManualClock(),
    });
    const ctx = await body.context(inputs, controller.signal);
    const report = body.report(ctx);
    const phases = [{ name: 'cancel', run: () => controller.abort('SIGTERM') }, ...body.phases];
    await expect(runPhases(phases, ctx, report)).rejects.toThrow(/cancel/i);
    expect(report.phases.map((p) => p.name)).toEqual(['cancel']);
    expect(existsSync(path.join(ws, 'out'))).toBe(false);
  });
});
