/**
 * The AWS SDK v3 `requestHandler` over the one HTTP client (shared/http.ts): every SDK call
 * (STS, EKS, ECR) then shares its retry policy, deadline, timeouts, abort and redaction. Give
 * clients `maxAttempts: 1` beside it (`awsClientTransport`), so the SDK does not retry on top.
 * Every status is handed back to the SDK, which parses its own error bodies; only the
 * statuses shared/http.ts retries are retried first.
 */
import type {
  HeaderBag,
  HttpHandlerOptions,
  HttpRequest as SdkRequest,
  HttpResponse as SdkResponse,
  QueryParameterBag,
  RequestHandler,
} from '@smithy/types';
import { HttpError } from './errors.ts';
import type { HttpClient } from './http.ts';
import { ANSWER_STATUSES } from './http-fetch.ts';

/** What `requestHandler` accepts: smithy's HttpHandler shape. */
export interface AwsRequestHandler extends RequestHandler<
  SdkRequest,
  SdkResponse,
  HttpHandlerOptions
> {
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
}

/** RFC 3986 escaping, as the SDK's own handler builds query strings (and SigV4 signs them). */
function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function queryString(query: QueryParameterBag | undefined): string {
  const parts: string[] = [];
  for (const key of Object.keys(query ?? {}).sort()) {
    const value = query?.[key];
    if (value === null || value === undefined) parts.push(escapeUri(key));
    else
      for (const v of Array.isArray(value) ? value : [value])
        parts.push(`${escapeUri(key)}=${escapeUri(v)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

export function sdkRequestUrl(request: SdkRequest): string {
  const port = request.port ? `:${request.port}` : '';
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  return `${request.protocol}//${request.hostname}${port}${path}${queryString(request.query)}`;
}

function sdkBody(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null || typeof body === 'string') return body ?? undefined;
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // The STS, EKS and ECR operations send strings; a streaming upload has no place here.
  throw new Error('the shared HTTP handler takes no streaming request bodies');
}

function sdkResponse(status: number, headers: HeaderBag, body: string): SdkResponse {
  return { statusCode: status, headers, body: new TextEncoder().encode(body) };
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): HeaderBag {
  const flat: HeaderBag = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** A `requestHandler` for any AWS SDK v3 client, over `http`. */
export function awsRequestHandler(http: HttpClient): AwsRequestHandler {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    async handle(request, options) {
      const url = sdkRequestUrl(request);
      const body = sdkBody(request.body);
      const signal = options?.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
      try {
        const res = await http.request({
          method: request.method,
          url,
          headers: { ...request.headers },
          ...(body === undefined ? {} : { body }),
          okStatuses: ANSWER_STATUSES,
          // The AWS calls made here read or mint (AssumeRoleWithWebIdentity, DescribeCluster,
          // GetAuthorizationToken): repeating one after a 5xx is what the SDK itself would do.
          idempotent: true,
          ...(signal ? { signal } : {}),
          ...(options?.requestTimeout ? { timeoutMs: options.requestTimeout } : {}),
        });
        return { response: sdkResponse(res.status, flatHeaders(res.headers), res.body) };
      } catch (error) {
        // The last retryable answer goes to the SDK, which turns its body into the AWS error.
        if (error instanceof HttpError && error.status !== undefined) {
          return { response: sdkResponse(error.status, {}, error.body) };
        }
        throw error;
      }
    },
  };
}

/** Client options that put an AWS SDK client on `http`, with no SDK retries on top. */
export function awsClientTransport(http: HttpClient): {
  requestHandler: AwsRequestHandler;
  maxAttempts: 1;
} {
  return { requestHandler: awsRequestHandler(http), maxAttempts: 1 };
}
