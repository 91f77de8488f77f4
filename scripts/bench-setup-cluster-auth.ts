/**
 * `node scripts/bench-setup-cluster-auth.ts [--full]` (run by `npm run bench`): cold start of
 * the setup-cluster-auth bundle as a ratio to `node -e 0` (measured alternately with it), and
 * the bundle code each provider path loads (ncc splits the SDKs into chunks that only their
 * provider imports). The gke, eks and aks paths run to their first API call against a local server
 * that answers 404, so the time includes loading the SDK; the kubeconfig path makes no call and
 * runs to completion.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, diskUsage, kib, run, runs as runCount } from './bench-lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist', 'setup-cluster-auth');
const runs = runCount(5, 21);
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
  /** Exit code of a working bundle: 1 where it fails by design (bad input, the 404). */
  exit: 0 | 1;
}

const paths: Path[] = [
  { name: 'bad input (fails before loading anything)', inputs: { provider: 'nope' }, exit: 1 },
  // No API call: writes the kubeconfig and succeeds.
  { name: 'kubeconfig', inputs: { provider: 'kubeconfig', kubeconfig }, exit: 0 },
  {
    name: 'gke (google-auth-library)',
    inputs: {
      provider: 'gke',
      'cluster-name': 'c',
      location: 'l',
      'credentials-json': key,
      'google-api-endpoints': `oauth2=${local}`,
    },
    exit: 1,
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
    exit: 1,
  },
  {
    // TLS to the plain-HTTP 404 server fails at once (no retry): the time includes loading
    // @azure/identity, up to its first Entra ID request.
    name: 'aks (@azure/identity)',
    inputs: {
      provider: 'aks',
      'cluster-name': 'c',
      'resource-group': 'rg',
      'subscription-id': '00000000-0000-0000-0000-000000000001',
      'client-id': '00000000-0000-0000-0000-000000000002',
      'tenant-id': '00000000-0000-0000-0000-000000000003',
      'authority-host': local.replace('http:', 'https:'),
      'resource-manager-endpoint': local,
    },
    env: { AZURE_CLIENT_SECRET: 'bench' },
    exit: 1,
  },
];

/** Wall time of one run; asynchronous, as the 404 server lives in this process. */
async function time(args: string[], env: NodeJS.ProcessEnv, expect: number): Promise<number> {
  return (await run(process.execPath, args, { env, expect })).ms;
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

const entry = path.join(dist, 'index.js');
const subjects: Record<string, () => Promise<number>> = {
  'node -e 0': () => time(['-e', '0'], { PATH: process.env.PATH }, 0),
};
for (const p of paths) subjects[p.name] = () => time([entry], runnerEnv(p), p.exit);
const m = await alternate(runs, subjects);
const baseline = m['node -e 0']!;
console.log(`baseline: node -e 0 ${baseline.toFixed(0)} ms (median of ${runs}, alternating)\n`);
console.log('| path | median ms | × node -e 0 | bundle code loaded |');
console.log('| --- | ---: | ---: | ---: |');
for (const p of paths) {
  const loadedFile = path.join(work, `loaded-${paths.indexOf(p)}`);
  writeFileSync(loadedFile, '');
  await time(
    ['--import', pathToFileURL(hook).href, entry],
    { ...runnerEnv(p), BENCH_LOADED: loadedFile },
    p.exit,
  );
  const files = [...new Set(readFileSync(loadedFile, 'utf8').split('\n').filter(Boolean))];
  const bytes = files.reduce((sum, url) => sum + statSync(new URL(url)).size, 0);
  const ms = m[p.name]!;
  console.log(
    `| ${p.name} | ${ms.toFixed(0)} | ${(ms / baseline).toFixed(2)} | ${kib(bytes)} in ${files.length} files |`,
  );
}
const execEntry = path.join(dist, 'exec-credential', 'index.js');
console.log(
  `\nOn disk: dist/setup-cluster-auth ${kib(diskUsage(dist))} in total (main, post, exec-credential).`,
);
console.log(
  `Credential command entry: ${(statSync(execEntry).size / 1024).toFixed(0)} KiB + its provider's chunks.`,
);
server.close();
rmSync(work, { recursive: true, force: true });
