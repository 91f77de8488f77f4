/**
 * `node scripts/bench-setup-cluster-auth.ts [runs]`: cold start of the setup-cluster-auth
 * bundle as a ratio to `node -e 0`, and the bundle code each provider path loads (ncc splits
 * the SDKs into chunks that only their provider imports). Each path runs to its first API
 * call against a local server that answers 404, so the time includes loading the SDK.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist', 'setup-cluster-auth');
const runs = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(path.join(tmpdir(), 'bench-sca-'));

// Records every bundle file the process loads (ESM chunks and the entry).
const hook = path.join(work, 'hook.mjs');
writeFileSync(
  hook,
  `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ load(url, context, next) { if (url.startsWith('file:') && url.includes('/dist/')) appendFileSync(process.env.BENCH_LOADED, url + '\\n'); return next(url, context); } });
`,
);

// Answers 404 to everything: every provider fails fast at its first call after loading its SDK.
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(404, {
    'content-type': 'application/json',
    'x-amzn-errortype': 'ResourceNotFoundException',
  });
  res.end('{"message":"bench","error":{"code":404,"message":"bench","status":"NOT_FOUND"}}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = JSON.stringify({
  type: 'service_account',
  project_id: 'bench',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'bench@bench.iam.gserviceaccount.com',
});
const kubeconfig = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\ncurrent-context: a\n`;

interface Path {
  name: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
}

const paths: Path[] = [
  { name: 'bad input (fails before loading anything)', inputs: { provider: 'nope' } },
  { name: 'kubeconfig', inputs: { provider: 'kubeconfig', kubeconfig } },
  {
    name: 'gke (google-auth-library)',
    inputs: {
      provider: 'gke',
      'cluster-name': 'c',
      location: 'l',
      'credentials-json': key,
      'google-api-endpoints': `oauth2=${local}`,
    },
  },
  {
    name: 'eks (AWS SDK v3)',
    inputs: { provider: 'eks', 'cluster-name': 'c', region: 'us-east-1' },
    env: {
      AWS_ACCESS_KEY_ID: 'AKIABENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL_EKS: local,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  },
];

/** Asynchronous: the 404 server lives in this process and must keep answering. */
function time(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

async function repeat(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runnerEnv(p: Path): NodeJS.ProcessEnv {
  const temp = mkdtempSync(path.join(work, 'run-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: temp,
    ...p.env,
  };
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE']) {
    env[f] = path.join(temp, f);
    writeFileSync(env[f], '');
  }
  for (const [k, v] of Object.entries(p.inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return env;
}

const baseline = median(await repeat(runs, () => time(['-e', '0'], { PATH: process.env.PATH })));
console.log(`node -e 0: ${baseline.toFixed(0)} ms (median of ${runs})\n`);
console.log('| path | median ms | × node -e 0 | bundle code loaded |');
console.log('| --- | ---: | ---: | ---: |');
const entry = path.join(dist, 'index.js');
for (const p of paths) {
  // Warm the file cache once, then measure.
  await time([entry], runnerEnv(p));
  const ms = median(await repeat(runs, () => time([entry], runnerEnv(p))));
  const loadedFile = path.join(work, `loaded-${paths.indexOf(p)}`);
  writeFileSync(loadedFile, '');
  await time(['--import', pathToFileURL(hook).href, entry], {
    ...runnerEnv(p),
    BENCH_LOADED: loadedFile,
  });
  const files = [...new Set(readFileSync(loadedFile, 'utf8').split('\n').filter(Boolean))];
  const bytes = files.reduce((sum, url) => sum + statSync(new URL(url)).size, 0);
  console.log(
    `| ${p.name} | ${ms.toFixed(0)} | ${(ms / baseline).toFixed(2)} | ${(bytes / 1024).toFixed(0)} KiB in ${files.length} files |`,
  );
}
const execEntry = path.join(dist, 'exec-credential', 'index.js');
const all = (dir: string): number =>
  spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout.split('\t').map(Number)[0] ?? 0;
console.log(
  `\nOn disk: dist/setup-cluster-auth ${all(dist)} KiB in total (main, post, exec-credential).`,
);
console.log(
  `Credential command entry: ${(statSync(execEntry).size / 1024).toFixed(0)} KiB + its provider's chunks.`,
);
server.close();
rmSync(work, { recursive: true, force: true });
