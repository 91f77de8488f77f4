/**
 * `node scripts/bench-rollout-and-verify.ts [--full]` (run by `npm run bench`): the committed
 * bundle dist/rollout-and-verify, run as the runner runs it (test/harness/runner.ts), against
 * the Kubernetes API simulator (TLS + bearer token), each figure next to a baseline measured in
 * the same run:
 *  1. success detection: rollout complete → step returns, vs `kubectl apply` + `kubectl rollout
 *     status` on the same manifests; and each one's last output → exit, next to `node -e`'s
 *  2. API requests per rollout (Deployment + Service + HPA), vs kubectl apply + rollout status
 *  3. exec-plugin kubeconfig vs token kubeconfig: re-applying an unchanged Deployment
 *  4. failure detection (pullfail-*, crash-*): from the apply reaching the API server to the tool
 *     reporting the failure, both on the simulator's clock, vs kubectl rollout status; both get
 *     the same manifest with the same short progressDeadlineSeconds (kubectl fails only when it
 *     passes)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  bundledExec,
  CREDENTIAL_CONFIG_FILE,
  type ProviderDeps,
} from '../actions/setup-cluster-auth/access.ts';
import type { CredentialConfig } from '../actions/setup-cluster-auth/credential-config.ts';
import {
  EXEC_API_VERSION,
  serializeKubeconfig,
  type ExecConfig,
  singleClusterKubeconfig,
  type KubeUser,
} from '../shared/kube/kubeconfig.ts';
import { startKubeSim, type KObj, type KubeSim } from '../test/harness/kube-sim/index.ts';
import { runAction } from '../test/harness/runner.ts';
import { alternate, conditions, median, ms, run, runs, times } from './bench-lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const NS = 'bench';
/** Simulated seconds per real second: slow-* pods are Ready 2 s (real) after they start. */
const SPEED = 10;
/** progressDeadlineSeconds of the failing Deployments, the same for both tools. */
const DEADLINE = 30;
const FAIL_FAST_REASONS = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CrashLoopBackOff',
]);
const work = mkdtempSync(path.join(tmpdir(), 'bench-rv-'));

function manifests(name: string, image: string, progressDeadlineSeconds?: number): string {
  const deadline =
    progressDeadlineSeconds === undefined
      ? ''
      : `\n  progressDeadlineSeconds: ${progressDeadlineSeconds}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 2${deadline}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: model, image: "${image}"}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: ${name}}, ports: [{port: 8080}]}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}, minReplicas: 2, maxReplicas: 4}
`;
}

let version = 0;
/** Writes manifests into the workspace; returns the file name (relative to the workspace). */
function manifestFile(text: string): string {
  const file = `m-${++version}.yaml`;
  writeFileSync(path.join(work, file), text);
  return file;
}

interface Observed {
  code: number;
  log: string;
  /** performance.now() when the process exited. */
  exitedAt: number;
  /** performance.now() when its output first matched the pattern (0: never). */
  sawAt: number;
  /** performance.now() of its last output. */
  lastAt: number;
}

/** Calls back with performance.now() when the accumulated output first matches `pattern`. */
function watchOutput(pattern: RegExp | undefined): {
  onOutput: (text: string, at: number) => void;
  sawAt: () => number;
  lastAt: () => number;
} {
  let text = '';
  let sawAt = 0;
  let lastAt = 0;
  return {
    onOutput: (chunk, at) => {
      lastAt = at;
      if (sawAt || !pattern) return;
      text += chunk;
      if (pattern.test(text)) sawAt = at;
    },
    sawAt: () => sawAt,
    lastAt: () => lastAt,
  };
}

/** One run of the main step of dist/rollout-and-verify as the runner runs it (post: no API). */
async function ours(
  inputs: Record<string, string>,
  kubeconfig: string,
  pattern?: RegExp,
): Promise<Observed & { durationMs: number }> {
  const seen = watchOutput(pattern);
  let exitedAt = 0;
  const onStart = (child: ChildProcess): void => {
    child.stdout?.on('data', (b: Buffer) => seen.onOutput(b.toString('utf8'), performance.now()));
    child.stderr?.on('data', (b: Buffer) => seen.onOutput(b.toString('utf8'), performance.now()));
    child.on('close', () => (exitedAt = performance.now()));
  };
  const r = await runAction('rollout-and-verify', {
    inputs: { namespace: NS, ...inputs },
    env: { KUBECONFIG: kubeconfig },
    workspace: work,
    post: false,
    timeoutMs: 120_000,
    onStart,
  });
  return {
    code: r.exitCode,
    log: r.log,
    exitedAt,
    sawAt: seen.sawAt(),
    lastAt: seen.lastAt(),
    durationMs: r.durationMs,
  };
}

