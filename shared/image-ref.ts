/**
 * Container image references with the grammar of distribution/reference (what Docker,
 * containerd and kustomize accept):
 *
 *   reference      := name [ ":" tag ] [ "@" digest ]
 *   name           := [domain "/"] path-component ["/" path-component]*   (at most 255 chars)
 *   domain         := host [":" port]     host := domain-name | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ ( ( [._] | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag            := [\w][\w.-]{0,127}
 *   digest         := "sha256:" 64 lower-case hex digits
 *
 * Every action that takes or rewrites an image checks it here first.
 */
export interface ImageRef {
  /** Registry + repository path, e.g. `gcr.io/proj/app` or `nginx`. */
  name: string;
  tag?: string;
  /** `sha256:<64 hex>` */
  digest?: string;
}

/** distribution/reference's NameTotalLengthMax. */
export const NAME_MAX_LENGTH = 255;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

export function isValidTag(value: string): boolean {
  return TAG.test(value);
}

export function isValidImageName(value: string): boolean {
  // The length check first also bounds the regular expression's work.
  return value.length > 0 && value.length <= NAME_MAX_LENGTH && NAME.test(value);
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

/**
 * Why `ref` is not a valid image reference (name, optional tag, optional digest), or
 * undefined when it is one. The reason never needs the reference quoted back. With
 * `requireVersion`, a bare name (which means `:latest`) is refused: a deployment must say
 * which image it deploys.
 */
export function imageRefProblem(
  ref: string,
  { requireVersion = false }: { requireVersion?: boolean } = {},
): string | undefined {
  if (ref.length === 0) return 'it is empty';
  if (ref !== ref.trim() || /[\s\p{Cc}]/u.test(ref))
    return 'it contains whitespace or control characters';
  if (ref.length > NAME_MAX_LENGTH + 1 + 128 + 1 + 71) return 'it is too long';
  if (ref.split('@').length > 2) return "it has more than one '@'";
  const parts = parseImageRef(ref);
  if (parts.digest !== undefined && !isDigest(parts.digest))
    return 'its digest is not sha256: followed by 64 lower-case hex digits';
  if (parts.tag !== undefined && !isValidTag(parts.tag))
    return 'its tag must be 1-128 characters of letters, digits, _ . - (not starting with . or -)';
  if (!parts.name) return 'it has no repository name';
  if (parts.name.length > NAME_MAX_LENGTH)
    return `its repository name is longer than ${NAME_MAX_LENGTH} characters`;
  if (!NAME.test(parts.name))
    return 'its repository name must be lower-case path components (a-z, 0-9, separated by . _ __ or -) joined by /, after an optional registry host[:port]';
  if (requireVersion && parts.tag === undefined && parts.digest === undefined)
    return 'it has neither a tag nor a digest (name:tag or name@sha256:…)';
  return undefined;
}

export function isValidImageRef(ref: string): boolean {
  return imageRefProblem(ref) === undefined;
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

/** Docker Hub names in their short form (`docker.io/library/nginx` → `nginx`), for comparing. */
export function normalizeImageName(name: string): string {
  const short = name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return short.replace(/^library\/(?=[^/]+$)/, '');
}
