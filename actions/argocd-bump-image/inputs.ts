/**
 * argocd-bump-image's inputs, parsed and validated in one step before any side effect: every
 * value that reaches a git command line, a YAML document or a URL is checked here first.
 */
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import {
  imageRefProblem,
  isValidImageName,
  parseImageRef,
  type ImageRef,
} from '../../shared/image-ref.ts';
import { Inputs, splitList, urlForError } from '../../shared/inputs.ts';
import { storageUriProblem } from './storage-uri.ts';

export interface Remote {
  /** What git clones; never carries credentials. */
  url: string;
  /** `owner/repo` when the repository is on the GitHub server (pull requests need it). */
  github?: { owner: string; repo: string; apiUrl: string };
  /** Scheme + host the auth header is sent to; undefined for file:// (no auth). */
  origin?: string;
  /** How to name the repository in logs and the summary. */
  display: string;
}

export interface ArgoInputs {
  server: string;
  token: string;
  application: string;
  sync: boolean;
  wait: boolean;
}

export interface BumpInputs {
  remote: Remote;
  /** Undefined: the remote's default branch. */
  branch?: string;
  token: string;
  files: string[];
  image: ImageRef;
  imageText: string;
  imageName: string;
  yamlPath?: (string | number)[];
  yamlPathText?: string;
  /** `storage-uri`: the predictor storageUri of InferenceServices in `files`. */
  storageUri?: string;
  commitMessage?: string;
  author: { name: string; email: string };
  mode: 'push' | 'pull-request';
  maxRetries: number;
  argocd?: ArgoInputs;
  timeoutMs: number;
}

const OWNER_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

function hasControl(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function isLoopback(hostname: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname);
}

/** `owner/repo` on GITHUB_SERVER_URL, or a full https:// (http:// on loopback) or file:// URL. */
export function parseRepository(value: string, env: NodeJS.ProcessEnv): Remote {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (
    env.GITHUB_API_URL ||
    (server === 'https://github.com' ? 'https://api.github.com' : `${server}/api/v3`)
  ).replace(/\/+$/, '');
  const short = OWNER_REPO.exec(value);
  if (short && !value.endsWith('.git') && value !== '..') {
    const [, owner, repo] = short as unknown as [string, string, string];
    if (repo === '.' || repo === '..')
      throw new InputError(`Input 'repository': "${value}" is not owner/repo.`);
    const origin = new URL(server).origin;
    return {
      url: `${server}/${owner}/${repo}.git`,
      github: { owner, repo, apiUrl },
      origin,
      display: `${owner}/${repo}`,
    };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `Input 'repository' must be owner/repo (on ${server}) or a clone URL (https://… or file://…), got "${value}".`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      "Input 'repository' must not carry credentials in the URL: pass them in the 'token' input (it is sent as a header and masked).",
    );
  }
  if (url.search || url.hash) {
    throw new InputError(
      `Input 'repository': a clone URL has no query or fragment (got "${urlForError(value)}").`,
    );
  }
  if (url.protocol === 'file:') {
    return { url: url.toString(), display: url.toString() };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InputError(
      `Input 'repository' must use https:// (http:// only for a loopback host) or file://, got "${url.protocol}".`,
    );
  }
  const serverUrl = new URL(server);
  const onServer = url.origin === serverUrl.origin;
  const repoPath = url.pathname.replace(/^\/+/, '').replace(/\.git$/, '');
  const match = OWNER_REPO.exec(repoPath);
  return {
    url: url.toString(),
    origin: url.origin,
    display: url.toString(),
    ...(onServer && match?.[1] && match[2]
      ? { github: { owner: match[1], repo: match[2], apiUrl } }
      : {}),
  };
}

/** A branch name git accepts (`git check-ref-format --branch` rules) that cannot be read as an option. */
export function branchProblem(name: string): string | undefined {
  if (
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.includes('..') ||
    name.includes('//') ||
    name.includes('@{') ||
    name === '@' ||
    /[~^:?*[\\\s]/.test(name) ||
    hasControl(name) ||
    name.split('/').some((c) => c.startsWith('.'))
  ) {
    return 'is not a valid branch name';
  }
  return undefined;
}

/** `image.tag`, `images[0].tag`, `a\.b.c` (a dot inside a key escaped with a backslash). */
export function parseYamlPath(text: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const re = /((?:\\.|[^.[\]\\])+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text)) !== null) {
    at = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey) break;
      segments.push(m[1].replace(/\\(.)/g, '$1'));
      expectKey = false;
    } else if (m[2] !== undefined) {
      segments.push(Number(m[2]));
      expectKey = false;
    } else {
      if (expectKey) break;
      expectKey = true;
    }
  }
  if (at !== text.length || expectKey || segments.length === 0) {
    throw new InputError(
      `Input 'yaml-path' must be a dotted path such as image.tag or images[0].tag (got "${text}").`,
    );
  }
  return segments;
}

/** Relative paths inside the repository (globs allowed); never absolute, never above the root. */
function repoFiles(inputs: Inputs): string[] {
  const files = splitList(inputs.required('files'), { commas: false });
  for (const f of files) {
    const normal = path.posix.normalize(f.replace(/\\/g, '/'));
    if (
      path.posix.isAbsolute(normal) ||
      normal === '..' ||
      normal.startsWith('../') ||
      hasControl(f)
    ) {
      throw new InputError(
        `Input 'files': "${f}" must be a path relative to the root of the repository, inside it.`,
      );
    }
  }
  return files;
}

