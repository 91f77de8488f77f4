/**
 * The login phase: credentials from the registry type's provider into a temporary
 * DOCKER_CONFIG (buildah's auth file too), or an existing docker login; and the renewal of a
 * token that expired during a long build, right before the push.
 */
import { checkAborted, type BuildContext } from './context.ts';
import {
  createDockerConfig,
  currentDockerConfigDir,
  existingCredentials,
  login,
  needsRenewal,
  type LoginProvider,
} from './login.ts';
import type { BuildReport } from './report.ts';

async function logInWith(
  ctx: BuildContext,
  report: BuildReport,
  provider: LoginProvider,
  configDir: string,
): Promise<void> {
  const { inputs, logger, clock, signal } = ctx;
  const current = await logger.group(`Log in to ${inputs.registry}`, () =>
    login(provider, { host: inputs.registry, configDir, logger, clock, signal }),
  );
  ctx.session.login = current;
  ctx.session.credentials = current;
  report.loginVia = current.via;
}

/**
 * Logs in through the provider into a temporary DOCKER_CONFIG (saved for the post step at
 * once), or finds an existing docker login; checks the credentials against the registry.
 */
export async function logIn(ctx: BuildContext, report: BuildReport): Promise<void> {
  const { inputs, session } = ctx;
  const originalConfig = currentDockerConfigDir(ctx.env);
  if (ctx.loginProvider) {
    const configDir = await createDockerConfig(ctx.tempDir, originalConfig);
    session.configDir = configDir;
    report.configDir = configDir;
    ctx.savePostState(report);
    session.env = { ...ctx.env, DOCKER_CONFIG: configDir };
    await logInWith(ctx, report, ctx.loginProvider, configDir);
  } else {
    session.credentials = await existingCredentials(originalConfig, inputs.registry);
    report.loginVia = session.credentials
      ? `existing docker login (${originalConfig})`
      : 'none (anonymous)';
  }
  if (session.credentials) {
    checkAborted(ctx, 'login');
    await ctx.registry.ping();
    ctx.logger.info(`${inputs.registry} accepts the credentials.`);
  }
}

/** Logs in again when the provider's token is (nearly) expired; true when it did. */
export async function renewLoginIfNeeded(ctx: BuildContext, report: BuildReport): Promise<boolean> {
  const { loginProvider, session } = ctx;
  if (!loginProvider || !session.configDir || !session.login) return false;
  if (!needsRenewal(session.login, ctx.clock.now())) return false;
  ctx.logger.info(`The ${ctx.inputs.registry} token is (nearly) expired: logging in again.`);
  await logInWith(ctx, report, loginProvider, session.configDir);
  report.relogins++;
  return true;
}
