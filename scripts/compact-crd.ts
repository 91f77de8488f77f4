/**
 * `node scripts/compact-crd.ts <upstream-crd.yaml> <out.yaml>`: writes a compact copy of a
 * CustomResourceDefinition that parses to exactly the same data as the upstream file.
 *
 * Upstream CRDs are large mostly because of indentation and repetition (KServe's
 * InferenceService CRD inlines the PodSpec and Container schemas many times). The copy
 * (1) writes each repeated subtree once, with a YAML anchor named after the path of its first
 * occurrence, and an alias everywhere else, and (2) writes short leaf collections in flow
 * style (`{type: string}`). Nothing is dropped or changed: the script refuses to write unless
 * the copy parses, with the yaml package's default options, to the same JSON as the input.
 * Used for test/contracts/kubernetes/ (see the README there); no network.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Alias, Document, Pair, parse, YAMLMap, YAMLSeq, type Node } from 'yaml';

/** Subtrees whose JSON is at least this long are written once and aliased after that. */
const SHARE_MIN = 3000;
/** Collections whose JSON is at most this long are written in flow style. */
const FLOW_MAX = 80;

/**
 * Anchor names: `spec.predictor.containers` for
 * `….openAPIV3Schema.properties.spec.properties.predictor.properties.containers`; unique.
 */
function anchorNamer(): (keys: (string | number)[]) => string {
  const used = new Set<string>();
  return (keys) => {
    const at = keys.indexOf('openAPIV3Schema');
    const inSchema = at >= 0 ? keys.slice(at + 1) : keys;
    // Anchor names may not contain flow indicators or spaces.
    const clean = (parts: (string | number)[]): string =>
      parts.join('.').replace(/[\s,[\]{}]/g, '_') || 'root';
    let name = clean(inSchema.filter((k) => k !== 'properties'));
    // Dropping `properties` can make two paths meet (`x.properties` and `x`): then the full path.
    if (used.has(name)) name = clean(inSchema);
    for (let n = 2; used.has(name); n++) name = `${clean(inSchema)}~${n}`;
    used.add(name);
    return name;
  };
}

export function compactCrd(upstreamText: string, header: string[]): string {
  const data = parse(upstreamText, { maxAliasCount: -1 }) as unknown;
  const doc = new Document();
  /** JSON of a large subtree → its first node and where that is. */
  const first = new Map<string, { node: YAMLMap | YAMLSeq; keys: (string | number)[] }>();
  const anchorName = anchorNamer();
  const build = (value: unknown, keys: (string | number)[]): Node => {
    if (value === null || typeof value !== 'object') return doc.createNode(value);
    const json = JSON.stringify(value);
    const shared = json.length >= SHARE_MIN ? first.get(json) : undefined;
    if (shared) {
      // The first occurrence comes earlier in the document; name it when it is first reused.
      shared.node.anchor ??= anchorName(shared.keys);
      return new Alias(shared.node.anchor);
    }
    let node: YAMLMap | YAMLSeq;
    if (Array.isArray(value)) {
      const seq = new YAMLSeq();
      value.forEach((item, i) => seq.items.push(build(item, [...keys, i])));
      node = seq;
    } else {
      const map = new YAMLMap();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        map.items.push(new Pair(doc.createNode(k), build(v, [...keys, k])));
      }
      node = map;
    }
    if (json.length <= FLOW_MAX) node.flow = true;
    if (json.length >= SHARE_MIN) first.set(json, { node, keys });
    return node;
  };
  doc.contents = build(data, []);
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  const text = doc.toString({ lineWidth: 0 });
  const again = JSON.stringify(parse(text));
  if (again !== JSON.stringify(data)) {
    throw new Error('compact-crd: the compact copy does not parse to the upstream data');
  }
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node scripts/compact-crd.ts <upstream-crd.yaml> <out.yaml>');
    process.exit(2);
  }
  const upstream = readFileSync(input, 'utf8');
  const sha = createHash('sha256').update(upstream).digest('hex');
  const text = compactCrd(upstream, [
    `Compact copy of ${path.basename(input)} (sha256 ${sha}),`,
    'written by scripts/compact-crd.ts: repeated subtrees are YAML anchors/aliases, short',
    'collections are in flow style; it parses to exactly the upstream data. Source and',
    'commit: README.md in this folder.',
  ]);
  writeFileSync(output, text);
  console.log(`wrote ${output}: ${upstream.length} → ${text.length} bytes`);
}