/** The commit's author: a name without <, > or line breaks, and an e-mail address. */
function authorOf(inputs: Inputs): { name: string; email: string } {
  const authorName = inputs.optional('author-name', 'github-actions[bot]');
  const authorEmail = inputs.optional(
    'author-email',
    '41898282+github-actions[bot]@users.noreply.github.com',
  );
  if (/[<>\n\r]/.test(authorName))
    throw new InputError(`Input 'author-name' must not contain <, > or a line break.`);
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(authorEmail)) {
    throw new InputError(`Input 'author-email' must be an e-mail address (got "${authorEmail}").`);
  }
  return { name: authorName, email: authorEmail };
}

/** Argo CD's inputs: all or none, and only with `sync` or `wait` in push mode. */
function argoInputs(inputs: Inputs, mode: 'push' | 'pull-request'): ArgoInputs | undefined {
  const sync = inputs.bool('sync', false);
  const wait = inputs.bool('wait', false);
  const server = inputs.optional('argocd-server');
  const application = inputs.optional('application');
  const argoToken = inputs.optional('argocd-token', '');
  let argocd: ArgoInputs | undefined;
  if (sync || wait) {
    if (!server)
      throw new InputError(`Input 'argocd-server' is required when 'sync' or 'wait' is true.`);
    if (!application)
      throw new InputError(`Input 'application' is required when 'sync' or 'wait' is true.`);
    if (!argoToken)
      throw new InputError(`Input 'argocd-token' is required when 'sync' or 'wait' is true.`);
    if (mode === 'pull-request') {
      throw new InputError(
        "Inputs 'sync' and 'wait' need mode: push — with mode: pull-request nothing reaches the branch Argo CD follows until the pull request is merged.",
      );
    }
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(application) || application.length > 253) {
      throw new InputError(
        `Input 'application' must be an Argo CD application name (got "${application}").`,
      );
    }
    argocd = { server: argoServer(server), token: argoToken, application, sync, wait };
  } else if (server || application) {
    throw new InputError(
      `Input '${server ? 'argocd-server' : 'application'}' is set but neither 'sync' nor 'wait' is true: set one of them, or remove it.`,
    );
  }
  return argocd;
}

export function getInputs(inputs = new Inputs(), env: NodeJS.ProcessEnv = process.env): BumpInputs {
  const imageText = inputs.required('image');
  const problem = imageRefProblem(imageText, { requireVersion: true });
  if (problem)
    throw new InputError(
      `Input 'image' is not a valid image reference: ${problem} (got "${imageText}").`,
    );
  const image = parseImageRef(imageText);
  const imageName = inputs.optional('image-name', image.name);
  if (!isValidImageName(imageName)) {
    throw new InputError(
      `Input 'image-name' must be an image name without tag or digest, e.g. ghcr.io/org/model (got "${imageName}").`,
    );
  }
  const repository = inputs.optional('repository', env.GITHUB_REPOSITORY ?? '');
  if (!repository)
    throw new InputError("Input 'repository' is required (GITHUB_REPOSITORY is not set).");
  const remote = parseRepository(repository, env);
  const branch = inputs.optional('branch');
  const branchError = branch === undefined ? undefined : branchProblem(branch);
  if (branch !== undefined && branchError) {
    throw new InputError(`Input 'branch': "${branch}" ${branchError}.`);
  }
  const token = inputs.optional('token', '');
  if (remote.origin && !token) {
    throw new InputError(
      `Input 'token' is required to push to ${remote.display}: a token with contents: write (e.g. a GitHub App token or a fine-grained PAT for the config repository).`,
    );
  }
  const yamlPathText = inputs.optional('yaml-path');
  const mode = inputs.oneOf('mode', ['push', 'pull-request'] as const, 'push');
  if (mode === 'pull-request' && !remote.github) {
    throw new InputError(
      `Input 'mode': pull-request needs a repository on ${env.GITHUB_SERVER_URL || 'https://github.com'} (owner/repo); ${remote.display} is not one.`,
    );
  }
  const storageUri = inputs.optional('storage-uri');
  const storageProblem = storageUri === undefined ? undefined : storageUriProblem(storageUri);
  if (storageProblem) {
    // Shown only when it is one line (never a workflow command) without a user:password@ or a
    // query (a signed URL's token).
    const shown = /^[^\p{Cc}@?]{1,300}$/u.test(storageUri ?? '') ? ` (got "${storageUri}")` : '';
    throw new InputError(`Input 'storage-uri' ${storageProblem}${shown}.`);
  }
  const commitMessage = inputs.optional('commit-message');
  const author = authorOf(inputs);
  const argocd = argoInputs(inputs, mode);
  return {
    remote,
    ...(branch ? { branch } : {}),
    token,
    files: repoFiles(inputs),
    image,
    imageText,
    imageName,
    ...(yamlPathText ? { yamlPath: parseYamlPath(yamlPathText), yamlPathText } : {}),
    ...(storageUri ? { storageUri } : {}),
    ...(commitMessage ? { commitMessage } : {}),
    author,
    mode,
    maxRetries: inputs.int('max-retries', { min: 0, max: 100, fallback: 20 }),
    ...(argocd ? { argocd } : {}),
    timeoutMs: inputs.duration('timeout', '5m', { minMs: 1000, maxMs: 6 * 3_600_000 }),
  };
}

/** `https://argocd.example.com`, a bare host (https assumed), or http:// on loopback. */
function argoServer(value: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InputError(
      `Input 'argocd-server' must be a host or an https:// URL (got "${value}").`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      `Input 'argocd-server' must be a plain URL: no credentials, query or fragment.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InputError(
      `Input 'argocd-server' must use https:// (http:// only for a loopback host).`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}
