import {
  isMap,
  isSeq,
  isScalar,
  LineCounter,
  parse,
  parseAllDocuments,
  type Document,
  type Node,
  type Scalar,
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
    if (isEmptyDocument(doc)) return;
    result.push({ file, index, doc, lineCounter, source: text.slice(start, doc.range[2]) });
  });
  return result;
}

/**
 * Whether a document holds no object: nothing, only comments (what `helm template` prints for
 * a template whose condition is false), or a bare `null`/`~`. The yaml library gives `---`
 * followed by comments a null scalar rather than null contents. kubectl skips these documents
 * (its stream visitor drops empty and `null` ones), so everything reading manifests does too.
 */
export function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents;
  return contents === null || (isScalar(contents) && contents.value === null);
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

/** Replace `text.slice(start, end)` with `text`: a byte-exact edit of a source file. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping edits to the original text; everything outside them (comments,
 * quoting, key order, indentation, line endings) stays byte for byte. Identical edits of
 * one range (a scalar reached twice through an alias) count once.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const unique = new Map<string, TextEdit>();
  for (const e of edits) unique.set(`${e.start}:${e.end}:${e.text}`, e);
  const sorted = [...unique.values()].sort((a, b) => a.start - b.start);
  sorted.forEach((e, i) => {
    const previous = sorted[i - 1];
    if (previous && e.start < previous.end) {
      throw new Error(`overlapping YAML edits at offset ${e.start}`);
    }
  });
  let out = text;
  for (const e of sorted.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Whether `value` written as a plain scalar reads back as exactly this string. */
export function isPlainSafe(value: string): boolean {
  if (value === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]/.test(value) || /\s$/.test(value)) return false;
  if (/: |\s#|[\r\n\t]/.test(value) || value.endsWith(':')) return false;
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

/**
 * The source text for `value` in the style of the scalar it replaces: plain stays plain
 * (quoted only when the value would otherwise read as another type, e.g. `1.10`), single and
 * double quotes are kept. Block scalars are refused: their text is not an image reference.
 */
export function scalarText(node: Scalar, value: string): string {
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL':
      throw new Error('a block scalar (| or >) cannot be rewritten in place');
    default:
      return isPlainSafe(value) || typeof node.value !== 'string' ? value : JSON.stringify(value);
  }
}

/** The edit that sets a scalar node to `value`, keeping its quoting; undefined when it already has it. */
export function scalarEdit(node: Scalar, value: string): TextEdit | undefined {
  if (String(node.value) === value) return undefined;
  const range = node.range;
  if (!range) throw new Error('the YAML node has no source position');
  return { start: range[0], end: range[1], text: scalarText(node, value) };
}
