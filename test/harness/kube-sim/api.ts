/** REST semantics for the resources: get/list/create/update/patch/apply/delete, scale, log. */
import type { ResourceDef } from './resources.ts';
import { gv, qualifiedName } from './resources.ts';
import type { Store } from './store.ts';
import type { KObj } from './types.ts';
import { clone, deepEqual, isObj, randSuffix } from './types.ts';
import { ApiError, badRequest, conflict, notFound } from './errors.ts';
import type { Matcher } from './selectors.ts';
import { applyJsonPatch, applyMergePatch, strategicMerge } from './patch.ts';
import { findUnknownFields } from './schema.ts';
import { applyDefaults } from './defaults.ts';
import { serverSideApply, trackUpdate } from './managed.ts';
import { RESOURCES } from './resources.ts';
import { combinedMatcher, managerOf, parseBody, toScale } from './request.ts';

export interface Req {
  method: string;
  r: ResourceDef;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Result {
  status: number;
  body: unknown;
  warnings?: string[];
  text?: string;
}

export interface WatchSpec {
  r: ResourceDef;
  namespace: string | undefined;
  match: Matcher | undefined;
  resourceVersion: string | undefined;
  timeoutSeconds: number | undefined;
  bookmarks: boolean;
}

export interface ApiHooks {
  logs(
    ns: string,
    pod: string,
    container: string | undefined,
    previous: boolean,
  ): string[] | undefined;
}

const NS = RESOURCES.find((r) => r.kind === 'Namespace')!;

export function listKind(r: ResourceDef): string {
  return `${r.kind}List`;
}

export class Api {
  readonly store: Store;
  private readonly hooks: ApiHooks;

  constructor(store: Store, hooks: ApiHooks) {
    this.store = store;
    this.hooks = hooks;
  }

  private checkNamespace(req: Req): void {
    if (req.r.namespaced && req.namespace && !this.store.get(NS, undefined, req.namespace)) {
      throw notFound(NS, req.namespace);
    }
  }

  list(req: Req): { items: KObj[]; meta: Record<string, unknown> } {
    const match = combinedMatcher(req.query);
    let items = this.store.list(req.r, req.namespace, match);
    const meta: Record<string, unknown> = { resourceVersion: this.store.currentRv() };
    const cont = req.query.get('continue');
    if (cont) {
      let start: string;
      try {
        start = (JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as { start: string })
          .start;
      } catch {
        throw badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > start);
    }
    const limit = Number(req.query.get('limit') ?? 0);
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1]!;
      meta.continue = Buffer.from(
        JSON.stringify({
          v: 'meta.k8s.io/v1',
          rv: Number(this.store.currentRv()),
          start: `${last.metadata.namespace ?? ''}/${last.metadata.name}`,
        }),
      ).toString('base64');
      meta.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    return { items, meta };
  }

  watchSpec(req: Req): WatchSpec {
    const t = req.query.get('timeoutSeconds');
    return {
      r: req.r,
      namespace: req.namespace,
      match: combinedMatcher(req.query),
      resourceVersion: req.query.get('resourceVersion') ?? undefined,
      timeoutSeconds: t ? Number(t) : undefined,
      bookmarks: req.query.get('allowWatchBookmarks') === 'true',
    };
  }

  get(req: Req): Result {
    const obj = this.store.mustGet(req.r, req.namespace, req.name!);
    if (req.subresource === 'scale') return { status: 200, body: toScale(req.r, obj) };
    if (req.subresource === 'log') return this.log(req, obj);
    return { status: 200, body: obj };
  }

