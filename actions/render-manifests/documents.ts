/**
 * The per-document phases of render-manifests: parse each text into documents, substitute
 * (placeholder, `vars`), then transform (metadata, images) and check each object. Problems are
 * collected in the report, located at file and line; nothing here writes a file.
 */
import { isMap } from 'yaml';
import { errorMessage, LocatedError } from '../../shared/errors.ts';
import { documentValue, manifestIdentity } from '../../shared/manifests.ts';
import { groupOf, isNamespaced } from '../../shared/kubernetes/kinds.ts';
import { lineOf, originalText, parseYamlFile } from '../../shared/yaml.ts';
import { nameProblem, sizeProblem } from './limits.ts';
import type { DocumentEntry, RenderContext, RenderReport, ResourceId } from './report.ts';
import {
  findReferences,
  missingHint,
  redactVars,
  replaceTokenInScalars,
  stringScalars,
  substituteVars,
  type Reference,
} from './substitute.ts';
import { applyImageOverrides, applyMetadata, findImages } from './transform.ts';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Aliases a document may expand (beyond: an alias bomb, refused). */
const MAX_ALIAS_COUNT = 1000;

type Path = (string | number)[];

function lineIn(entry: DocumentEntry, p: Path): number | undefined {
  return entry.loaded.hasLines ? lineOf(entry.source, p) : undefined;
}

