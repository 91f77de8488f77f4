/** JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic merge patch. */
import { badRequest } from './errors.ts';
import { clone, deepEqual, isObj } from './types.ts';

type Op = { op: string; path: string; value?: unknown; from?: string };

function decodePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw badRequest(`invalid JSON pointer: ${p}`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], op: string): { parent: unknown; last: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else cur = undefined;
    if (cur === undefined) {
      throw badRequest(
        `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: "/${parts.join('/')}": missing value`,
      );
    }
  }
  return { parent: cur, last: parts[parts.length - 1] ?? '' };
}

function getAt(doc: unknown, parts: string[]): unknown {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObj(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  let out = clone(doc);
  for (const raw of ops as Op[]) {
    const parts = decodePointer(raw.path);
    const doOp = (op: string, value: unknown): void => {
      if (parts.length === 0) {
        if (op === 'remove') throw badRequest('cannot remove the document root');
        out = clone(value);
        return;
      }
      const { parent, last } = parentOf(out, parts, op);
      if (Array.isArray(parent)) {
        const idx = last === '-' ? parent.length : Number(last);
        if (op === 'add') parent.splice(idx, 0, clone(value));
        else if (op === 'replace') {
          if (idx >= parent.length)
            throw badRequest(`replace operation does not apply: doc is missing key: ${raw.path}`);
          parent[idx] = clone(value);
        } else parent.splice(idx, 1);
      } else if (isObj(parent)) {
        if ((op === 'replace' || op === 'remove') && !(last in parent)) {
          throw badRequest(
            `the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing key: ${raw.path}: missing value`,
          );
        }
        if (op === 'remove') Reflect.deleteProperty(parent, last);
        else parent[last] = clone(value);
      } else throw badRequest(`${op} operation does not apply: doc is missing path: ${raw.path}`);
    };
    switch (raw.op) {
      case 'add':
      case 'replace':
        doOp(raw.op, raw.value);
        break;
      case 'remove':
        doOp('remove', undefined);
        break;
      case 'move':
      case 'copy': {
        const from = decodePointer(raw.from ?? '');
        const v = getAt(out, from);
        if (v === undefined)
          throw badRequest(`${raw.op} operation does not apply: missing ${raw.from}`);
        if (raw.op === 'move') {
          const { parent, last } = parentOf(out, from, 'move');
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else if (isObj(parent)) Reflect.deleteProperty(parent, last);
        }
        doOp('add', v);
        break;
      }
      case 'test':
        if (!deepEqual(getAt(out, parts), raw.value))
          throw badRequest(`testing value ${raw.path} failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${raw.op}`);
    }
  }
  return out;
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of the associative lists kubectl patches (strategic merge patch). */
export function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'hostAliases':
      return 'ip';
    case 'ports':
      return items.some((i) => isObj(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

function smpList(field: string, target: unknown[], patch: unknown[]): unknown[] {
  const mk = mergeKeyFor(field, [...patch, ...target]);
  if (field === 'finalizers') return [...new Set([...target, ...patch])];
  if (!mk) return clone(patch).filter((i) => !(isObj(i) && i.$patch));
  if (patch.some((i) => isObj(i) && i.$patch === 'replace')) {
    return clone(patch).filter((i) => !(isObj(i) && i.$patch));
  }
  const out = clone(target);
  for (const item of patch) {
    if (!isObj(item)) continue;
    const idx = out.findIndex((t) => isObj(t) && t[mk] === item[mk]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(strategicMerge({}, item));
  }
  return out;
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const rest = { ...patch };
    delete rest.$patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) Reflect.deleteProperty(out, k);
    else if (Array.isArray(v))
      out[k] = smpList(k, Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v);
    else if (isObj(v)) {
      const r = strategicMerge(out[k], v);
      if (r === undefined) Reflect.deleteProperty(out, k);
      else out[k] = r;
    } else out[k] = v;
  }
  return out;
}
