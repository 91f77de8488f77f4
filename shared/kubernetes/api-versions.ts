/**
 * Which built-in group/versions a Kubernetes minor version serves, from the Kubernetes
 * deprecation guide: a manifest for a removed API fails to apply, so render-manifests
 * reports it before anything reaches a cluster.
 */
export interface ApiLifecycle {
  /** `group/version` (core: `v1`) */
  groupVersion: string;
  kinds?: readonly string[];
  /** First minor version that no longer serves it. */
  removedIn?: number;
  /** First minor version that serves it (only listed where users may target older clusters). */
  introducedIn?: number;
  replacement?: string;
}

export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  {
    groupVersion: 'extensions/v1beta1',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet', 'NetworkPolicy'],
    removedIn: 16,
    replacement: 'apps/v1 (networking.k8s.io/v1 for NetworkPolicy)',
  },
  { groupVersion: 'apps/v1beta1', removedIn: 16, replacement: 'apps/v1' },
  { groupVersion: 'apps/v1beta2', removedIn: 16, replacement: 'apps/v1' },
  {
    groupVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    removedIn: 22,
    replacement: 'networking.k8s.io/v1',
  },
  { groupVersion: 'networking.k8s.io/v1beta1', removedIn: 22, replacement: 'networking.k8s.io/v1' },
  {
    groupVersion: 'apiextensions.k8s.io/v1beta1',
    removedIn: 22,
    replacement: 'apiextensions.k8s.io/v1',
  },
  {
    groupVersion: 'admissionregistration.k8s.io/v1beta1',
    removedIn: 22,
    replacement: 'admissionregistration.k8s.io/v1',
  },
  {
    groupVersion: 'rbac.authorization.k8s.io/v1beta1',
    removedIn: 22,
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    groupVersion: 'certificates.k8s.io/v1beta1',
    removedIn: 22,
    replacement: 'certificates.k8s.io/v1',
  },
  {
    groupVersion: 'coordination.k8s.io/v1beta1',
    removedIn: 22,
    replacement: 'coordination.k8s.io/v1',
  },
  { groupVersion: 'scheduling.k8s.io/v1beta1', removedIn: 22, replacement: 'scheduling.k8s.io/v1' },
  {
    groupVersion: 'apiregistration.k8s.io/v1beta1',
    removedIn: 22,
    replacement: 'apiregistration.k8s.io/v1',
  },
  {
    groupVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    removedIn: 22,
    replacement: 'storage.k8s.io/v1',
  },
  { groupVersion: 'batch/v1beta1', removedIn: 25, replacement: 'batch/v1' },
  { groupVersion: 'discovery.k8s.io/v1beta1', removedIn: 25, replacement: 'discovery.k8s.io/v1' },
  { groupVersion: 'events.k8s.io/v1beta1', removedIn: 25, replacement: 'events.k8s.io/v1' },
  { groupVersion: 'autoscaling/v2beta1', removedIn: 25, replacement: 'autoscaling/v2' },
  {
    groupVersion: 'policy/v1beta1',
    removedIn: 25,
    replacement: 'policy/v1 (PodSecurityPolicy has no replacement)',
  },
  { groupVersion: 'node.k8s.io/v1beta1', removedIn: 25, replacement: 'node.k8s.io/v1' },
  { groupVersion: 'autoscaling/v2beta2', removedIn: 26, replacement: 'autoscaling/v2' },
  {
    groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    removedIn: 26,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    groupVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    removedIn: 27,
    replacement: 'storage.k8s.io/v1',
  },
  {
    groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    removedIn: 29,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    removedIn: 32,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  { groupVersion: 'networking.k8s.io/v1', kinds: ['Ingress', 'IngressClass'], introducedIn: 19 },
  { groupVersion: 'batch/v1', kinds: ['CronJob'], introducedIn: 21 },
  { groupVersion: 'policy/v1', introducedIn: 21 },
  { groupVersion: 'discovery.k8s.io/v1', introducedIn: 21 },
  { groupVersion: 'autoscaling/v2', introducedIn: 23 },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1', introducedIn: 29 },
];

export interface KubernetesVersion {
  major: 1;
  minor: number;
}

/** Accepts `1.32`, `v1.32`, `1.32.4`, `v1.32.4-gke.100`. */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const m = /^v?1\.(\d{1,2})(?:\.\d+)?(?:[-+][\w.-]+)?$/.exec(text.trim());
  return m ? { major: 1, minor: Number(m[1]) } : undefined;
}

/** Why `apiVersion`/`kind` cannot be applied to a cluster of `version`, or undefined. */
export function apiAvailabilityProblem(
  apiVersion: string,
  kind: string,
  version: KubernetesVersion,
): string | undefined {
  for (const entry of API_LIFECYCLE) {
    if (entry.groupVersion !== apiVersion) continue;
    if (entry.kinds && !entry.kinds.includes(kind)) continue;
    if (entry.removedIn !== undefined && version.minor >= entry.removedIn) {
      return `${apiVersion} ${kind} is no longer served since Kubernetes 1.${entry.removedIn} (target 1.${version.minor}); use ${entry.replacement ?? 'a current version'}`;
    }
    if (entry.introducedIn !== undefined && version.minor < entry.introducedIn) {
      return `${apiVersion} ${kind} is served from Kubernetes 1.${entry.introducedIn} on (target 1.${version.minor})`;
    }
  }
  return undefined;
}

/**
 * The versions the bundled CRDs serve, by `group/Kind` (the `served` versions in
 * crd-schemas.json; a test keeps the two equal). A cluster with that CRD serves no other
 * version of the kind. Other kinds of the same group (KServe's ServingRuntime, InferenceGraph)
 * have no bundled CRD and pass through, as every unknown kind does.
 */
export const CRD_SERVED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'serving.kserve.io/InferenceService': ['v1beta1'],
};

/** Why a bundled CRD's kind at a version its CRD does not serve cannot be applied, or undefined. */
export function unservedCrdVersionProblem(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const served = CRD_SERVED_VERSIONS[`${group}/${kind}`];
  if (!served || served.includes(apiVersion.slice(slash + 1))) return undefined;
  const servedText = served.map((v) => `${group}/${v}`).join(', ');
  return `${apiVersion} ${kind} is not served: the ${kind} CRD serves only ${servedText} (the API server answers: no matches for kind "${kind}" in version "${apiVersion}"); use ${servedText}`;
}
