/** Edits on parsed YAML documents that keep comments, key order and scalar styles. */
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { applyOverride, type ImageOverride } from './images.ts';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export interface ImageSite {
  scalar: Scalar;
  path: (string | number)[];
}

/**
 * Every container image in a document: `image` of each item under a containers /
 * initContainers / ephemeralContainers list at any depth (kustomize's rule), plus for
 * KServe InferenceServices the `image` of predictor/transformer/explainer model specs.
 */
export function findImages(doc: Document, kind: string): ImageSite[] {
  const sites: ImageSite[] = [];
  const walk = (node: unknown, path: (string | number)[], inIsvcSpec: boolean): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const childPath = [...path, key];
        if (CONTAINER_LISTS.has(key) && isSeq(pair.value)) {
          pair.value.items.forEach((item, i) => {
            const image = isMap(item) ? item.get('image', true) : undefined;
            if (isScalar(image) && typeof image.value === 'string')
              sites.push({ scalar: image, path: [...childPath, i, 'image'] });
            walk(item, [...childPath, i], inIsvcSpec);
          });
          continue;
        }
        if (
          inIsvcSpec &&
          key === 'image' &&
          isScalar(pair.value) &&
          typeof pair.value.value === 'string'
        ) {
          sites.push({ scalar: pair.value, path: childPath });
          continue;
        }
        walk(
          pair.value,
          childPath,
          inIsvcSpec || (kind === 'InferenceService' && path.length === 0 && key === 'spec'),
        );
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i], inIsvcSpec));
    }
  };
  walk(doc.contents, [], false);
  return sites;
}

/** Applies `images` overrides; returns the overrides that matched and how many images changed. */
export function applyImageOverrides(
  sites: readonly ImageSite[],
  overrides: readonly ImageOverride[],
): { used: Set<ImageOverride>; changed: number } {
  const used = new Set<ImageOverride>();
  let changed = 0;
  for (const site of sites) {
    for (const override of overrides) {
      const next = applyOverride(String(site.scalar.value), override);
      if (next === undefined) continue;
      if (next !== site.scalar.value) changed++;
      site.scalar.value = next;
      used.add(override);
      break;
    }
  }
  return { used, changed };
}

function ensureMap(doc: Document, path: readonly string[]): YAMLMap {
  let node = doc.getIn(path, true) as Node | undefined;
  if (!isMap(node)) {
    doc.setIn(path, doc.createNode({}));
    node = doc.getIn(path, true) as Node;
  }
  return node as YAMLMap;
}

function setEntries(
  doc: Document,
  path: readonly string[],
  entries: ReadonlyMap<string, string>,
): void {
  if (entries.size === 0) return;
  const map = ensureMap(doc, path);
  for (const [key, value] of entries) map.set(key, value);
}

/** Pod template paths of the workload kinds (where labels/annotations also go, as kustomize does). */
const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'metadata'],
  StatefulSet: ['spec', 'template', 'metadata'],
  DaemonSet: ['spec', 'template', 'metadata'],
  ReplicaSet: ['spec', 'template', 'metadata'],
  Job: ['spec', 'template', 'metadata'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
};

/** Sets metadata.namespace; a new key goes right after `name`, where people expect it. */
function setNamespace(doc: Document, namespace: string): void {
  const metadata = ensureMap(doc, ['metadata']);
  if (metadata.has('namespace')) {
    metadata.set('namespace', namespace);
    return;
  }
  const nameIndex = metadata.items.findIndex((p) => isScalar(p.key) && p.key.value === 'name');
  metadata.items.splice(nameIndex + 1, 0, doc.createPair('namespace', namespace));
}

export function applyMetadata(
  doc: Document,
  kind: string,
  opts: {
    namespace?: string;
    namespaced: boolean;
    labels: ReadonlyMap<string, string>;
    annotations: ReadonlyMap<string, string>;
  },
): boolean {
  const before = { namespace: doc.getIn(['metadata', 'namespace']) };
  if (opts.namespace && opts.namespaced) setNamespace(doc, opts.namespace);
  setEntries(doc, ['metadata', 'labels'], opts.labels);
  setEntries(doc, ['metadata', 'annotations'], opts.annotations);
  const template = TEMPLATE_PATHS[kind];
  if (template && doc.hasIn(template.slice(0, -1))) {
    setEntries(doc, [...template, 'labels'], opts.labels);
    setEntries(doc, [...template, 'annotations'], opts.annotations);
  }
  const namespaceChanged =
    opts.namespaced && opts.namespace !== undefined && opts.namespace !== before.namespace;
  return namespaceChanged || opts.labels.size > 0 || opts.annotations.size > 0;
}
