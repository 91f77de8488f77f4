/** A container image reference split the way kustomize and Docker split it. */
export interface ImageRef {
  /** Registry + repository path, e.g. `gcr.io/proj/app` or `nginx`. */
  name: string;
  tag?: string;
  /** `sha256:<64 hex>` */
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// Lower-case path components separated by / ; the first may be a host[:port].
const NAME =
  /^(?:[A-Za-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

export function isValidTag(value: string): boolean {
  return TAG.test(value);
}

export function isValidImageName(value: string): boolean {
  return NAME.test(value);
}

/** Splits `host:port/path/name:tag@sha256:…`; the tag colon is the one after the last slash. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return {
    name: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The repository part: the name without registry host (`gcr.io/p/app` → `p/app`). */
export function repositoryOf(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return name;
  const first = name.slice(0, slash);
  return /[.:]/.test(first) || first === 'localhost' ? name.slice(slash + 1) : name;
}

/**
 * Why `ref` is not a valid image reference (`name[:tag][@sha256:<64 hex>]`, the distribution
 * grammar: lower-case path components, a tag of at most 128 characters, a name of at most 255),
 * or undefined when it is one. With `requireVersion`, a bare name (which means `:latest`) is
 * refused: a deployment must say which image it deploys.
 */
export function imageRefProblem(
  ref: string,
  { requireVersion = false }: { requireVersion?: boolean } = {},
): string | undefined {
  if (ref === '') return 'it is empty';
  if (/\s/.test(ref)) return 'it contains white space';
  if ((ref.match(/@/g) ?? []).length > 1) return "it has more than one '@'";
  const parsed = parseImageRef(ref);
  if (!isValidImageName(parsed.name)) {
    return `"${parsed.name}" is not a valid image name (lower-case letters, digits and . _ - separators, path components joined by /, an optional registry host[:port] first)`;
  }
  if (parsed.name.length > 255) return 'the image name is longer than 255 characters';
  if (parsed.tag !== undefined && !isValidTag(parsed.tag)) {
    return `"${parsed.tag}" is not a valid tag (letters, digits, _ . -; at most 128; not starting with . or -)`;
  }
  if (parsed.digest !== undefined && !isDigest(parsed.digest)) {
    return `"${parsed.digest}" is not a valid digest (sha256: and 64 lower-case hex digits)`;
  }
  if (requireVersion && parsed.tag === undefined && parsed.digest === undefined) {
    return 'it has neither a tag nor a digest (name:tag or name@sha256:…)';
  }
  return undefined;
}

/** Docker Hub names in their short form (`docker.io/library/nginx` → `nginx`), for comparing. */
export function normalizeImageName(name: string): string {
  const short = name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return short.replace(/^library\/(?=[^/]+$)/, '');
}
