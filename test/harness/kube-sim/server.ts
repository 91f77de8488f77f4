/** HTTP(S) front end: routing, auth, faults, discovery, watches and the /_sim control API. */
import { createServer as createHttp } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Api, Req, WatchSpec } from './api.ts';
import { listKind } from './api.ts';
import type { DenyRule, TlsMaterial } from './auth.ts';
import { checkDeny, checkToken } from './auth.ts';
import {
  aggregated,
  apiGroup,
  apiGroupList,
  apiVersions,
  negotiateDiscovery,
  resourceList,
  VERSION,
} from './discovery.ts';
import { ApiError } from './errors.ts';
import type { Faults } from './faults.ts';
import { openapiV2, openapiV3Doc, openapiV3Root } from './openapi.ts';
import { findResource, groups, gv, RESOURCES } from './resources.ts';
import type { KObj } from './types.ts';
import { toTable, wantsTable } from './tables.ts';
import { forwardServiceProxy, SERVICE_PROXY, type ServiceProxy } from './service-proxy.ts';

export interface ServerOptions {
  tls: TlsMaterial | undefined;
  token: string | undefined;
  deny: DenyRule[];
  user: string;
  bookmarkIntervalMs: number;
  control: (method: string, path: string, body: unknown) => unknown;
  /** Service proxy backends (service-proxy.ts). */
  proxy: ServiceProxy;
}

interface ActiveWatch {
  res: ServerResponse;
  bookmarks: boolean;
  spec: WatchSpec;
  close: () => void;
}

export class SimServer {
  readonly server: Server;
  private readonly api: Api;
  private readonly faults: Faults;
  private readonly opts: ServerOptions;
  readonly watches = new Set<ActiveWatch>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private bookmarkTimer: NodeJS.Timeout | undefined;
  address = '';

