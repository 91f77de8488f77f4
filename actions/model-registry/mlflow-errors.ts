/** MLflow's error answers (`{"error_code": …, "message": …}`) as one line naming what failed. */
import type { HttpError } from '../../shared/errors.ts';

export class MlflowError extends Error {
  override name = 'MlflowError';
  readonly status: number | undefined;
  /** MLflow's error_code (RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE…), when it sent one. */
  readonly errorCode: string | undefined;
  constructor(message: string, status: number | undefined, errorCode: string | undefined) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }
}

const ERROR_CODE = /^[A-Z][A-Z_]{0,63}$/;

/** MLflow's error_code and message from a body; a proxy's HTML page gives neither. */
export function mlflowError(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as { error_code?: unknown; message?: unknown };
    const code =
      typeof parsed.error_code === 'string' && ERROR_CODE.test(parsed.error_code)
        ? parsed.error_code
        : undefined;
    const raw =
      typeof parsed.message === 'string' ? parsed.message.replace(/\s+/g, ' ').trim() : '';
    const message = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
  } catch {
    return {};
  }
}

/** The HttpError of a call about `what` (`model 'iris' version 7`), rephrased. */
export function explain(
  error: HttpError,
  what: string,
  path: string,
  trackingUri: string,
): MlflowError {
  const { code, message } = mlflowError(error.body);
  const said = [code, message].filter(Boolean).join(': ') || error.detail;
  const status = error.status;
  const tail = error.gaveUp ? ` (${error.gaveUp})` : '';
  if (status === undefined && error.timedOut) {
    return new MlflowError(
      `MLflow at ${trackingUri} did not answer for ${what} within the time left (input 'timeout'): ${error.detail}`,
      undefined,
      undefined,
    );
  }
  if (status === undefined) {
    return new MlflowError(
      `cannot reach MLflow at ${trackingUri} for ${what}: ${error.detail}. Check 'tracking-uri' and that the runner can reach it.`,
      undefined,
      undefined,
    );
  }
  if (status === 401) {
    return new MlflowError(
      `MLflow refused the credentials (HTTP 401) for ${what}: ${said}. Check 'token', or 'username' and 'password'.`,
      status,
      code,
    );
  }
  if (status === 403) {
    return new MlflowError(
      `MLflow denied ${what} (HTTP 403): ${said}. The user needs READ on the registered model to resolve, EDIT to promote or roll back.`,
      status,
      code,
    );
  }
  if (status === 404 && code === 'RESOURCE_DOES_NOT_EXIST') {
    return new MlflowError(`MLflow: ${what} does not exist (HTTP 404): ${said}`, status, code);
  }
  if (status === 404) {
    return new MlflowError(
      `MLflow at ${trackingUri} has no ${path} endpoint (HTTP 404${code ? ` ${code}` : ''}) for ${what}: is 'tracking-uri' the server's root, and the server MLflow 2.3 or later (aliases)?`,
      status,
      code,
    );
  }
  if (status === 400) {
    return new MlflowError(
      `MLflow rejected the request for ${what} (HTTP 400): ${said}`,
      status,
      code,
    );
  }
  return new MlflowError(`MLflow failed ${what} with HTTP ${status}: ${said}${tail}`, status, code);
}
