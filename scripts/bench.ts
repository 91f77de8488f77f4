/**
 * `npm run bench [-- --full]`: speed and size figures, each next to a baseline measured in the
 * same run (or, for sizes, a fixed target). Printed, never asserted: the run fails only when a
 * command it measures breaks. The default run's budget is 180 s on an idle 2-core machine
 * (each section prints its time and the total is set against it); --full adds runs and
 * sizes. Sections:
 *  - render-manifests: render + validate 1,000 manifests, vs `kubectl kustomize` on the same set
 *  - cold start of every bundle (to its first input error) vs `node -e 0`
 *  - bundle size: du of each dist/<action>/ vs 6 MB, all of dist/ vs 15 MB, the biggest files
 *  - the benchmarks of other components (scripts/bench-*.ts), each in its own process
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  alternate,
  conditions,
  diskUsage,
  filesBelow,
  FULL,
  kib,
  mb,
  ms,
  run,
  runs,
  times,
  type RunOptions,
} from './bench-lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

/** Wall time of one run of a command that must exit with `expect`. */
async function timed(cmd: string, args: string[], opts: RunOptions = {}): Promise<number> {
  return (await run(cmd, args, { cwd: root, expect: 0, ...opts })).ms;
}

function manifestSet(i: number): string {
  const name = `model-${i}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: server
          image: ghcr.io/octo-org/${name}:v1
          ports: [{containerPort: 8080}]
          resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {memory: 1Gi}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 3
  maxReplicas: 10
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: ${name}-isvc}
spec:
  predictor:
    minReplicas: 1
    model: {modelFormat: {name: sklearn}, storageUri: gs://models/${name}}
`;
}

async function renderBench(sets: number, n: number): Promise<void> {
  const manifests = sets * 4;
  console.log(
    `\n## render-manifests: render + validate ${manifests.toLocaleString('en')} manifests (${sets} × Deployment, Service, HPA, InferenceService), median of ${n}, alternating`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-render-'));
  try {
    const src = path.join(dir, 'manifests');
    const plain = path.join(dir, 'plain');
    mkdirSync(src);
    mkdirSync(plain);
    const files: string[] = [];
    for (let i = 0; i < sets; i++) {
      const f = `set-${String(i).padStart(4, '0')}.yaml`;
      writeFileSync(path.join(src, f), manifestSet(i));
      writeFileSync(path.join(plain, f), manifestSet(i));
      files.push(f);
    }
    writeFileSync(
      path.join(src, 'kustomization.yaml'),
      `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`,
    );
    writeFileSync(path.join(dir, 'gh-output'), '');
    const env = (input: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      INPUT_MANIFESTS: input,
      INPUT_VALIDATE: 'true',
      'INPUT_KUBERNETES-VERSION': '1.33',
      'INPUT_OUTPUT-DIR': path.join(dir, 'out'),
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: path.join(dir, 'gh-output'),
    });
    const bundle = path.join(dist, 'render-manifests', 'index.js');
    const m = await alternate(n, {
      kubectl: () => timed(KUBECTL, ['kustomize', src]),
      ours: () => timed(process.execPath, [bundle], { env: env('plain') }),
      oursKustomize: () => timed(process.execPath, [bundle], { env: env('manifests') }),
    });
    console.log(`baseline: kubectl kustomize (no validation):              ${ms(m.kubectl)}`);
    console.log(
      `render-manifests (files, whole step incl. node start):     ${ms(m.ours)}  = ${times(m.ours / m.kubectl)} kubectl kustomize  (target < 1×: faster while also validating${sets === 250 ? '; and < 1000 ms' : ''})`,
    );
    console.log(
      `render-manifests (via kustomization: kustomize + ours):    ${ms(m.oursKustomize)}  = ${times(m.oursKustomize / m.kubectl)} kubectl kustomize`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function coldStartBench(): Promise<void> {
  const runsHere = runs(11, 31);
  console.log(
    `\n## cold start: \`node dist/<action>/index.js\` to its first input error, vs \`node -e 0\` (median of ${runsHere}, alternating)`,
  );
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: '/dev/null' };
  const actions = readdirSync(dist)
    .filter((a) => existsSync(path.join(dist, a, 'index.js')))
    .sort();
  const subjects: Record<string, () => Promise<number>> = {
    'node -e 0': () => timed(process.execPath, ['-e', '0'], { env }),
  };
  for (const a of actions) {
    subjects[a] = () =>
      timed(process.execPath, [path.join(dist, a, 'index.js')], { env, expect: 1 });
  }
  const m = await alternate(runsHere, subjects);
  const base = m['node -e 0']!;
  console.log(`baseline: node -e 0       ${ms(base).padStart(9)}`);
  for (const a of actions) {
    console.log(`${a.padEnd(25)} ${ms(m[a]!).padStart(9)}  = ${times(m[a]! / base)} node -e 0`);
  }
  console.log('target: render-manifests ≤ 1.60× (docker/build-push-action: 1.45×)');
}

function verdict(ratio: number): string {
  return ratio <= 1 ? 'ok' : 'over';
}

function bundleSizeBench(): void {
  const ACTION_TARGET = 6 * 1048576;
  const ALL_TARGET = 15 * 1048576;
  console.log(
    '\n## bundle size: disk usage as `du -sk` counts it (1 MB = 1024 KiB), vs the targets 6 MB per action and 15 MB for all of dist/',
  );
  const actions = readdirSync(dist, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const a of actions) {
    const bytes = diskUsage(path.join(dist, a));
    const r = bytes / ACTION_TARGET;
    console.log(
      `${`dist/${a}`.padEnd(25)} ${mb(bytes).padStart(8)} / 6 MB target  = ${times(r)}  ${verdict(r)}`,
    );
  }
  const all = diskUsage(dist);
  console.log(
    `${'dist/ (all)'.padEnd(25)} ${mb(all).padStart(8)} / 15 MB target = ${times(all / ALL_TARGET)}  ${verdict(all / ALL_TARGET)}`,
  );
  const biggest = filesBelow(dist)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, FULL ? 20 : 8);
  console.log(`biggest files (of ${filesBelow(dist).length}):`);
  for (const f of biggest) {
    console.log(`  ${kib(f.bytes).padStart(10)}  ${path.relative(root, f.file)}`);
  }
}

/** scripts/bench-*.ts: the benchmarks of other components (bench-lib.ts is their helpers). */
function componentBenches(): string[] {
  return readdirSync(path.join(root, 'scripts'))
    .filter((f) => /^bench-.+\.ts$/.test(f) && f !== 'bench-lib.ts')
    .sort();
}

/** Runs one component benchmark in its own process, its output passed through. */
function componentBench(file: string): void {
  console.log(`\n## ${file}${FULL ? ' --full' : ''}`);
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', file), ...(FULL ? ['--full'] : [])],
    { stdio: 'inherit', cwd: root },
  );
  if (r.status !== 0) throw new Error(`${file} exited ${r.status ?? r.signal}`);
}

