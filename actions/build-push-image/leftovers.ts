/**
 * What a killed build leaves behind. `buildah bud` removes its working containers itself when
 * a step fails, but a cancelled job or the step's timeout kills it (SIGTERM to its process
 * group, then SIGKILL) before it can: each container stays in containers-storage with a copy of
 * the root filesystem until someone runs `buildah rm`. BuildKit and the docker daemon stop and
 * clean up a build themselves when its client goes, so they leave nothing to remove.
 */
import { errorMessage } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { Logger } from '../../shared/logger.ts';
import { checkedServerString } from '../../shared/server-values.ts';
import { BuildError } from './builder.ts';
import type { Builder } from './inputs.ts';

export interface BuildLeftovers {
  /** Notes what exists before the build starts (never fails the build). */
  before(): Promise<void>;
  /** After the build was killed: removes what it started and left; the names removed. */
  remove(): Promise<string[]>;
}

const nothingLeft: BuildLeftovers = {
  before: async () => undefined,
  remove: async () => [],
};

/** containers-storage ids: 64 hex digits (they go into `buildah rm`'s argv). */
const CONTAINER_ID = /^[a-f0-9]{64}$/;
/** Short enough for the runner's grace period after a cancel (SIGINT, then 7.5 s). */
const TIMEOUT_MS = 5_000;

interface BuildahContainer {
  id: string;
  name: string;
  builder: boolean;
}

/**
 * buildah's working containers carry no label or name this run could set (`bud` names them
 * after the base image), so the run lists them before the build and removes, after a kill,
 * the builder containers that appeared since: its own, unless another build on the same
 * containers-storage started in those seconds (one job at a time per runner makes that rare).
 */
class BuildahLeftovers implements BuildLeftovers {
  private existing: Set<string> | undefined;
  private readonly runner: CommandRunner;
  private readonly env: NodeJS.ProcessEnv;
  constructor(runner: CommandRunner, env: NodeJS.ProcessEnv) {
    this.runner = runner;
    this.env = env;
  }

  async before(): Promise<void> {
    try {
      this.existing = new Set((await this.list()).map((c) => c.id));
    } catch {
      // buildah cannot list: the build will say why; nothing known, so nothing is removed.
      this.existing = undefined;
    }
  }

  async remove(): Promise<string[]> {
    const existing = this.existing;
    if (!existing) return [];
    const left = (await this.list()).filter((c) => c.builder && !existing.has(c.id));
    if (!left.length) return [];
    // No abort signal: this runs because the job was cancelled.
    await this.runner.run('buildah', ['rm', ...left.map((c) => c.id)], {
      env: this.env,
      timeoutMs: TIMEOUT_MS,
    });
    return left.map((c) => `${c.name} (${c.id.slice(0, 12)})`);
  }

  private async list(): Promise<BuildahContainer[]> {
    const r = await this.runner.run('buildah', ['containers', '--json'], {
      env: this.env,
      timeoutMs: TIMEOUT_MS,
    });
    // An empty storage answers `null`.
    const listed = (JSON.parse(r.stdout) ?? []) as Record<string, unknown>[];
    return listed.map((c) => ({
      id: checkedServerString(c.id, CONTAINER_ID, 'buildah container id'),
      name: typeof c.containername === 'string' ? c.containername : '',
      builder: c.builder === true,
    }));
  }
}

/** The leftovers handler of `builder`: buildah's working containers, nothing for the others. */
export function buildLeftovers(
  builder: Builder,
  runner: CommandRunner,
  env: NodeJS.ProcessEnv,
): BuildLeftovers {
  return builder === 'buildah' ? new BuildahLeftovers(runner, env) : nothingLeft;
}

/**
 * Runs `build`; when it is stopped (killed by a cancel or the timeout: anything but the
 * builder's own failure, after which it cleans up itself), removes what it left before
 * rethrowing. A failed removal is logged, never hides the build's error.
 */
export async function withLeftoversRemoved<T>(
  leftovers: BuildLeftovers,
  logger: Logger,
  build: () => Promise<T>,
): Promise<T> {
  await leftovers.before();
  try {
    return await build();
  } catch (error) {
    if (error instanceof BuildError) throw error;
    try {
      const removed = await leftovers.remove();
      if (removed.length) {
        logger.info(`Removed what the stopped build left: ${removed.join(', ')}.`);
      }
    } catch (cleanup) {
      logger.warning(`Could not remove what the stopped build left: ${errorMessage(cleanup)}`);
    }
    throw error;
  }
}
