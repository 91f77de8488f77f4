/**
 * analyze-release makes one cluster connection per run, and only when something needs it:
 * the real bundle against the Kubernetes API simulator (TLS, bearer token) with an exec
 * credential plugin — what setup-cluster-auth writes — that counts its runs in a file. The
 * kubeconfig's reads are counted by the masks a read registers (one per exec env value).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { startKubeSim, type KubeSim } from '../harness/kube-sim/index.ts';
import { startModelServer, type ModelServer } from '../harness/fakes/model-server.ts';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';
import { createScaledDeployment, createService } from '../harness/kube-sim/call.ts';

const TOKEN = 'sim-token-conn-5c2e9a';
/** An exec env value: masked each time the kubeconfig is read, so its masks count the reads. */
const READ_MARK = 'kubeconfig-read-mark-71d3';

let sim: KubeSim;
let model: ModelServer;
let dir: string;
let kubeconfig: string;
let counter: string;

/** The simulator's kubeconfig with its user swapped for a counting exec credential plugin. */
function execKubeconfig(): string {
  const plugin = path.join(dir, 'count-cred.mjs');
  writeFileSync(
    plugin,
    `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, 'run\\n');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(TOKEN)} } }));\n`,
  );
  const doc = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as {
    users: { user: Record<string, unknown> }[];
  };
  doc.users[0]!.user = {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: process.execPath,
      args: [plugin],
      env: [{ name: 'COUNT_MARK', value: READ_MARK }],
      interactiveMode: 'Never',
    },
  };
  const file = path.join(dir, 'exec.kubeconfig');
  writeFileSync(file, stringify(doc));
  return file;
}

/** How many times the plugin ran since the last call (the counter file is emptied). */
function pluginRuns(): number {
  if (!existsSync(counter)) return 0;
  const runs = readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
  rmSync(counter);
  return runs;
}

const kubeconfigReads = (r: ActionRunResult): number =>
  r.masks.filter((m) => m === READ_MARK).length;

beforeAll(async () => {
  sim = await startKubeSim({ tls: true, token: TOKEN, namespaces: ['models'], speed: 20 });
  model = await startModelServer({ delayMs: 2 });
  dir = mkdtempSync(path.join(tmpdir(), 'analyze-conn-'));
  counter = path.join(dir, 'plugin-runs.txt');
  kubeconfig = execKubeconfig();
  expect(await createService(sim, 'models', 'iris')).toBe(201);
  sim.proxyService('models', 'iris', model.url);
  await createScaledDeployment(sim, {
    namespace: 'models',
    deployment: 'iris',
    app: 'iris',
    container: 'model',
    replicas: 1,
    hpa: 'iris',
    minReplicas: 1,
    maxReplicas: 3,
  });
  await sim.waitFor(
    () => sim.getObject('HorizontalPodAutoscaler', 'models', 'iris')?.status !== undefined,
  );
}, 30_000);

afterAll(async () => {
  await sim?.stop();
  await model?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('analyze-release: one cluster connection per run, only when needed (bundle)', () => {
  it('service target + hpa: the kubeconfig is read and its exec plugin run once for both', async () => {
    pluginRuns();
    const r = await runAction('analyze-release', {
      inputs: {
        service: 'models/iris',
        hpa: 'models/iris',
        rate: '20',
        duration: '1s',
        warmup: '0s',
      },
      env: { KUBECONFIG: kubeconfig },
    });
    expect(lastError(r)).toBe('');
    expect(r.outputs.verdict).toBe('pass');
    expect(model.requests).toBeGreaterThanOrEqual(20);
    expect(pluginRuns()).toBe(1);
    expect(kubeconfigReads(r)).toBe(1);
    expect(r.maskedLog).not.toContain(TOKEN);
  }, 60_000);

  it('service target, 8 workers starting together: the plugin still runs once', async () => {
    pluginRuns();
    const r = await runAction('analyze-release', {
      inputs: { service: 'models/iris', concurrency: '8', duration: '1s', warmup: '0s' },
      env: { KUBECONFIG: kubeconfig },
    });
    expect(lastError(r)).toBe('');
    expect(r.outputs.verdict).toBe('pass');
    expect(pluginRuns()).toBe(1);
    expect(kubeconfigReads(r)).toBe(1);
    // The token is masked once, not once per request.
    expect(r.masks.filter((m) => m === TOKEN)).toHaveLength(1);
  }, 60_000);

  it('url target + hpa: one connection, for the hpa only (the load does not connect)', async () => {
    pluginRuns();
    const r = await runAction('analyze-release', {
      inputs: { url: model.url, hpa: 'models/iris', rate: '20', duration: '1s', warmup: '0s' },
      env: { KUBECONFIG: kubeconfig },
    });
    expect(lastError(r)).toBe('');
    expect(r.outputs.verdict).toBe('pass');
    expect(pluginRuns()).toBe(1);
    expect(kubeconfigReads(r)).toBe(1);
  }, 60_000);

  it('url targets only, no hpa: a given kubeconfig is not read and its plugin never runs', async () => {
    pluginRuns();
    const r = await runAction('analyze-release', {
      inputs: {
        url: model.url,
        'baseline-url': model.url,
        kubeconfig,
        rate: '20',
        duration: '1s',
        warmup: '0s',
      },
      env: { KUBECONFIG: kubeconfig },
    });
    expect(lastError(r)).toBe('');
    expect(r.outputs.verdict).toBe('pass');
    expect(pluginRuns()).toBe(0);
    expect(kubeconfigReads(r)).toBe(0);
  }, 60_000);
});
