/**
 * A Git host on 127.0.0.1: bare repositories under a temp root, served by the real
 * `git http-backend` (smart HTTP, CGI) behind a small Node server that checks Basic auth as a
 * Git host checks tokens (any user name, the token as password; actions/checkout sends
 * `x-access-token`). Tokens may be read-only (push → 403). Every request is recorded so tests
 * can assert where credentials went. `stop()` removes everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface GitRequest {
  method: string;
  url: string;
  user?: string;
  authorized: boolean;
  status: number;
  headers: IncomingMessage['headers'];
}

export interface GitServer {
  /** http://127.0.0.1:<port> */
  url: string;
  root: string;
  requests: GitRequest[];
  /** Creates `<name>.git` holding `files` in one commit on `branch`; returns its URL. */
  createRepo(name: string, files: Record<string, string>, branch?: string): string;
  /** A path to the bare repository (for file:// and for reading results). */
  repoPath(name: string): string;
  stop(): Promise<void>;
}

export interface GitServerOptions {
  /** Tokens that may push. */
  tokens: string[];
  /** Tokens that may only read (push → 403). */
  readOnlyTokens?: string[];
  /**
   * Called with the bare repository's path when a push's pack arrives, before git
   * receive-pack sees it: lets a test move the branch at exactly that moment (another writer
   * winning the race), deterministically.
   */
  beforeReceivePack?: (bare: string) => void | Promise<void>;
  /**
   * Called when git receive-pack has finished (the ref is updated) and before its answer is
   * sent: a promise holds the answer, so a test can act while the push is in flight from the
   * client's side although it has landed.
   */
  afterReceivePack?: (bare: string) => void | Promise<void>;
  /** Answers a request itself (e.g. a 503 while a push is held); undefined: served as usual. */
  intercept?: (request: {
    method: string;
    url: string;
  }) => { status: number; body: string } | undefined;
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
};

