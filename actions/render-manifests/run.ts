import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap } from 'yaml';
import { errorMessage, LocatedError, LocatedErrors } from '../../shared/errors.ts';
import {
  confineOutputDir,
  resolveManifestSources,
  type ManifestSource,
} from '../../shared/files.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { Logger } from '../../shared/logger.ts';
import { lineOf, originalText, parseYamlFile, type SourceDocument } from '../../shared/yaml.ts';
import { groupOf, isNamespaced } from '../../shared/kubernetes/kinds.ts';
import { ManifestValidator } from '../../shared/kubernetes/schema-validator.ts';
import type { RenderInputs } from './inputs.ts';
import { kustomizeBuild, locateKubectl } from './kustomize.ts';
import {
  findReferences,
  missingHint,
  redactVars,
  replaceTokenInScalars,
  stringScalars,
  substituteVars,
  type Reference,
} from './substitute.ts';
import { nameProblem, sizeProblem } from './limits.ts';
import { applyImageOverrides, applyMetadata, findImages } from './transform.ts';
import type { ImageOverride } from './images.ts';

export interface RenderDeps {
  runner: CommandRunner;
  logger: Logger;
  /** Returns the kubectl to build kustomizations with (default: PATH, else pinned download). */
  kubectl?: () => Promise<string>;
}

