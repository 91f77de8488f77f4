/** Server-side printing (meta.k8s.io/v1 Table) for kubectl get. */
import type { KObj } from './types.ts';
import { getPath, isObj } from './types.ts';

type Col = {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: KObj) => string | number;
};

export function humanAge(iso: string | undefined): string {
  if (!iso) return '<unknown>';
  const s = Math.floor((Date.now() - Date.parse(iso)) / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  return `${Math.floor(h / 24)}d`;
}

const num = (o: KObj, p: string): number => {
  const v = getPath(o, p.split('.'));
  return typeof v === 'number' ? v : 0;
};
const str = (o: KObj, p: string): string => {
  const v = getPath(o, p.split('.'));
  return v === undefined || v === null ? '' : String(v);
};

const name: Col = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
const age: Col = {
  name: 'Age',
  type: 'string',
  cell: (o) => humanAge(o.metadata.creationTimestamp),
};

interface CStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string }; running?: unknown };
}

export function podStatusText(o: KObj): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const st = o.status ?? {};
  let reason = typeof st.reason === 'string' ? st.reason : str(o, 'status.phase');
  // kubectl's printer: an init container that has not completed names the pod's state.
  const inits = (st.initContainerStatuses ?? []) as (CStatus & {
    state?: { terminated?: { exitCode?: number } };
  })[];
  for (const [i, c] of inits.entries()) {
    if (c.state?.terminated && c.state.terminated.exitCode === 0) continue;
    if (c.state?.terminated) return `Init:${c.state.terminated.reason ?? 'Error'}`;
    const waiting = c.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
    return `Init:${i}/${inits.length}`;
  }
  for (const c of (st.containerStatuses ?? []) as CStatus[]) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
  }
  return reason || 'Pending';
}

const podCols: Col[] = [
  name,
  {
    name: 'Ready',
    type: 'string',
    cell: (o) => {
      const cs = (o.status?.containerStatuses ?? []) as CStatus[];
      const total = Array.isArray(o.spec?.containers) ? o.spec.containers.length : cs.length;
      return `${cs.filter((c) => c.ready).length}/${total}`;
    },
  },
  { name: 'Status', type: 'string', cell: podStatusText },
  {
    name: 'Restarts',
    type: 'string',
    cell: (o) =>
      String(
        ((o.status?.containerStatuses ?? []) as CStatus[]).reduce(
          (a, c) => a + (c.restartCount ?? 0),
          0,
        ),
      ),
  },
  age,
  { name: 'IP', type: 'string', priority: 1, cell: (o) => str(o, 'status.podIP') || '<none>' },
  { name: 'Node', type: 'string', priority: 1, cell: (o) => str(o, 'spec.nodeName') || '<none>' },
];

