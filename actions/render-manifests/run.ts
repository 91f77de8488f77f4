/**
 * render-manifests as named phases over a RenderReport: resolve sources, build kustomizations,
 * parse, substitute, transform, check references, validate, write. Problems in the manifests
 * are collected (each located at file and line) and only a clean render writes its one
 * multi-document file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { systemClock } from '../../shared/clock.ts';
import { LocatedErrors } from '../../shared/errors.ts';
import { confineOutputDir, resolveManifestSources } from '../../shared/files.ts';
import { ManifestValidator } from '../../shared/kubernetes/schema-validator.ts';
import { phase, runPhases, type Phase } from '../../shared/phases.ts';
import { parseDocuments, substituteDocuments, transformDocuments } from './documents.ts';
import type { RenderInputs } from './inputs.ts';
import { kustomizeBuild, locateKubectl } from './kustomize.ts';
import {
  emptyRenderReport,
  renderResult,
  type RenderContext,
  type RenderDeps,
  type RenderReport,
  type RenderResult,
} from './report.ts';

export type { RenderDeps, RenderedDocument, RenderResult, ResourceId } from './report.ts';

/** Problems listed in the failure message (every one is still annotated). */
const MAX_LISTED_PROBLEMS = 20;
/** Unresolved `${NAME}` references annotated one by one; the rest are counted. */
const MAX_UNRESOLVED_WARNINGS = 50;

/** The output goes where the manifests may come from: checked before anything is read. */
async function resolveSources(ctx: RenderContext, report: RenderReport): Promise<void> {
  const { inputs } = ctx;
  const confinement = {
    roots: inputs.allowedRoots,
    allowOutside: inputs.allowOutsideWorkspace,
    liftWith: 'allow-outside-workspace',
  };
  await confineOutputDir(inputs.outputDir, inputs.workspace, 'output-dir', confinement);
  report.sources = await resolveManifestSources(
    inputs.manifests,
    inputs.workspace,
    'manifests',
    confinement,
  );
}

/** Reads the files and builds the kustomizations (kubectl is located once, when needed). */
async function buildKustomizations(ctx: RenderContext, report: RenderReport): Promise<void> {
  let kubectl: string | undefined;
  for (const source of report.sources) {
    if (source.type === 'file') {
      const text = await readFile(source.abs, 'utf8');
      report.texts.push({ source, file: source.file, text, hasLines: true });
      continue;
    }
    kubectl ??= await (ctx.kubectl ?? (() => locateKubectl({ logger: ctx.logger })))();
    ctx.logger.info(`kustomize build ${source.dir}`);
    const text = await kustomizeBuild(kubectl, source.abs, ctx.runner);
    report.texts.push({ source, file: source.kustomizationFile, text, hasLines: false });
  }
}

/** A placeholder nowhere used fails; unresolved `${NAME}` fail or warn as asked. */
function checkReferences(ctx: RenderContext, report: RenderReport): void {
  const { inputs, logger } = ctx;
  if (inputs.placeholder && report.placeholderCount === 0 && report.errors.length === 0) {
    throw new LocatedErrors(
      `Input 'image-placeholder': "${inputs.placeholder.token}" appears in none of the manifests (in no YAML string value), so 'image' would not be deployed.`,
      [],
    );
  }
  if (inputs.failOnUnresolvedVars) {
    report.errors.push(...report.unresolved);
    return;
  }
  for (const u of report.unresolved.slice(0, MAX_UNRESOLVED_WARNINGS))
    logger.warning(u.message, { file: u.file, ...(u.line !== undefined ? { line: u.line } : {}) });
  if (report.unresolved.length > MAX_UNRESOLVED_WARNINGS)
    logger.warning(
      `… and ${report.unresolved.length - MAX_UNRESOLVED_WARNINGS} more \${…} references not substituted ('vars' is empty); not annotated one by one.`,
    );
}

/** Validators load per bucket of kinds: only those this render needs. */
async function validateObjects(ctx: RenderContext, report: RenderReport): Promise<void> {
  const kindOf = (o: Record<string, unknown>): string =>
    `${String(o.apiVersion)}/${String(o.kind)}`;
  const kinds = new Set(report.toValidate.map(({ object }) => kindOf(object)));
  const validator = await ManifestValidator.create({
    kubernetesVersion: ctx.inputs.kubernetesVersion,
    kinds,
  });
  for (const { object, report: problem } of report.toValidate) {
    const result = validator.validate(object);
    if (!result.known) report.unvalidated.add(kindOf(object));
    for (const p of result.problems) problem(p.message, p.path);
  }
}

function failIfProblems(report: RenderReport): void {
  const { errors } = report;
  if (report.documents.length === 0 && errors.length === 0) {
    throw new LocatedErrors(
      `Input 'manifests' matched files, but they hold no Kubernetes objects.`,
      [],
    );
  }
  if (errors.length === 0) return;
  const listed = errors.slice(0, MAX_LISTED_PROBLEMS).map((e) => `  ${e.message}`);
  if (errors.length > MAX_LISTED_PROBLEMS)
    listed.push(`  … and ${errors.length - MAX_LISTED_PROBLEMS} more (each annotated)`);
  throw new LocatedErrors(
    `${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was written:\n${listed.join('\n')}`,
    errors,
  );
}

/** Only a render without problems writes its file. */
async function writeManifests(ctx: RenderContext, report: RenderReport): Promise<void> {
  for (const o of ctx.inputs.images) {
    if (!report.usedOverrides.has(o))
      report.warnings.push(`Input 'images': "${o.line}" matched no container image.`);
  }
  for (const k of report.unvalidated)
    report.warnings.push(
      `No schema for ${k}: not validated (only built-in kinds and KServe InferenceService are).`,
    );
  failIfProblems(report);
  const output = report.documents.map((d) => d.text.replace(/\n*$/, '\n')).join('---\n');
  const checksum = createHash('sha256').update(output).digest('hex');
  await mkdir(ctx.inputs.outputDir, { recursive: true });
  const manifestsPath = path.join(ctx.inputs.outputDir, 'manifests.yaml');
  await writeFile(manifestsPath, output);
  report.written = { manifestsPath, checksum };
}

export const renderPhases: readonly Phase<RenderContext, RenderReport>[] = [
  phase('resolve sources', resolveSources),
  phase('build kustomizations', buildKustomizations),
  phase('parse', parseDocuments),
  phase('substitute', substituteDocuments),
  phase('transform', transformDocuments),
  phase('check references', checkReferences),
  phase(
    'validate',
    validateObjects,
    (ctx, report) => ctx.inputs.validate && report.toValidate.length > 0,
  ),
  phase('write', writeManifests),
];

/**
 * Renders the manifests: load (kustomize where asked), substitute, transform, validate,
 * and only when everything is valid write one multi-document file. Any problem throws
 * (LocatedErrors for manifest problems) and nothing is written.
 */
export async function renderManifests(
  inputs: RenderInputs,
  deps: RenderDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<RenderResult> {
  const ctx: RenderContext = { ...deps, inputs, signal, clock: systemClock };
  const report = await runPhases(renderPhases, ctx, emptyRenderReport(inputs));
  const result = renderResult(report);
  if (!result) throw new Error('render-manifests: the write phase did not run');
  return result;
}
