/**
 * build-push-image's logic in named phases — resolve → login → check-existing → build →
 * push → confirm → scan → report — with every dependency injected (commands, HTTP, clock,
 * logins, the Trivy install), so tests drive it with fakes and real peers alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { cancellation, InputError } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { HttpClient } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import { buildCommands, shownCommand, type BuildPlan, type Command } from './args.ts';
import {
  BuildError,
  buildahDigest,
  buildxDigest,
  cacheHits,
  confineBuildFiles,
  errorLines,
  pushedDigest,
  setUpBuilder,
} from './builder.ts';
import { buildLeftovers, withLeftoversRemoved } from './leftovers.ts';
import { isLoopbackRegistry, type BuildInputs, type Builder } from './inputs.ts';
import {
  createDockerConfig,
  currentDockerConfigDir,
  existingCredentials,
  login,
  needsRenewal,
  type Login,
  type LoginProvider,
} from './login.ts';
import { RegistryClient, type Credentials } from './registry.ts';
import { countBySeverity, runTrivy, type Finding } from './scan.ts';
import { gitContext, ociLabels, resolveTags } from './tags.ts';

export interface Deps {
  runner: CommandRunner;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Where relative `context` and `file` paths start (GITHUB_WORKSPACE, the step's cwd). */
  workspace: string;
  /** Where temporary files go (RUNNER_TEMP). */
  tempDir: string;
  /** Login for the registry type; undefined: use the docker config already there. */
  loginProvider?: LoginProvider;
  /** Called with the temporary docker config directory as soon as it exists (post removes it). */
  onConfigDir: (dir: string) => void;
  /**
   * Shows a builder's output live: calls `fn` with a writer (the runner wraps it so the
   * output cannot issue workflow commands).
   */
  streamOutput: <T>(fn: (write: (chunk: string) => void) => Promise<T>) => Promise<T>;
  /** The Trivy executable (PATH or installed); called only with `scan: trivy`. */
  trivy: () => Promise<{ path: string; source: string }>;
}

export type Phase =
  'resolve' | 'login' | 'check-existing' | 'build' | 'push' | 'confirm' | 'scan' | 'report';

export interface Report {
  phase: Phase;
  builder?: Builder;
  tags: string[];
  refs: string[];
  digest?: string;
  imageRef?: string;
  skipped: boolean;
  pushed: boolean;
  size?: number;
  buildMs?: number;
  cacheHits?: { cached: number; steps: number };
  loginVia?: string;
  relogins: number;
  findings?: Finding[];
  scanFailed?: string[];
  /** The builder's error lines when it failed. */
  errorLines?: string[];
  startedAt: number;
  durationMs?: number;
}

export function newReport(clock: Clock): Report {
  return {
    phase: 'resolve',
    tags: [],
    refs: [],
    skipped: false,
    pushed: false,
    relogins: 0,
    startedAt: clock.now(),
  };
}

function checkAborted(deps: Deps, during: Phase): void {
  if (deps.signal?.aborted) throw cancellation(deps.signal, during);
}

export async function buildPushImage(
  inputs: BuildInputs,
  deps: Deps,
  report: Report,
): Promise<void> {
  const temporary: string[] = [];
  try {
    await phases(inputs, deps, report, temporary);
  } finally {
    // The builder's metadata, iid and digest files, and Trivy's report (no secrets).
    await Promise.all(temporary.map((d) => rm(d, { recursive: true, force: true })));
  }
}

