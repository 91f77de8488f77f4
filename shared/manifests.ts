/**
 * The one manifest-document model: a parsed YAML document (shared/yaml.ts) turned into a
 * Kubernetes object with its identity (apiVersion, kind, metadata.name/namespace) and the file
 * and line it came from. render-manifests and rollout-and-verify both read manifests through it,
 * so they agree on what a document holds and where it is.
 */
import { lineOf, parseYamlFile, type SourceDocument } from './yaml.ts';

import { isRecord } from './server-values.ts';

/** What identifies an object; each field undefined when the document does not give it. */
export interface ManifestIdentity {
  apiVersion: string | undefined;
  kind: string | undefined;
  name: string | undefined;
  namespace: string | undefined;
}

/** The identity fields of a document's value, as far as it has them (strings only). */
export function manifestIdentity(value: unknown): ManifestIdentity {
  const object = isRecord(value) ? value : {};
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    apiVersion: text(object.apiVersion),
    kind: text(object.kind),
    name: text(metadata.name),
    namespace: text(metadata.namespace),
  };
}

/**
 * The document as a plain object (`toJS`). Aliases beyond `maxAliasCount` (an alias bomb)
 * throw, as the YAML library refuses them; the default is the library's own.
 */
export function documentValue(source: SourceDocument, maxAliasCount?: number): unknown {
  return source.doc.toJS(maxAliasCount === undefined ? {} : { maxAliasCount });
}

/** One document of a manifest file: its value and where it starts. */
export interface ManifestDocument {
  source: SourceDocument;
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  /** 1-based line the document's content starts at. */
  line: number | undefined;
  value: unknown;
}

/** Every non-empty document of a manifest file with its value (broken YAML throws, located). */
export function manifestDocuments(
  text: string,
  file: string,
  maxAliasCount?: number,
): ManifestDocument[] {
  return parseYamlFile(text, file).map((source) => ({
    source,
    file,
    index: source.index,
    line: lineOf(source, []),
    value: documentValue(source, maxAliasCount),
  }));
}
