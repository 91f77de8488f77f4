/**
 * Downloads a file (a pinned kubectl, a Trivy release) over the one HTTP transport, so a
 * download shares the proxy, redaction, deadline, abort and retry policy of every other
 * request, instead of @actions/tool-cache's own HTTP client. tool-cache still extracts and
 * caches (its find/extractTar/cacheDir touch no network).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './errors.ts';
import { RETRYABLE_STATUSES, redactUrl, type HttpClient } from './http.ts';
import { withRetry } from './retry.ts';

/** An answer to retry: the status said so (429, 5xx), or the connection failed. */
class RetryableDownload extends Error {
  override name = 'RetryableDownload';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET `url`, following up to 5 redirects (release downloads answer 302 to a CDN) and never
 * from https to plain http.
 */
async function followRedirects(
  http: HttpClient,
  url: string,
  signal: AbortSignal | undefined,
): Promise<Awaited<ReturnType<HttpClient['stream']>>> {
  let at = url;
  for (let hop = 0; ; hop++) {
    const res = await http.stream({ url: at, ...(signal ? { signal } : {}) });
    const location = res.header('location');
    if (!REDIRECTS.has(res.status) || !location) return res;
    res.body.resume();
    const next = new URL(location, at);
    if (hop >= 5 || (new URL(at).protocol === 'https:' && next.protocol !== 'https:')) {
      throw new HttpError(
        'GET',
        redactUrl(url),
        res.status,
        `refused redirect to ${redactUrl(next.href)}`,
        '',
      );
    }
    at = next.href;
  }
}

/**
 * Streams `url` into a new file under RUNNER_TEMP (or the system temp dir) and returns its
 * path. A retryable status or a broken connection is tried again (three attempts, the one
 * backoff); any other status fails naming the URL without its query. The partial file of a
 * failed attempt is removed.
 */
export async function downloadToFile(
  http: HttpClient,
  url: string,
  o: { signal?: AbortSignal; attempts?: number; dir?: string } = {},
): Promise<string> {
  const dir = o.dir ?? path.join(process.env.RUNNER_TEMP || tmpdir(), 'downloads');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, randomUUID());
  const once = async (): Promise<string> => {
    const res = await followRedirects(http, url, o.signal);
    if (res.status !== 200) {
      res.body.resume();
      const error = new HttpError('GET', redactUrl(url), res.status, `HTTP ${res.status}`, '');
      throw RETRYABLE_STATUSES.has(res.status) ? new RetryableDownload(error.message) : error;
    }
    try {
      await pipeline(res.body, createWriteStream(file));
    } catch (error) {
      await rm(file, { force: true });
      throw new RetryableDownload(`download of ${redactUrl(url)} broke off: ${String(error)}`);
    }
    return file;
  };
  return withRetry(
    once,
    (error) => ({
      retry:
        error instanceof RetryableDownload ||
        (error instanceof HttpError && error.status === undefined && !error.tls),
    }),
    { attempts: o.attempts ?? 3, ...(o.signal ? { signal: o.signal } : {}) },
  );
}
