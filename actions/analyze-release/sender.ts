/**
 * The load's HTTP pool: one keep-alive node:http(s) Agent per target, no retries (a retry
 * would hide the error the load is there to find), every request bounded by
 * `request-timeout`. This is deliberately not shared/http.ts: that layer retries, backs off
 * and redacts API calls; the load generator must send exactly one request per shot and
 * measure it.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type Agent,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Clock } from '../../shared/clock.ts';

/** What one request came back with. */
export interface Shot {
  /** HTTP status, or 0 when no response came (connection error, timeout). */
  status: number;
  /** The failure when no response came: `timeout`, `ECONNREFUSED`… */
  error?: string;
  /** The response body, when the sender keeps bodies (at most MAX_BODY_BYTES). */
  body?: Buffer;
}

/** A response body kept for its predictions is read up to this size (the rest is dropped). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Sender {
  send(body: Buffer | undefined, signal: AbortSignal): Promise<Shot>;
  close(): void;
}

export interface SenderOptions {
  url: string;
  method: string;
  headers: readonly [string, string][];
  timeoutMs: number;
  clock: Clock;
  /** Keep each response's body (for `prediction-path`). */
  keepBodies?: boolean;
  /** The API server's agent (trust, client certificate) for service-proxy targets. */
  agent?: Agent;
  /** The kubeconfig user's headers, asked per request (an exec token is refreshed). */
  authHeaders?: () => Promise<Record<string, string>>;
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'connection error';
}

/** A sender over a keep-alive pool with no socket limit (open loop: nothing queues here). */
export function createSender(options: SenderOptions): Sender {
  const url = new URL(options.url);
  const https = url.protocol === 'https:';
  const agent =
    options.agent ??
    (https
      ? new HttpsAgent({ keepAlive: true, maxSockets: Infinity })
      : new HttpAgent({ keepAlive: true, maxSockets: Infinity }));
  const request = https ? httpsRequest : httpRequest;
  const base: Record<string, string> = { 'user-agent': 'mlops-actions/analyze-release' };
  for (const [name, value] of options.headers) base[name.toLowerCase()] = value;
  const send = async (body: Buffer | undefined, signal: AbortSignal): Promise<Shot> => {
    const auth = options.authHeaders ? await options.authHeaders() : {};
    return new Promise<Shot>((resolve) => {
      const headers = { ...base, ...auth };
      if (body) {
        headers['content-length'] = String(body.length);
        headers['content-type'] ??= 'application/json';
      }
      let settled = false;
      const done = (shot: Shot): void => {
        if (settled) return;
        settled = true;
        resolve(shot);
      };
      // The request's own bound (`request-timeout`); the job's signal aborts it as well.
      const bound = options.clock.timeout(options.timeoutMs);
      const req = request(url, {
        method: options.method,
        agent,
        headers,
        signal: AbortSignal.any([signal, bound]),
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (!options.keepBodies || kept + chunk.length > MAX_BODY_BYTES) return;
          chunks.push(chunk);
          kept += chunk.length;
        });
        res.on('end', () =>
          done(
            options.keepBodies
              ? { status: res.statusCode ?? 0, body: Buffer.concat(chunks) }
              : { status: res.statusCode ?? 0 },
          ),
        );
        res.on('error', (error) =>
          done({ status: 0, error: bound.aborted ? 'timeout' : errorCode(error) }),
        );
        res.on('close', () =>
          done({ status: 0, error: bound.aborted ? 'timeout' : 'connection closed' }),
        );
      });
      req.on('error', (error) =>
        done({ status: 0, error: bound.aborted ? 'timeout' : errorCode(error) }),
      );
      req.end(body);
    });
  };
  // The API server's agent too: nothing else in this step uses the connection.
  return { send, close: () => agent.destroy() };
}
