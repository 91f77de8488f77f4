/**
 * Proxies: the HTTP CONNECT tunnel (a kubeconfig's `proxy-url`, and the runner's
 * HTTPS_PROXY for every https request of shared/http.ts), and which URLs the environment's
 * proxy applies to. Self-hosted runners behind a proxy set HTTPS_PROXY/NO_PROXY; the SDKs this
 * layer replaced (gaxios, @actions/github) honoured them, so the one transport does too.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { errorMessage } from './errors.ts';

/** An https agent that reaches the server through an HTTP CONNECT tunnel (kubeconfig proxy-url). */
export class TunnelAgent extends https.Agent {
  private readonly proxy: URL;
  constructor(proxy: URL, options: https.AgentOptions) {
    super(options);
    this.proxy = proxy;
  }

  override createConnection(
    options: tls.ConnectionOptions & { host?: string | null; port?: number | null },
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    const target = `${options.host ?? 'localhost'}:${options.port ?? 443}`;
    const proxy = this.proxy;
    const auth =
      proxy.username || proxy.password
        ? {
            'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`,
          }
        : {};
    const connect = (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...auth },
      agent: false,
    });
    const fail = (error: Error): void => callback?.(error, undefined as unknown as Duplex);
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(new Error(`the proxy ${proxy.host} answered ${res.statusCode} to CONNECT ${target}`));
        return;
      }
      const servername = options.servername ?? (options.host ? options.host : undefined);
      callback?.(null, tls.connect({ ...options, socket, ...(servername ? { servername } : {}) }));
    });
    connect.once('error', (error) =>
      fail(new Error(`cannot reach the proxy ${proxy.host}: ${errorMessage(error)}`)),
    );
    connect.end();
    return undefined;
  }
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/**
 * The proxy for `url` by the environment, as Go's ProxyFromEnvironment and curl read it:
 * HTTPS_PROXY (or https_proxy) for https URLs; none for loopback hosts; none when NO_PROXY
 * (or no_proxy) is `*` or names the host, a parent domain (`example.com`, `.example.com`) or
 * host:port. Plain http URLs are not proxied (this layer sends http only to loopback).
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  if (url.protocol !== 'https:' || LOOPBACK.test(url.hostname)) return undefined;
  const raw = env.HTTPS_PROXY || env.https_proxy;
  if (!raw) return undefined;
  const host = url.hostname.toLowerCase();
  const port = url.port || '443';
  const skip = (env.NO_PROXY || env.no_proxy || '')
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [name = '', entryPort] = entry
        .toLowerCase()
        .replace(/^\*?\./, '')
        .split(':');
      if (entryPort && entryPort !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
  if (skip) return undefined;
  try {
    const proxy = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
    return /^https?:$/.test(proxy.protocol) ? proxy : undefined;
  } catch {
    return undefined;
  }
}

const agents = new Map<string, TunnelAgent>();

/** One keep-alive tunnel agent per proxy for the environment's proxy, or undefined. */
export function environmentProxyAgent(url: URL): https.Agent | undefined {
  const proxy = proxyFor(url);
  if (!proxy) return undefined;
  let agent = agents.get(proxy.href);
  if (!agent) {
    agent = new TunnelAgent(proxy, { keepAlive: true });
    agents.set(proxy.href, agent);
  }
  return agent;
}
