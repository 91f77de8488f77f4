/**
 * build-push-image's logic in named phases — resolve → login → check-existing → build →
 * push → confirm → scan → report — with every dependency injected (commands, HTTP, clock,
 * logins, the Trivy install), so tests drive it with fakes and real peers alike.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { cancellation, InputError } from '../../shared/errors.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { HttpClient } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import { buildCommands, type BuildPlan, type Command } from './args.ts';
import {
  BuildError,
  buildxDriver,
  cacheHits,
  checkBuildFiles,
  chooseBuilder,
  dockerHasBuildKit,
  errorLines,
  pushedDigest,
} from './builder.ts';
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
  await checkBuildFiles(inputs, deps.workspace);

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
  const builder = await chooseBuilder(inputs.builder, runner, env);
  report.builder = builder;
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
  const work = await mkdtemp(path.join(deps.tempDir, 'bpi-build-'));
  temporary.push(work);
  const plan: BuildPlan = {
    builder,
    image: inputs.image,
    tags,
    context: inputs.context,
    ...(inputs.file ? { file: inputs.file } : {}),
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
    logger.info(`$ ${[c.command, ...c.args].join(' ')}`);
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
  try {
    buildOutput = await logger.group(`Build with ${builder}`, () => exec(build, 'the build'));
  } catch (error) {
    // A buildx push that hit an expired token: log in again and push from the builder's cache.
    const unauthorized =
      error instanceof BuildError &&
      /401|unauthori[sz]ed|authentication required/i.test(error.message);
    if (builder === 'buildx' && inputs.push && unauthorized && (await renewIfNeeded())) {
      buildOutput = await logger.group('Push again after logging in', () =>
        exec(build, 'the build'),
      );
    } else throw error;
  }
  report.buildMs = clock.now() - started;
  const hits = cacheHits(buildOutput);
  if (hits) report.cacheHits = hits;

  if (builder === 'buildx') {
    try {
      const meta = JSON.parse(await readFile(plan.metadataFile, 'utf8')) as Record<string, unknown>;
      const d = meta['containerimage.digest'];
      if (typeof d === 'string' && /^sha256:[a-f0-9]{64}$/.test(d)) report.digest = d;
    } catch {
      logger.warning('buildx wrote no metadata file: the digest comes from the registry.');
    }
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
          const d = (await readFile(plan.digestFile, 'utf8')).trim();
          if (/^sha256:[a-f0-9]{64}$/.test(d)) report.digest = d;
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
