/**
 * The edit: finds where a file names the image and rewrites only those scalars' bytes.
 * - kustomization `images:` entries whose `name` (or `newName`) is the image: newName,
 *   newTag and digest (kustomize semantics: a digest wins over a tag, so a stale one goes);
 * - with `yaml-path` (Helm values): the scalar there (`tag`, `digest`, `repository`,
 *   `registry` keys get their part of the reference, any other key the whole reference), or
 *   a map there with those keys;
 * - otherwise every `image:` scalar naming the image (Deployments, Jobs, KServe
 *   InferenceService containers…), and Helm-style `{repository, tag}` maps whose repository
 *   is the image. `storageUri` is left alone unless `storage-uri` is set (storage-edit.ts);
 *   everything else is left alone.
 * Everything outside the changed scalars stays byte for byte (shared/yaml.ts applyEdits).
 */
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { InputError } from '../../shared/errors.ts';
import {
  formatImageRef,
  normalizeImageName,
  parseImageRef,
  type ImageRef,
} from '../../shared/image-ref.ts';
import { KUSTOMIZATION_FILES } from '../../shared/files.ts';
import { isEmptyDocument } from '../../shared/yaml.ts';
import { editStorageUris } from './storage-edit.ts';
import {
  FileEditor,
  pairOf,
  pathText,
  resolve,
  scalarAt,
  type Doc,
  type FileEdit,
  type Path,
} from './yaml-editor.ts';

export type { FileEdit, ValueChange } from './yaml-editor.ts';

export interface EditTarget {
  image: ImageRef;
  imageName: string;
  yamlPath?: (string | number)[];
  yamlPathText?: string;
  /** `storage-uri`: set InferenceService predictors' storageUri to it. */
  storageUri?: string;
}

function sameImage(a: string, b: string): boolean {
  return normalizeImageName(a) === normalizeImageName(b);
}

function isKustomization(doc: Doc, file: string): boolean {
  const root = doc.contents;
  if (!isMap(root)) return false;
  const kind = scalarAt(doc, root, 'kind')?.value;
  const apiVersion = String(scalarAt(doc, root, 'apiVersion')?.value ?? '');
  return (
    kind === 'Kustomization' ||
    apiVersion.startsWith('kustomize.config.k8s.io/') ||
    KUSTOMIZATION_FILES.includes(path.posix.basename(file))
  );
}

/** kustomization `images:` — the entries that name the image get newName/newTag/digest. */
function editKustomization(ed: FileEditor, doc: Doc, t: EditTarget): void {
  const root = doc.contents as YAMLMap;
  const images = resolve(doc, pairOf(doc, root, 'images')?.value);
  if (!isSeq(images)) return;
  images.items.forEach((item, i) => {
    const entry = resolve(doc, item);
    if (!isMap(entry)) return;
    const where: Path = ['images', i];
    const name = scalarAt(doc, entry, 'name');
    const newName = scalarAt(doc, entry, 'newName');
    const names = [name, newName].map((s) => (s ? String(s.value) : undefined));
    for (const n of names) if (n) ed.seen.add(n);
    if (!names.some((n) => n !== undefined && sameImage(n, t.imageName))) return;
    const effective = names[1] ?? names[0] ?? '';
    if (newName) ed.set(newName, t.image.name, [...where, 'newName']);
    else if (!sameImage(effective, t.image.name)) ed.insert(entry, 'newName', t.image.name, where);
    else ed.matched++;
    const keys = [
      ['newTag', t.image.tag],
      ['digest', t.image.digest],
    ] as const;
    // Removals first: an insertion then goes after the last entry that stays.
    for (const [key, value] of keys) {
      const pair = pairOf(doc, entry, key);
      // kustomize: a digest wins over a tag; a stale one would pin the old image.
      if (value === undefined && pair) ed.remove(entry, pair, where);
    }
    for (const [key, value] of keys) {
      if (value === undefined) continue;
      const node = scalarAt(doc, entry, key);
      if (node) ed.set(node, value, [...where, key]);
      else if (pairOf(doc, entry, key))
        ed.fail(`${pathText([...where, key])} is not a scalar`, entry);
      else ed.insert(entry, key, value, where);
    }
  });
}

function partFor(key: string, image: ImageRef, ed: FileEditor, where: Path, node: Node): string {
  const slash = image.name.indexOf('/');
  const host =
    slash > 0 && /[.:]|^localhost$/.test(image.name.slice(0, slash))
      ? image.name.slice(0, slash)
      : '';
  switch (key) {
    case 'tag':
      if (image.tag === undefined) {
        return ed.fail(
          `${pathText(where)} holds a tag but the image has only a digest: point 'yaml-path' at the digest key or the image map`,
          node,
        );
      }
      return image.digest ? `${image.tag}@${image.digest}` : image.tag;
    case 'digest':
      if (image.digest === undefined) {
        return ed.fail(`${pathText(where)} holds a digest but the image has none`, node);
      }
      return image.digest;
    case 'registry':
      return host;
    case 'repository':
    case 'name':
      return where.length > 0 && host && (where as unknown[]).includes('registry')
        ? image.name.slice(host.length + 1)
        : image.name;
    default:
      return formatImageRef(image);
  }
}

