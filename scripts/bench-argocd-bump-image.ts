/**
 * `node scripts/bench-argocd-bump-image.ts`: 20 concurrent image bumps (one per app) into one
 * config repository served by `git http-backend` behind Basic auth on loopback, run two ways
 * in the same run: the seeds' pattern (`git clone`, sed, `git commit && git push || echo`)
 * and the argocd-bump-image bundle. Prints, for each, the updates that did not land ("lost")
 * and the wall time; for ours, the push attempts per job (from each job's summary), and the
 * median and worst wall of several runs (1 by default, to keep the default run in budget; 5
 * with --full). Printed, never asserted
 * (exit 1 only when our action loses an update or fails). Target: 0 lost, ≤ 15 s.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { history, readAt, startGitServer } from '../test/harness/git-server.ts';
import { median, runs } from './bench-lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const N = Number(process.env.BENCH_BUMPS ?? 20);
const TOKEN = 'bench-token-0123456789';

function app(i: number): string {
  return `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: model-${i}
spec:
  predictor:
    containers:
      - name: kserve-container
        image: ghcr.io/octo-org/model-${i}:v1
`;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** The seed pipeline's step, as a shell script: what most GitOps bump jobs do. */
const SEED = `set -u
git clone --quiet --depth 1 "$REPO" work
cd work
sed -i "s#ghcr.io/octo-org/model-$APP:v1#ghcr.io/octo-org/model-$APP:v2#" "apps/model-$APP/isvc.yaml"
git add -A
git -c user.name=ci -c user.email=ci@example.com commit --quiet -m "bump model-$APP" && git push --quiet || echo "No changes to push"
`;

/** Push attempts of job `i`, from the "Push attempts" row of its step summary (0: none). */
function attemptsOf(dir: string, i: number): number {
  const file = path.join(dir, `summary-${i}`);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return Number(/\| Push attempts \| (\d+)/.exec(text)?.[1] ?? 0);
}

/** Wall ms of one trial; prints its line. */
async function trial(
  name: string,
  start: (i: number, url: string, dir: string) => Promise<number>,
): Promise<number> {
  const server = await startGitServer({ tokens: [TOKEN] });
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-bump-'));
  try {
    const files: Record<string, string> = {};
    for (let i = 0; i < N; i++) files[`apps/model-${i}/isvc.yaml`] = app(i);
    const url = server.createRepo('org/config', files);
    const bare = server.repoPath('org/config');
    const t0 = performance.now();
    const codes = await Promise.all(Array.from({ length: N }, (_, i) => start(i, url, dir)));
    const ms = performance.now() - t0;
    let landed = 0;
    for (let i = 0; i < N; i++) {
      if (readAt(bare, 'main', `apps/model-${i}/isvc.yaml`).includes(`model-${i}:v2`)) landed++;
    }
    const green = codes.filter((c) => c === 0).length;
    const commits = history(bare).length - 1;
    if (name.startsWith('argocd-bump-image') && (landed < N || green < N)) {
      // Not a figure: the action broke (a lost update or a failed job).
      process.exitCode = 1;
    }
    const attempts = Array.from({ length: N }, (_, i) => attemptsOf(dir, i)).sort((a, b) => a - b);
    const tries = attempts.some((a) => a > 0)
      ? `   push attempts ${attempts.reduce((a, b) => a + b, 0)} (per job: median ${median(attempts)}, max ${attempts.at(-1)})`
      : '';
    console.log(
      `${name.padEnd(44)} lost ${String(N - landed).padStart(2)}/${N}   wall ${(ms / 1000).toFixed(1).padStart(5)} s   green jobs ${green}/${N}   commits on main ${commits}${tries}`,
    );
    return ms;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `${N} concurrent bumps of different apps into one repository (git http-backend, Basic auth)`,
);

await trial('seed: git commit && git push || echo', (i, url, dir) => {
  const work = path.join(dir, `seed-${i}`);
  const script = path.join(dir, 'seed.sh');
  writeFileSync(script, SEED);
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
  return import('node:fs').then(({ mkdirSync }) => {
    mkdirSync(work, { recursive: true });
    return run(
      'bash',
      [script],
      {
        PATH: process.env.PATH,
        HOME: work,
        REPO: url,
        APP: String(i),
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraheader',
        GIT_CONFIG_VALUE_0: header,
        GIT_TERMINAL_PROMPT: '0',
      },
      work,
    );
  });
});

const ourRuns = runs(1, 5);
const walls: number[] = [];
for (let k = 0; k < ourRuns; k++)
  walls.push(
    await trial('argocd-bump-image (fetch, re-apply, retry)', (i, url, dir) => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: dir,
        RUNNER_TEMP: dir,
        GITHUB_OUTPUT: path.join(dir, `out-${i}`),
        GITHUB_STEP_SUMMARY: path.join(dir, `summary-${i}`),
        INPUT_REPOSITORY: url,
        INPUT_TOKEN: TOKEN,
        INPUT_FILES: `apps/model-${i}/isvc.yaml`,
        INPUT_IMAGE: `ghcr.io/octo-org/model-${i}:v2`,
        'INPUT_MAX-RETRIES': '20',
        INPUT_MODE: 'push',
        INPUT_TIMEOUT: '5m',
      };
      writeFileSync(env.GITHUB_OUTPUT ?? '', '');
      writeFileSync(env.GITHUB_STEP_SUMMARY ?? '', '');
      return run(
        process.execPath,
        [path.join(root, 'dist', 'argocd-bump-image', 'index.js')],
        env,
        dir,
      );
    }),
  );
console.log(
  `argocd-bump-image over ${ourRuns} runs: wall median ${(median(walls) / 1000).toFixed(1)} s, worst ${(Math.max(...walls) / 1000).toFixed(1)} s  (target: 0 lost, wall ≤ 15 s)`,
);
