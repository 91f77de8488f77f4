/**
 * build-push-image's bundle against a hostile registry on loopback: a `Docker-Content-Digest`
 * that is no digest, and error bodies that try to issue workflow commands. Nothing it sends
 * may reach an output, and its text reaches the log only as text (issue 20).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lastError, runAction, type ActionRunResult } from '../harness/runner.ts';

const EVIL_DIGEST = 'sha256:../../evil latest';
const PASSWORD = 'hostile-pass-5c1e8a2f';
const FORGED_BODY =
  '{"errors":[{"code":"DENIED","message":"denied\\n::error::forged-annotation\\n::add-mask::forged-mask\\n::set-output name=digest::forged"}]}\n::error::forged-annotation\n::add-mask::forged-mask\n';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let host: string;
let handler: Handler = (_req, res) => res.writeHead(500).end();
let root: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'bpi-hostile-'));
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

function run(inputs: Record<string, string>): Promise<ActionRunResult> {
  const ws = mkdtempSync(path.join(root, 'ws-'));
  writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
  return runAction('build-push-image', {
    inputs: { image: `${host}/demo/app`, builder: 'buildah', ...inputs },
    workspace: ws,
    // No builder may run: a PATH without buildah or docker makes any attempt fail at once.
    env: { PATH: '/nonexistent' },
  });
}

describe('a hostile registry', () => {
  it('skip-if-exists: a Docker-Content-Digest that is not a digest fails the step and is no output', async () => {
    handler = (req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end('{}');
      res
        .writeHead(200, {
          'docker-content-digest': EVIL_DIGEST,
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
        })
        .end(req.method === 'HEAD' ? undefined : '{"config":{"size":1},"layers":[]}');
    };
    const r = await run({ 'skip-if-exists': 'true' });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain("the registry's Docker-Content-Digest from the server");
    expect(r.outputs.digest ?? '').toBe('');
    expect(r.outputs['image-ref'] ?? '').toBe('');
    expect(r.outputs.skipped).toBe('false');
    expect(Object.values(r.outputs).join('\n')).not.toContain('evil');
    // The value shows only inside the failure line (and its debug stack), quoted and escaped.
    const others = r.log
      .split('\n')
      .filter((l) => l.includes('evil') && !/^::(error|debug)::/.test(l));
    expect(others).toEqual([]);
  });

  it('error bodies with workflow commands reach the log as text: no annotation, mask or output forged', async () => {
    handler = (_req, res) =>
      void res.writeHead(403, { 'content-type': 'application/json' }).end(FORGED_BODY);
    const r = await run({ username: 'ci', password: PASSWORD });
    expect(r.exitCode).toBe(1);
    expect(lastError(r)).toContain('HTTP 403');
    expect(r.annotations.filter((a) => a.message.startsWith('forged'))).toEqual([]);
    expect(r.masks).not.toContain('forged-mask');
    expect(r.outputs.digest ?? '').toBe('');
    // The failure line and its debug stack quote the body escaped as command data: no line
    // of the log is a command the registry wrote.
    const acting = r.log.split('\n').filter((l) => /^\s*::[a-z-]+( [^:]*)?::forged/.test(l));
    expect(acting).toEqual([]);
    const unmasked = r.log
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(unmasked).not.toContain(PASSWORD);
  });
});
