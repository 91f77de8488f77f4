/** The smoke test: one HTTP request, retried until it answers as expected or time runs out. */
import type { Clock } from '../../shared/clock.ts';
import { HttpError } from '../../shared/errors.ts';
import { createHttpClient, redactUrl } from '../../shared/http.ts';
import type { Logger } from '../../shared/logger.ts';
import { waitFor } from '../../shared/wait.ts';
import type { SmokeInputs } from './inputs.ts';
import { expectProblem } from './isvc-smoke.ts';

export interface SmokeResult {
  ok: boolean;
  url: string;
  attempts: number;
  lastStatus?: number;
  detail: string;
}

export function smokeUrl(base: string, path: string): string {
  const u = new URL(base);
  if (path !== '/' || u.pathname === '') {
    u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
  }
  return u.toString();
}

export async function smokeTest(
  base: string,
  smoke: SmokeInputs,
  o: { deadline: number; clock: Clock; logger: Logger; signal: AbortSignal },
): Promise<SmokeResult> {
  const url = smokeUrl(base, smoke.path);
  const http = createHttpClient({
    userAgent: 'mlops-actions/rollout-and-verify',
    attempts: 1,
    clock: o.clock,
  });
  let attempts = 0;
  let lastStatus: number | undefined;
  let detail = '';
  const attempt = async (): Promise<SmokeResult | undefined> => {
    attempts++;
    const left = o.deadline - o.clock.now();
    try {
      const res = await http.request({
        method: smoke.method,
        url,
        ...(smoke.body !== undefined
          ? {
              body: smoke.body,
              headers: {
                'content-type': smoke.body.trim().startsWith('{')
                  ? 'application/json'
                  : 'text/plain',
              },
            }
          : {}),
        timeoutMs: Math.max(1000, Math.min(10_000, left)),
        okStatuses: Array.from({ length: 500 }, (_, i) => i + 100),
        signal: o.signal,
      });
      lastStatus = res.status;
      const unexpected =
        smoke.expectStatus.includes(res.status) && smoke.expect
          ? expectProblem(res.body, smoke.expect)
          : undefined;
      if (smoke.expectStatus.includes(res.status) && !unexpected) {
        const checked = smoke.expect ? `; ${smoke.expect.path} ok` : '';
        return { ok: true, url, attempts, lastStatus, detail: `HTTP ${res.status}${checked}` };
      }
      if (unexpected)
        detail = `HTTP ${res.status}: ${unexpected}: ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`;
      else
        detail = `HTTP ${res.status} (expected ${smoke.expectStatus.length > 5 ? 'one of the listed statuses' : smoke.expectStatus.join(', ')}): ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`;
    } catch (error) {
      detail = error instanceof HttpError ? error.message : (error as Error).message;
    }
    o.logger.info(`Smoke test ${smoke.method} ${redactUrl(url)}: ${detail}`);
    return undefined;
  };
  // A service that just rolled out may need a moment (endpoints, load balancer): retry,
  // backing off from 0.5 s to 5 s, until the deadline.
  const result = await waitFor(attempt, {
    clock: o.clock,
    deadline: o.deadline,
    signal: o.signal,
    intervalMs: 500,
    factor: 2,
    maxIntervalMs: 5000,
  });
  if (result.done) return result.value;
  return { ok: false, url, attempts, ...(lastStatus ? { lastStatus } : {}), detail };
}
