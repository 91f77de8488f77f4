/**
 * Phase 3, verify the endpoint: once every workload rolled out, wait for LoadBalancer
 * addresses (when asked) and smoke-test the service.
 */
import type { Clock } from '../../shared/clock.ts';
import { formatDuration } from '../../shared/inputs.ts';
import { HOST } from '../../shared/server-values.ts';
import {
  resourcePath,
  watchLoop,
  type KubeClient,
  type KubeObject,
} from '../../shared/kube/index.ts';
import type { Logger } from '../../shared/logger.ts';
import { Changes, waitFor } from '../../shared/wait.ts';
import type { SmokeInputs } from './inputs.ts';
import type { Manifest } from './manifests.ts';
import type { RunRecord } from './record.ts';
import { smokeTest } from './smoke.ts';

export interface Failure {
  reason: string;
  message: string;
}

export interface VerifyOptions {
  smoke: SmokeInputs;
  waitForLoadBalancer: boolean;
  timeoutMs: number;
}

export interface VerifyDeps {
  /** The smoke request of an object whose kind speaks its own protocol (its kind handler's). */
  smokeRequestFor(manifest: Manifest): ((smoke: SmokeInputs) => SmokeInputs) | undefined;
  client: KubeClient;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal;
  record: RunRecord;
}

/** The endpoint to report, and the failure when a load balancer or the smoke test failed. */
export async function verifyEndpoint(
  manifests: readonly Manifest[],
  found: string,
  deadline: number,
  o: VerifyOptions,
  deps: VerifyDeps,
): Promise<{ endpoint: string; failure?: Failure }> {
  let endpoint = found;
  if (o.waitForLoadBalancer) {
    const services = manifests.filter(
      (m) =>
        m.kind === 'Service' &&
        (m.object.spec as { type?: string } | undefined)?.type === 'LoadBalancer',
    );
    for (const svc of services) {
      const lb = await waitForIngress(svc, deadline, deps);
      if (!lb) {
        return {
          endpoint,
          failure: {
            reason: 'LoadBalancerPending',
            message: `Service ${svc.namespace}/${svc.name} got no load balancer ingress within ${formatDuration(o.timeoutMs)}`,
          },
        };
      }
      deps.record.note(`Service ${svc.name}: load balancer at ${lb}`, 'success');
      if (!endpoint || !o.smoke.url) endpoint = lb;
    }
  }
  if (o.smoke.url) endpoint = o.smoke.url;
  // An object with a protocol of its own (an InferenceService) is probed by it; its endpoint
  // (status.url) is a target when a smoke input asks for a test.
  const own = manifests
    .map((m) => deps.smokeRequestFor(m))
    .find((request) => request !== undefined);
  const ownTarget =
    own && (o.smoke.orphan !== undefined || o.smoke.expect !== undefined) ? found : '';
  const smokeBase = o.smoke.url ?? (o.waitForLoadBalancer ? endpoint : ownTarget);
  if (!smokeBase) return { endpoint };
  const smoke = own ? own(o.smoke) : o.smoke;
  const r = await deps.logger.group('Smoke test', () =>
    smokeTest(smokeBase, smoke, {
      deadline,
      clock: deps.clock,
      logger: deps.logger,
      signal: deps.signal,
    }),
  );
  if (r.ok) {
    deps.record.note(
      `Smoke test ${smoke.method} ${r.url}: ${r.detail} (attempt ${r.attempts})`,
      'success',
    );
    return { endpoint };
  }
  const failure = {
    reason: 'SmokeTestFailed',
    message: `smoke test ${smoke.method} ${r.url} failed after ${r.attempts} attempt(s): ${r.detail}`,
  };
  deps.record.note(failure.message, 'failure');
  return { endpoint, failure };
}

/** The URL of a LoadBalancer Service's first ingress, once it has one (or undefined at the deadline). */
async function waitForIngress(
  svc: Manifest,
  deadline: number,
  deps: VerifyDeps,
): Promise<string | undefined> {
  const controller = new AbortController();
  const changed = new Changes();
  let found: string | undefined;
  const ports = (svc.object.spec as { ports?: { port?: number }[] } | undefined)?.ports ?? [];
  const port = ports[0]?.port ?? 80;
  const loop = watchLoop({
    client: deps.client,
    path: resourcePath('v1', 'services', svc.namespace),
    fieldSelector: `metadata.name=${svc.name}`,
    onEvent: (e) => {
      const host = ingressHost(e.object);
      if (host) {
        found = `${port === 443 ? 'https' : 'http'}://${host}${port === 80 || port === 443 ? '' : `:${port}`}`;
        changed.notify();
      }
    },
    onError: () => changed.notify(),
    signal: controller.signal,
    logger: deps.logger,
    clock: deps.clock,
    what: `Service ${svc.namespace}/${svc.name}`,
  });
  try {
    const result = await waitFor(() => found, {
      clock: deps.clock,
      deadline,
      signal: deps.signal,
      changes: changed,
    });
    return result.done ? result.value : undefined;
  } finally {
    controller.abort();
    await loop;
  }
}

/** The host of a LoadBalancer Service's first ingress, when it is a host name or an IP. */
export function ingressHost(service: KubeObject): string | undefined {
  const ingress = (
    service.status as
      { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined
  )?.loadBalancer?.ingress?.[0];
  const raw = ingress?.hostname ?? ingress?.ip;
  // An IPv6 address goes into a URL in brackets.
  const host =
    typeof raw === 'string' && /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]+$/.test(raw) ? `[${raw}]` : raw;
  // A server value that becomes the endpoint and the smoke test's URL: a host name or IP only.
  return typeof host === 'string' && HOST.test(host) ? host : undefined;
}
