/** Bearer tokens, RBAC-like denial and generated TLS certificates. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiError } from './errors.ts';

const run = promisify(execFile);

export interface DenyRule {
  verb: string;
  resource: string;
  namespace?: string;
}

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A fresh CA and a server certificate for 127.0.0.1 / localhost, made with the openssl CLI. */
export async function generateTls(dir: string): Promise<TlsMaterial> {
  const f = (n: string): string => join(dir, n);
  await writeFile(
    f('ext.cnf'),
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n',
  );
  await run('openssl', [
    'ecparam',
    '-name',
    'prime256v1',
    '-genkey',
    '-noout',
    '-out',
    f('ca.key'),
  ]);
  await run('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    f('ca.key'),
    '-subj',
    '/CN=kube-sim-ca',
    '-days',
    '3',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    f('ca.crt'),
  ]);
  await run('openssl', [
    'ecparam',
    '-name',
    'prime256v1',
    '-genkey',
    '-noout',
    '-out',
    f('server.key'),
  ]);
  await run('openssl', [
    'req',
    '-new',
    '-key',
    f('server.key'),
    '-subj',
    '/CN=kube-sim',
    '-out',
    f('server.csr'),
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '3',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('server.crt'),
  ]);
  const [caPem, certPem, keyPem] = await Promise.all(
    ['ca.crt', 'server.crt', 'server.key'].map((n) => readFile(f(n), 'utf8')),
  );
  return { caPem: caPem!, certPem: certPem!, keyPem: keyPem! };
}

const PUBLIC = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** 401 unless the request carries the expected bearer token (public paths may be anonymous). */
export function checkToken(
  path: string,
  header: string | undefined,
  token: string | undefined,
): void {
  if (!token) return;
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m && PUBLIC.has(path)) return;
  if (!m || m[1]!.trim() !== token) {
    throw new ApiError(401, 'Unauthorized', 'Unauthorized');
  }
}

export interface AuthzRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export function checkDeny(rules: DenyRule[], req: AuthzRequest, user: string): void {
  const full = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  const hit = rules.find(
    (r) =>
      (r.verb === '*' || r.verb === req.verb) &&
      (r.resource === '*' || r.resource === full || r.resource === req.resource) &&
      (r.namespace === undefined || r.namespace === req.namespace),
  );
  if (!hit) return;
  const qualified = req.group ? `${req.resource}.${req.group}` : req.resource;
  const subject = req.name ? `${qualified} "${req.name}"` : qualified;
  const sub = req.subresource ? ` subresource "${req.subresource}"` : '';
  const where = req.namespace ? `in the namespace "${req.namespace}"` : 'at the cluster scope';
  throw new ApiError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${req.verb} resource "${req.resource}"${sub} in API group "${req.group}" ${where}`,
    { ...(req.name ? { name: req.name } : {}), group: req.group, kind: req.resource },
  );
}
