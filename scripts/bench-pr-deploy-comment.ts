/**
 * `node scripts/bench-pr-deploy-comment.ts` (run by `npm run bench`): pr-deploy-comment's
 * bundle against the fake GitHub API, each figure next to a baseline measured in the same run.
 *  1. API calls per upsert on a PR with 250 comments (target ≤ 5), vs a naive sticky-comment
 *     lookup (default page size 30, then PATCH), and per first post (create + race check)
 *  2. wall time of a whole upsert step vs `node -e 0`
 *  3. cold start of the bundle (to its first input error) vs `node -e 0`, and the bundle size
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGitHubApi, OWNER, REPO, type GitHubFake } from '../test/harness/fakes/github-api.ts';
import { runs } from './bench-lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'dist', 'pr-deploy-comment', 'index.js');
/** 4 by default, 7 with --full; BENCH_RUNS overrides. */
const RUNS = runs(4, 7);
const work = mkdtempSync(path.join(tmpdir(), 'bench-pdc-'));
const PR = 7;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Asynchronous: the fake lives in this process and must keep answering. */
function time(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code: code ?? 1 }),
    );
  });
}

function stepEnv(fake: GitHubFake, status: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(work, 'step-'));
  const event = path.join(dir, 'event.json');
  writeFileSync(event, JSON.stringify({ number: PR, pull_request: { number: PR } }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...fake.env(),
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_RUN_ID: '1',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_WORKSPACE: dir,
    INPUT_TOKEN: fake.token,
    INPUT_STATUS: status,
    INPUT_ENVIRONMENT: 'staging',
    INPUT_MODE: 'upsert',
    INPUT_TIMEOUT: '1m',
  };
  for (const f of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) {
    env[f] = path.join(dir, f);
    writeFileSync(env[f], '');
  }
  return env;
}

/** What a sticky-comment step without tuning does: default pages of 30 until the marker, then PATCH. */
async function naiveUpsert(fake: GitHubFake, marker: string): Promise<number> {
  let calls = 0;
  let url: string | undefined = `${fake.apiUrl}/repos/${OWNER}/${REPO}/issues/${PR}/comments`;
  let found: number | undefined;
  const headers = { authorization: `Bearer ${fake.token}` };
  // Without knowing where the comment is, every page must be read (the newest copy wins).
  while (url) {
    const res: Response = await fetch(url, { headers });
    calls++;
    const page = (await res.json()) as { id: number; body: string }[];
    for (const c of page) if (c.body.startsWith(marker)) found = c.id;
    url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  }
  if (found === undefined) throw new Error('naive lookup found no comment');
  await fetch(`${fake.apiUrl}/repos/${OWNER}/${REPO}/issues/comments/${found}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ body: `${marker}\nnaive` }),
  });
  return calls + 1;
}

const fake = await startGitHubApi();
try {
  for (let i = 0; i < 120; i++) fake.seed(PR, `review comment ${i}`);
  let before = fake.apiCalls().length;
  const firstTotal = fake.comments.get(PR)?.length ?? 0;
  const created = await time([bundle], stepEnv(fake, 'in-progress'));
  if (created.code !== 0) throw new Error('first post failed');
  const createCalls = fake.apiCalls().length - before;
  for (let i = 0; i < 129; i++) fake.seed(PR, `later comment ${i}`);
  const total = fake.comments.get(PR)?.length ?? 0;

  before = fake.apiCalls().length;
  const upsert = await time([bundle], stepEnv(fake, 'success'));
  if (upsert.code !== 0) throw new Error('upsert failed');
  const upsertCalls = fake.apiCalls().length - before;
  const naive = await naiveUpsert(
    fake,
    '<!-- mlops-actions/pr-deploy-comment key="deploy/staging" -->',
  );

  console.log('\n### API calls per step');
  console.log('| operation | API calls | baseline | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  console.log(
    `| upsert on a PR with ${total} comments (edit the sticky comment) | ${upsertCalls} | ${naive} (naive: pages of 30, then PATCH) | ${(upsertCalls / naive).toFixed(2)}× |`,
  );
  console.log(
    `| first post on a PR with ${firstTotal} comments (list, create, race check) | ${createCalls} | — | — |`,
  );
  console.log(`target: upsert ≤ 5 calls`);

  const nodeRuns: number[] = [];
  await time(['-e', '0'], { PATH: process.env.PATH }); // warm the file cache, as for the bundle
  for (let i = 0; i < RUNS; i++)
    nodeRuns.push((await time(['-e', '0'], { PATH: process.env.PATH })).ms);
  const nodeBaseline = median(nodeRuns);
  const steps: number[] = [];
  for (let i = 0; i < RUNS; i++) steps.push((await time([bundle], stepEnv(fake, 'success'))).ms);
  const coldStarts: number[] = [];
  const badEnv = { PATH: process.env.PATH, INPUT_TOKEN: 'x', INPUT_STATUS: 'nope' };
  await time([bundle], badEnv);
  for (let i = 0; i < RUNS; i++) coldStarts.push((await time([bundle], badEnv)).ms);
  const step = median(steps);
  const cold = median(coldStarts);
  const distDir = path.dirname(bundle);
  const size = readdirSync(distDir).reduce(
    (sum, f) => sum + statSync(path.join(distDir, f)).size,
    0,
  );
  console.log(`\n### Time (median of ${RUNS})`);
  console.log('| what | ms | × node -e 0 |');
  console.log('| --- | ---: | ---: |');
  console.log(`| node -e 0 | ${nodeBaseline.toFixed(0)} | 1.00 |`);
  console.log(
    `| cold start to the first input error | ${cold.toFixed(0)} | ${(cold / nodeBaseline).toFixed(2)} |`,
  );
  console.log(
    `| whole upsert step (${total} comments, loopback API) | ${step.toFixed(0)} | ${(step / nodeBaseline).toFixed(2)} |`,
  );
  console.log(
    `\nBundle: entry ${(statSync(bundle).size / 1024).toFixed(0)} KiB (inputs, YAML); Octokit + undici in a chunk loaded only after the inputs validate; ${(size / 1024).toFixed(0)} KiB in all.`,
  );
} finally {
  await fake.stop();
  rmSync(work, { recursive: true, force: true });
}
