/**
 * What build-push-image knows about its builders beyond their argv (args.ts): which one
 * `auto` picks, whether the build files are there, and what their output says (error lines,
 * cache hits, the pushed digest).
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { BuildInputs, Builder } from './inputs.ts';

export class BuildError extends Error {
  override name = 'BuildError';
  readonly lines: string[];
  constructor(message: string, lines: string[]) {
    super(`${message}${lines.length ? `:\n${lines.join('\n')}` : ''}`);
    this.lines = lines;
  }
}

/** The lines worth showing from a failed builder's output: errors, else the last ones. */
export function errorLines(output: string, max = 20): string[] {
  const lines = output
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const errors = lines.filter((l) =>
    /\b(error|ERROR|failed|denied|unauthorized|not found|no such file)\b/i.test(l),
  );
  return (errors.length ? errors : lines).slice(-max);
}

/** BuildKit's `#N CACHED` steps of `--progress=plain`, or buildah's `Using cache` lines. */
export function cacheHits(output: string): { cached: number; steps: number } | undefined {
  const steps = new Set<string>();
  const cached = new Set<string>();
  for (const [line, step = ''] of output.matchAll(/^#(\d+) (?:\[|CACHED|DONE).*$/gm)) {
    if (line.includes('CACHED')) cached.add(step);
    if (line.includes('[')) steps.add(step);
  }
  if (steps.size) return { cached: cached.size, steps: steps.size };
  const buildahSteps = output.match(/^STEP \d+\/\d+:/gm)?.length ?? 0;
  const buildahCached = output.match(/^--> Using cache /gm)?.length ?? 0;
  return buildahSteps ? { cached: buildahCached, steps: buildahSteps } : undefined;
}

/** `docker push`'s last line: `<tag>: digest: sha256:… size: N`. */
export function pushedDigest(output: string): { digest: string; size?: number } | undefined {
  const m = /digest: (sha256:[a-f0-9]{64})(?: size: (\d+))?/.exec(output);
  const [, digest, size] = m ?? [];
  return digest ? { digest, ...(size ? { size: Number(size) } : {}) } : undefined;
}

/** Runs a probe command; undefined when it cannot start or fails. */
async function probe(
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
  command: string,
  args: string[],
): Promise<string | undefined> {
  try {
    const r = await runner.run(command, args, { env, check: false, timeoutMs: 20_000 });
    return r.exitCode === 0 ? r.stdout : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `docker build` can use BuildKit: built into the docker CLI before 23.0; from 23.0 on
 * only through the buildx plugin (without it, `DOCKER_BUILDKIT=1 docker build` fails with
 * "BuildKit is enabled but the buildx component is missing"). An unreadable version: assumed.
 */
export async function dockerHasBuildKit(
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  if ((await probe(runner, env, 'docker', ['buildx', 'version'])) !== undefined) return true;
  const version = await probe(runner, env, 'docker', [
    'version',
    '--format',
    '{{.Client.Version}}',
  ]);
  const major = Number(/^(\d+)\./.exec(version?.trim() ?? '')?.[1] ?? NaN);
  return Number.isNaN(major) || major < 23;
}

/**
 * The driver of the selected buildx builder (`docker`, `docker-container`, `kubernetes`, …),
 * from `docker buildx inspect`; undefined when it cannot be read.
 */
export async function buildxDriver(
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const out = await probe(runner, env, 'docker', ['buildx', 'inspect']);
  return /^Driver:\s+(\S+)/m.exec(out ?? '')?.[1];
}

/**
 * `auto`: buildx when `docker buildx version` works; else docker with a daemon when its CLI
 * has BuildKit; else buildah; else docker's legacy builder (a daemon, no BuildKit); else none.
 */
export async function chooseBuilder(
  choice: BuildInputs['builder'],
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
): Promise<Builder> {
  if (choice !== 'auto') return choice;
  const works = async (command: string, args: string[]): Promise<boolean> =>
    (await probe(runner, env, command, args)) !== undefined;
  if (await works('docker', ['buildx', 'version'])) return 'buildx';
  const daemon = await works('docker', ['version', '--format', '{{.Server.Version}}']);
  if (daemon && (await dockerHasBuildKit(runner, env))) return 'docker';
  if (await works('buildah', ['--version'])) return 'buildah';
  if (daemon) return 'docker';
  throw new Error(
    "builder 'auto' found no builder: neither `docker buildx`, a docker daemon, nor `buildah` is available on this runner. Install one, or set 'builder'.",
  );
}

/** A missing context or Dockerfile fails before any login or build (remote contexts pass). */
export async function checkBuildFiles(inputs: BuildInputs, workspace: string): Promise<void> {
  if (/^[a-z]+:\/\/|^git@/.test(inputs.context)) return;
  const context = path.resolve(workspace, inputs.context);
  const isDir = await stat(context).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new InputError(`Input 'context': directory "${inputs.context}" does not exist.`);
  }
  const file = inputs.file
    ? path.resolve(workspace, inputs.file)
    : path.join(context, 'Dockerfile');
  const exists = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!exists) {
    throw new InputError(
      inputs.file
        ? `Input 'file': "${inputs.file}" does not exist.`
        : `Input 'file': no Dockerfile in "${inputs.context}"; add one or set 'file'.`,
    );
  }
}
