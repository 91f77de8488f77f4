/**
 * build-push-image's logic as named phases over the typed report — resolve → login →
 * check-existing → build → push → confirm → scan → report — each a plain function of the
 * context (every dependency injected: commands, HTTP, clock, logins, the Trivy install), so
 * tests drive the orchestration with fakes and real peers alike.
 */
import { InputError } from '../../shared/errors.ts';
import { phase, runPhases, type Phase } from '../../shared/phases.ts';
import { buildPhase, pushPhase, scanPhase } from './build.ts';
import { confineBuildFiles } from './builder.ts';
import { newContext, required, type BuildContext, type Deps } from './context.ts';
import { logIn } from './login-phase.ts';
import type { BuildInputs } from './inputs.ts';
import type { BuildReport } from './report.ts';
import { gitContext, ociLabels, resolveTags } from './tags.ts';

export type { Deps } from './context.ts';
export { newReport } from './report.ts';

/** Tags, labels and the confined build files: everything checked before any login or build. */
export function resolve(ctx: BuildContext, report: BuildReport): void {
  const { inputs } = ctx;
  const git = gitContext(ctx.env);
  const tags = resolveTags(inputs.tagRules, git);
  if (tags.length === 0) {
    throw new InputError(
      `Input 'tags': no rule produced a tag for ${git.eventName || 'this event'} on ${git.ref || 'no ref'} (add type=sha or type=raw,value=… as a fallback).`,
    );
  }
  report.tags = tags;
  report.refs = tags.map((t) => `${inputs.image}:${t}`);
  ctx.session.labels = ociLabels(git, new Date(ctx.clock.now()), inputs.labels);
  ctx.session.files = confineBuildFiles(inputs, ctx.workspace, ctx.env);
}

/** skip-if-exists: the tag is in the registry already, so the rest is skipped. */
export async function checkExisting(ctx: BuildContext, report: BuildReport): Promise<void> {
  const primary = required(report.tags[0], 'the primary tag');
  const existing = await ctx.registry.head(primary);
  if (!existing) {
    ctx.logger.info(`${report.refs[0]} is not in the registry yet: building.`);
    return;
  }
  ctx.logger.info(`${report.refs[0]} already exists (${existing}): skipping the build.`);
  report.skipped = true;
  report.digest = existing;
  report.imageRef = `${ctx.inputs.image}@${existing}`;
  report.size = (await ctx.registry.get(existing))?.size;
}

/** The registry serves the pushed tag, at the digest the builder reported (if it did). */
export async function confirm(ctx: BuildContext, report: BuildReport): Promise<void> {
  const manifest = await ctx.registry.get(required(report.tags[0], 'the primary tag'));
  if (!manifest) throw new Error(`${report.refs[0]} is not in the registry after the push.`);
  if (report.digest && report.digest !== manifest.digest) {
    throw new Error(
      `${report.refs[0]}: the builder reported ${report.digest} but the registry serves ${manifest.digest} (another push raced this one?).`,
    );
  }
  report.digest = manifest.digest;
  report.imageRef = `${ctx.inputs.image}@${manifest.digest}`;
  if (manifest.size !== undefined) report.size = manifest.size;
  ctx.logger.info(`Pushed ${report.imageRef}`);
}

/** Not pushed: the reference is the builder's digest, when it reported one. */
export function finish(ctx: BuildContext, report: BuildReport): void {
  if (!ctx.inputs.push && report.digest) report.imageRef = `${ctx.inputs.image}@${report.digest}`;
}

const built = (_ctx: BuildContext, r: BuildReport): boolean => !r.skipped;

/** The action's phases, in order; `when` skips what a run does not need. */
export const PHASES: readonly Phase<BuildContext, BuildReport>[] = [
  phase('resolve', resolve),
  phase('login', logIn),
  phase('check-existing', checkExisting, (ctx) => ctx.inputs.skipIfExists),
  phase('build', buildPhase, built),
  phase(
    'push',
    pushPhase,
    (ctx, r) => built(ctx, r) && ctx.inputs.push && ctx.session.setup?.builder !== 'buildx',
  ),
  phase('confirm', confirm, (ctx, r) => built(ctx, r) && ctx.inputs.push),
  phase('scan', scanPhase, (ctx, r) => built(ctx, r) && ctx.inputs.scan === 'trivy'),
  phase('report', finish),
];

/** Runs the phases with `deps` over `report` (which keeps what they did, also on failure). */
export async function buildPushImage(
  inputs: BuildInputs,
  deps: Deps,
  report: BuildReport,
): Promise<BuildReport> {
  return runPhases(PHASES, newContext(inputs, deps), report);
}
