import { describe, expect, it } from '@jest/globals';
import {
  execCredential,
  execCredentialMain,
  requestedApiVersion,
  type ExecCredentialIo,
} from '../../actions/setup-cluster-auth/exec-credential.ts';

function io(
  files: Record<string, string>,
  now = new Date('2026-11-23T10:00:00Z'),
): ExecCredentialIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    readFile: async (p) => {
      const v = files[p];
      if (v === undefined) throw new Error(`ENOENT: ${p}`);
      return v;
    },
    writeFile: async (p, text) => {
      files[p] = text;
    },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    clock: { now: () => now.getTime() },
  };
}

describe('bundled credential command', () => {
  it.each([
    [
      'v1 when kubectl asks for it',
      '{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}',
      'client.authentication.k8s.io/v1',
    ],
    [
      'v1beta1 when asked',
      '{"apiVersion":"client.authentication.k8s.io/v1beta1"}',
      'client.authentication.k8s.io/v1beta1',
    ],
    ['v1beta1 when absent', undefined, 'client.authentication.k8s.io/v1beta1'],
    ['v1beta1 when malformed', '{nope', 'client.authentication.k8s.io/v1beta1'],
    [
      'v1beta1 for an unknown version',
      '{"apiVersion":"client.authentication.k8s.io/v9"}',
      'client.authentication.k8s.io/v1beta1',
    ],
  ])('apiVersion: %s', (_name, info, expected) => {
    expect(requestedApiVersion(info === undefined ? {} : { KUBERNETES_EXEC_INFO: info })).toBe(
      expected,
    );
  });

  it('prints the ExecCredential shape aws eks get-token prints', () => {
    const text = execCredential('client.authentication.k8s.io/v1beta1', {
      token: 't0k',
      expiresAt: new Date('2019-10-23T23:14:00.000Z'),
    });
    expect(JSON.parse(text)).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { expirationTimestamp: '2019-10-23T23:14:00Z', token: 't0k' },
    });
  });

  it('serves a cached token that is still valid for more than a minute, without minting', async () => {
    const files = {
      '/c.json': JSON.stringify({
        provider: 'eks',
        cluster: 'prod',
        region: 'eu-west-1',
        credentials: { kind: 'default' },
        userAgent: 'x',
      }),
      '/c.json.cache': JSON.stringify({
        token: 'cached-token',
        expiresAt: '2026-11-23T10:05:00.000Z',
      }),
    };
    const o = io(files);
    expect(await execCredentialMain(['/c.json'], {}, o)).toBe(0);
    expect(JSON.parse(o.out.join('')).status.token).toBe('cached-token');
  });

  it('fails with one line on stderr and exit 1 when it cannot mint', async () => {
    const o = io({ '/c.json': '{not json' });
    expect(await execCredentialMain(['/c.json'], {}, o)).toBe(1);
    expect(o.out).toEqual([]);
    expect(o.err.join('')).toMatch(/^setup-cluster-auth credential command: .+\n$/);
  });

  it('usage without a config path', async () => {
    const o = io({});
    expect(await execCredentialMain([], {}, o)).toBe(2);
    expect(o.err.join('')).toContain('usage');
  });
});