/** One kubectl command against the simulator (discovery cached in `cache`, as on one runner). */
async function kubectl(
  sim: KubeSim,
  args: string[],
  cache: string,
  pattern?: RegExp,
): Promise<Observed> {
  const seen = watchOutput(pattern);
  const r = await run(KUBECTL, [...args, '--cache-dir', cache], {
    env: { PATH: process.env.PATH, HOME: work, KUBECONFIG: sim.kubeconfigPath },
    cwd: work,
    onOutput: seen.onOutput,
    timeoutMs: 120_000,
  });
  return {
    code: r.code,
    log: r.out,
    exitedAt: r.exitedAt,
    sawAt: seen.sawAt(),
    lastAt: seen.lastAt(),
  };
}

/** `kubectl apply --server-side` of a workspace file, as a pipeline would run it. */
async function kubectlApply(sim: KubeSim, file: string, cache: string): Promise<void> {
  const args = ['apply', '--server-side', '--field-manager', 'bench', '--force-conflicts'];
  const r = await kubectl(sim, [...args, '-n', NS, '-f', path.join(work, file)], cache);
  if (r.code !== 0) throw new Error(`kubectl apply failed:\n${r.log}`);
}

function freshCache(): string {
  return mkdtempSync(path.join(work, 'kube-cache-'));
}

interface DeploymentView {
  metadata: { generation?: number };
  spec?: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
}

function deployment(sim: KubeSim, name: string): DeploymentView | undefined {
  return sim.getObject('Deployment', NS, name) as DeploymentView | undefined;
}

function imageOf(d: DeploymentView | undefined): string | undefined {
  return d?.spec?.template?.spec?.containers?.[0]?.image;
}

