/** Server-side apply: managed fields (FieldsV1), conflicts, ownership on updates. */
import { ApiError } from './errors.ts';
import { mergeKeyFor, strategicMerge } from './patch.ts';
import type { KObj } from './types.ts';
import { deepEqual, isObj, nowIso } from './types.ts';

const SEP = '\u0001';

interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

function leafPaths(value: unknown, prefix: string, out: Set<string>): void {
  if (!isObj(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 0 && prefix) out.add(prefix.slice(0, -1));
  for (const k of keys) {
    const child = value[k];
    const t = `${prefix}f:${k}`;
    if (Array.isArray(child)) {
      const mk = mergeKeyFor(k, child);
      if (mk && child.length > 0 && child.every((i) => isObj(i) && i[mk] !== undefined)) {
        for (const item of child as Record<string, unknown>[]) {
          const it = `${t}${SEP}k:${JSON.stringify({ [mk]: item[mk] })}`;
          out.add(`${it}${SEP}.`);
          leafPaths(item, `${it}${SEP}`, out);
        }
      } else out.add(t);
    } else if (isObj(child) && Object.keys(child).length > 0) leafPaths(child, `${t}${SEP}`, out);
    else out.add(t);
  }
}

/** Field paths a manager would own for this (partial) object. */
export function ownedPaths(obj: unknown): Set<string> {
  const out = new Set<string>();
  if (!isObj(obj)) return out;
  const copy: Record<string, unknown> = { ...obj };
  delete copy.apiVersion;
  delete copy.kind;
  delete copy.status;
  const meta = isObj(copy.metadata) ? copy.metadata : {};
  const m: Record<string, unknown> = {};
  if (meta.labels) m.labels = meta.labels;
  if (meta.annotations) m.annotations = meta.annotations;
  copy.metadata = m;
  leafPaths(copy, '', out);
  return out;
}

function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const tok of path.split(SEP)) {
    if (tok === '.') continue;
    if (tok.startsWith('f:')) cur = isObj(cur) ? cur[tok.slice(2)] : undefined;
    else if (tok.startsWith('k:')) {
      const key = JSON.parse(tok.slice(2)) as Record<string, unknown>;
      cur = Array.isArray(cur)
        ? cur.find((i) => isObj(i) && Object.entries(key).every(([k, v]) => i[k] === v))
        : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removePath(obj: unknown, path: string): void {
  const toks = path.split(SEP);
  const last = toks[toks.length - 1]!;
  if (last === '.') {
    const listPath = toks.slice(0, -2).join(SEP);
    const list = valueAt(obj, listPath);
    const key = JSON.parse(toks[toks.length - 2]!.slice(2)) as Record<string, unknown>;
    if (Array.isArray(list)) {
      const i = list.findIndex(
        (x) => isObj(x) && Object.entries(key).every(([k, v]) => x[k] === v),
      );
      if (i >= 0) list.splice(i, 1);
    }
    return;
  }
  const parent = toks.length > 1 ? valueAt(obj, toks.slice(0, -1).join(SEP)) : obj;
  if (isObj(parent) && last.startsWith('f:')) Reflect.deleteProperty(parent, last.slice(2));
}

function toFieldsV1(paths: Set<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let cur = root;
    for (const tok of p.split(SEP)) {
      if (!isObj(cur[tok])) cur[tok] = {};
      cur = cur[tok] as Record<string, unknown>;
    }
  }
  return root;
}

function fromFieldsV1(f: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (!isObj(f)) return out;
  for (const [k, v] of Object.entries(f)) {
    const p = prefix ? `${prefix}${SEP}${k}` : k;
    if (isObj(v) && Object.keys(v).length > 0) fromFieldsV1(v, p, out);
    else out.add(p);
  }
  return out;
}

function entries(obj: KObj | undefined): { e: Entry; paths: Set<string> }[] {
  const mf = obj?.metadata.managedFields;
  if (!Array.isArray(mf)) return [];
  return (mf as unknown as Entry[]).map((e) => ({ e, paths: fromFieldsV1(e.fieldsV1) }));
}

function render(list: { e: Entry; paths: Set<string> }[]): Entry[] {
  return list
    .filter((x) => x.paths.size > 0)
    .map((x) => ({ ...x.e, fieldsV1: toFieldsV1(x.paths) }));
}

function humanPath(p: string): string {
  return p
    .split(SEP)
    .filter((t) => t !== '.')
    .map((t) => {
      if (t.startsWith('f:')) return `.${t.slice(2)}`;
      const key = JSON.parse(t.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** Merge an apply configuration into the live object (or create it). */
export function serverSideApply(
  live: KObj | undefined,
  applied: KObj,
  manager: string,
  force: boolean,
): KObj {
  const newPaths = ownedPaths(applied);
  const list = entries(live);
  const conflicts: { manager: string; apiVersion: string; path: string; subresource?: string }[] =
    [];
  for (const x of list) {
    if (x.e.manager === manager && x.e.operation === 'Apply') continue;
    for (const p of x.paths) {
      if (!newPaths.has(p) || p.endsWith(`${SEP}.`)) continue;
      if (!deepEqual(valueAt(live, p), valueAt(applied, p))) {
        conflicts.push({
          manager: x.e.manager,
          apiVersion: x.e.apiVersion,
          path: p,
          ...(x.e.subresource ? { subresource: x.e.subresource } : {}),
        });
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    const lines = conflicts.map(
      (c) =>
        `conflict with "${c.manager}"${c.subresource ? ` with subresource "${c.subresource}"` : ''} using ${c.apiVersion}: ${humanPath(c.path)}`,
    );
    const msg =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${lines[0]}`
        : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
    throw new ApiError(409, 'Conflict', msg, {
      causes: conflicts.map((c) => ({
        type: 'FieldManagerConflict',
        message: `conflict with "${c.manager}" using ${c.apiVersion}`,
        field: humanPath(c.path),
      })),
    });
  }
  for (const x of list) {
    if (x.e.manager === manager && x.e.operation === 'Apply') continue;
    if (force) for (const p of newPaths) x.paths.delete(p);
  }
  const mine = list.find((x) => x.e.manager === manager && x.e.operation === 'Apply');
  const base = live
    ? structuredClone(live)
    : ({ ...applied, metadata: { ...applied.metadata } } as KObj);
  const appliedBody: Record<string, unknown> = { ...applied };
  const merged = strategicMerge(base, appliedBody) as KObj;
  if (mine) {
    const others = new Set<string>();
    for (const x of list) if (x !== mine) for (const p of x.paths) others.add(p);
    const removed = [...mine.paths].filter((p) => !newPaths.has(p) && !others.has(p));
    removed.sort((a, b) => b.length - a.length);
    for (const p of removed) removePath(merged, p);
    mine.paths = newPaths;
    mine.e = { ...mine.e, time: nowIso(), apiVersion: applied.apiVersion };
  } else {
    list.push({
      e: {
        manager,
        operation: 'Apply',
        apiVersion: applied.apiVersion,
        time: nowIso(),
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      },
      paths: newPaths,
    });
  }
  merged.metadata.managedFields = render(list) as unknown as KObj['metadata']['managedFields'];
  return merged;
}

/** Record an Update operation: changed fields move to `manager`. */
export function trackUpdate(
  old: KObj | undefined,
  next: KObj,
  manager: string,
  subresource?: string,
): void {
  const list = entries(old);
  const before = old ? ownedPaths(old) : new Set<string>();
  const after = ownedPaths(next);
  const changed = new Set<string>();
  for (const p of after)
    if (!before.has(p) || !deepEqual(valueAt(old, p), valueAt(next, p))) changed.add(p);
  for (const x of list) {
    for (const p of [...x.paths]) {
      if (!after.has(p)) x.paths.delete(p);
      else if (changed.has(p) && !(x.e.manager === manager && x.e.operation === 'Update'))
        x.paths.delete(p);
    }
  }
  if (changed.size > 0) {
    let mine = list.find(
      (x) =>
        x.e.manager === manager && x.e.operation === 'Update' && x.e.subresource === subresource,
    );
    if (!mine) {
      mine = {
        e: {
          manager,
          operation: 'Update',
          apiVersion: next.apiVersion,
          time: nowIso(),
          fieldsType: 'FieldsV1',
          fieldsV1: {},
        },
        paths: new Set(),
      };
      if (subresource) mine.e.subresource = subresource;
      list.push(mine);
    }
    for (const p of changed) mine.paths.add(p);
    mine.e = { ...mine.e, time: nowIso() };
  }
  next.metadata.managedFields = render(list) as unknown as KObj['metadata']['managedFields'];
}
