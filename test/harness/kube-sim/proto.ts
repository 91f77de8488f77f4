/**
 * Just enough Kubernetes protobuf decoding for the typed requests kubectl sends as protobuf
 * (`kubectl create namespace|configmap|secret`). Other kinds get 415.
 */
import { ApiError } from './errors.ts';

type Fields = Map<number, (Buffer | number)[]>;

function varint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated varint');
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = varint(buf, pos);
    pos = p1;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let value: Buffer | number;
    if (wire === 0) [value, pos] = varint(buf, pos);
    else if (wire === 2) {
      const [len, p2] = varint(buf, pos);
      value = buf.subarray(p2, p2 + len);
      pos = p2 + len;
    } else if (wire === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const str = (f: Fields, n: number): string | undefined => {
  const v = f.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};
const bool = (f: Fields, n: number): boolean | undefined => {
  const v = f.get(n)?.[0];
  return typeof v === 'number' ? v !== 0 : undefined;
};

function map(f: Fields, n: number, bytes = false): Record<string, string> | undefined {
  const entries = f.get(n);
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    if (!Buffer.isBuffer(e)) continue;
    const kv = fields(e);
    const v = kv.get(2)?.[0];
    out[str(kv, 1) ?? ''] = Buffer.isBuffer(v)
      ? bytes
        ? v.toString('base64')
        : v.toString('utf8')
      : '';
  }
  return out;
}

function meta(buf: Buffer | number | undefined): Record<string, unknown> {
  if (!Buffer.isBuffer(buf)) return {};
  const f = fields(buf);
  const out: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) out[k] = v;
  };
  set('name', str(f, 1));
  set('generateName', str(f, 2));
  set('namespace', str(f, 3));
  set('labels', map(f, 11));
  set('annotations', map(f, 12));
  return out;
}

/** Decode a `k8s\0`-prefixed protobuf body into the JSON object it stands for. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  const unsupported = (what: string): ApiError =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kube-sim cannot decode protobuf ${what})`,
    );
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\u0000')
    throw unsupported('without the k8s envelope');
  const unknown = fields(body.subarray(4));
  const typeMeta = unknown.get(1)?.[0];
  const tm = Buffer.isBuffer(typeMeta) ? fields(typeMeta) : new Map();
  const apiVersion = str(tm, 1) ?? '';
  const kind = str(tm, 2) ?? '';
  const raw = unknown.get(2)?.[0];
  if (!Buffer.isBuffer(raw)) throw unsupported('without a body');
  const f = fields(raw);
  const obj: Record<string, unknown> = { apiVersion, kind, metadata: meta(f.get(1)?.[0]) };
  switch (`${apiVersion}/${kind}`) {
    case 'v1/Namespace':
      return obj;
    case 'v1/ConfigMap': {
      const data = map(f, 2);
      const binary = map(f, 3, true);
      if (data) obj.data = data;
      if (binary) obj.binaryData = binary;
      if (bool(f, 4) !== undefined) obj.immutable = bool(f, 4);
      return obj;
    }
    case 'v1/Secret': {
      const data = map(f, 2, true);
      if (data) obj.data = data;
      obj.type = str(f, 3) ?? 'Opaque';
      const sd = map(f, 4);
      if (sd) obj.stringData = sd;
      if (bool(f, 5) !== undefined) obj.immutable = bool(f, 5);
      return obj;
    }
    default:
      throw unsupported(`${apiVersion} ${kind}`);
  }
}
