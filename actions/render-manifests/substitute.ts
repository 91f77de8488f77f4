/**
 * Substitutions on parsed YAML: the placeholder and `${NAME}` are replaced inside string scalar
 * values only, by setting the scalar's value — the serializer then quotes it as needed. No
 * input can add keys, lists or documents, and comments and keys are never touched.
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document } from 'yaml';

/** A string scalar value and its path in the document. */
export interface ScalarSite {
  scalar: Scalar;
  path: (string | number)[];
}

/** Every string scalar in a value position (not keys), depth first. Aliases are not followed. */
export function stringScalars(doc: Document): ScalarSite[] {
  const sites: ScalarSite[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isScalar(node)) {
      if (typeof node.value === 'string') sites.push({ scalar: node, path });
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return sites;
}

/** Replaces a literal token in every string scalar value; returns how many were replaced. */
export function replaceTokenInScalars(
  sites: readonly ScalarSite[],
  token: string,
  value: string,
): number {
  let count = 0;
  for (const { scalar } of sites) {
    const text = scalar.value as string;
    if (!text.includes(token)) continue;
    const parts = text.split(token);
    count += parts.length - 1;
    scalar.value = parts.join(value);
  }
  return count;
}

const REFERENCE = /(\$?)\$\{([^}\s]*)\}/g;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A `${NAME}` found in a scalar: its name and the line offset inside a multi-line scalar. */
export interface Reference {
  site: ScalarSite;
  name: string;
  /** Lines after the scalar's first line (for block scalars). */
  lineOffset: number;
}

function lineOffsetOf(text: string, index: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Every `${NAME}` (not `$${NAME}`) in the scalars. */
export function findReferences(sites: readonly ScalarSite[]): Reference[] {
  const refs: Reference[] = [];
  for (const site of sites) {
    const text = site.scalar.value as string;
    if (!text.includes('${')) continue;
    for (const m of text.matchAll(REFERENCE)) {
      if (m[1]) continue;
      refs.push({ site, name: m[2] ?? '', lineOffset: lineOffsetOf(text, m.index) });
    }
  }
  return refs;
}

/**
 * The value a whole plain `${NAME}` scalar takes: YAML's own type for a number, boolean or null
 * (so `replicas: ${N}` stays an integer), else the string. Never structure.
 */
function plainScalarValue(value: string): unknown {
  const doc = parseDocument(value);
  if (doc.errors.length > 0 || !isScalar(doc.contents)) return value;
  const typed: unknown = doc.contents.value;
  return typeof typed === 'number' || typeof typed === 'boolean' || typed === null ? typed : value;
}

export interface VarsResult {
  /** References with no value in `vars`. */
  missing: Reference[];
  /** Paths of the scalars that changed, with the keys whose values went in. */
  substituted: { path: (string | number)[]; keys: string[] }[];
}

/**
 * Replaces `${NAME}` with its value in every string scalar. `$${NAME}` becomes the literal
 * `${NAME}`. A `${NAME}` with no value is left in place and returned in `missing`.
 */
export function substituteVars(
  sites: readonly ScalarSite[],
  vars: ReadonlyMap<string, string>,
): VarsResult {
  const missing: Reference[] = [];
  const substituted: VarsResult['substituted'] = [];
  for (const site of sites) {
    const text = site.scalar.value as string;
    if (!text.includes('${')) continue;
    const keys: string[] = [];
    const out = text.replace(
      REFERENCE,
      (whole: string, escape: string, name: string, offset: number) => {
        if (escape) return whole.slice(1);
        const value = vars.get(name);
        if (value === undefined) {
          missing.push({ site, name, lineOffset: lineOffsetOf(text, offset) });
          return whole;
        }
        keys.push(name);
        return value;
      },
    );
    if (out === text) continue;
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text);
    const plain = site.scalar.type === undefined || site.scalar.type === Scalar.PLAIN;
    site.scalar.value = whole && plain && keys.length === 1 ? plainScalarValue(out) : out;
    substituted.push({ path: site.path, keys });
  }
  return { missing, substituted };
}

/** The hint for a `${NAME}` with no value. */
export function missingHint(name: string): string {
  return VAR_NAME.test(name) ? `add ${name}=… to 'vars'` : 'not a valid variable name';
}

/**
 * `message` with every value of `keys` in `vars` replaced by `${KEY}`: messages never echo a
 * vars value (one may be a secret). Values shorter than 3 characters are left (they would
 * garble messages and hide nothing).
 */
export function redactVars(
  message: string,
  vars: ReadonlyMap<string, string> | undefined,
  keys: Iterable<string>,
): string {
  if (!vars) return message;
  const values = [...new Set(keys)]
    .map((k) => [k, vars.get(k) ?? ''] as const)
    .filter(([, v]) => v.length >= 3)
    .sort((a, b) => b[1].length - a[1].length);
  let out = message;
  for (const [key, value] of values) {
    out = out.split(value).join(`\${${key}}`);
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) out = out.split(json).join(`\${${key}}`);
  }
  return out;
}