/** Runs git synchronously for fixtures; throws with stderr on failure. */
export function gitSync(args: string[], cwd: string, input?: string): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    ...(input !== undefined ? { input } : {}),
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Creates a bare repository at `bare` with `files` committed on `branch`. */
export function createBareRepo(bare: string, files: Record<string, string>, branch = 'main'): void {
  const work = mkdtempSync(path.join(tmpdir(), 'git-seed-'));
  try {
    gitSync(['init', '--quiet', '--bare', `--initial-branch=${branch}`, bare], '/');
    gitSync(['init', '--quiet', `--initial-branch=${branch}`, work], '/');
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      writeFileSync(path.join(work, file), text);
    }
    gitSync(['add', '-A'], work);
    gitSync(['commit', '--quiet', '-m', 'initial config'], work);
    gitSync(['push', '--quiet', bare, `HEAD:refs/heads/${branch}`], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Another writer: commits `files` onto `branch` of a bare repository, as a push would. */
export function commitTo(
  bare: string,
  files: Record<string, string>,
  message: string,
  branch = 'main',
): void {
  const work = mkdtempSync(path.join(tmpdir(), 'git-writer-'));
  try {
    gitSync(['clone', '--quiet', '--branch', branch, bare, work], '/');
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      writeFileSync(path.join(work, file), text);
    }
    gitSync(['add', '-A'], work);
    gitSync(['commit', '--quiet', '-m', message], work);
    gitSync(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The text of `file` at `ref` in a bare repository. */
export function readAt(bare: string, ref: string, file: string): string {
  return gitSync(['show', `${ref}:${file}`], bare);
}

/** Commit subjects from `ref` back to the root, newest first, with parent counts. */
export function history(
  bare: string,
  ref = 'main',
): { sha: string; parents: number; subject: string }[] {
  return gitSync(['log', '--format=%H %P%x09%s', ref], bare)
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ids = '', subject = ''] = line.split('\t');
      const [sha = '', ...parents] = ids.trim().split(' ');
      return { sha, parents: parents.length, subject };
    });
}

function basicPassword(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic (.+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const root = mkdtempSync(path.join(tmpdir(), 'git-server-'));
  const requests: GitRequest[] = [];
  const children = new Set<ReturnType<typeof spawn>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://git');
    const record: GitRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorized: false,
      status: 0,
      headers: req.headers,
    };
    requests.push(record);
    const intercepted = options.intercept?.({ method: record.method, url: record.url });
    if (intercepted) {
      record.status = intercepted.status;
      req.resume();
      res.writeHead(intercepted.status, { 'content-type': 'text/plain' });
      res.end(intercepted.body);
      return;
    }
    const deny = (status: number, text: string, extra: Record<string, string> = {}): void => {
      record.status = status;
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain', ...extra });
      res.end(text);
    };
    const creds = basicPassword(req.headers.authorization);
    if (creds) record.user = creds.user;
    const canWrite = creds !== undefined && options.tokens.includes(creds.password);
    const canRead =
      canWrite || (creds !== undefined && (options.readOnlyTokens ?? []).includes(creds.password));
    if (!canRead) {
      deny(401, 'Authentication required\n', { 'www-authenticate': 'Basic realm="git"' });
      return;
    }
    record.authorized = true;
    const isPush =
      url.searchParams.get('service') === 'git-receive-pack' ||
      url.pathname.endsWith('/git-receive-pack');
    if (isPush && !canWrite) {
      deny(403, 'Permission to push denied\n');
      return;
    }
    const receivePack = req.method === 'POST' && url.pathname.endsWith('/git-receive-pack');
    const repoDir = path.join(
      root,
      decodeURIComponent(url.pathname).replace(/\/git-receive-pack$/, ''),
    );
    if (receivePack) {
      req.pause();
      await options.beforeReceivePack?.(repoDir);
      if (req.destroyed) return;
    }
    const holdAnswer = receivePack && options.afterReceivePack !== undefined;
    const child = spawn(HTTP_BACKEND, [], {
      env: {
        PATH: process.env.PATH,
        ...GIT_ENV,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: creds?.user ?? 'user',
        REMOTE_ADDR: '127.0.0.1',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.add(child);
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let headersDone = false;
    const held: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      if (holdAnswer) {
        held.push(chunk);
        return;
      }
      if (headersDone) {
        res.write(chunk);
        return;
      }
      buffer = Buffer.concat([buffer, chunk]);
      let end = buffer.indexOf('\r\n\r\n');
      let sep = 4;
      if (end < 0) {
        end = buffer.indexOf('\n\n');
        sep = 2;
      }
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of buffer.subarray(0, end).toString('utf8').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else headers[name] = value;
      }
      record.status = status;
      res.writeHead(status, headers);
      res.write(buffer.subarray(end + sep));
    });
    child.stderr.resume();
    child.on('close', () => {
      children.delete(child);
      if (holdAnswer) {
        void Promise.resolve(options.afterReceivePack?.(repoDir)).then(() => {
          record.status = 200;
          if (res.destroyed) return;
          res.writeHead(200, { 'content-type': 'application/x-git-receive-pack-result' });
          const answer = Buffer.concat(held);
          const end = answer.indexOf('\r\n\r\n');
          res.end(end < 0 ? answer : answer.subarray(end + 4));
        });
        return;
      }
      if (!headersDone) {
        record.status = 500;
        res.writeHead(500);
      }
      res.end();
    });
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    root,
    requests,
    repoPath: (name) => path.join(root, `${name}.git`),
    createRepo(name, files, branch = 'main') {
      const bare = path.join(root, `${name}.git`);
      mkdirSync(path.dirname(bare), { recursive: true });
      createBareRepo(bare, files, branch);
      return `${url}/${name}.git`;
    },
    stop: async () => {
      for (const child of children) child.kill('SIGKILL');
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