export interface ResourceId {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface RenderedDocument {
  id: ResourceId;
  source: string;
  line: number | undefined;
  text: string;
}

export interface RenderResult {
  manifestsPath: string;
  resources: ResourceId[];
  images: string[];
  checksum: string;
  documents: RenderedDocument[];
  /** Kinds with no schema (not validated), as `apiVersion/kind`. */
  unvalidated: string[];
  warnings: string[];
  /** `${NAME}` references left unsubstituted (warned at their file:line), as `file:line ${NAME}`. */
  unresolved: string[];
}

interface LoadedText {
  source: ManifestSource;
  /** The file annotations point at. */
  file: string;
  text: string;
  /** Lines of `text` match the file (false for kustomize output). */
  hasLines: boolean;
}

async function loadTexts(sources: ManifestSource[], deps: RenderDeps): Promise<LoadedText[]> {
  const texts: LoadedText[] = [];
  let kubectl: string | undefined;
  for (const source of sources) {
    if (source.type === 'file') {
      texts.push({
        source,
        file: source.file,
        text: await readFile(source.abs, 'utf8'),
        hasLines: true,
      });
    } else {
      kubectl ??= await (deps.kubectl ?? (() => locateKubectl({ logger: deps.logger })))();
      deps.logger.info(`kustomize build ${source.dir}`);
      const text = await kustomizeBuild(kubectl, source.abs, deps.runner);
      texts.push({ source, file: source.kustomizationFile, text, hasLines: false });
    }
  }
  return texts;
}

/** Problems listed in the failure message (every one is still annotated). */
const MAX_LISTED_PROBLEMS = 20;
/** Unresolved `${NAME}` references annotated one by one; the rest are counted. */
const MAX_UNRESOLVED_WARNINGS = 50;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function idKey(id: ResourceId): string {
  return `${groupOf(id.apiVersion)}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

function describeId(id: ResourceId): string {
  return `${id.kind}/${id.name}${id.namespace ? ` (namespace ${id.namespace})` : ''}`;
}

/**
 * Renders the manifests: load (kustomize where asked), substitute, transform, validate,
 * and only when everything is valid write one multi-document file. Any problem throws
 * (LocatedErrors for manifest problems) and nothing is written.
 */
export async function renderManifests(
  inputs: RenderInputs,
  deps: RenderDeps,
): Promise<RenderResult> {
  const confinement = {
    roots: inputs.allowedRoots,
    allowOutside: inputs.allowOutsideWorkspace,
    liftWith: 'allow-outside-workspace',
  };
  // The output goes where the manifests may come from: checked before anything is read.
  await confineOutputDir(inputs.outputDir, inputs.workspace, 'output-dir', confinement);
  const sources = await resolveManifestSources(
    inputs.manifests,
    inputs.workspace,
    'manifests',
    confinement,
  );
  const texts = await loadTexts(sources, deps);
  const errors: LocatedError[] = [];
  const warnings: string[] = [];
  const unresolved: LocatedError[] = [];
  let placeholderCount = 0;

  const toValidate: {
    object: Record<string, unknown>;
    report: (message: string, path: (string | number)[]) => void;
  }[] = [];
  const documents: RenderedDocument[] = [];
  const seen = new Map<string, string>();
  const usedOverrides = new Set<ImageOverride>();
  const unvalidated = new Set<string>();
  const images = new Set<string>();

  for (const t of texts) {
    let docs: SourceDocument[];
    try {
      docs = parseYamlFile(t.text, t.file);
    } catch (error) {
      if (error instanceof LocatedError) {
        errors.push(
          t.hasLines
            ? error
            : new LocatedError(
                `${t.file}: kustomize output is not valid YAML: ${error.message}`,
                t.file,
              ),
        );
        continue;
      }
      throw error;
    }
    for (const sd of docs) {
      const line = (p: (string | number)[]): number | undefined =>
        t.hasLines ? lineOf(sd, p) : undefined;
      const at = (p: (string | number)[]): string => {
        const l = line(p);
        return l === undefined ? t.file : `${t.file}:${l}`;
      };
      // Keys of `vars` whose values went into this document: messages name them, never the values.
      const usedKeys = new Set<string>();
      const fail = (message: string, p: (string | number)[]): void => {
        const safe = redactVars(message, inputs.vars, usedKeys);
        errors.push(new LocatedError(`${at(p)}: ${safe}`, t.file, line(p)));
      };
      if (!isMap(sd.doc.contents)) {
        fail(
          `document ${sd.index + 1} is not a Kubernetes object (expected a map with apiVersion and kind)`,
          [],
        );
        continue;
      }

      // Substitutions set whole scalar values: no input can add structure.
      const scalars = stringScalars(sd.doc);
      let substituted = false;
      if (inputs.placeholder) {
        const n = replaceTokenInScalars(
          scalars,
          inputs.placeholder.token,
          inputs.placeholder.image,
        );
        placeholderCount += n;
        substituted ||= n > 0;
      }
      const referenceLine = (r: Reference): number | undefined => {
        const l = line(r.site.path);
        return l === undefined ? undefined : l + r.lineOffset;
      };
      const referenceAt = (r: Reference): string => {
        const l = referenceLine(r);
        return l === undefined ? t.file : `${t.file}:${l}`;
      };
      if (inputs.vars) {
        const r = substituteVars(scalars, inputs.vars);
        for (const s of r.substituted) for (const k of s.keys) usedKeys.add(k);
        substituted ||= r.substituted.length > 0;
        for (const m of r.missing) {
          errors.push(
            new LocatedError(
              `${referenceAt(m)}: \${${m.name}} has no value (${missingHint(m.name)}; write $\${${m.name}} for a literal)`,
              t.file,
              referenceLine(m),
            ),
          );
        }
      } else {
        for (const r of findReferences(scalars)) {
          unresolved.push(
            new LocatedError(
              `${referenceAt(r)}: \${${r.name}} is not substituted ('vars' is empty) and would be applied literally (${VAR_NAME.test(r.name) ? `set ${r.name}=… in 'vars'; ` : ''}to keep it on purpose, write $\${${r.name}} and set 'vars', where $\${…} means a literal \${…})`,
              t.file,
              referenceLine(r),
            ),
          );
        }
      }

      const kindValue = sd.doc.get('kind');
      const apiVersionValue = sd.doc.get('apiVersion');
      const kind = typeof kindValue === 'string' ? kindValue : '';
      const apiVersion = typeof apiVersionValue === 'string' ? apiVersionValue : '';
      if (!kind) {
        fail(`document ${sd.index + 1} has no kind`, []);
        continue;
      }
      if (!apiVersion) {
        fail(`${kind} has no apiVersion`, ['kind']);
        continue;
      }
      const namespaced = isNamespaced(apiVersion, kind);
      const metadataChanged = applyMetadata(sd.doc, kind, {
        ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
        namespaced,
        labels: inputs.labels,
        annotations: inputs.annotations,
      });
      const sites = findImages(sd.doc, kind);
      const applied = applyImageOverrides(sites, inputs.images);
      for (const o of applied.used) usedOverrides.add(o);
      for (const s of sites) images.add(String(s.scalar.value));
      // An untouched document is emitted as it stood in the source, byte for byte.
      const original =
        substituted || metadataChanged || applied.changed > 0 ? undefined : originalText(sd);

      let finalObj: Record<string, unknown>;
      try {
        finalObj = sd.doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
      } catch (error) {
        // An alias bomb (billion laughs) or another document the YAML library refuses.
        fail(`document ${sd.index + 1} cannot be loaded: ${errorMessage(error)}`, ['kind']);
        continue;
      }
      const metadata = (finalObj.metadata ?? {}) as Record<string, unknown>;
      const id: ResourceId = {
        apiVersion,
        kind,
        ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
        name: typeof metadata.name === 'string' ? metadata.name : '',
      };
      const key = idKey(id);
      const where = at(['kind']);
      const previous = seen.get(key);
      if (previous && id.name)
        fail(`${describeId(id)} is defined twice (first at ${previous})`, ['metadata', 'name']);
      else seen.set(key, where);
      // A name with an unresolved ${NAME} is reported as such, not as a bad name.
      const badName =
        id.name && !id.name.includes('${') ? nameProblem(apiVersion, kind, id.name) : undefined;
      if (badName) fail(`${kind}: ${badName}`, ['metadata', 'name']);
      const tooBig = sizeProblem(finalObj, kind, apiVersion);
      if (tooBig) fail(`${kind}/${id.name || '?'}: ${tooBig.message}`, [tooBig.field]);

      toValidate.push({
        object: finalObj,
        report: (message, p) => fail(`${kind}/${id.name || '?'}: ${message}`, p),
      });
      documents.push({
        id,
        source: t.file,
        line: line(['kind']),
        text: original ?? sd.doc.toString({ lineWidth: 0 }).replace(/^---\n/, ''),
      });
    }
  }
  if (inputs.placeholder && placeholderCount === 0 && errors.length === 0) {
    throw new LocatedErrors(
      `Input 'image-placeholder': "${inputs.placeholder.token}" appears in none of the manifests (in no YAML string value), so 'image' would not be deployed.`,
      [],
    );
  }
  if (inputs.failOnUnresolvedVars) errors.push(...unresolved);
  else {
    for (const u of unresolved.slice(0, MAX_UNRESOLVED_WARNINGS))
      deps.logger.warning(u.message, {
        file: u.file,
        ...(u.line !== undefined ? { line: u.line } : {}),
      });
    if (unresolved.length > MAX_UNRESOLVED_WARNINGS)
      deps.logger.warning(
        `… and ${unresolved.length - MAX_UNRESOLVED_WARNINGS} more \${…} references not substituted ('vars' is empty); not annotated one by one.`,
      );
  }

  if (inputs.validate && toValidate.length > 0) {
    // Validators load per bucket of kinds: only those this render needs.
    const kinds = new Set(
      toValidate.map(({ object }) => `${String(object.apiVersion)}/${String(object.kind)}`),
    );
    const validator = await ManifestValidator.create({
      kubernetesVersion: inputs.kubernetesVersion,
      kinds,
    });
    for (const { object, report } of toValidate) {
      const result = validator.validate(object);
      if (!result.known) unvalidated.add(`${String(object.apiVersion)}/${String(object.kind)}`);
      for (const problem of result.problems) report(problem.message, problem.path);
    }
  }

  for (const o of inputs.images) {
    if (!usedOverrides.has(o))
      warnings.push(`Input 'images': "${o.line}" matched no container image.`);
  }
  for (const k of unvalidated)
    warnings.push(
      `No schema for ${k}: not validated (only built-in kinds and KServe InferenceService are).`,
    );
  if (documents.length === 0 && errors.length === 0) {
    throw new LocatedErrors(
      `Input 'manifests' matched files, but they hold no Kubernetes objects.`,
      [],
    );
  }
  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED_PROBLEMS).map((e) => `  ${e.message}`);
    if (errors.length > MAX_LISTED_PROBLEMS)
      listed.push(`  … and ${errors.length - MAX_LISTED_PROBLEMS} more (each annotated)`);
    throw new LocatedErrors(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was written:\n${listed.join('\n')}`,
      errors,
    );
  }

  const output = documents.map((d) => d.text.replace(/\n*$/, '\n')).join('---\n');
  const checksum = createHash('sha256').update(output).digest('hex');
  await mkdir(inputs.outputDir, { recursive: true });
  const manifestsPath = path.join(inputs.outputDir, 'manifests.yaml');
  await writeFile(manifestsPath, output);
  return {
    manifestsPath,
    resources: documents.map((d) => d.id),
    images: [...images].sort(),
    checksum,
    documents,
    unvalidated: [...unvalidated],
    warnings,
    unresolved: unresolved.map((u) => u.message.slice(0, u.message.indexOf(' is not substituted'))),
  };
}
