/**
 * What build-push-image knows about its builders beyond their argv (args.ts): which one
 * `auto` picks, whether the build files are there, and what their output says (error lines,
 * cache hits, the pushed digest).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { confinePath, type PathPolicy } from '../../shared/files.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { Logger } from '../../shared/logger.ts';
import { checkedServerString, DIGEST } from '../../shared/server-values.ts';
import type { BuildInputs, Builder, CacheMode } from './inputs.ts';

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

/** What the builder reads: real paths (symlinks resolved), or a remote context as written. */
export interface BuildFiles {
  context: string;
  file?: string;
}

const REMOTE_CONTEXT = /^[a-z]+:\/\/|^git@/;

/**
 * The context directory and Dockerfile, confined like every path input (shared/files.ts):
 * after resolving symlinks they must lie in the workspace or RUNNER_TEMP unless
 * `allow-outside-workspace`, never in /proc, /sys or /dev; a missing one fails before any
 * login or build. The builder gets the real paths, so what it reads is what was checked. A
 * remote context (git, https) passes as written: its `file` is a path inside that context.
 */
export function confineBuildFiles(
  inputs: BuildInputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
): BuildFiles {
  if (REMOTE_CONTEXT.test(inputs.context)) {
    return { context: inputs.context, ...(inputs.file ? { file: inputs.file } : {}) };
  }
  const policy: PathPolicy = {
    workspace,
    roots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [],
    allowOutside: inputs.allowOutsideWorkspace,
    liftWith: 'allow-outside-workspace',
  };
  const context = confinePath('context', inputs.context, policy, 'directory').real;
  // Docker's default, `Dockerfile` in the context, is read by the builder too: confined alike.
  const file = inputs.file ?? path.join(inputs.context, 'Dockerfile');
  if (!inputs.file && !existsSync(path.resolve(workspace, file))) {
    throw new InputError(
      `Input 'file': no Dockerfile in "${inputs.context}"; add one or set 'file'.`,
    );
  }
  return { context, file: confinePath('file', file, policy, 'file').real };
}

/** The builder for this run, whether docker must use its legacy builder, and the cache it gets. */
export interface BuilderSetup {
  builder: Builder;
  legacy: boolean;
  cache: CacheMode;
}

/**
 * Picks the builder and what it can do here, warning when a setting cannot apply (the legacy
 * builder, a gha cache without buildx, a cache with buildx's docker driver).
 */
export async function setUpBuilder(
  inputs: BuildInputs,
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<BuilderSetup> {
  const builder = await chooseBuilder(inputs.builder, runner, env);
  if (inputs.platforms.length > 1 && builder !== 'buildx') {
    throw new InputError(
      `Input 'platforms': ${inputs.platforms.length} platforms need builder buildx (a multi-platform index); ${builder} builds one platform.`,
    );
  }
  // Docker ≥ 23 without the buildx plugin has no BuildKit: its legacy builder still builds.
  const legacy = builder === 'docker' && !(await dockerHasBuildKit(runner, env));
  if (legacy) {
    logger.warning(
      'The docker CLI has no buildx plugin, and since Docker 23 `docker build` has BuildKit only through it: building with the legacy builder (deprecated; no cache hits reported). Install docker-buildx-plugin for BuildKit.',
    );
  }
  if (inputs.cache === 'gha' && builder !== 'buildx') {
    logger.warning(`cache: gha needs docker buildx; building with ${builder} without a cache.`);
  }
  let cache = builder === 'buildx' || inputs.cache !== 'gha' ? inputs.cache : 'none';
  // The default builder of GitHub-hosted runners uses buildx's docker driver, which cannot
  // export a cache ("cache export feature is currently not supported for docker driver").
  if (builder === 'buildx' && cache !== 'none' && (await buildxDriver(runner, env)) === 'docker') {
    logger.warning(
      `cache: ${cache} needs a buildx builder with the docker-container driver, and this one uses the docker driver: building without the cache. Add docker/setup-buildx-action before this step.`,
    );
    cache = 'none';
  }
  return { builder, legacy, cache };
}

/**
 * The digest in buildx's metadata file (`containerimage.digest`), checked against the digest
 * grammar; undefined when buildx wrote none (the digest then comes from the registry).
 */
export async function buildxDigest(metadataFile: string): Promise<string | undefined> {
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const digest = meta['containerimage.digest'];
  return digest === undefined
    ? undefined
    : checkedServerString(digest, DIGEST, "buildx's containerimage.digest");
}

/** The digest `buildah push --digestfile` wrote, checked against the digest grammar. */
export async function buildahDigest(digestFile: string): Promise<string> {
  const text = (await readFile(digestFile, 'utf8')).trim();
  return checkedServerString(text, DIGEST, "buildah's pushed digest");
}
