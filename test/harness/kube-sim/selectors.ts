/** Label and field selectors as the API server parses them. */
import type { KObj, LabelSelector } from './types.ts';
import { isObj } from './types.ts';

export type Matcher = (obj: KObj) => boolean;

interface Req {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

export class SelectorError extends Error {}

function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function parseLabelSelector(s: string): Req[] {
  const reqs: Req[] = [];
  for (const part of splitTop(s)) {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      reqs.push({ key: m[1]!, op: m[2] === 'in' ? 'in' : 'notin', values });
      continue;
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) {
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]!] });
      continue;
    }
    m = /^(!?)([A-Za-z0-9._/-]+)$/.exec(part);
    if (m) {
      reqs.push({ key: m[2]!, op: m[1] ? '!exists' : 'exists', values: [] });
      continue;
    }
    throw new SelectorError(`unable to parse requirement: ${part}`);
  }
  return reqs;
}

function matchReqs(labels: Record<string, string>, reqs: Req[]): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'eq':
        return has && v === r.values[0];
      case 'neq':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'exists':
        return has;
      default:
        return !has;
    }
  });
}

export function labelMatcher(s: string | undefined): Matcher | undefined {
  if (!s) return undefined;
  const reqs = parseLabelSelector(s);
  return (obj) => matchReqs(obj.metadata.labels ?? {}, reqs);
}

export function matchesSelector(
  labels: Record<string, string> | undefined,
  sel: LabelSelector | undefined,
): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    const req: Req = {
      key: e.key,
      op: op === 'in' ? 'in' : op === 'notin' ? 'notin' : op === 'exists' ? 'exists' : '!exists',
      values: e.values ?? [],
    };
    if (!matchReqs(l, [req])) return false;
  }
  return true;
}

export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

function fieldValue(obj: KObj, path: string): string {
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (!isObj(cur)) return '';
    cur = cur[p];
  }
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

export function fieldMatcher(s: string | undefined): Matcher | undefined {
  if (!s) return undefined;
  const reqs = splitTop(s).map((part) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${s}'; can't understand '${part}'`);
    return { path: m[1]!.trim(), neq: m[2] === '!=', value: m[3]!.trim() };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.neq);
}