function complete(sim: KubeSim, name: string, image: string): boolean {
  const d = deployment(sim, name);
  if (!d?.status || imageOf(d) !== image) return false;
  const want = d.spec?.replicas ?? 1;
  return (
    (d.status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    d.status.updatedReplicas === want &&
    d.status.replicas === want &&
    d.status.availableReplicas === want
  );
}

/** Resolves with performance.now() at the store write that first makes `check` true. */
function when(sim: KubeSim, check: () => boolean, what: string): Promise<number> {
  return sim.waitFor(() => (check() ? performance.now() : undefined), 120_000, what);
}

// ---------------------------------------------------------------------------------------------
// 1. Success detection

interface Success {
  /** ms from the rollout completing in the API to the tool printing success / exiting. */
  printed: number;
  returned: number;
  /** ms from the tool's last output to its exit. */
  tail: number;
  /** The tool was not yet waiting when the rollout completed: its figure measures start-up. */
  late: boolean;
}

async function successLatency(sim: KubeSim, who: 'ours' | 'kubectl'): Promise<Success> {
  const image = `registry.example/model:slow-${version + 1}`;
  const file = manifestFile(manifests('web', image));
  const completed = when(sim, () => complete(sim, 'web', image), `rollout of ${image}`);
  const pattern = /successfully rolled out/;
  let result: Observed;
  let waitingSince: number;
  if (who === 'ours') {
    waitingSince = performance.now(); // the step applies, then waits: it is never late
    result = await ours({ manifests: file }, sim.kubeconfigPath, pattern);
  } else {
    const cache = freshCache();
    await kubectlApply(sim, file, cache);
    waitingSince = performance.now();
    result = await kubectl(sim, ['rollout', 'status', '-n', NS, 'deployment/web'], cache, pattern);
  }
  if (result.code !== 0 || !result.sawAt) {
    completed.catch(() => undefined); // the error below is the one to report
    throw new Error(`${who} failed:\n${result.log}`);
  }
  const completedAt = await completed;
  return {
    printed: result.sawAt - completedAt,
    returned: result.exitedAt - completedAt,
    tail: result.exitedAt - result.lastAt,
    late: waitingSince > completedAt,
  };
}

/** Median ms from `node -e` printing its one line to its exit: what any Node step's exit costs. */
async function nodeExitTail(n: number): Promise<number> {
  const tails: number[] = [];
  for (let i = 0; i < n; i++) {
    let lastAt = 0;
    const r = await run(process.execPath, ['-e', 'console.log("done")'], {
      onOutput: (_text, at) => (lastAt = at),
    });
    tails.push(r.exitedAt - lastAt);
  }
  return median(tails);
}

async function successBench(sim: KubeSim): Promise<void> {
  const n = runs(3, 7);
  const machine = conditions();
  const samples: Record<'ours' | 'kubectl', Success[]> = { ours: [], kubectl: [] };
  for (let i = 0; i < n; i++) {
    for (const who of ['ours', 'kubectl'] as const)
      samples[who].push(await successLatency(sim, who));
  }
  const fig = (who: 'ours' | 'kubectl', key: 'printed' | 'returned' | 'tail'): number =>
    median(samples[who].map((s) => s[key]));
  const nodeTail = await nodeExitTail(n);
  const late = samples.kubectl.filter((s) => s.late).length;
  console.log(
    `1. success detection (Deployment of 2 slow-* pods: rollout complete in the API → step returns), median of ${n}, alternating:`,
  );
  console.log(
    `   baseline: kubectl rollout status ${ms(fig('kubectl', 'returned'))} (printed "successfully rolled out" after ${ms(fig('kubectl', 'printed'))})`,
  );
  console.log(
    `   ours: ${ms(fig('ours', 'returned'))} (printed after ${ms(fig('ours', 'printed'))}) = ${times(fig('ours', 'returned') / fig('kubectl', 'returned'))} kubectl  (target ≤ 1×; after printing: the summary and outputs, then process exit)`,
  );
  console.log(
    `   last output → exit: ours ${ms(fig('ours', 'tail'))}, kubectl ${ms(fig('kubectl', 'tail'))}, node -e printing one line ${ms(nodeTail)} (Node's own exit, the floor)  (target: ours ≤ 10 ms)`,
  );
  // A Node step cannot return sooner than kubectl prints plus Node's own exit.
  const floor = fig('kubectl', 'printed') + nodeTail;
  console.log(
    `   the floor for any Node step here: kubectl's print time + node -e's exit = ${ms(floor)} = ${times(floor / fig('kubectl', 'returned'))} kubectl (ours ${times(fig('ours', 'returned') / floor)} that floor)`,
  );
  console.log(`   machine: ${machine()}`);
  if (late) {
    console.log(
      `   note: in ${late} of ${n} runs kubectl rollout status started after the rollout had completed (machine busy): those figures include its start-up`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// 2. API requests

function isDiscovery(key: string): boolean {
  const p = key.slice(key.indexOf(' ') + 1).split('?')[0] ?? '';
  return /^\/(api|apis)(\/[^/]+){0,2}$/.test(p) || p.startsWith('/openapi') || p === '/version';
}

async function requestsBench(sim: KubeSim): Promise<void> {
  const settle = async (image: string): Promise<void> => {
    await when(sim, () => complete(sim, 'web', image), `rollout of ${image}`);
  };
  let image = `registry.example/model:v${version + 1}`;
  let file = manifestFile(manifests('web', image));
  sim.resetRequests();
  const r = await ours({ manifests: file }, sim.kubeconfigPath);
  if (r.code !== 0) throw new Error(r.log);
  const oursReq = sim.requests();
  await settle(image);

  image = `registry.example/model:v${version + 1}`;
  file = manifestFile(manifests('web', image));
  const cache = freshCache();
  sim.resetRequests();
  await kubectlApply(sim, file, cache);
  const status = await kubectl(sim, ['rollout', 'status', '-n', NS, 'deployment/web'], cache);
  if (status.code !== 0) throw new Error(status.log);
  const theirs = sim.requests();
  const discovery = Object.entries(theirs.requests)
    .filter(([k]) => isDiscovery(k))
    .reduce((sum, [, v]) => sum + v, 0);
  console.log(
    '2. API requests for one update of Deployment + Service + HPA, until rolled out (watch events are not requests):',
  );
  console.log(
    `   baseline: kubectl apply --server-side + rollout status on a fresh runner: ${theirs.total} (${discovery} discovery/openapi, ${theirs.total - discovery} others)`,
  );
  console.log(
    `   ours: ${oursReq.total} = ${times(oursReq.total / theirs.total)} kubectl  (target ≤ 12): ${Object.entries(
      oursReq.requests,
    )
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// 3. exec-plugin kubeconfig vs token kubeconfig

function kubeconfigFor(sim: KubeSim, user: KubeUser, file: string): string {
  const config = singleClusterKubeconfig({
    name: 'kube-sim',
    context: 'kube-sim',
    server: sim.url,
    ...(sim.caData ? { caData: sim.caData } : {}),
    user,
  });
  const target = path.join(work, file);
  writeFileSync(target, serializeKubeconfig(config), { mode: 0o600 });
  return target;
}

/**
 * The exec kubeconfig setup-cluster-auth writes for EKS/GKE without a provider plugin on PATH:
 * `node dist/setup-cluster-auth/exec-credential/index.js <dir>/credential.json`. Its token
 * cache beside the config holds the simulator's token (what every call after the job's first
 * reads), so the credential command answers without calling a cloud.
 */
function bundledExecKubeconfig(sim: KubeSim): { kubeconfig: string; exec: ExecConfig } {
  const dir = mkdtempSync(path.join(work, 'auth-'));
  const configPath = path.join(dir, CREDENTIAL_CONFIG_FILE);
  const config: CredentialConfig = {
    provider: 'eks',
    cluster: 'bench',
    region: 'us-east-1',
    credentials: { kind: 'default' },
    userAgent: 'mlops-actions-bench',
  };
  writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
  const expiresAt = new Date(Date.now() + 3600_000).toISOString();
  writeFileSync(`${configPath}.cache`, JSON.stringify({ token: sim.token, expiresAt }), {
    mode: 0o600,
  });
  const execCredential = {
    node: process.execPath,
    script: path.join(root, 'dist', 'setup-cluster-auth', 'exec-credential', 'index.js'),
  };
  const deps: Pick<ProviderDeps, 'execCredential'> = { execCredential };
  const exec = bundledExec(deps as ProviderDeps, configPath);
  return { kubeconfig: kubeconfigFor(sim, { exec }, 'exec.yaml'), exec };
}

/** The smallest exec plugin: a node script that prints the token; it counts its calls. */
function stubExecKubeconfig(sim: KubeSim): { kubeconfig: string; calls: () => number } {
  const counter = path.join(work, 'stub-calls');
  const script = path.join(work, 'exec-stub.mjs');
  writeFileSync(counter, '');
  const credential = {
    apiVersion: EXEC_API_VERSION,
    kind: 'ExecCredential',
    status: {
      token: sim.token,
      expirationTimestamp: new Date(Date.now() + 3600_000).toISOString(),
    },
  };
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(counter)}, '.');\nprocess.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`,
  );
  const exec = { apiVersion: EXEC_API_VERSION, command: process.execPath, args: [script] };
  return {
    kubeconfig: kubeconfigFor(sim, { exec }, 'exec-stub.yaml'),
    calls: () => readFileSync(counter, 'utf8').length,
  };
}

async function execBench(sim: KubeSim): Promise<void> {
  const n = runs(3, 15);
  const file = manifestFile(manifests('steady', 'registry.example/model:v1'));
  const token = sim.kubeconfigPath;
  const exec = bundledExecKubeconfig(sim);
  const stub = stubExecKubeconfig(sim);
  const step = (kubeconfig: string) => async (): Promise<number> => {
    const r = await ours({ manifests: file }, kubeconfig);
    if (r.code !== 0) throw new Error(`rollout-and-verify with ${kubeconfig} failed:\n${r.log}`);
    return r.durationMs;
  };
  // The first run creates the Deployment; the measured runs re-apply it unchanged.
  await step(token)();
  await when(sim, () => complete(sim, 'steady', 'registry.example/model:v1'), 'steady rollout');
  const m = await alternate(n, {
    token: step(token),
    exec: step(exec.kubeconfig),
    stub: step(stub.kubeconfig),
    node: async () => (await run(process.execPath, ['-e', '0'], { expect: 0 })).ms,
    credential: async () => (await run(exec.exec.command, exec.exec.args ?? [], { expect: 0 })).ms,
  });
  const stubCalls = stub.calls() / (n + 1); // one warm-up run + n measured runs
  console.log(
    `3. exec-plugin kubeconfig vs token kubeconfig: main step re-applying an unchanged Deployment + Service + HPA, median of ${n}, alternating:`,
  );
  console.log(`   baseline: token kubeconfig ${ms(m.token)}`);
  console.log(
    `   exec kubeconfig as setup-cluster-auth writes it (node dist/setup-cluster-auth/exec-credential/index.js, cached token): ${ms(m.exec)} = ${times(m.exec / m.token)} token  (target ≤ 1.5×)`,
  );
  console.log(
    `   for comparison: exec = a 3-line node script printing the token: ${ms(m.stub)} = ${times(m.stub / m.token)} token (it ran ${stubCalls.toFixed(1)} times per step)`,
  );
  console.log(
    `   the credential command alone: ${ms(m.credential)} = ${times(m.credential / m.node)} node -e 0 (${ms(m.node)})`,
  );
}

// ---------------------------------------------------------------------------------------------
// 4. Failure detection

interface Failure {
  /** Simulated ms from the apply reaching the API server to the tool reporting / exiting. */
  reported: number;
  returned: number;
  /** Simulated ms from the apply to a pod first showing the failure in its status. */
  visible: number;
  reason: string;
}

function failingPod(sim: KubeSim, name: string): boolean {
  return sim
    .listObjects('Pod', NS)
    .some(
      (p: KObj) =>
        p.metadata.name.startsWith(`${name}-`) &&
        (
          (p.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[]
        ).some((c) => FAIL_FAST_REASONS.has(c.state?.waiting?.reason ?? '')),
    );
}

async function failureLatency(
  sim: KubeSim,
  who: 'ours' | 'kubectl',
  behaviour: string,
): Promise<Failure> {
  const name = `f${version + 1}`;
  const image = `registry.example/model:${behaviour}-${version + 1}`;
  const doc = manifests(name, image, DEADLINE).split('---')[0] ?? '';
  const file = manifestFile(doc);
  // The reference point: the store write of the applied Deployment, right before the API
  // server sends the apply's response; the same instant for both tools.
  const applied = when(sim, () => imageOf(deployment(sim, name)) === image, `apply of ${name}`);
  const visible = when(sim, () => failingPod(sim, name), `failing pod of ${name}`);
  let result: Observed;
  if (who === 'ours') {
    result = await ours({ manifests: file, rollback: 'false' }, sim.kubeconfigPath, /^::error/m);
  } else {
    const cache = freshCache();
    await kubectlApply(sim, file, cache);
    result = await kubectl(
      sim,
      ['rollout', 'status', '-n', NS, `deployment/${name}`],
      cache,
      /^error:/m,
    );
  }
  if (result.code === 0 || !result.sawAt) {
    for (const p of [applied, visible]) p.catch(() => undefined); // the error below is the one
    throw new Error(`${who} did not report the failure of ${image}:\n${result.log}`);
  }
  const appliedAt = await applied;
  // Simulated time runs at sim.speed × performance.now() (nothing advances it by hand here).
  const toSim = (at: number): number => (at - appliedAt) * sim.speed;
  const reason =
    /(ErrImagePull|ImagePullBackOff|CrashLoopBackOff|ProgressDeadlineExceeded|exceeded its progress deadline)/.exec(
      result.log,
    )?.[1] ?? 'unknown';
  return {
    reported: toSim(result.sawAt),
    returned: toSim(result.exitedAt),
    visible: toSim(await visible),
    reason,
  };
}

async function failureBench(sim: KubeSim): Promise<void> {
  const n = runs(1, 3);
  const behaviours = ['pullfail', 'crash'];
  console.log(
    `4. failure detection: the same Deployment (2 replicas, progressDeadlineSeconds ${DEADLINE}) to both tools; from the apply reaching the API server to the tool reporting the failure (::error / error:), simulated seconds at ${SPEED}× (real ms = s × ${1000 / SPEED}), median of ${n}:`,
  );
  for (const behaviour of behaviours) {
    const samples: Record<'ours' | 'kubectl', Failure[]> = { ours: [], kubectl: [] };
    for (let i = 0; i < n; i++) {
      for (const who of ['ours', 'kubectl'] as const) {
        samples[who].push(await failureLatency(sim, who, behaviour));
      }
    }
    const fig = (who: 'ours' | 'kubectl', key: 'reported' | 'returned' | 'visible'): number =>
      median(samples[who].map((s) => s[key])) / 1000;
    const s = (v: number): string => `${v.toFixed(1)} s`;
    const reasons = (who: 'ours' | 'kubectl'): string =>
      [...new Set(samples[who].map((f) => f.reason))].join('/');
    console.log(
      `   ${behaviour}-*: baseline kubectl rollout status ${s(fig('kubectl', 'reported'))} (${reasons('kubectl')}); ours ${s(fig('ours', 'reported'))} (${reasons('ours')}, exited at ${s(fig('ours', 'returned'))}); kubectl/ours ${(fig('kubectl', 'reported') / fig('ours', 'reported')).toFixed(1)}×; the pod showed the failure at ${s(fig('ours', 'visible'))}  (target: ours within 5 s of that)`,
    );
  }
}

const sim = await startKubeSim({ speed: SPEED, tls: true, token: 'bench-token', namespaces: [NS] });
try {
  await successBench(sim);
  await requestsBench(sim);
  await execBench(sim);
  await failureBench(sim);
} finally {
  await sim.stop();
  rmSync(work, { recursive: true, force: true });
}
