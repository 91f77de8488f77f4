/** Facts about built-in kinds, from the generated schema (no Kubernetes client needed). */
import { kinds, source } from './kinds.generated.js';

export interface KindInfo {
  model: string;
  namespaced: boolean;
  plural: string;
}

/** Built-in kinds by `apiVersion/kind`, and where that list came from. */
export const kubernetesSchema: { source: string; kinds: Record<string, KindInfo> } = {
  source,
  kinds,
};

/** `apps/v1` + `Deployment` → its info, or undefined for kinds not built in (CRDs). */
export function builtinKind(apiVersion: string, kind: string): KindInfo | undefined {
  return kubernetesSchema.kinds[`${apiVersion}/${kind}`];
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Cluster-scoped kinds that are not built in but common (so namespace is not set on them). */
const CLUSTER_SCOPED_EXTRA = new Set([
  'ClusterIssuer',
  'ClusterServingRuntime',
  'ClusterStorageContainer',
  'ClusterSecretStore',
]);

export function isNamespaced(apiVersion: string, kind: string): boolean {
  const info = builtinKind(apiVersion, kind);
  if (info) return info.namespaced;
  // Built-in kinds under another version keep their scope (e.g. rbac v1beta1 ClusterRole).
  const sameKind = Object.entries(kubernetesSchema.kinds).find(([key]) => key.endsWith(`/${kind}`));
  if (
    sameKind &&
    groupOf(sameKind[0].slice(0, sameKind[0].lastIndexOf('/'))) === groupOf(apiVersion)
  ) {
    return sameKind[1].namespaced;
  }
  return !CLUSTER_SCOPED_EXTRA.has(kind);
}
