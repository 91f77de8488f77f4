/**
 * `npm run bench`: speed figures, each against a baseline measured in the same run.
 * Printed, never asserted. Sections:
 *  - render-manifests: render + validate 1,000 manifests, vs `kubectl kustomize` on the same set
 *  - cold start of every bundle (to its first input error) vs `node -e 0`
 *  - the benchmarks of other components (scripts/bench-*.ts), when present
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; expectStatus?: number } = {},
): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    env: opts.env ?? process.env,
    cwd: opts.cwd ?? root,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (opts.expectStatus !== undefined && r.status !== opts.expectStatus) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  }
  return ms;
}

function measure(cmd: string, args: string[], opts: Parameters<typeof time>[2] = {}): number {
  time(cmd, args, opts); // warm the page cache: both sides get the same treatment
  return median(Array.from({ length: RUNS }, () => time(cmd, args, opts)));
}

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
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

function renderBench(): void {
  console.log(
    '\n## render-manifests: render + validate 1,000 manifests (250 × Deployment, Service, HPA, InferenceService)',
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-render-'));
  try {
    const src = path.join(dir, 'manifests');
    mkdirSync(src);
    const files: string[] = [];
    for (let i = 0; i < 250; i++) {
      const f = `set-${String(i).padStart(3, '0')}.yaml`;
      writeFileSync(path.join(src, f), manifestSet(i));
      files.push(f);
    }
    writeFileSync(
      path.join(src, 'kustomization.yaml'),
      `resources:\n${files.map((f) => `  - ${f}`).join('\n')}\n`,
    );
    const plain = path.join(dir, 'plain');
    mkdirSync(plain);
    for (const f of files) writeFileSync(path.join(plain, f), manifestSet(files.indexOf(f)));
    const env = (manifests: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      INPUT_MANIFESTS: manifests,
      INPUT_VALIDATE: 'true',
      'INPUT_KUBERNETES-VERSION': '1.33',
      'INPUT_OUTPUT-DIR': path.join(dir, 'out'),
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: path.join(dir, 'gh-output'),
    });
    writeFileSync(path.join(dir, 'gh-output'), '');
    const bundle = path.join(root, 'dist', 'render-manifests', 'index.js');
    const ours = measure(process.execPath, [bundle], { env: env('plain'), expectStatus: 0 });
    const oursKustomize = measure(process.execPath, [bundle], {
      env: env('manifests'),
      expectStatus: 0,
    });
    const kubectl = measure('kubectl', ['kustomize', src], { expectStatus: 0 });
    console.log(
      `render-manifests (files, whole step incl. node start): ${fmt(ours)}   target < 1000 ms`,
    );
    console.log(`render-manifests (via kustomization: kustomize + ours): ${fmt(oursKustomize)}`);
    console.log(`kubectl kustomize (no validation):                      ${fmt(kubectl)}`);
    console.log(
      `ratio ours/kubectl kustomize: ${(ours / kubectl).toFixed(2)}×  (target < 1: faster, while also validating)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dirSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(path.join(e.parentPath, e.name)).size;
  }
  return total;
}

function coldStartBench(): void {
  console.log(
    '\n## cold start: `node dist/<action>/index.js` to its first input error, vs `node -e 0`',
  );
  const base = measure(process.execPath, ['-e', '0']);
  console.log(`node -e 0: ${fmt(base)}`);
  const env = { PATH: process.env.PATH, GITHUB_OUTPUT: '/dev/null' };
  for (const action of readdirSync(path.join(root, 'dist')).sort()) {
    const bundle = path.join(root, 'dist', action, 'index.js');
    if (!existsSync(bundle)) continue;
    const ms = measure(process.execPath, [bundle], { env, expectStatus: 1 });
    const size = dirSize(path.join(root, 'dist', action));
    const startSize = statSync(bundle).size;
    console.log(
      `${action.padEnd(20)} ${fmt(ms).padStart(9)}  ratio ${(ms / base).toFixed(2)}×  (entry ${(startSize / 1024).toFixed(0)} KiB, all chunks ${(size / 1024).toFixed(0)} KiB)`,
    );
  }
  console.log('target: render-manifests ≤ 1.60× (docker/build-push-action: 1.45×)');
}

function otherBenches(): void {
  for (const file of readdirSync(path.join(root, 'scripts'))
    .filter((f) => /^bench-.+\.ts$/.test(f))
    .sort()) {
    console.log(`\n## ${file}`);
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', file)], {
      stdio: 'inherit',
      cwd: root,
    });
    if (r.status !== 0) console.log(`${file} exited ${r.status}`);
  }
}

console.log(`# mlops-actions benchmarks (node ${process.version}, median of ${RUNS} runs)`);
renderBench();
coldStartBench();
otherBenches();
