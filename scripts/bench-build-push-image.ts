/**
 * `node scripts/bench-build-push-image.ts`: build-push-image's bundle against a real dockerd
 * (Debian's, vfs) and docker-registry on loopback. Printed, never asserted (exit 1 only when
 * the action fails):
 *  - a second run on an unchanged context with `skip-if-exists` (one HEAD to the registry)
 *    vs a plain rebuild + push of the same context, as a ratio (median, alternating);
 *  - cold start: the bundle to its first input error vs `node -e 0`;
 *  - bundle size vs the 6 MB budget, and where the AWS, Google and Azure SDKs live: in chunks the
 *    main file loads only for their registry type (`import()`), never in index.js.
 * The default run takes well under 20 s; --full (or BENCH_RUNS) runs more.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startDockerd } from '../test/harness/dockerd.ts';
import { startRegistry } from '../test/harness/registry.ts';
import { alternate, diskUsage, filesBelow, kib, mb, ms, run, runs, times } from './bench-lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist', 'build-push-image');
const bundle = path.join(dist, 'index.js');

const work = mkdtempSync(path.join(tmpdir(), 'bench-bpi-'));
const [registry, dockerd] = await Promise.all([startRegistry(), startDockerd()]);
try {
  const context = path.join(work, 'ctx');
  mkdirSync(context);
  writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY weights.bin /model/\n');
  // A small model: enough bytes that a rebuild + push does real work.
  writeFileSync(path.join(context, 'weights.bin'), randomBytes(4 * 1024 * 1024));
  let n = 0;
  const step = async (inputs: Record<string, string>): Promise<number> => {
    const dir = path.join(work, `run-${++n}`);
    mkdirSync(dir);
    for (const f of ['out', 'state']) writeFileSync(path.join(dir, f), '');
    const env: NodeJS.ProcessEnv = {
      PATH: dockerd.env.PATH,
      HOME: dir,
      DOCKER_HOST: dockerd.env.DOCKER_HOST,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: path.join(dir, 'out'),
      GITHUB_STATE: path.join(dir, 'state'),
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REPOSITORY: 'octo-org/model',
      INPUT_IMAGE: `${registry.host}/bench/model`,
      INPUT_BUILDER: 'docker',
      INPUT_TAGS: 'type=sha',
      INPUT_TIMEOUT: '5m',
      ...Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
      ),
    };
    const exit = await run(process.execPath, [bundle], { env, cwd: context, timeoutMs: 120_000 });
    if (exit.code !== 0) {
      process.exitCode = 1;
      throw new Error(`build-push-image failed:\n${exit.out.slice(-2000)}`);
    }
    const outputs = readFileSync(path.join(dir, 'out'), 'utf8');
    const skipped = /skipped<<[^\n]*\ntrue\n/.test(outputs);
    if (skipped !== (inputs['skip-if-exists'] === 'true')) {
      process.exitCode = 1;
      throw new Error(`unexpected skipped=${String(skipped)}:\n${outputs}`);
    }
    return exit.ms;
  };
  await step({}); // the first build and push: what the second run finds
  const count = runs(3, 10);
  const m = await alternate(count, {
    rebuild: () => step({}),
    skip: () => step({ 'skip-if-exists': 'true' }),
  });
  console.log(
    `\n## build-push-image: second run of an unchanged context (4 MiB layer, docker + BuildKit, median of ${count})`,
  );
  console.log(`plain rebuild + push               ${ms(m.rebuild).padStart(9)}`);
  console.log(
    `skip-if-exists (HEAD, no build)    ${ms(m.skip).padStart(9)}   ${times(m.skip / m.rebuild)} of the rebuild`,
  );

  const cold = await alternate(runs(5, 15), {
    node: async () => (await run(process.execPath, ['-e', '0'], { expect: 0 })).ms,
    bundle: async () =>
      (
        await run(process.execPath, [bundle], {
          expect: 1,
          env: { PATH: process.env.PATH, INPUT_IMAGE: '' },
        })
      ).ms,
  });
  console.log(`\n## build-push-image: cold start to the first input error`);
  console.log(
    `node dist/build-push-image/index.js ${ms(cold.bundle).padStart(8)}   node -e 0 ${ms(cold.node)}   +${ms(cold.bundle - cold.node)}`,
  );

  console.log(`\n## build-push-image: bundle`);
  console.log(`dist/build-push-image ${mb(diskUsage(dist))} (budget 6 MB)`);
  const files = filesBelow(dist).filter((f) => f.file.endsWith('.js'));
  const holder = (needle: string): string =>
    files
      .filter((f) => readFileSync(f.file, 'utf8').includes(needle))
      .map((f) => `${path.relative(dist, f.file)} (${kib(f.bytes)})`)
      .join(', ') || 'none';
  const main = files.find((f) => f.file === bundle);
  console.log(`index.js ${kib(main?.bytes ?? 0)}: loads on every run`);
  console.log(
    `@aws-sdk/client-ecr (GetAuthorizationTokenCommand): ${holder('GetAuthorizationTokenCommand')} — registry-type ecr only`,
  );
  console.log(
    `google-auth-library (GoogleAuth): ${holder('class GoogleAuth')} — registry-type gar only`,
  );
  console.log(
    `@azure/identity (ClientAssertionCredential): ${holder('ClientAssertionCredential')} — registry-type acr with client-id only`,
  );
} finally {
  await Promise.all([registry.stop(), dockerd.stop()]);
  rmSync(work, { recursive: true, force: true });
}