/** The default run's budget (on an idle 2-core machine); --full has none. */
const TARGET_S = 180;
const started = performance.now();
const machine = conditions();
const elapsed: [string, number][] = [];
const failed: string[] = [];
/** Times one section; a section whose command breaks is reported and the others still run. */
async function section(name: string, fn: () => unknown): Promise<void> {
  const t = performance.now();
  try {
    await fn();
  } catch (error) {
    console.log(`FAILED: ${name}: ${error instanceof Error ? error.message : String(error)}`);
    failed.push(name);
  }
  const took = performance.now() - t;
  elapsed.push([name, took]);
  const sofar = (performance.now() - started) / 1000;
  console.log(
    `(${name}: ${(took / 1000).toFixed(1)} s; ${sofar.toFixed(1)} s so far${FULL ? '' : ` of the ${TARGET_S} s target`})`,
  );
}

console.log(
  `# mlops-actions benchmarks (node ${process.version}, ${FULL ? '--full' : 'default run; --full for the long comparisons'})`,
);
await section('render-manifests ×1000', () => renderBench(250, runs(3, 11)));
// kubectl kustomize grows faster than linearly (~15 s for 4,000 manifests): 3 runs are plenty.
if (FULL) await section('render-manifests ×4000', () => renderBench(1000, runs(3, 3)));
await section('cold start', coldStartBench);
await section('bundle size', bundleSizeBench);
for (const file of componentBenches()) await section(file, () => componentBench(file));

const total = (performance.now() - started) / 1000;
console.log('\n## elapsed');
for (const [name, t] of elapsed) {
  console.log(`${name.padEnd(32)} ${(t / 1000).toFixed(1).padStart(6)} s`);
}
const budget = FULL
  ? ''
  : ` / ${TARGET_S} s target for the default run = ${times(total / TARGET_S)}  ${total <= TARGET_S ? 'ok' : 'over'}`;
console.log(
  `total: ${total.toFixed(1)} s${budget}${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`,
);
console.log(`machine during the run: ${machine()}`);
if (failed.length) process.exitCode = 1;
