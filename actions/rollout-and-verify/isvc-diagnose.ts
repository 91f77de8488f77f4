/** A failed model load, told plainly: modelStatus, predictor pods, download log, events. */
import {
  resourcePath,
  type KubeClient,
  type KubeList,
  type KubeObject,
} from '../../shared/kube/index.ts';
import { shownRevision, shownTraffic, predictorStatus } from '../../shared/kube/revisions.ts';
import { isRecord } from '../../shared/server-values.ts';
import { isvcPath, STORAGE_INITIALIZER } from './isvc.ts';
import { ISVC_POD_LABEL, REVISION_POD_LABEL } from './isvc-status.ts';
import type { Manifest } from './manifests.ts';

type Get = <T>(
  path: string,
  query?: Record<string, string | number | boolean>,
) => Promise<T | undefined>;

interface ContainerState {
  name: string;
  restartCount?: number;
  state?: Record<string, { reason?: string }>;
}

interface PodStatus {
  phase?: string;
  initContainerStatuses?: ContainerState[];
  containerStatuses?: ContainerState[];
}

/** modelStatus and the revisions of the InferenceService itself. */
function statusLines(obj: KubeObject | undefined): string[] {
  const lines: string[] = [];
  const ms = (obj?.status as { modelStatus?: Record<string, unknown> } | undefined)?.modelStatus;
  if (ms) {
    const info = isRecord(ms.lastFailureInfo) ? ms.lastFailureInfo : undefined;
    lines.push(`  modelStatus.transitionStatus: ${String(ms.transitionStatus ?? '?')}`);
    if (info) {
      lines.push(
        `  modelStatus.lastFailureInfo: ${String(info.reason ?? '')}: ${String(info.message ?? '')}${info.location ? ` (at ${String(info.location)})` : ''}`,
      );
    }
  }
  const p = predictorStatus(obj);
  if (p.latestCreatedRevision) {
    lines.push(
      `  revisions: latest created ${shownRevision(p.latestCreatedRevision)}, latest ready ${p.latestReadyRevision === undefined ? 'none' : shownRevision(p.latestReadyRevision)}${p.traffic?.length ? `; traffic: ${shownTraffic(p)}` : ''}`,
    );
  }
  return lines;
}

/** The storage initializer's last log lines (the previous attempt's first), if it failed. */
async function initializerLog(client: KubeClient, ns: string, pod: KubeObject): Promise<string[]> {
  const st = (pod.status ?? {}) as PodStatus;
  const init = st.initContainerStatuses?.find((c) => c.name === STORAGE_INITIALIZER);
  if (!init || (init.state?.terminated?.reason === 'Completed' && !init.restartCount)) return [];
  for (const previous of [true, false]) {
    const res = await client
      .request({
        method: 'GET',
        path: `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`,
        query: {
          container: STORAGE_INITIALIZER,
          tailLines: 10,
          ...(previous ? { previous: true } : {}),
        },
        okStatuses: [400, 404],
      })
      .catch(() => undefined);
    if (res?.status === 200 && res.body.trim()) {
      const tail = res.body.trimEnd().split('\n').slice(-10);
      return [
        `  ${STORAGE_INITIALIZER} log (${pod.metadata.name}):`,
        ...tail.map((l) => `    ${l}`),
      ];
    }
  }
  return [];
}

function podLine(pod: KubeObject): string {
  const st = (pod.status ?? {}) as PodStatus;
  const cs = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]
    .map((c) => {
      const [state, detail] = Object.entries(c.state ?? {})[0] ?? ['unknown', {}];
      return `${c.name} ${detail.reason ?? state}${c.restartCount ? ` (restarts ${c.restartCount})` : ''}`;
    })
    .join(', ');
  return `  pod ${pod.metadata.name} (${pod.metadata.labels?.[REVISION_POD_LABEL] ?? 'predictor'}): ${st.phase ?? '?'}; ${cs}`;
}

interface EventLike {
  involvedObject?: { name?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
}

/** The last events of the InferenceService and its predictor pods. */
async function eventLines(get: Get, ns: string, names: readonly string[]): Promise<string[]> {
  const events = await get<KubeList>(`/api/v1/namespaces/${ns}/events`);
  const relevant = (events?.items ?? [])
    .map((e) => e as unknown as EventLike)
    .filter((e) => names.includes(e.involvedObject?.name ?? ''))
    .sort((a, b) => String(a.lastTimestamp ?? '').localeCompare(String(b.lastTimestamp ?? '')))
    .slice(-8);
  if (relevant.length === 0) return [];
  return [
    '  events:',
    ...relevant.map(
      (e) =>
        `    ${e.involvedObject?.name ?? ''}: ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`,
    ),
  ];
}

export async function diagnoseIsvc(m: Manifest, client: KubeClient): Promise<string> {
  const ns = m.namespace ?? 'default';
  const get: Get = <T>(path: string, query?: Record<string, string | number | boolean>) =>
    client
      .json<T>({ method: 'GET', path, ...(query ? { query } : {}) })
      .catch((): T | undefined => undefined);
  const lines: string[] = [`InferenceService ${ns}/${m.name}:`];
  lines.push(...statusLines(await get<KubeObject>(isvcPath(m))));
  const pods = await get<KubeList>(resourcePath('v1', 'pods', ns), {
    labelSelector: `${ISVC_POD_LABEL}=${m.name}`,
  });
  const names: string[] = [];
  for (const pod of pods?.items ?? []) {
    names.push(pod.metadata.name);
    lines.push(podLine(pod), ...(await initializerLog(client, ns, pod)));
  }
  if (names.length === 0) lines.push(`  no predictor pods (label ${ISVC_POD_LABEL}=${m.name})`);
  lines.push(...(await eventLines(get, ns, [m.name, ...names])));
  return lines.join('\n');
}
