/** /version, /api, /apis (aggregated discovery v2 / v2beta1 and the legacy documents). */
import type { ResourceDef } from './resources.ts';
import { RESOURCES, VERBS, groups } from './resources.ts';

export const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.9-kube-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.12',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function subVerbs(sub: string): string[] {
  if (sub === 'log') return ['get'];
  return ['get', 'patch', 'update'];
}

function verbsFor(r: ResourceDef): string[] {
  return r.kind === 'Event' || r.kind === 'Namespace'
    ? VERBS.filter((v) => v !== 'deletecollection' || r.kind === 'Event')
    : VERBS;
}

function subKind(r: ResourceDef, sub: string): { group: string; version: string; kind: string } {
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (sub === 'log') return { group: '', version: 'v1', kind: 'Pod' };
  return { group: r.group, version: r.version, kind: r.kind };
}

function discoveryResource(r: ResourceDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: verbsFor(r),
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s,
      responseKind: subKind(r, s),
      verbs: subVerbs(s),
    }));
  }
  return out;
}

/** Aggregated discovery (apidiscovery.k8s.io v2 or v2beta1) for /api or /apis. */
export function aggregated(legacy: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items = legacy
    ? [
        {
          metadata: { creationTimestamp: null },
          versions: [
            {
              version: 'v1',
              resources: RESOURCES.filter((r) => r.group === '').map(discoveryResource),
              freshness: 'Current',
            },
          ],
        },
      ]
    : groups().map((g) => ({
        metadata: { name: g.group, creationTimestamp: null },
        versions: g.versions.map((v) => ({
          version: v,
          resources: RESOURCES.filter((r) => r.group === g.group && r.version === v).map(
            discoveryResource,
          ),
          freshness: 'Current',
        })),
      }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: vs, preferredVersion: vs[0] };
}

export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of rs) {
    const base: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsFor(r),
    };
    if (r.shortNames.length) base.shortNames = r.shortNames;
    if (r.categories.length) base.categories = r.categories;
    resources.push(base);
    for (const s of r.subresources) {
      const k = subKind(r, s);
      const sub: Record<string, unknown> = {
        name: `${r.plural}/${s}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: k.kind,
        verbs: subVerbs(s),
      };
      if (s === 'scale') {
        sub.group = k.group;
        sub.version = k.version;
      }
      resources.push(sub);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** Pick the discovery representation the Accept header asks for. */
export function negotiateDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | 'legacy' {
  for (const part of (accept ?? '').split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('g=apidiscovery.k8s.io') || !p.includes('as=APIGroupDiscoveryList')) continue;
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return 'legacy';
}
