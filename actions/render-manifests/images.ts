/**
 * kustomize `images:` semantics: an override matches containers whose image name
 * (without tag or digest) equals its `name`, and replaces name, tag and/or digest.
 */
import { InputError } from '../../shared/errors.ts';
import {
  formatImageRef,
  isDigest,
  isValidImageName,
  isValidTag,
  parseImageRef,
} from '../../shared/image-ref.ts';

export interface ImageOverride {
  /** The line as written, for messages. */
  line: string;
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const FORMS =
  '`name=newName:tag`, `name=newName@sha256:…`, `name:tag`, `name@sha256:…` or `name=newName`';

/** Parses one `images` line with `kustomize edit set image` syntax. */
export function parseImageOverride(line: string): ImageOverride {
  const bad = (why: string): InputError =>
    new InputError(`Input 'images': "${line}" ${why}; use ${FORMS}.`);
  const eq = line.indexOf('=');
  const name = (eq >= 0 ? line.slice(0, eq) : parseImageRef(line).name).trim();
  const target = eq >= 0 ? parseImageRef(line.slice(eq + 1).trim()) : parseImageRef(line);
  if (!name || !isValidImageName(name)) throw bad('has no valid image name to match');
  const override: ImageOverride = { line, name };
  if (eq >= 0) {
    if (!target.name) throw bad('has nothing after "="');
    if (!isValidImageName(target.name)) throw bad(`has an invalid new image name "${target.name}"`);
    if (target.name !== name) override.newName = target.name;
  }
  if (target.tag !== undefined) {
    if (!isValidTag(target.tag)) throw bad(`has an invalid tag "${target.tag}"`);
    override.newTag = target.tag;
  }
  if (target.digest !== undefined) {
    if (!isDigest(target.digest))
      throw bad(`has an invalid digest "${target.digest}" (expected sha256: and 64 hex digits)`);
    override.digest = target.digest;
  }
  if (!override.newName && !override.newTag && !override.digest) throw bad('changes nothing');
  return override;
}

/** The new image for `image` under `override`, or undefined when it does not match. */
export function applyOverride(image: string, override: ImageOverride): string | undefined {
  const ref = parseImageRef(image);
  if (ref.name !== override.name) return undefined;
  const next = { ...ref };
  if (override.newName) next.name = override.newName;
  // As kustomize: a new tag or digest replaces both the old tag and digest.
  if (override.newTag !== undefined || override.digest !== undefined) {
    delete next.tag;
    delete next.digest;
    if (override.newTag !== undefined) next.tag = override.newTag;
    if (override.digest !== undefined) next.digest = override.digest;
  }
  return formatImageRef(next);
}
