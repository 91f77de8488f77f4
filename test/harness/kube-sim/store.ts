/** In-memory object store with resourceVersions, owner index, bounded watch history. */
import { randomUUID } from 'node:crypto';
import type { ResourceDef } from './resources.ts';
import { rkey } from './resources.ts';
import type { KObj } from './types.ts';
import { nowIso } from './types.ts';
import type { Matcher } from './selectors.ts';
import { ApiError, alreadyExists, conflict, notFound } from './errors.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: EventType;
  object: KObj;
}

interface HistoryEntry {
  rv: number;
  rk: string;
  type: EventType;
  obj: KObj;
  old: KObj | undefined;
}

export interface Watcher {
  rk: string;
  namespace: string | undefined;
  match: Matcher | undefined;
  send: (ev: WatchEvent) => void;
}

export type Listener = (type: EventType, r: ResourceDef, obj: KObj, old: KObj | undefined) => void;

function key(ns: string | undefined, name: string): string {
  return `${ns ?? ''}/${name}`;
}

export class Store {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, KObj>>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly defs = new Map<string, ResourceDef>();
  private history: HistoryEntry[] = [];
  private historyStart = 0;
  private compactedRv = 0;
  private readonly historySize: number;
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly listeners: Listener[] = [];

  constructor(historySize = 10000) {
    this.historySize = historySize;
  }

  currentRv(): string {
    return String(this.rv);
  }