async function phases(
  inputs: BuildInputs,
  deps: Deps,
  report: Report,
  temporary: string[],
): Promise<void> {
  const { runner, logger, clock } = deps;
  const deadline = report.startedAt + inputs.timeoutMs;
  const timeLeft = (): number => Math.max(1000, deadline - clock.now());

  // resolve
  report.phase = 'resolve';
  const ctx = gitContext(deps.env);
  const tags = resolveTags(inputs.tagRules, ctx);
  const primary = tags[0];
  if (primary === undefined) {
    throw new InputError(
      `Input 'tags': no rule produced a tag for ${ctx.eventName || 'this event'} on ${ctx.ref || 'no ref'} (add type=sha or type=raw,value=… as a fallback).`,
    );
  }
  report.tags = tags;
  report.refs = tags.map((t) => `${inputs.image}:${t}`);
  const plainHttp = isLoopbackRegistry(inputs.registry) || inputs.insecure;
  const labels = ociLabels(ctx, new Date(clock.now()), inputs.labels);
  const files = confineBuildFiles(inputs, deps.workspace, deps.env);

  // login
  report.phase = 'login';
  let configDir: string | undefined;
  let current: Login | undefined;
  const originalConfig = currentDockerConfigDir(deps.env);
  let credentials: Credentials | undefined;
  const doLogin = async (provider: LoginProvider, dir: string): Promise<void> => {
    current = await logger.group(`Log in to ${inputs.registry}`, () =>
      login(provider, {
        host: inputs.registry,
        configDir: dir,
        logger,
        clock,
        ...(deps.signal ? { signal: deps.signal } : {}),
      }),
    );
    credentials = current;
    report.loginVia = current.via;
  };
  if (deps.loginProvider) {
    configDir = await createDockerConfig(deps.tempDir, originalConfig);
    deps.onConfigDir(configDir);
    await doLogin(deps.loginProvider, configDir);
  } else {
    credentials = await existingCredentials(originalConfig, inputs.registry);
    report.loginVia = credentials
      ? `existing docker login (${originalConfig})`
      : 'none (anonymous)';
  }
  const env: NodeJS.ProcessEnv = {
    ...deps.env,
    ...(configDir ? { DOCKER_CONFIG: configDir } : {}),
  };
  const registry = new RegistryClient(deps.http, {
    host: inputs.registry,
    image: inputs.image,
    plainHttp,
    credentials: () => credentials,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (credentials) {
    checkAborted(deps, 'login');
    await registry.ping();
    logger.info(`${inputs.registry} accepts the credentials.`);
  }
  const renewIfNeeded = async (): Promise<boolean> => {
    if (!deps.loginProvider || !configDir || !current || !needsRenewal(current, clock.now()))
      return false;
    logger.info(`The ${inputs.registry} token is (nearly) expired: logging in again.`);
    await doLogin(deps.loginProvider, configDir);
    report.relogins++;
    return true;
  };

  // check-existing
  if (inputs.skipIfExists) {
    report.phase = 'check-existing';
    checkAborted(deps, 'check-existing');
    const existing = await registry.head(primary);
    if (existing) {
      logger.info(`${report.refs[0]} already exists (${existing}): skipping the build.`);
      report.skipped = true;
      report.digest = existing;
      report.imageRef = `${inputs.image}@${existing}`;
      report.size = (await registry.get(existing))?.size;
      report.phase = 'report';
      return;
    }
    logger.info(`${report.refs[0]} is not in the registry yet: building.`);
  }

  // build
  report.phase = 'build';
  checkAborted(deps, 'build');
  const { builder, legacy, cache } = await setUpBuilder(inputs, runner, env, logger);
  report.builder = builder;
  const work = await mkdtemp(path.join(deps.tempDir, 'bpi-build-'));
  temporary.push(work);
  const plan: BuildPlan = {
    builder,
    image: inputs.image,
    tags,
    ...files,
    ...(inputs.target ? { target: inputs.target } : {}),
    buildArgs: inputs.buildArgs,
    labels,
    platforms: inputs.platforms,
    push: inputs.push,
    cache,
    insecure: plainHttp,
    metadataFile: path.join(work, 'metadata.json'),
    iidFile: path.join(work, 'iid'),
    digestFile: path.join(work, 'digest'),
    ...(builder === 'buildah' && configDir
      ? { authFile: path.join(configDir, 'config.json') }
      : {}),
    ...(legacy ? { legacy } : {}),
  };
  const { build, pushes } = buildCommands(plan);
  const exec = async (c: Command, what: string): Promise<string> => {
    checkAborted(deps, report.phase);
    logger.info(`$ ${shownCommand(c)}`);
    const r = await deps.streamOutput((write) =>
      runner.run(c.command, c.args, {
        env: { ...env, ...c.env },
        check: false,
        timeoutMs: timeLeft(),
        ...(deps.signal ? { signal: deps.signal } : {}),
        onOutput: write,
      }),
    );
    const output = `${r.stdout}\n${r.stderr}`;
    if (r.exitCode !== 0) {
      report.errorLines = errorLines(output);
      throw new BuildError(
        `${what} failed (${c.command} exited with ${r.exitCode})`,
        report.errorLines,
      );
    }
    return output;
  };
  const started = clock.now();
  let buildOutput: string;
  // A cancelled or timed-out build is killed: remove the working containers it left.
  const leftovers = buildLeftovers(builder, runner, env);
  const runBuild = (): Promise<string> =>
    withLeftoversRemoved(leftovers, logger, () => exec(build, 'the build'));
  try {
    buildOutput = await logger.group(`Build with ${builder}`, runBuild);
  } catch (error) {
    // A buildx push that hit an expired token: log in again and push from the builder's cache.
    const unauthorized =
      error instanceof BuildError &&
      /401|unauthori[sz]ed|authentication required/i.test(error.message);
    if (builder === 'buildx' && inputs.push && unauthorized && (await renewIfNeeded())) {
      buildOutput = await logger.group('Push again after logging in', runBuild);
    } else throw error;
  }
  report.buildMs = clock.now() - started;
  const hits = cacheHits(buildOutput);
  if (hits) report.cacheHits = hits;

  if (builder === 'buildx') {
    const digest = await buildxDigest(plan.metadataFile);
    if (digest) report.digest = digest;
    else logger.warning('buildx reported no digest: the digest comes from the registry.');
    report.pushed = inputs.push;
  }

  // push
  if (pushes.length) {
    report.phase = 'push';
    await renewIfNeeded();
    await logger.group(`Push ${report.refs.join(', ')}`, async () => {
      for (const p of pushes) {
        const out = await exec(p, `push of ${p.args.at(-1) ?? ''}`);
        if (builder === 'docker' && p.args[1] === report.refs[0]) {
          const pushed = pushedDigest(out);
          if (pushed) report.digest = pushed.digest;
        }
        if (builder === 'buildah' && p.args.at(-2) === report.refs[0]) {
          report.digest = await buildahDigest(plan.digestFile);
        }
      }
    });
    report.pushed = true;
  }

  if (!inputs.push) {
    if (report.digest) report.imageRef = `${inputs.image}@${report.digest}`;
    report.phase = 'report';
    return;
  }

  // confirm
  report.phase = 'confirm';
  checkAborted(deps, 'confirm');
  const manifest = await registry.get(primary);
  if (!manifest) throw new Error(`${report.refs[0]} is not in the registry after the push.`);
  if (report.digest && report.digest !== manifest.digest) {
    throw new Error(
      `${report.refs[0]}: the builder reported ${report.digest} but the registry serves ${manifest.digest} (another push raced this one?).`,
    );
  }
  report.digest = manifest.digest;
  report.imageRef = `${inputs.image}@${manifest.digest}`;
  if (manifest.size !== undefined) report.size = manifest.size;
  logger.info(`Pushed ${report.imageRef}`);

  // scan
  if (inputs.scan === 'trivy') {
    report.phase = 'scan';
    await scan(inputs, deps, report.imageRef, report, { env, plainHttp, work, timeLeft });
  }
  report.phase = 'report';
}

async function scan(
  inputs: BuildInputs,
  deps: Deps,
  ref: string,
  report: Report,
  o: { env: NodeJS.ProcessEnv; plainHttp: boolean; work: string; timeLeft: () => number },
): Promise<void> {
  checkAborted(deps, 'scan');
  const trivy = await deps.trivy();
  deps.logger.info(`Trivy: ${trivy.path} (${trivy.source})`);
  const findings = await deps.logger.group(`Scan ${ref} with Trivy`, () =>
    runTrivy(deps.runner, {
      trivy: trivy.path,
      ref,
      severities: inputs.scanSeverity,
      reportFile: path.join(o.work, 'trivy.json'),
      insecure: o.plainHttp,
      env: o.env,
      timeoutMs: o.timeLeft(),
    }),
  );
  report.findings = findings;
  const counts = countBySeverity(findings);
  deps.logger.info(
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