  private log(req: Req, pod: KObj): Result {
    const containers = (pod.spec?.containers ?? []) as { name: string }[];
    let c = req.query.get('container') ?? undefined;
    if (!c && containers.length > 1) {
      throw badRequest(
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((x) => x.name).join(' ')}]`,
      );
    }
    c ??= containers[0]?.name;
    const lines = this.hooks.logs(
      req.namespace!,
      pod.metadata.name,
      c,
      req.query.get('previous') === 'true',
    );
    if (!lines) {
      throw badRequest(
        `container "${c}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
      );
    }
    const tail = Number(req.query.get('tailLines') ?? -1);
    const out = tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
    return { status: 200, body: undefined, text: out.map((l) => `${l}\n`).join('') };
  }

  /** Validation per the fieldValidation parameter; returns warnings. */
  private validate(req: Req, obj: unknown, apply: boolean): string[] {
    const mode = req.query.get('fieldValidation') ?? 'Warn';
    const unknown = findUnknownFields(req.r, obj, mode !== 'Strict');
    if (unknown.length === 0 || mode === 'Ignore') return [];
    if (mode === 'Strict') {
      const o = isObj(obj) && isObj(obj.metadata) ? obj.metadata : {};
      if (apply) {
        const id = `${String(o.namespace ?? req.namespace ?? '')}/${String(o.name ?? req.name ?? '')}`;
        const errs = unknown.map((u) => `${u.keyed}: field not declared in schema`);
        throw badRequest(
          `failed to create typed patch object (${id}; ${gv(req.r)}, Kind=${req.r.kind}): ${errs.length === 1 ? errs[0] : `errors:\n  ${errs.join('\n  ')}`}`,
        );
      }
      const msg = `strict decoding error: ${unknown.map((u) => `unknown field "${u.plain}"`).join(', ')}`;
      throw badRequest(
        req.method === 'PATCH'
          ? msg
          : `${req.r.kind} in version "${req.r.version}" cannot be handled as a ${req.r.kind}: ${msg}`,
      );
    }
    return unknown.map((u) => `unknown field "${u.plain}"`);
  }

  private prepare(req: Req, raw: unknown): KObj {
    if (!isObj(raw)) throw badRequest("Object 'Kind' is missing in request body");
    const obj = raw as unknown as KObj;
    if (obj.kind && obj.kind !== req.r.kind) {
      throw badRequest(
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv(req.r)})`,
      );
    }
    obj.kind = req.r.kind;
    obj.apiVersion = gv(req.r);
    if (!isObj(obj.metadata)) obj.metadata = {} as KObj['metadata'];
    const ns = obj.metadata.namespace;
    if (req.r.namespaced) {
      if (ns && req.namespace && ns !== req.namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = req.namespace ?? ns ?? 'default';
    }
    return obj;
  }

  create(req: Req): Result {
    const raw = parseBody(req);
    const warnings = this.validate(req, raw, false);
    const obj = this.prepare(req, raw);
    this.checkNamespace(req);
    if (!obj.metadata.name) {
      if (obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randSuffix();
      else
        throw new ApiError(
          422,
          'Invalid',
          `${req.r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
          {
            kind: req.r.kind,
            causes: [
              {
                reason: 'FieldValueRequired',
                message: 'Required value: name or generateName is required',
                field: 'metadata.name',
              },
            ],
          },
        );
    }
    if (req.r.subresources.includes('status') && req.r.kind !== 'Namespace') delete obj.status;
    obj.metadata.resourceVersion = '';
    obj.metadata.uid = '';
    applyDefaults(obj);
    trackUpdate(undefined, obj, managerOf(req));
    if (req.query.get('dryRun') === 'All') return { status: 201, body: obj, warnings };
    return { status: 201, body: this.store.create(req.r, obj), warnings };
  }

  /** Shared tail of PUT and PATCH: keep what the endpoint may not change, bump generation. */
  private commit(req: Req, old: KObj, next: KObj, checkRv: boolean, warnings: string[]): Result {
    next.kind = req.r.kind;
    next.apiVersion = gv(req.r);
    if (next.metadata.name !== old.metadata.name) {
      throw badRequest(
        `the name of the object (${next.metadata.name}) does not match the name on the URL (${old.metadata.name})`,
      );
    }
    next.metadata.namespace = old.metadata.namespace;
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (req.subresource === 'status') {
      const status = next.status;
      next = { ...clone(old), status };
      if (next.status === undefined) delete next.status;
      next.metadata.resourceVersion = old.metadata.resourceVersion;
    } else if (req.r.subresources.includes('status')) {
      if (old.status === undefined) delete next.status;
      else next.status = clone(old.status);
    }
    applyDefaults(next);
    if (req.r.generation) {
      const specChanged =
        req.r.group === 'serving.kserve.io'
          ? !deepEqual({ ...old, metadata: 0, status: 0 }, { ...next, metadata: 0, status: 0 })
          : !deepEqual(old.spec, next.spec);
      next.metadata.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    }
    if (!checkRv) next.metadata.resourceVersion = old.metadata.resourceVersion;
    else if (next.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(req.r, old.metadata.name);
    }
    if (req.query.get('dryRun') === 'All') return { status: 200, body: next, warnings };
    if (
      deepEqual(
        { ...next, metadata: { ...next.metadata, managedFields: 0 } },
        { ...old, metadata: { ...old.metadata, managedFields: 0 } },
      )
    ) {
      return { status: 200, body: old, warnings };
    }
    return { status: 200, body: this.store.update(req.r, next), warnings };
  }

  update(req: Req): Result {
    const old = this.store.mustGet(req.r, req.namespace, req.name!);
    const raw = parseBody(req);
    if (req.subresource === 'scale') return this.writeScale(req, old, raw);
    const warnings = this.validate(req, raw, false);
    const next = this.prepare(req, raw);
    const checkRv = Boolean(next.metadata.resourceVersion);
    if (!checkRv) {
      throw new ApiError(
        422,
        'Invalid',
        `${req.r.kind}${req.r.group ? '.' + req.r.group : ''} "${old.metadata.name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
      );
    }
    trackUpdate(old, next, managerOf(req), req.subresource);
    return this.commit(req, old, next, checkRv, warnings);
  }

  patch(req: Req): Result {
    const ct = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const existing = this.store.get(req.r, req.namespace, req.name!);
    if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+cbor') {
      return this.apply(req, existing);
    }
    if (!existing) throw notFound(req.r, req.name!);
    const patch = parseBody(req);
    const base: unknown = req.subresource === 'scale' ? toScale(req.r, existing) : clone(existing);
    let patched: unknown;
    if (ct === 'application/json-patch+json') patched = applyJsonPatch(base, patch);
    else if (ct === 'application/merge-patch+json') patched = applyMergePatch(base, patch);
    else if (ct === 'application/strategic-merge-patch+json') {
      if (req.r.group === 'serving.kserve.io') {
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        );
      }
      patched = strategicMerge(base, patch);
    } else {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
    }
    if (req.subresource === 'scale') return this.writeScale(req, existing, patched);
    const warnings = this.validate(req, patched, false);
    const next = patched as KObj;
    const checkRv =
      Boolean(next.metadata?.resourceVersion) &&
      next.metadata.resourceVersion !== existing.metadata.resourceVersion;
    trackUpdate(existing, next, managerOf(req), req.subresource);
    return this.commit(req, existing, next, checkRv, warnings);
  }

  private apply(req: Req, existing: KObj | undefined): Result {
    const raw = parseBody(req);
    if (!isObj(raw)) throw badRequest('invalid apply configuration');
    if (!raw.apiVersion) throw badRequest('apiVersion must be set in apply patch');
    if (!raw.kind) throw badRequest('kind must be set in apply patch');
    const warnings = this.validate(req, raw, true);
    const applied = this.prepare(req, raw);
    if (applied.metadata.name && applied.metadata.name !== req.name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${String(req.name)})`,
      );
    }
    applied.metadata.name = req.name!;
    const force = req.query.get('force') === 'true';
    const manager = req.query.get('fieldManager');
    if (!manager)
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    if (req.subresource === 'status' && existing) {
      const merged = serverSideApply(
        existing,
        { ...applied, metadata: { ...applied.metadata } },
        manager,
        force,
      );
      return this.commit(req, existing, merged, false, warnings);
    }
    if (!existing) {
      this.checkNamespace(req);
      const created = serverSideApply(undefined, applied, manager, force);
      if (req.r.subresources.includes('status') && req.r.kind !== 'Namespace')
        delete created.status;
      created.metadata.resourceVersion = '';
      applyDefaults(created);
      if (req.query.get('dryRun') === 'All') return { status: 201, body: created, warnings };
      return { status: 201, body: this.store.create(req.r, created), warnings };
    }
    const merged = serverSideApply(existing, applied, manager, force);
    const checkRv = Boolean(applied.metadata.resourceVersion);
    return this.commit(req, existing, merged, checkRv, warnings);
  }

  private writeScale(req: Req, old: KObj, raw: unknown): Result {
    const scale = isObj(raw) && isObj(raw.spec) ? raw.spec : {};
    const replicas = scale.replicas;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw new ApiError(
        422,
        'Invalid',
        `Scale.autoscaling "${old.metadata.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
      );
    }
    const next = clone(old);
    next.spec = { ...(next.spec ?? {}), replicas };
    trackUpdate(old, next, managerOf(req), 'scale');
    const res = this.commit({ ...req, subresource: undefined }, old, next, false, []);
    return { status: 200, body: toScale(req.r, res.body as KObj) };
  }

  delete(req: Req): Result {
    const obj = this.store.mustGet(req.r, req.namespace, req.name!);
    let policy = req.query.get('propagationPolicy') ?? undefined;
    const text = req.body.toString('utf8').trim();
    if (text) {
      try {
        const opts = JSON.parse(text) as {
          propagationPolicy?: string;
          orphanDependents?: boolean;
          preconditions?: { uid?: string; resourceVersion?: string };
        };
        policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : policy);
        if (opts.preconditions?.uid && opts.preconditions.uid !== obj.metadata.uid)
          throw conflict(req.r, obj.metadata.name);
      } catch (e) {
        if (e instanceof ApiError) throw e;
      }
    }
    if (req.query.get('dryRun') === 'All') return { status: 200, body: obj };
    if (policy === 'Orphan') {
      for (const d of this.store.dependents(obj.metadata.uid)) {
        const c = clone(d.obj);
        c.metadata.ownerReferences = (c.metadata.ownerReferences ?? []).filter(
          (o) => o.uid !== obj.metadata.uid,
        );
        this.store.update(d.r, c);
      }
    }
    const final = this.store.delete(req.r, req.namespace, req.name!);
    return {
      status: 200,
      body:
        req.r.kind === 'Pod' || req.r.kind === 'Namespace'
          ? final
          : {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Success',
              details: {
                name: obj.metadata.name,
                group: req.r.group,
                kind: req.r.plural,
                uid: obj.metadata.uid,
              },
            },
    };
  }

  deleteCollection(req: Req): Result {
    const { items } = this.list(req);
    for (const o of items) this.store.delete(req.r, o.metadata.namespace, o.metadata.name);
    return {
      status: 200,
      body: {
        kind: listKind(req.r),
        apiVersion: gv(req.r),
        metadata: { resourceVersion: this.store.currentRv() },
        items,
      },
    };
  }
}

export function describeResource(r: ResourceDef): string {
  return qualifiedName(r);
}