  /** Subscribe to every change (in-process); returns an unsubscribe function. */
  onChange(l: Listener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private bucket(r: ResourceDef): Map<string, KObj> {
    const k = rkey(r);
    let b = this.objects.get(k);
    if (!b) {
      b = new Map();
      this.objects.set(k, b);
      this.defs.set(k, r);
    }
    return b;
  }

  get(r: ResourceDef, ns: string | undefined, name: string): KObj | undefined {
    return this.bucket(r).get(key(r.namespaced ? ns : undefined, name));
  }

  mustGet(r: ResourceDef, ns: string | undefined, name: string): KObj {
    const o = this.get(r, ns, name);
    if (!o) throw notFound(r, name);
    return o;
  }

  list(r: ResourceDef, ns?: string, match?: Matcher): KObj[] {
    const out: KObj[] = [];
    for (const o of this.bucket(r).values()) {
      if (ns !== undefined && r.namespaced && o.metadata.namespace !== ns) continue;
      if (match && !match(o)) continue;
      out.push(o);
    }
    return out.sort((a, b) => {
      const ka = key(a.metadata.namespace, a.metadata.name);
      const kb = key(b.metadata.namespace, b.metadata.name);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  }

  count(r: ResourceDef): number {
    return this.bucket(r).size;
  }

  /** Objects whose ownerReferences point at uid. */
  dependents(uid: string): { r: ResourceDef; obj: KObj }[] {
    const out: { r: ResourceDef; obj: KObj }[] = [];
    for (const ref of this.owners.get(uid) ?? []) {
      const [rk, k] = splitRef(ref);
      const obj = this.objects.get(rk)?.get(k);
      const r = this.defs.get(rk);
      if (obj && r) out.push({ r, obj });
    }
    return out;
  }

  create(r: ResourceDef, obj: KObj): KObj {
    const b = this.bucket(r);
    const k = key(r.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    if (b.has(k)) throw alreadyExists(r, obj.metadata.name);
    const stored: KObj = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: obj.metadata.uid || randomUUID(),
        creationTimestamp: nowIso(),
        resourceVersion: String(++this.rv),
      },
    };
    if (!r.namespaced) delete stored.metadata.namespace;
    if (r.generation) stored.metadata.generation = 1;
    b.set(k, stored);
    this.indexOwners(rkey(r), k, undefined, stored);
    this.emit(r, 'ADDED', stored, undefined);
    return stored;
  }

  /** Replace an object; checks resourceVersion when `checkRv` is set. */
  update(r: ResourceDef, obj: KObj, checkRv = false): KObj {
    const b = this.bucket(r);
    const k = key(r.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const old = b.get(k);
    if (!old) throw notFound(r, obj.metadata.name);
    if (
      checkRv &&
      obj.metadata.resourceVersion &&
      obj.metadata.resourceVersion !== old.metadata.resourceVersion
    ) {
      throw conflict(r, obj.metadata.name);
    }
    const stored: KObj = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        resourceVersion: String(++this.rv),
      },
    };
    if (old.metadata.generation !== undefined && stored.metadata.generation === undefined) {
      stored.metadata.generation = old.metadata.generation;
    }
    b.set(k, stored);
    this.indexOwners(rkey(r), k, old, stored);
    this.emit(r, 'MODIFIED', stored, old);
    return stored;
  }

  delete(r: ResourceDef, ns: string | undefined, name: string): KObj {
    const b = this.bucket(r);
    const k = key(r.namespaced ? ns : undefined, name);
    const old = b.get(k);
    if (!old) throw notFound(r, name);
    b.delete(k);
    this.indexOwners(rkey(r), k, old, undefined);
    const final: KObj = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: String(++this.rv) },
    };
    this.emit(r, 'DELETED', final, old);
    return final;
  }

  private indexOwners(rk: string, k: string, old: KObj | undefined, now: KObj | undefined): void {
    const ref = `${rk}|${k}`;
    for (const o of old?.metadata.ownerReferences ?? []) this.owners.get(o.uid)?.delete(ref);
    for (const o of now?.metadata.ownerReferences ?? []) {
      let s = this.owners.get(o.uid);
      if (!s) {
        s = new Set();
        this.owners.set(o.uid, s);
      }
      s.add(ref);
    }
  }

  private emit(r: ResourceDef, type: EventType, obj: KObj, old: KObj | undefined): void {
    const rk = rkey(r);
    this.history.push({ rv: this.rv, rk, type, obj, old });
    if (this.history.length - this.historyStart > this.historySize) {
      this.compactedRv = this.history[this.historyStart]!.rv;
      this.historyStart++;
      if (this.historyStart > 4096) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const w of this.watchers.get(rk) ?? []) deliver(w, type, obj, old);
    for (const l of [...this.listeners]) l(type, r, obj, old);
  }

  /**
   * Register a watcher. With `fromRv` the history after it is replayed first; without it the
   * current objects are sent as ADDED. Throws 410 Gone when fromRv is older than the history.
   */
  watch(r: ResourceDef, w: Omit<Watcher, 'rk'>, fromRv: string | undefined): () => void {
    const rk = rkey(r);
    const watcher: Watcher = { ...w, rk };
    if (fromRv === undefined || fromRv === '' || fromRv === '0') {
      for (const o of this.list(r, w.namespace, w.match)) w.send({ type: 'ADDED', object: o });
    } else {
      const from = Number(fromRv);
      if (!Number.isFinite(from))
        throw new ApiError(400, 'BadRequest', `invalid resource version "${fromRv}"`);
      if (from < this.compactedRv) {
        throw new ApiError(
          410,
          'Expired',
          `too old resource version: ${from} (${this.compactedRv + 1})`,
        );
      }
      for (let i = this.historyStart; i < this.history.length; i++) {
        const h = this.history[i]!;
        if (h.rv <= from || h.rk !== rk) continue;
        deliver(watcher, h.type, h.obj, h.old);
      }
    }
    let set = this.watchers.get(rk);
    if (!set) {
      set = new Set();
      this.watchers.set(rk, set);
    }
    set.add(watcher);
    return () => {
      this.watchers.get(rk)?.delete(watcher);
    };
  }
}

function splitRef(ref: string): [string, string] {
  const i = ref.indexOf('|');
  return [ref.slice(0, i), ref.slice(i + 1)];
}

function deliver(w: Watcher, type: EventType, obj: KObj, old: KObj | undefined): void {
  if (w.namespace !== undefined && obj.metadata.namespace !== w.namespace) return;
  if (!w.match) {
    w.send({ type, object: obj });
    return;
  }
  const now = w.match(obj);
  const before = old ? w.match(old) : false;
  if (type === 'DELETED') {
    if (now || before) w.send({ type, object: obj });
  } else if (type === 'ADDED') {
    if (now) w.send({ type, object: obj });
  } else if (now && before) w.send({ type: 'MODIFIED', object: obj });
  else if (now) w.send({ type: 'ADDED', object: obj });
  else if (before) w.send({ type: 'DELETED', object: obj });
}