function located(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

/** Records a problem at `p` in the document; values of `vars` in it are redacted. */
function fail(ctx: RenderContext, report: RenderReport, entry: DocumentEntry) {
  return (message: string, p: Path): void => {
    const safe = redactVars(message, ctx.inputs.vars, entry.usedKeys);
    const line = lineIn(entry, p);
    const file = entry.loaded.file;
    report.errors.push(new LocatedError(`${located(file, line)}: ${safe}`, file, line));
  };
}

/** Parses every text; documents that are not maps are problems and go no further. */
export function parseDocuments(ctx: RenderContext, report: RenderReport): void {
  for (const t of report.texts) {
    let docs;
    try {
      docs = parseYamlFile(t.text, t.file);
    } catch (error) {
      if (!(error instanceof LocatedError)) throw error;
      report.errors.push(
        t.hasLines
          ? error
          : new LocatedError(
              `${t.file}: kustomize output is not valid YAML: ${error.message}`,
              t.file,
            ),
      );
      continue;
    }
    for (const source of docs) {
      const entry: DocumentEntry = { loaded: t, source, usedKeys: new Set(), substituted: false };
      if (isMap(source.doc.contents)) report.entries.push(entry);
      else
        fail(
          ctx,
          report,
          entry,
        )(
          `document ${source.index + 1} is not a Kubernetes object (expected a map with apiVersion and kind)`,
          [],
        );
    }
  }
}

function referenceLine(entry: DocumentEntry, r: Reference): number | undefined {
  const l = lineIn(entry, r.site.path);
  return l === undefined ? undefined : l + r.lineOffset;
}

/** Sets whole scalar values only (placeholder, `vars`): no input can add structure. */
export function substituteDocuments(ctx: RenderContext, report: RenderReport): void {
  const { placeholder, vars } = ctx.inputs;
  for (const entry of report.entries) {
    const scalars = stringScalars(entry.source.doc);
    const file = entry.loaded.file;
    if (placeholder) {
      const n = replaceTokenInScalars(scalars, placeholder.token, placeholder.image);
      report.placeholderCount += n;
      entry.substituted ||= n > 0;
    }
    if (vars) {
      const r = substituteVars(scalars, vars);
      for (const s of r.substituted) for (const k of s.keys) entry.usedKeys.add(k);
      entry.substituted ||= r.substituted.length > 0;
      for (const m of r.missing) {
        const line = referenceLine(entry, m);
        const message = `${located(file, line)}: \${${m.name}} has no value (${missingHint(m.name)}; write $\${${m.name}} for a literal)`;
        report.errors.push(new LocatedError(message, file, line));
      }
      continue;
    }
    for (const r of findReferences(scalars)) {
      const line = referenceLine(entry, r);
      const hint = VAR_NAME.test(r.name) ? `set ${r.name}=… in 'vars'; ` : '';
      const message = `${located(file, line)}: \${${r.name}} is not substituted ('vars' is empty) and would be applied literally (${hint}to keep it on purpose, write $\${${r.name}} and set 'vars', where $\${…} means a literal \${…})`;
      report.unresolved.push(new LocatedError(message, file, line));
    }
  }
}

function idKey(id: ResourceId): string {
  return `${groupOf(id.apiVersion)}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

function describeId(id: ResourceId): string {
  return `${id.kind}/${id.name}${id.namespace ? ` (namespace ${id.namespace})` : ''}`;
}

/** Applies namespace, labels, annotations and image overrides; true when the document changed. */
function transformDocument(
  ctx: RenderContext,
  report: RenderReport,
  entry: DocumentEntry,
  type: { apiVersion: string; kind: string },
): boolean {
  const { inputs } = ctx;
  const doc = entry.source.doc;
  const metadataChanged = applyMetadata(doc, type.kind, {
    ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
    namespaced: isNamespaced(type.apiVersion, type.kind),
    labels: inputs.labels,
    annotations: inputs.annotations,
  });
  const sites = findImages(doc, type.kind);
  const applied = applyImageOverrides(sites, inputs.images);
  for (const o of applied.used) report.usedOverrides.add(o);
  for (const s of sites) report.images.add(String(s.scalar.value));
  return metadataChanged || applied.changed > 0;
}

/** Duplicate, name and size checks of one object; problems go through `problem`. */
function checkObject(
  report: RenderReport,
  entry: DocumentEntry,
  object: Record<string, unknown>,
  id: ResourceId,
  problem: (message: string, p: Path) => void,
): void {
  const key = idKey(id);
  const previous = report.seen.get(key);
  if (previous && id.name)
    problem(`${describeId(id)} is defined twice (first at ${previous})`, ['metadata', 'name']);
  else report.seen.set(key, located(entry.loaded.file, lineIn(entry, ['kind'])));
  // A name with an unresolved ${NAME} is reported as such, not as a bad name.
  const badName =
    id.name && !id.name.includes('${') ? nameProblem(id.apiVersion, id.kind, id.name) : undefined;
  if (badName) problem(`${id.kind}: ${badName}`, ['metadata', 'name']);
  const tooBig = sizeProblem(object, id.kind, id.apiVersion);
  if (tooBig) problem(`${id.kind}/${id.name || '?'}: ${tooBig.message}`, [tooBig.field]);
}

/** Transforms one document and records it (to validate, to write) unless it is broken. */
function renderDocument(ctx: RenderContext, report: RenderReport, entry: DocumentEntry): void {
  const problem = fail(ctx, report, entry);
  const { doc, index } = entry.source;
  const kind = typeof doc.get('kind') === 'string' ? (doc.get('kind') as string) : '';
  const apiVersionValue = doc.get('apiVersion');
  const apiVersion = typeof apiVersionValue === 'string' ? apiVersionValue : '';
  if (!kind) return problem(`document ${index + 1} has no kind`, []);
  if (!apiVersion) return problem(`${kind} has no apiVersion`, ['kind']);
  const changed = transformDocument(ctx, report, entry, { apiVersion, kind });
  // An untouched document is emitted as it stood in the source, byte for byte.
  const original = entry.substituted || changed ? undefined : originalText(entry.source);
  let object: Record<string, unknown>;
  try {
    object = documentValue(entry.source, MAX_ALIAS_COUNT) as Record<string, unknown>;
  } catch (error) {
    // An alias bomb (billion laughs) or another document the YAML library refuses.
    return problem(`document ${index + 1} cannot be loaded: ${errorMessage(error)}`, ['kind']);
  }
  const found = manifestIdentity(object);
  const id: ResourceId = {
    apiVersion,
    kind,
    ...(found.namespace !== undefined ? { namespace: found.namespace } : {}),
    name: found.name ?? '',
  };
  checkObject(report, entry, object, id, problem);
  report.toValidate.push({
    object,
    report: (message, p) => problem(`${kind}/${id.name || '?'}: ${message}`, p),
  });
  report.documents.push({
    id,
    source: entry.loaded.file,
    line: lineIn(entry, ['kind']),
    text: original ?? doc.toString({ lineWidth: 0 }).replace(/^---\n/, ''),
  });
}

/** Transforms and checks every document that survived parsing. */
export function transformDocuments(ctx: RenderContext, report: RenderReport): void {
  for (const entry of report.entries) renderDocument(ctx, report, entry);
}
