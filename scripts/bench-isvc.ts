/**
 * `node scripts/bench-isvc.ts [--full]` (run by `npm run bench`): an InferenceService release
 * whose model cannot be downloaded (storage-initializer fails), given to the committed bundle
 * dist/rollout-and-verify and to `kubectl wait --for=condition=Ready isvc/…`, both with the
 * same short timeout, against the Kubernetes API simulator. From the first failure signal (the
 * InferenceService's modelStatus turning BlockedByFailedLoad) to the tool reporting the failure,
 * and (ours) to the step's exit after the earlier spec is restored and its revision verified
 * ready. Printed, never asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startKubeSim, type KubeSim } from '../test/harness/kube-sim/index.ts';
import { runAction } from '../test/harness/runner.ts';
import { median, run, runs } from './bench-lib.ts';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const NS = 'bench';
const SPEED = 10;
/** The step's `timeout` and kubectl's --timeout: the same short wait for both. */
const TIMEOUT_S = 10;
const work = mkdtempSync(path.join(tmpdir(), 'bench-isvc-'));

function isvc(name: string, uri: string): string {
  const file = `${name}-${uri.replace(/\W+/g, '-')}.yaml`;
  writeFileSync(
    path.join(work, file),
    `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ${name}}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: ${uri}
`,
  );
  return file;
}

/** performance.now() when the InferenceService first reports the failed load. */
async function failedLoadAt(sim: KubeSim, name: string): Promise<number> {
  await sim.waitFor(
    () =>
      (
        sim.getObject('InferenceService', NS, name)?.status?.modelStatus as
          { transitionStatus?: string } | undefined
      )?.transitionStatus === 'BlockedByFailedLoad',
    120_000,
    `failed load of ${name}`,
  );
  return performance.now();
}

async function ours(
  sim: KubeSim,
  name: string,
): Promise<{ reported: number; restored: number; status: string }> {
  const good = await runAction('rollout-and-verify', {
    inputs: { manifests: isvc(name, 'gs://models/v1'), namespace: NS, timeout: '60s' },
    env: { KUBECONFIG: sim.kubeconfigPath },
    workspace: work,
    post: false,
  });
  if (good.outputs.status !== 'succeeded') throw new Error(`setup failed:\n${good.log}`);
  const signal = failedLoadAt(sim, name);
  let text = '';
  let reportedAt = 0;
  let exitedAt = 0;
  const onStart = (child: ChildProcess): void => {
    const seen = (b: Buffer): void => {
      text += b.toString('utf8');
      if (!reportedAt && /InferenceService \S+ failed: /.test(text)) reportedAt = performance.now();
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.on('close', () => (exitedAt = performance.now()));
  };
  const r = await runAction('rollout-and-verify', {
    inputs: {
      manifests: isvc(name, 'gs://models/fail-download-v2'),
      namespace: NS,
      timeout: `${TIMEOUT_S}s`,
    },
    env: { KUBECONFIG: sim.kubeconfigPath },
    workspace: work,
    post: false,
    timeoutMs: 120_000,
    onStart,
  });
  const at = await signal;
  if (!reportedAt) throw new Error(`ours did not report the failure:\n${r.log}`);
  return { reported: reportedAt - at, restored: exitedAt - at, status: r.outputs.status ?? '' };
}

async function kubectl(sim: KubeSim, name: string): Promise<{ reported: number; code: number }> {
  const opts = {
    env: { PATH: process.env.PATH, HOME: work, KUBECONFIG: sim.kubeconfigPath },
    cwd: work,
    timeoutMs: 120_000,
  };
  const apply = (file: string): Promise<unknown> =>
    run(KUBECTL, ['apply', '--server-side', '-n', NS, '-f', path.join(work, file)], {
      ...opts,
      expect: 0,
    });
  await apply(isvc(name, 'gs://models/v1'));
  await run(KUBECTL, ['wait', '-n', NS, '--for=condition=Ready', `isvc/${name}`, '--timeout=60s'], {
    ...opts,
    expect: 0,
  });
  const signal = failedLoadAt(sim, name);
  await apply(isvc(name, 'gs://models/fail-download-v2'));
  const w = await run(
    KUBECTL,
    ['wait', '-n', NS, '--for=condition=Ready', `isvc/${name}`, `--timeout=${TIMEOUT_S}s`],
    opts,
  );
  return { reported: w.exitedAt - (await signal), code: w.code };
}

const sim = await startKubeSim({ speed: SPEED, namespaces: [NS] });
try {
  const n = runs(1, 3);
  const o: { reported: number; restored: number; status: string }[] = [];
  const k: { reported: number; code: number }[] = [];
  for (let i = 0; i < n; i++) {
    o.push(await ours(sim, `ours-${i}`));
    k.push(await kubectl(sim, `kubectl-${i}`));
  }
  const s = (v: number): string => (v < 1000 ? `${v.toFixed(0)} ms` : `${(v / 1000).toFixed(2)} s`);
  console.log(
    `InferenceService failed model load (storage-initializer download error), both tools with a ${TIMEOUT_S} s timeout, real seconds from the first failure signal (modelStatus BlockedByFailedLoad), simulator at ${SPEED}×, median of ${n}:`,
  );
  console.log(
    `   baseline kubectl wait --for=condition=Ready isvc/…: ${s(median(k.map((x) => x.reported)))} (exit ${k.map((x) => x.code).join('/')}; it waits for its timeout and leaves the broken spec applied)`,
  );
  console.log(
    `   ours: failure reported ${s(median(o.map((x) => x.reported)))}; earlier spec restored and its revision verified ready, step exited ${s(median(o.map((x) => x.restored)))} (status ${[...new Set(o.map((x) => x.status))].join('/')})`,
  );
} finally {
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
}
