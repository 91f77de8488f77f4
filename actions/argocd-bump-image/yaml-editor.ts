/**
 * Byte-exact editing of one YAML file: FileEditor collects scalar replacements, insertions
 * and removals as text edits on the original source (shared/yaml.ts applyEdits), with the
 * line and path of each change for the summary. What to change is decided in edit.ts.
 */
import {
  isAlias,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { LocatedError } from '../../shared/errors.ts';
import { applyEdits, scalarEdit, scalarText, type TextEdit } from '../../shared/yaml.ts';

/** One scalar changed, for the summary. */
export interface ValueChange {
  line: number;
  /** Where in the document, e.g. `images[0].newTag` or `spec.template.spec.containers[0].image`. */
  where: string;
  before: string;
  after: string;
}

export interface FileEdit {
  file: string;
  /** Places that name the image (changed or already at the new value). */
  matched: number;
  changes: ValueChange[];
  before: string;
  after: string;
  /** Images the file names (for the error when no file names the wanted one). */
  seen: string[];
  /** Predictor storageUri values found (changed or already at `storage-uri`). */
  storageMatched: number;
  /** InferenceServices without a predictor storageUri (for the error when none has one). */
  storageNotes: string[];
}

/** How `set` counts and writes a value. */
export interface SetOptions {
  /** A storageUri, not an image (counted apart). */
  storage?: boolean;
  /** Double-quote a plain scalar (a value that would end a plain scalar in a flow map). */
  quote?: boolean;
}

export type Path = (string | number)[];
export type Doc = Document.Parsed;

export function pathText(p: Path): string {
  return p.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : String(k)),
    '',
  );
}

export function resolve(doc: Doc, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

export function pairOf(doc: Doc, map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

export function scalarAt(doc: Doc, map: YAMLMap, key: string): Scalar | undefined {
  const pair = pairOf(doc, map, key);
  const value = pair ? resolve(doc, pair.value) : undefined;
  return isScalar(value) ? value : undefined;
}

export class FileEditor {
  readonly edits: TextEdit[] = [];
  readonly changes: ValueChange[] = [];
  readonly seen = new Set<string>();
  readonly removed = new Set<unknown>();
  readonly storageNotes = new Set<string>();
  matched = 0;
  storageMatched = 0;
  private readonly lines = new LineCounter();
  readonly docs: Doc[];
  private readonly eol: string;
  readonly text: string;
  readonly file: string;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.docs = parseAllDocuments(text, { lineCounter: this.lines, prettyErrors: false }) as Doc[];
    for (const doc of this.docs) {
      const first = doc.errors[0];
      if (first) {
        const pos = this.lines.linePos(first.pos[0]);
        throw new LocatedError(
          `${file}:${pos.line}: invalid YAML: ${first.message.split('\n')[0] ?? ''}`,
          file,
          pos.line,
          pos.col,
        );
      }
    }
  }

  line(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  fail(message: string, node?: Node | null): never {
    const line = node?.range ? this.line(node.range[0]) : undefined;
    throw new LocatedError(`${this.file}${line ? `:${line}` : ''}: ${message}`, this.file, line);
  }

  /** Sets a scalar; a no-op when it already holds `value`. */
  set(node: Scalar, value: string, where: Path, options: SetOptions = {}): void {
    if (options.storage) this.storageMatched++;
    else this.matched++;
    let edit: TextEdit | undefined;
    try {
      edit = scalarEdit(node, value);
    } catch (error) {
      this.fail(`${pathText(where)}: ${(error as Error).message}`, node);
    }
    if (!edit) return;
    if (options.quote && node.type === 'PLAIN') edit = { ...edit, text: JSON.stringify(value) };
    if (this.edits.some((e) => e.start === edit.start && e.end === edit.end)) return;
    this.edits.push(edit);
    this.changes.push({
      line: this.line(edit.start),
      where: pathText(where),
      before: String(node.value),
      after: value,
    });
  }

  /** Adds `key: value` to a map (after its last entry, in its style). */
  insert(map: YAMLMap, key: string, value: string, where: Path): void {
    this.matched++;
    const last = map.items.filter((p) => !this.removed.has(p)).at(-1);
    const lastEnd =
      (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | null)?.range?.[1];
    const firstKey = map.items[0]?.key as Node | null | undefined;
    if (!last || lastEnd === undefined || !firstKey?.range) {
      this.fail(`${pathText(where)}: cannot add '${key}' to an empty map`, map);
    }
    const plain = { type: 'PLAIN', value: '' } as unknown as Scalar;
    const text = `${key}: ${scalarText(plain, value)}`;
    if (map.flow) {
      this.edits.push({ start: lastEnd, end: lastEnd, text: `, ${text}` });
    } else {
      const lineStart = this.text.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
      const indent = ' '.repeat(firstKey.range[0] - lineStart);
      let eolAt = this.text.indexOf('\n', lastEnd);
      if (eolAt < 0) eolAt = this.text.length;
      else if (this.text[eolAt - 1] === '\r') eolAt--;
      this.edits.push({ start: eolAt, end: eolAt, text: `${this.eol}${indent}${text}` });
    }
    this.changes.push({
      line: this.line(lastEnd) + (map.flow ? 0 : 1),
      where: pathText([...where, key]),
      before: '',
      after: value,
    });
  }

  /** Removes `key` from a map: a stale tag or digest that would otherwise win. */
  remove(map: YAMLMap, pair: Pair, where: Path): void {
    this.removed.add(pair);
    const keyNode = pair.key as Node;
    const valueNode = pair.value as Node | null;
    const start = keyNode.range?.[0];
    const end = valueNode?.range?.[1] ?? keyNode.range?.[1];
    if (start === undefined || end === undefined) this.fail('cannot locate a key to remove', map);
    if (map.flow) {
      const index = map.items.indexOf(pair);
      const next = map.items[index + 1]?.key as Node | undefined;
      const prevValue = map.items[index - 1]?.value as Node | null | undefined;
      if (next?.range) this.edits.push({ start, end: next.range[0], text: '' });
      else if (prevValue?.range) this.edits.push({ start: prevValue.range[1], end, text: '' });
      else this.fail(`cannot remove the only entry of ${pathText(where)}`, map);
    } else {
      if (map.items[0] === pair) {
        this.fail(
          `${pathText(where)}: move '${String((keyNode as Scalar).value)}' below another key to let it be removed`,
          map,
        );
      }
      const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
      let lineEnd = this.text.indexOf('\n', end);
      lineEnd = lineEnd < 0 ? this.text.length : lineEnd + 1;
      if (this.text.slice(lineStart, start).trim() !== '') {
        this.fail(`${pathText(where)}: cannot remove a key that shares its line`, map);
      }
      this.edits.push({ start: lineStart, end: lineEnd, text: '' });
    }
    this.changes.push({
      line: this.line(start),
      where: pathText([...where, String((keyNode as Scalar).value)]),
      before: String((valueNode as Scalar | null)?.value ?? ''),
      after: '(removed)',
    });
  }

  result(): FileEdit {
    return {
      file: this.file,
      matched: this.matched,
      changes: this.changes.sort((a, b) => a.line - b.line),
      before: this.text,
      after: applyEdits(this.text, this.edits),
      seen: [...this.seen].sort(),
      storageMatched: this.storageMatched,
      storageNotes: [...this.storageNotes],
    };
  }
}
