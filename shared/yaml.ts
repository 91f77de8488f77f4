import {
  isMap,
  isSeq,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import { LocatedError } from './errors.ts';

/** One YAML document of a multi-document file, with what is needed to point at its lines. */
export interface SourceDocument {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** This document's slice of the file (leading comments and its `---` marker included). */
  source: string;
}

/**
 * Parses every document of a file, keeping comments and source positions. Broken YAML
 * throws a LocatedError with the file and line of the first problem.
 */
export function parseYamlFile(text: string, file: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    keepSourceTokens: false,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  const result: SourceDocument[] = [];
  let previousEnd = 0;
  list.forEach((doc, index) => {
    const start = previousEnd;
    previousEnd = doc.range[2];
    const first = doc.errors[0];
    if (first) {
      const pos = lineCounter.linePos(first.pos[0]);
      const message = first.message.split('\n')[0] ?? first.message;
      throw new LocatedError(
        `${file}:${pos.line}: invalid YAML: ${message}`,
        file,
        pos.line,
        pos.col,
      );
    }
    // An empty document (`---` at the end, or a comment-only file) carries nothing.
    if (doc.contents === null) return;
    result.push({ file, index, doc, lineCounter, source: text.slice(start, doc.range[2]) });
  });
  return result;
}

/** The 1-based line of the node at `path` in a document (or of its nearest existing parent). */
export function lineOf(
  source: SourceDocument,
  path: readonly (string | number)[],
): number | undefined {
  let node: unknown = source.doc.contents;
  let best: number | undefined = rangeLine(source, node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      best = rangeLine(source, pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      best = rangeLine(source, node) ?? best;
    } else {
      break;
    }
  }
  return best;
}

function rangeLine(source: SourceDocument, node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? source.lineCounter.linePos(range[0]).line : undefined;
}

/**
 * The document as it stood in the file, without its `---` marker: lets an unchanged
 * document be emitted byte for byte. Undefined when the marker line carries content.
 */
export function originalText(source: SourceDocument): string | undefined {
  const text = source.source.replace(/^---[ \t]*\r?\n/, '');
  return text.startsWith('---') || text.startsWith('%') ? undefined : text;
}
