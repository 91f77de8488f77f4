/**
 * The phases that run builders and Trivy: build (and, with buildx, push in one go), push per
 * tag, scan the pushed digest. Each keeps its working files (metadata, digest, Trivy's report:
 * no secrets) in its own temporary directory and removes it when it ends, failed or not.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { buildCommands, shownCommand, type BuildPlan, type Command } from './args.ts';
import {
  BuildError,
  buildahDigest,
  buildxDigest,
  cacheHits,
  errorLines,
  pushedDigest,
  setUpBuilder,
} from './builder.ts';
import { checkAborted, required, timeLeft, type BuildContext } from './context.ts';
import { buildLeftovers, withLeftoversRemoved } from './leftovers.ts';
import type { BuildReport, PhaseName } from './report.ts';
import { renewLoginIfNeeded } from './login-phase.ts';
import { countBySeverity, runTrivy } from './scan.ts';

async function withWorkDir<T>(ctx: BuildContext, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(ctx.tempDir, 'bpi-build-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The builder's plan, its working files in `dir`. */
function planFor(ctx: BuildContext, report: BuildReport, dir: string): BuildPlan {
  const { inputs, session } = ctx;
  const { builder, legacy, cache } = required(session.setup, 'the builder');
  return {
    builder,
    image: inputs.image,
    tags: report.tags,
    ...required(session.files, 'the build files'),
    ...(inputs.target ? { target: inputs.target } : {}),
    buildArgs: inputs.buildArgs,
    labels: session.labels,
    platforms: inputs.platforms,
    push: inputs.push,
    cache,
    insecure: ctx.plainHttp,
    metadataFile: path.join(dir, 'metadata.json'),
    iidFile: path.join(dir, 'iid'),
    digestFile: path.join(dir, 'digest'),
    ...(builder === 'buildah' && session.configDir
      ? { authFile: path.join(session.configDir, 'config.json') }
      : {}),
    ...(legacy ? { legacy } : {}),
  };
}

/** Runs one builder command, its output live; a non-zero exit is a BuildError with its lines. */
async function runBuilder(
  ctx: BuildContext,
  report: BuildReport,
  c: Command,
  o: { what: string; during: PhaseName },
): Promise<string> {
  checkAborted(ctx, o.during);
  ctx.logger.info(`$ ${shownCommand(c)}`);
  const r = await ctx.streamOutput((write) =>
    ctx.runner.run(c.command, c.args, {
      env: { ...ctx.session.env, ...c.env },
      check: false,
      timeoutMs: timeLeft(ctx),
      signal: ctx.signal,
      onOutput: write,
    }),
  );
  const output = `${r.stdout}\n${r.stderr}`;
  if (r.exitCode !== 0) {
    report.errorLines = errorLines(output);
    throw new BuildError(
      `${o.what} failed (${c.command} exited with ${r.exitCode})`,
      report.errorLines,
    );
  }
  return output;
}

/** A buildx push refused because the token expired: log in again, push from the cache. */
function isExpiredPush(ctx: BuildContext, error: unknown): boolean {
  return (
    ctx.session.setup?.builder === 'buildx' &&
    ctx.inputs.push &&
    error instanceof BuildError &&
    /401|unauthori[sz]ed|authentication required/i.test(error.message)
  );
}

/** Picks the builder and builds (buildx pushes here too); cache hits and time in the report. */
export async function buildPhase(ctx: BuildContext, report: BuildReport): Promise<void> {
  const { logger, session } = ctx;
  const setup = await setUpBuilder(ctx.inputs, ctx.runner, session.env, logger);
  session.setup = setup;
  report.builder = setup.builder;
  await withWorkDir(ctx, async (dir) => {
    const plan = planFor(ctx, report, dir);
    const { build } = buildCommands(plan);
    // A cancelled or timed-out build is killed: remove the working containers it left.
    const leftovers = buildLeftovers(setup.builder, ctx.runner, session.env);
    const runBuild = (): Promise<string> =>
      withLeftoversRemoved(leftovers, logger, () =>
        runBuilder(ctx, report, build, { what: 'the build', during: 'build' }),
      );
    const started = ctx.clock.now();
    let output: string;
    try {
      output = await logger.group(`Build with ${setup.builder}`, runBuild);
    } catch (error) {
      if (!(isExpiredPush(ctx, error) && (await renewLoginIfNeeded(ctx, report)))) throw error;
      output = await logger.group('Push again after logging in', runBuild);
    }
    report.buildMs = ctx.clock.now() - started;
    const hits = cacheHits(output);
    if (hits) report.cacheHits = hits;
    if (setup.builder === 'buildx') {
      const digest = await buildxDigest(plan.metadataFile);
      if (digest) report.digest = digest;
      else logger.warning('buildx reported no digest: the digest comes from the registry.');
      report.pushed = ctx.inputs.push;
    }
  });
}

/** docker and buildah: push each tag (after a login renewal if the token expired). */
export async function pushPhase(ctx: BuildContext, report: BuildReport): Promise<void> {
  await renewLoginIfNeeded(ctx, report);
  const primary = report.refs[0];
  await withWorkDir(ctx, async (dir) => {
    const plan = planFor(ctx, report, dir);
    await ctx.logger.group(`Push ${report.refs.join(', ')}`, async () => {
      for (const p of buildCommands(plan).pushes) {
        const what = `push of ${p.args.at(-1) ?? ''}`;
        const out = await runBuilder(ctx, report, p, { what, during: 'push' });
        if (plan.builder === 'docker' && p.args[1] === primary) {
          const pushed = pushedDigest(out);
          if (pushed) report.digest = pushed.digest;
        }
        if (plan.builder === 'buildah' && p.args.at(-2) === primary) {
          report.digest = await buildahDigest(plan.digestFile);
        }
      }
    });
  });
  report.pushed = true;
}

/** Trivy on the pushed digest; `scan-fail-on` severities found fail the step (after the push). */
export async function scanPhase(ctx: BuildContext, report: BuildReport): Promise<void> {
  const { inputs, logger } = ctx;
  const ref = required(report.imageRef, 'the pushed reference');
  const trivy = await ctx.trivy();
  logger.info(`Trivy: ${trivy.path} (${trivy.source})`);
  const findings = await withWorkDir(ctx, (dir) =>
    logger.group(`Scan ${ref} with Trivy`, () =>
      runTrivy(ctx.runner, {
        trivy: trivy.path,
        ref,
        severities: inputs.scanSeverity,
        reportFile: path.join(dir, 'trivy.json'),
        insecure: ctx.plainHttp,
        env: ctx.session.env,
        timeoutMs: timeLeft(ctx),
      }),
    ),
  );
  report.findings = findings;
  const counts = countBySeverity(findings);
  logger.info(
    `Trivy: ${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}`,
  );
  const failing = inputs.scanFailOn.filter((s) => counts[s] > 0);
  if (failing.length) {
    report.scanFailed = failing;
    throw new Error(
      `Trivy found ${failing.map((s) => `${counts[s]} ${s}`).join(', ')} in ${report.imageRef} (scan-fail-on: ${inputs.scanFailOn.join(',')}); the image was pushed.`,
    );
  }
}
