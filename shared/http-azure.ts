/**
 * The Azure SDK's `HttpClient` (@azure/core-rest-pipeline: `sendRequest(request)`) over the one
 * HTTP client (shared/http.ts), for @azure/identity's `httpClient` option: every Entra ID call
 * (MSAL's token grants and authority metadata) then shares its retry policy, deadline,
 * timeouts, abort and redaction. Every status comes back as a response, as the SDK expects
 * (MSAL reads AADSTS errors from 400 bodies); only retryable statuses are retried first, by
 * shared/http.ts. The SDK's own retry policy is switched off where this is plugged in
 * (`retryOptions: { maxRetries: 0 }`), so nothing retries twice.
 */
import type {
  HttpClient as AzureHttpClient,
  PipelineRequest,
  PipelineResponse,
} from '@azure/core-rest-pipeline';
import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { HttpError } from './errors.ts';
import { ANSWER_STATUSES } from './http-fetch.ts';
import type { HttpClient, HttpResponse } from './http.ts';

/** The SDK's bodies that Entra calls use: text (form posts) or bytes; others are refused. */
function requestBody(request: PipelineRequest): string | Uint8Array | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new Error(`http-azure: unsupported request body for ${request.method} ${request.url}`);
}

function pipelineResponse(
  request: PipelineRequest,
  status: number,
  headers: HttpResponse['headers'],
  body: string,
): PipelineResponse {
  const h = createHttpHeaders();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) h.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { request, status, headers: h, bodyAsText: body };
}

/**
 * An Azure `HttpClient` whose requests go through `http`. `idempotent`: whether a request may
 * be sent again after an answer that may hide a processed request (token grants: yes).
 */
export function azureHttpClient(
  http: HttpClient,
  idempotent: (method: string, url: string) => boolean = () => true,
): AzureHttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const body = requestBody(request);
      const signal = request.abortSignal instanceof AbortSignal ? request.abortSignal : undefined;
      try {
        const res = await http.request({
          method: request.method,
          url: request.url,
          headers: request.headers.toJSON(),
          ...(body === undefined ? {} : { body }),
          okStatuses: ANSWER_STATUSES,
          ...(request.timeout > 0 ? { timeoutMs: request.timeout } : {}),
          ...(signal ? { signal } : {}),
          idempotent: idempotent(request.method, request.url),
        });
        return pipelineResponse(request, res.status, res.headers, res.body);
      } catch (error) {
        // A retryable status after the last retry: the SDK sees that answer.
        if (error instanceof HttpError && error.status !== undefined) {
          return pipelineResponse(request, error.status, {}, error.body);
        }
        throw error;
      }
    },
  };
}
