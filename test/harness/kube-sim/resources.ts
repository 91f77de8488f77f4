/** The resource types the simulator serves. */

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: string[];
  /** metadata.generation is maintained (spec changes bump it). */
  generation: boolean;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export { VERBS };

function def(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: Partial<ResourceDef> = {},
): ResourceDef {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: [],
    generation: false,
    ...opts,
  };
}

export const RESOURCES: ResourceDef[] = [
  def('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
  }),
  def('', 'v1', 'Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
  }),
  def('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log'],
  }),
  def('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
  }),
  def('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  def('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  def('', 'v1', 'Secret', 'secrets'),
  def('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  def('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  def('apps', 'v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  }),
  def('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  def('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  def('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
  def('serving.kserve.io', 'v1beta1', 'InferenceService', 'inferenceservices', {
    shortNames: ['isvc'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  }),
];

export function gv(r: ResourceDef): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Key used in the store: "apps/deployments", "/pods". */
export function rkey(r: ResourceDef): string {
  return `${r.group}/${r.plural}`;
}

/** "deployments.apps" or "pods" — how error messages name a resource. */
export function qualifiedName(r: ResourceDef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function findResource(
  group: string,
  version: string,
  plural: string,
): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function byKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return RESOURCES.find((r) => gv(r) === apiVersion && r.kind === kind);
}

export function groups(): { group: string; versions: string[] }[] {
  const out = new Map<string, Set<string>>();
  for (const r of RESOURCES) {
    if (!r.group) continue;
    const s = out.get(r.group) ?? new Set<string>();
    s.add(r.version);
    out.set(r.group, s);
  }
  return [...out].map(([group, versions]) => ({ group, versions: [...versions] }));
}
