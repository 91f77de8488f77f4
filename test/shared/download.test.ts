/** downloadToFile: a release download over the one transport (retry, redirects, no downgrade). */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { downloadToFile } from '../../shared/download.ts';
import { createHttpClient } from '../../shared/http.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function serve(answers: ((res: import('node:http').ServerResponse) => void)[]): Promise<{
  url: string;
  seen: string[];
}> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    (answers.shift() ?? ((r) => r.writeHead(500).end()))(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function scratch(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'download-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const http = createHttpClient({ attempts: 1, baseDelayMs: 1 });

describe('downloadToFile', () => {
  it('retries a 503, follows a redirect to the mirror and writes the bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254, 0x1f, 0x8b]);
    const server = await serve([
      (res) => res.writeHead(503).end('busy'),
      (res) => res.writeHead(302, { location: '/cdn/kubectl' }).end(),
      (res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes),
    ]);
    const dir = scratch();
    const file = await downloadToFile(http, `${server.url}/release/kubectl`, { dir });
    expect(readFileSync(file)).toEqual(bytes);
    expect(server.seen).toEqual(['/release/kubectl', '/release/kubectl', '/cdn/kubectl']);
  });

  it('a 404 fails at once naming the URL without its query, and leaves no file', async () => {
    const server = await serve([(res) => res.writeHead(404).end('no such release')]);
    const dir = scratch();
    await expect(
      downloadToFile(http, `${server.url}/release/kubectl?token=s3cret`, { dir }),
    ).rejects.toThrow(/HTTP 404/);
    await expect(
      downloadToFile(http, `${server.url}/release/kubectl?token=s3cret`, { dir }),
    ).rejects.not.toThrow(/s3cret/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a redirect from https to plain http', async () => {
    const server = await serve([]);
    // An https URL whose server redirects to http: simulated with a client that answers for it.
    const fake = {
      request: http.request,
      stream: async () => ({
        status: 302,
        header: (name: string) => (name === 'location' ? `${server.url}/x` : undefined),
        body: { resume: () => undefined },
      }),
    } as unknown as typeof http;
    await expect(
      downloadToFile(fake, 'https://releases.example/trivy.tar.gz', { dir: scratch() }),
    ).rejects.toThrow(/refused redirect to http:\/\/127\.0\.0\.1/);
  });
});