  constructor(api: Api, faults: Faults, opts: ServerOptions) {
    this.api = api;
    this.faults = faults;
    this.opts = opts;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((e: unknown) => this.fail(res, e));
    };
    this.server = opts.tls
      ? createHttps({ key: opts.tls.keyPem, cert: opts.tls.certPem }, handler)
      : createHttp(handler);
    this.server.keepAliveTimeout = 30000;
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), opts.bookmarkIntervalMs);
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  dropWatches(): number {
    const n = this.watches.size;
    for (const w of [...this.watches]) w.close();
    return n;
  }

  async stop(): Promise<void> {
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    this.bookmarkTimer = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.dropWatches();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private sendBookmarks(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const { r } = w.spec;
      w.res.write(
        JSON.stringify({
          type: 'BOOKMARK',
          object: {
            kind: r.kind,
            apiVersion: gv(r),
            metadata: { resourceVersion: this.api.store.currentRv() },
          },
        }) + '\n',
      );
    }
  }

  private fail(res: ServerResponse, e: unknown): void {
    const err =
      e instanceof ApiError
        ? e
        : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(err.code, { 'Content-Type': 'application/json', ...err.headers });
    res.end(JSON.stringify(err.toStatus()));
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    contentType = 'application/json',
    warnings: string[] = [],
  ): void {
    const headers: Record<string, string | string[]> = { 'Content-Type': contentType };
    if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, headers);
    res.end(text);
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const body = await this.readBody(req);
    if (process.env.KUBE_SIM_LOG) {
      res.on('finish', () =>
        process.stderr.write(
          `kube-sim: ${method} ${req.url} [${String(req.headers['content-type'] ?? '')}] accept=${String(req.headers.accept ?? '')} -> ${res.statusCode}${body.length && process.env.KUBE_SIM_LOG === '2' ? ' ' + body.toString('utf8').slice(0, 600) : ''}\n`,
        ),
      );
    }
    if (path.startsWith('/_sim/')) {
      let parsed: unknown = undefined;
      if (body.length) parsed = JSON.parse(body.toString('utf8'));
      const out = this.opts.control(method, path.slice(5), parsed);
      if (out === undefined)
        throw new ApiError(404, 'NotFound', `no simulator control endpoint ${method} ${path}`);
      this.send(res, 200, out);
      return;
    }
    this.faults.record(method, path);
    if (this.faults.latencyMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, this.faults.latencyMs);
        this.timers.add(t);
      });
    }
    checkToken(path, req.headers.authorization, this.opts.token);
    this.faults.check(method, path, url.searchParams.get('dryRun') === 'All');
    const proxied = SERVICE_PROXY.exec(url.pathname);
    if (proxied) return forwardServiceProxy(this.opts.proxy, proxied, req, body, res, url.search);
    const accept = req.headers.accept;
    switch (path) {
      case '/version':
        return this.send(res, 200, VERSION);
      case '/healthz':
      case '/livez':
      case '/readyz':
        return this.send(res, 200, 'ok', 'text/plain');
      case '/api':
      case '/apis': {
        const mode = negotiateDiscovery(accept);
        if (mode !== 'legacy') {
          return this.send(
            res,
            200,
            aggregated(path === '/api', mode),
            `application/json;g=apidiscovery.k8s.io;v=${mode};as=APIGroupDiscoveryList`,
          );
        }
        return this.send(res, 200, path === '/api' ? apiVersions(this.address) : apiGroupList());
      }
      case '/openapi/v3':
        return this.send(res, 200, openapiV3Root());
      case '/openapi/v2':
        if (accept && !/json|\*\/\*/.test(accept))
          throw new ApiError(406, 'NotAcceptable', 'only application/json is served');
        return this.send(res, 200, openapiV2());
      default:
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiV3Doc(path.slice('/openapi/v3/'.length));
      if (!doc)
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      res.setHeader('Cache-Control', 'public, immutable');
      return this.send(res, 200, doc.body);
    }
    const parts = path.split('/').filter(Boolean);
    let group = '';
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(1);
    else if (parts[0] === 'apis' && parts.length >= 2) {
      group = parts[1]!;
      if (parts.length === 2) {
        const g = groups().find((x) => x.group === group);
        if (!g) throw notFoundPath();
        return this.send(res, 200, apiGroup(g.group, g.versions));
      }
      rest = parts.slice(2);
    } else throw notFoundPath();
    const version = rest[0]!;
    rest = rest.slice(1);
    if (rest.length === 0) {
      const list = resourceList(group, version);
      if (!list) throw notFoundPath();
      return this.send(res, 200, list);
    }
    let watchPath = false;
    if (rest[0] === 'watch') {
      watchPath = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource] = rest as [string, string | undefined, string | undefined];
    const r = findResource(group, version, plural);
    if (!r || rest.length > 3 || (subresource && !r.subresources.includes(subresource)))
      throw notFoundPath();
    const isWatch =
      watchPath ||
      url.searchParams.get('watch') === 'true' ||
      url.searchParams.get('watch') === '1';
    const verb = verbOf(method, name, isWatch);
    checkDeny(
      this.opts.deny,
      { verb, group, resource: plural, subresource, namespace, name },
      this.opts.user,
    );
    const apiReq: Req = {
      method,
      r,
      namespace,
      name,
      subresource,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const table = wantsTable(accept);
    switch (verb) {
      case 'watch':
        return this.watch(res, this.api.watchSpec(apiReq), table);
      case 'list': {
        const { items, meta } = this.api.list(apiReq);
        if (table)
          return this.send(
            res,
            200,
            toTable(
              r.kind,
              items,
              String(meta.resourceVersion),
              url.searchParams.get('includeObject') ?? undefined,
              meta,
            ),
          );
        return this.send(res, 200, { kind: listKind(r), apiVersion: gv(r), metadata: meta, items });
      }
      case 'get': {
        const out = this.api.get(apiReq);
        if (out.text !== undefined) return this.send(res, 200, out.text, 'text/plain');
        if (table && !subresource)
          return this.send(
            res,
            200,
            toTable(
              r.kind,
              [out.body as KObj],
              (out.body as KObj).metadata.resourceVersion,
              url.searchParams.get('includeObject') ?? undefined,
            ),
          );
        return this.send(res, out.status, out.body);
      }
      default: {
        const out =
          verb === 'create'
            ? this.api.create(apiReq)
            : verb === 'update'
              ? this.api.update(apiReq)
              : verb === 'patch'
                ? this.api.patch(apiReq)
                : verb === 'delete'
                  ? this.api.delete(apiReq)
                  : this.api.deleteCollection(apiReq);
        return this.send(res, out.status, out.body, 'application/json', out.warnings);
      }
    }
  }

  private watch(res: ServerResponse, spec: WatchSpec, table: boolean): void {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe: (() => void) | undefined;
    const w: ActiveWatch = {
      res,
      bookmarks: spec.bookmarks,
      spec,
      close: () => {
        if (timer) clearTimeout(timer);
        unsubscribe?.();
        this.watches.delete(w);
        res.end();
      },
    };
    const write = (type: string, object: unknown): void => {
      const obj =
        table && type !== 'ERROR'
          ? toTable(
              spec.r.kind,
              [object as KObj],
              (object as KObj).metadata.resourceVersion,
              'Object',
            )
          : object;
      res.write(JSON.stringify({ type, object: obj }) + '\n');
    };
    try {
      unsubscribe = this.api.store.watch(
        spec.r,
        { namespace: spec.namespace, match: spec.match, send: (ev) => write(ev.type, ev.object) },
        spec.resourceVersion,
      );
    } catch (e) {
      if (e instanceof ApiError) {
        write('ERROR', e.toStatus());
        res.end();
        return;
      }
      throw e;
    }
    this.watches.add(w);
    res.on('close', () => w.close());
    if (spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0) {
      timer = setTimeout(() => w.close(), spec.timeoutSeconds * 1000);
    }
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {
    causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
  });
}

function verbOf(method: string, name: string | undefined, watch: boolean): string {
  switch (method) {
    case 'GET':
      return name ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      throw new ApiError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
  }
}

export const ALL_RESOURCES = RESOURCES;
