/**
 * A fetch-compatible function over the one HTTP client (shared/http.ts), for SDKs that take a
 * `fetch` (Octokit's `request.fetch`, gaxios' adapter): their requests then share its retry
 * policy, deadline, timeouts, abort and redaction. Every status comes back as a Response, as
 * fetch does; only retryable statuses (429, 5xx…) are retried first, by shared/http.ts, and
 * the last such answer is returned when the retries run out. The SDKs' own retries are
 * switched off where they are plugged in, so nothing retries twice.
 */
import { HttpError } from './errors.ts';
import { RETRYABLE_STATUSES, type HttpClient, type NotProcessedRule } from './http.ts';

/** Every status a server may send except those shared/http.ts retries: answers, not errors. */
export const ANSWER_STATUSES: readonly number[] = Array.from(
  { length: 500 },
  (_, i) => i + 100,
).filter((status) => !RETRYABLE_STATUSES.has(status));

/** Statuses whose Response must have no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

type HeaderValues = Record<string, string | string[] | undefined>;

/** A Response for an answer shared/http.ts read in full. */
export function answerResponse(
  url: string,
  status: number,
  headers: HeaderValues,
  body: string,
): Response {
  const h = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      h.append(name, v);
    }
  }
  const response = new Response(NULL_BODY_STATUSES.has(status) ? null : body, {
    status,
    headers: h,
  });
  // fetch's Response names the URL it answered; a constructed one has none.
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

/**
 * The method, URL, headers and bytes of a fetch call, whatever form its body takes (string,
 * URLSearchParams, bytes): the platform's Request does the normalisation fetch would do.
 */
async function readFetchRequest(
  input: string | URL | Request,
  init: RequestInit | undefined,
): Promise<{ method: string; url: string; headers: Record<string, string>; body?: Uint8Array }> {
  const request = new Request(input, init);
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  return {
    method: request.method,
    url: request.url,
    headers: Object.fromEntries(request.headers),
    ...(body ? { body } : {}),
  };
}

/**
 * Which requests of an SDK may be sent again after an answer that may hide a processed request
 * (a 500, a reset): shared/http.ts repeats only GET/HEAD/PUT/DELETE/OPTIONS unless told. Each
 * SDK's plug-in says what holds for the API it speaks.
 */
export type IdempotentWhen = (method: string, url: string) => boolean;

/**
 * A `fetch` whose every request goes through `http` (one transport, one retry policy), with the
 * SDK's API's rules: which requests may be repeated, and which answers mean "not processed".
 */
export function fetchOverHttp(
  http: HttpClient,
  idempotent?: IdempotentWhen,
  notProcessed?: NotProcessedRule,
): typeof fetch {
  return async (input, init) => {
    const { method, url, headers, body } = await readFetchRequest(input, init);
    const repeatable = idempotent?.(method, url);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    try {
      const res = await http.request({
        method,
        url,
        headers,
        ...(body ? { body } : {}),
        okStatuses: ANSWER_STATUSES,
        ...(signal ? { signal } : {}),
        ...(repeatable === undefined ? {} : { idempotent: repeatable }),
        ...(notProcessed ? { notProcessed } : {}),
      });
      return answerResponse(url, res.status, res.headers, res.body);
    } catch (error) {
      // A retryable status after the last retry: the SDK sees that answer, as fetch gives it.
      if (error instanceof HttpError && error.status !== undefined) {
        return answerResponse(url, error.status, {}, error.body);
      }
      throw error;
    }
  };
}
