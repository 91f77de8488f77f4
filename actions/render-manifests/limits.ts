/**
 * What the API server would refuse, checked offline: object names (apimachinery's name
 * validation per kind) and sizes (ConfigMap/Secret data, whole objects).
 */
import { groupOf } from '../../shared/kubernetes/kinds.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kinds whose name must be a DNS-1123 label (it becomes a namespace). */
const LABEL_KINDS = new Set(['/Namespace']);
/** Kinds whose name must be a DNS-1035 label (a Service name becomes a DNS name and env vars). */
const DNS1035_KINDS = new Set(['/Service']);
/** Kinds whose name is only a path segment (RBAC allows `system:controller:x`). */
const PATH_SEGMENT_KINDS = new Set([
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'certificates.k8s.io/CertificateSigningRequest',
]);

/** Why `name` is not a valid name for `kind`, or undefined when it is. */
export function nameProblem(apiVersion: string, kind: string, name: string): string | undefined {
  const key = `${groupOf(apiVersion)}/${kind}`;
  if (PATH_SEGMENT_KINDS.has(key)) {
    if (name === '.' || name === '..' || /[/%]/.test(name))
      return `metadata.name ${JSON.stringify(name)} is not a valid path segment name (no '/' or '%', not '.' or '..')`;
    return undefined;
  }
  if (DNS1035_KINDS.has(key)) {
    if (name.length > 63 || !DNS1035_LABEL.test(name))
      return `metadata.name ${JSON.stringify(name.slice(0, 80))} is not a valid DNS-1035 label (a ${kind} name is at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)`;
    return undefined;
  }
  if (LABEL_KINDS.has(key)) {
    if (name.length > 63 || !DNS1123_LABEL.test(name))
      return `metadata.name ${JSON.stringify(name.slice(0, 80))} is not a valid DNS-1123 label (a ${kind} name is at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)`;
    return undefined;
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    return `metadata.name ${JSON.stringify(name.slice(0, 80))} is not a valid DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit)`;
  return undefined;
}

/** The API server's limit on ConfigMap and Secret data (1 MiB). */
export const DATA_LIMIT = 1024 * 1024;
/** etcd's default request limit, which bounds any one object (1.5 MiB). */
export const OBJECT_LIMIT = 1.5 * 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB (${bytes} bytes)`;
}

function stringEntries(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
}

function base64Bytes(value: string): number {
  return Buffer.from(value, 'base64').length;
}

/**
 * A size the API server would refuse: ConfigMap data + binaryData (keys and values) or Secret
 * data + stringData over 1 MiB, any object over 1.5 MiB. Returns the message and the field.
 */
export function sizeProblem(
  object: Record<string, unknown>,
  kind: string,
  apiVersion: string,
): { message: string; field: string } | undefined {
  const core = groupOf(apiVersion) === '';
  if (core && kind === 'ConfigMap') {
    let total = 0;
    for (const [k, v] of stringEntries(object.data)) total += k.length + Buffer.byteLength(v);
    for (const [k, v] of stringEntries(object.binaryData)) total += k.length + base64Bytes(v);
    if (total > DATA_LIMIT)
      return {
        message: `data is ${mib(total)}, over the API server's limit of 1 MiB for a ConfigMap's data and binaryData`,
        field: object.data !== undefined ? 'data' : 'binaryData',
      };
  }
  if (core && kind === 'Secret') {
    let total = 0;
    for (const [, v] of stringEntries(object.data)) total += base64Bytes(v);
    for (const [, v] of stringEntries(object.stringData)) total += Buffer.byteLength(v);
    if (total > DATA_LIMIT)
      return {
        message: `data is ${mib(total)}, over the API server's limit of 1 MiB for a Secret's data and stringData`,
        field: object.data !== undefined ? 'data' : 'stringData',
      };
  }
  const size = Buffer.byteLength(JSON.stringify(object));
  if (size > OBJECT_LIMIT)
    return {
      message: `the object is ${mib(size)} as JSON, over the 1.5 MiB an API server (etcd) accepts`,
      field: 'kind',
    };
  return undefined;
}
