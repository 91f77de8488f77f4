/**
 * One request to a simulator's API as a client with its token and CA would send it (through
 * HTTP, so admission, defaults and controllers run as for any client); resolves with the
 * status. For test set-up that kubectl would otherwise do.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeSim } from './index.ts';

export function callSim(
  sim: Pick<KubeSim, 'url' | 'token' | 'caData'>,
  method: string,
  apiPath: string,
  object: unknown,
  contentType = 'application/json',
): Promise<number> {
  const tls = sim.url.startsWith('https:');
  const headers: Record<string, string> = { 'content-type': contentType };
  if (sim.token) headers.authorization = `Bearer ${sim.token}`;
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage): void => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    };
    const req = tls
      ? httpsRequest(
          `${sim.url}${apiPath}`,
          { method, headers, ...(sim.caData ? { ca: Buffer.from(sim.caData, 'base64') } : {}) },
          done,
        )
      : httpRequest(`${sim.url}${apiPath}`, { method, headers }, done);
    req.on('error', reject);
    req.end(JSON.stringify(object));
  });
}
