import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap } from 'yaml';
import { LocatedError, LocatedErrors } from '../../shared/errors.ts';
import { resolveManifestSources, type ManifestSource } from '../../shared/files.ts';
import type { CommandRunner } from '../../shared/exec.ts';
import type { Logger } from '../../shared/logger.ts';
import { lineOf, originalText, parseYamlFile, type SourceDocument } from '../../shared/yaml.ts';
import { groupOf, isNamespaced } from '../../shared/kubernetes/kinds.ts';
import { ManifestValidator } from '../../shared/kubernetes/schema-validator.ts';
import type { RenderInputs } from './inputs.ts';
import { kustomizeBuild, locateKubectl } from './kustomize.ts';
import { replaceToken, substituteVars } from './substitute.ts';
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
  const sources = await resolveManifestSources(inputs.manifests, inputs.workspace);
  const texts = await loadTexts(sources, deps);
  const errors: LocatedError[] = [];
  const warnings: string[] = [];

  // Text-level substitutions keep every comment and line number of the sources.
  let placeholderCount = 0;
  for (const t of texts) {
    if (inputs.placeholder) {
      const r = replaceToken(t.text, inputs.placeholder.token, inputs.placeholder.image);
      t.text = r.text;
      placeholderCount += r.count;
    }
    if (inputs.vars) {
      const r = substituteVars(t.text, inputs.vars, t.file);
      t.text = r.text;
      errors.push(
        ...(t.hasLines
          ? r.errors
          : r.errors.map(
              (e) => new LocatedError(e.message.replace(/^[^:]+:\d+: /, `${t.file}: `), t.file),
            )),
      );
    }
  }
  if (inputs.placeholder && placeholderCount === 0) {
    throw new LocatedErrors(
      `Input 'image-placeholder': "${inputs.placeholder.token}" appears in none of the manifests, so 'image' would not be deployed.`,
      [],
    );
  }

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
      const fail = (message: string, p: (string | number)[]): void => {
        errors.push(new LocatedError(`${at(p)}: ${message}`, t.file, line(p)));
      };
      if (!isMap(sd.doc.contents)) {
        fail(
          `document ${sd.index + 1} is not a Kubernetes object (expected a map with apiVersion and kind)`,
          [],
        );
        continue;
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
      const original = metadataChanged || applied.changed > 0 ? undefined : originalText(sd);

      const finalObj = sd.doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
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
    throw new LocatedErrors(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was written:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
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
  };
}
