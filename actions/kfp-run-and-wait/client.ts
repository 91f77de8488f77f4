/** The KFP client with the runner's HTTP stack and the chosen credentials. */
import type { Clock } from '../../shared/clock.ts';
import { createHttpClient, type HttpClientOptions } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import { KfpClient } from './api.ts';
import { authHeaders, type IdTokenSource } from './auth.ts';
import type { ConnectionInputs } from './inputs.ts';

export const USER_AGENT = 'mlops-actions/kfp-run-and-wait';

export interface KfpClientDeps {
  logger: Logger;
  clock: Clock;
  /** The job's signal (and the step's timeout): aborts requests and the waits between them. */
  signal?: AbortSignal;
  /** When the step must end (on `clock`): no request or retry wait goes past it. */
  deadline?: number;
  idToken?: IdTokenSource;
}

export function createKfpClient(conn: ConnectionInputs, o: KfpClientDeps): KfpClient {
  const options: HttpClientOptions = {
    userAgent: USER_AGENT,
    timeoutMs: 30_000,
    connectTimeoutMs: 15_000,
    clock: o.clock,
    // One credential source for every client below: an IAP token is minted once.
    authHeaders: authHeaders(conn.auth, o.logger, o.clock, o.idToken),
    onRetry: (message: string) => o.logger.info(message),
  };
  const until = (deadline: number | undefined): HttpClientOptions =>
    deadline === undefined ? options : { ...options, deadline: () => deadline };
  return new KfpClient({
    host: conn.host,
    http: createHttpClient(until(o.deadline)),
    once: createHttpClient({ ...until(o.deadline), attempts: 1 }),
    within: (deadline) => createHttpClient(until(deadline)),
    clock: o.clock,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.deadline !== undefined ? { deadline: o.deadline } : {}),
    authKind: conn.auth.kind === 'iap' ? 'iap-audience' : conn.auth.kind,
  });
}
