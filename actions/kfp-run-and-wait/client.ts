/** The KFP client with the runner's HTTP stack and the chosen credentials. */
import type { Clock } from '../../shared/clock.ts';
import { createHttpClient } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import { KfpClient } from './api.ts';
import { authHeaders, type IdTokenSource } from './auth.ts';
import type { ConnectionInputs } from './inputs.ts';

export const USER_AGENT = 'mlops-actions/kfp-run-and-wait';

export function createKfpClient(
  conn: ConnectionInputs,
  o: { logger: Logger; clock: Clock; signal?: AbortSignal; idToken?: IdTokenSource },
): KfpClient {
  const options = {
    userAgent: USER_AGENT,
    timeoutMs: 30_000,
    connectTimeoutMs: 15_000,
    clock: o.clock,
    authHeaders: authHeaders(conn.auth, o.logger, o.clock, o.idToken),
    onRetry: (message: string) => o.logger.info(message),
  };
  return new KfpClient({
    host: conn.host,
    http: createHttpClient(options),
    once: createHttpClient({ ...options, attempts: 1 }),
    clock: o.clock,
    ...(o.signal ? { signal: o.signal } : {}),
    authKind: conn.auth.kind === 'iap' ? 'iap-audience' : conn.auth.kind,
  });
}