/** A Helm-style image map: `repository`/`registry`/`tag`/`digest` keys that exist are set. */
function editImageMap(ed: FileEditor, doc: Doc, map: YAMLMap, where: Path, t: EditTarget): void {
  const registry = scalarAt(doc, map, 'registry');
  const image = t.image;
  const slash = image.name.indexOf('/');
  const host =
    slash > 0 && /[.:]|^localhost$/.test(image.name.slice(0, slash))
      ? image.name.slice(0, slash)
      : '';
  let touched = false;
  if (registry) {
    ed.set(registry, host, [...where, 'registry']);
    touched = true;
  }
  const repository = scalarAt(doc, map, 'repository');
  if (repository) {
    ed.set(repository, registry && host ? image.name.slice(host.length + 1) : image.name, [
      ...where,
      'repository',
    ]);
    touched = true;
  }
  const tag = scalarAt(doc, map, 'tag');
  const digest = scalarAt(doc, map, 'digest');
  if (digest) {
    ed.set(digest, image.digest ?? '', [...where, 'digest']);
    touched = true;
    if (tag && image.tag !== undefined) ed.set(tag, image.tag, [...where, 'tag']);
  } else if (tag) {
    ed.set(tag, partFor('tag', image, ed, [...where, 'tag'], tag), [...where, 'tag']);
    touched = true;
  }
  if (!touched) {
    ed.fail(
      `${pathText(where)} is a map without repository, tag or digest keys: point 'yaml-path' at the scalar to set`,
      map,
    );
  }
}

function editYamlPath(ed: FileEditor, doc: Doc, t: EditTarget, segments: Path): void {
  let node: unknown = doc.contents;
  const walked: Path = [];
  for (const key of segments) {
    node = resolve(doc, node);
    let next: unknown;
    if (isMap(node) && typeof key === 'string') next = pairOf(doc, node, key)?.value;
    else if (isSeq(node) && typeof key === 'number') next = node.items[key];
    if (next === undefined || next === null) {
      ed.fail(
        `Input 'yaml-path': "${t.yamlPathText ?? pathText(segments)}" is not in this file (${walked.length ? `${pathText(walked)} has no ${typeof key === 'number' ? `[${key}]` : `'${key}'`}` : `the document has no '${String(key)}'`})`,
        (isMap(node) || isSeq(node) ? node : doc.contents) as Node,
      );
    }
    walked.push(key);
    node = next;
  }
  node = resolve(doc, node);
  if (isScalar(node)) {
    const last = segments.at(-1);
    ed.set(
      node,
      partFor(typeof last === 'string' ? last : '', t.image, ed, segments, node),
      segments,
    );
  } else if (isMap(node)) {
    editImageMap(ed, doc, node, segments, t);
  } else {
    ed.fail(
      `Input 'yaml-path': ${pathText(segments)} is a list, not a value or an image map`,
      node as Node,
    );
  }
}

/** Every `image:` scalar naming the image, and `{repository, tag}` maps for it. */
function editImages(ed: FileEditor, doc: Doc, t: EditTarget): void {
  const visited = new Set<unknown>();
  const visit = (node: unknown, where: Path): void => {
    if (visited.has(node)) return;
    visited.add(node);
    if (isMap(node)) {
      const repository = scalarAt(doc, node, 'repository');
      if (
        repository &&
        typeof repository.value === 'string' &&
        (scalarAt(doc, node, 'tag') || scalarAt(doc, node, 'digest'))
      ) {
        const registry = scalarAt(doc, node, 'registry');
        const full = registry?.value
          ? `${String(registry.value)}/${repository.value}`
          : repository.value;
        ed.seen.add(full);
        if (sameImage(full, t.imageName) || sameImage(repository.value, t.imageName)) {
          editImageMap(ed, doc, node, where, t);
        }
      }
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const value = resolve(doc, pair.value);
        if (key === 'image' && isScalar(value) && typeof value.value === 'string') {
          const current = parseImageRef(value.value);
          ed.seen.add(value.value);
          if (sameImage(current.name, t.imageName))
            ed.set(value, formatImageRef(t.image), [...where, key]);
        } else {
          visit(value, [...where, key]);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(resolve(doc, item), [...where, i]));
    }
  };
  visit(doc.contents, []);
}

/** Applies the bump to one file's text. */
export function editText(text: string, file: string, t: EditTarget): FileEdit {
  const ed = new FileEditor(text, file);
  for (const doc of ed.docs) {
    if (isEmptyDocument(doc)) continue;
    if (isKustomization(doc, file)) editKustomization(ed, doc, t);
    else if (t.yamlPath) editYamlPath(ed, doc, t, t.yamlPath);
    else editImages(ed, doc, t);
    if (t.storageUri !== undefined) editStorageUris(ed, doc, t.storageUri);
  }
  return ed.result();
}

/** When no file names the image: one error that lists what the files do name. */
export function noMatchError(edits: readonly FileEdit[], imageName: string): InputError {
  const seen = [...new Set(edits.flatMap((e) => e.seen))].sort();
  const files = edits.map((e) => e.file).join(', ');
  return new InputError(
    `Input 'image-name': no image named "${imageName}" in ${files}. ${
      seen.length
        ? `The images there: ${seen.join(', ')}. Set 'image-name' to the one to change.`
        : 'They name no images (no image: fields, kustomization images: entries or repository/tag maps); use yaml-path for Helm values.'
    }`,
  );
}