const COLUMNS: Record<string, Col[]> = {
  Pod: podCols,
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o, 'status.updatedReplicas') },
    { name: 'Available', type: 'integer', cell: (o) => num(o, 'status.availableReplicas') },
    age,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(o, 'spec.replicas') },
    { name: 'Current', type: 'integer', cell: (o) => num(o, 'status.replicas') },
    { name: 'Ready', type: 'integer', cell: (o) => num(o, 'status.readyReplicas') },
    age,
  ],
  StatefulSet: [
    name,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`,
    },
    age,
  ],
  DaemonSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => num(o, 'status.desiredNumberScheduled') },
    { name: 'Current', type: 'integer', cell: (o) => num(o, 'status.currentNumberScheduled') },
    { name: 'Ready', type: 'integer', cell: (o) => num(o, 'status.numberReady') },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o, 'status.updatedNumberScheduled') },
    { name: 'Available', type: 'integer', cell: (o) => num(o, 'status.numberAvailable') },
    age,
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', cell: (o) => str(o, 'spec.type') },
    { name: 'Cluster-IP', type: 'string', cell: (o) => str(o, 'spec.clusterIP') || '<none>' },
    {
      name: 'External-IP',
      type: 'string',
      cell: (o) => {
        const ing = getPath(o, ['status', 'loadBalancer', 'ingress']);
        if (Array.isArray(ing) && ing.length)
          return ing.map((i) => (isObj(i) ? String(i.ip ?? i.hostname) : '')).join(',');
        return str(o, 'spec.type') === 'LoadBalancer' ? '<pending>' : '<none>';
      },
    },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        (Array.isArray(o.spec?.ports) ? o.spec.ports : [])
          .map((p) =>
            isObj(p)
              ? `${String(p.port)}${p.nodePort ? ':' + String(p.nodePort) : ''}/${String(p.protocol ?? 'TCP')}`
              : '',
          )
          .join(',') || '<none>',
    },
    age,
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (o) =>
        humanAge((o.lastTimestamp as string | undefined) ?? (o.eventTime as string | undefined)),
    },
    { name: 'Type', type: 'string', cell: (o) => str(o, 'type') },
    { name: 'Reason', type: 'string', cell: (o) => str(o, 'reason') },
    {
      name: 'Object',
      type: 'string',
      cell: (o) =>
        `${str(o, 'involvedObject.kind').toLowerCase()}/${str(o, 'involvedObject.name')}`,
    },
    { name: 'Message', type: 'string', cell: (o) => str(o, 'message') },
  ],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => str(o, 'status.phase') }, age],
  Node: [
    name,
    { name: 'Status', type: 'string', cell: () => 'Ready' },
    { name: 'Roles', type: 'string', cell: () => '<none>' },
    age,
    { name: 'Version', type: 'string', cell: (o) => str(o, 'status.nodeInfo.kubeletVersion') },
  ],
  ConfigMap: [
    name,
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(isObj(o.data) ? o.data : {}).length },
    age,
  ],
  Secret: [
    name,
    { name: 'Type', type: 'string', cell: (o) => str(o, 'type') },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(isObj(o.data) ? o.data : {}).length },
    age,
  ],
  ControllerRevision: [
    name,
    {
      name: 'Controller',
      type: 'string',
      cell: (o) => {
        const c = o.metadata.ownerReferences?.find((r) => r.controller);
        return c ? `${c.kind.toLowerCase()}.${c.apiVersion.split('/')[0]}/${c.name}` : '<none>';
      },
    },
    { name: 'Revision', type: 'integer', cell: (o) => num(o, 'revision') },
    age,
  ],
  HorizontalPodAutoscaler: [
    name,
    {
      name: 'Reference',
      type: 'string',
      cell: (o) => `${str(o, 'spec.scaleTargetRef.kind')}/${str(o, 'spec.scaleTargetRef.name')}`,
    },
    { name: 'MinPods', type: 'integer', cell: (o) => num(o, 'spec.minReplicas') || 1 },
    { name: 'MaxPods', type: 'integer', cell: (o) => num(o, 'spec.maxReplicas') },
    { name: 'Replicas', type: 'integer', cell: (o) => num(o, 'status.currentReplicas') },
    age,
  ],
  InferenceService: [
    name,
    { name: 'URL', type: 'string', cell: (o) => str(o, 'status.url') },
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => {
        const cs = (o.status?.conditions ?? []) as { type: string; status: string }[];
        return cs.find((c) => c.type === 'Ready')?.status ?? '';
      },
    },
    age,
  ],
};

export function toTable(
  kind: string,
  objs: KObj[],
  resourceVersion: string,
  includeObject: string | undefined,
  extraMeta: Record<string, unknown> = {},
): Record<string, unknown> {
  const cols = COLUMNS[kind] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion, ...extraMeta },
    columnDefinitions: cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.name,
      priority: c.priority ?? 0,
    })),
    rows: objs.map((o) => {
      const row: Record<string, unknown> = { cells: cols.map((c) => c.cell(o)) };
      if (includeObject === 'Object') row.object = o;
      else if (includeObject !== 'None') {
        row.object = {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: o.metadata,
        };
      }
      return row;
    }),
  };
}

export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  return first.replace(/\s+/g, '').includes('as=Table');
}
