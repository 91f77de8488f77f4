/** Reads the manifests, checks each document is a Kubernetes object, and orders them for apply. */
import { readFile } from 'node:fs/promises';
import { InputError, LocatedError, LocatedErrors } from '../../shared/errors.ts';
import { resolveManifestSources, type ManifestSource } from '../../shared/files.ts';
import { pluralOf, type KubeObject } from '../../shared/kube/index.ts';
import { isNamespaced } from '../../shared/kubernetes/kinds.ts';
import { isRecord } from '../../shared/server-values.ts';
import {
  manifestDocuments,
  manifestIdentity,
  type ManifestDocument,
} from '../../shared/manifests.ts';

export interface Manifest {
  object: KubeObject;
  apiVersion: string;
  kind: string;
  name: string;
  /** undefined for cluster-scoped kinds. */
  namespace: string | undefined;
  plural: string;
  file: string;
  line: number | undefined;
}

/** Apply order: namespaces and CRDs, config, workloads, then what points at workloads. */
const ORDER: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 2,
  StorageClass: 2,
  ServiceAccount: 3,
  ClusterRole: 3,
  ClusterRoleBinding: 4,
  Role: 3,
  RoleBinding: 4,
  ResourceQuota: 3,
  LimitRange: 3,
  NetworkPolicy: 3,
  ConfigMap: 5,
  Secret: 5,
  PersistentVolume: 5,
  PersistentVolumeClaim: 6,
  ServingRuntime: 6,
  ClusterServingRuntime: 6,
  Deployment: 10,
  StatefulSet: 10,
  DaemonSet: 10,
  InferenceService: 10,
  ReplicaSet: 10,
  Job: 10,
  CronJob: 10,
  Pod: 10,
  Service: 20,
  HorizontalPodAutoscaler: 21,
  PodDisruptionBudget: 21,
  Ingress: 22,
};

export function applyRank(kind: string): number {
  return ORDER[kind] ?? 15;
}

/** Why a document is not a Kubernetes object this action can apply, or undefined. */
function documentProblem(doc: ManifestDocument): string | undefined {
  const { value } = doc;
  if (isRecord(value) && value.kind === 'List' && Array.isArray(value.items))
    return 'kind List is not supported; write one document per object';
  if (!isRecord(value))
    return `document ${doc.index + 1} is not a Kubernetes object (it is not a YAML mapping)`;
  const id = manifestIdentity(value);
  const missing = [
    ...(id.apiVersion === undefined ? ['apiVersion'] : []),
    ...(id.kind === undefined ? ['kind'] : []),
    ...(id.name === undefined ? ['metadata.name'] : []),
  ];
  if (missing.length > 0)
    return `document ${doc.index + 1} is not a Kubernetes object (${missing.join(', ')} missing)`;
  if (id.name === '')
    return `document ${doc.index + 1} is not a Kubernetes object (metadata.name is empty)`;
  return undefined;
}

/** A valid document as a Manifest; objects without a namespace get `defaultNamespace`. */
function manifestOf(doc: ManifestDocument, defaultNamespace: string): Manifest {
  const value = doc.value as Record<string, unknown>;
  const metadata = value.metadata as Record<string, unknown>;
  const id = manifestIdentity(value);
  const apiVersion = id.apiVersion ?? '';
  const kind = id.kind ?? '';
  const namespace = isNamespaced(apiVersion, kind) ? id.namespace || defaultNamespace : undefined;
  const object = {
    ...value,
    metadata: { ...metadata, ...(namespace ? { namespace } : {}) },
  } as unknown as KubeObject;
  return {
    object,
    apiVersion,
    kind,
    name: id.name ?? '',
    namespace,
    plural: pluralOf(apiVersion, kind),
    file: doc.file,
    line: doc.line,
  };
}

async function readManifestFile(source: ManifestSource): Promise<ManifestDocument[]> {
  if (source.type === 'kustomization') {
    throw new InputError(
      `Input 'manifests': ${source.dir} is a kustomization (${source.kustomizationFile}); render it with render-manifests first and pass its manifests-path output.`,
    );
  }
  return manifestDocuments(await readFile(source.abs, 'utf8'), source.file);
}

/**
 * Loads every manifest; a document that is not a Kubernetes object (no apiVersion, kind or
 * metadata.name) is an error annotated at its file and line. Objects without a namespace get
 * `defaultNamespace`. Returned in apply order (stable within a rank).
 */
export async function loadManifests(
  patterns: readonly string[],
  workspace: string,
  defaultNamespace: string,
): Promise<Manifest[]> {
  const sources = await resolveManifestSources(patterns, workspace);
  const result: Manifest[] = [];
  const problems: LocatedError[] = [];
  for (const source of sources) {
    for (const doc of await readManifestFile(source)) {
      const problem = documentProblem(doc);
      if (problem === undefined) result.push(manifestOf(doc, defaultNamespace));
      else
        problems.push(
          new LocatedError(`${doc.file}:${doc.line ?? 1}: ${problem}`, doc.file, doc.line),
        );
    }
  }
  if (problems.length === 1 && problems[0]) throw problems[0];
  if (problems.length > 1) {
    throw new LocatedErrors(`${problems.length} manifests are not Kubernetes objects`, problems);
  }
  if (result.length === 0) {
    throw new InputError(
      `Input 'manifests' matched ${sources.length} file(s) but no Kubernetes objects in them.`,
    );
  }
  return result
    .map((m, i) => ({ m, i }))
    .sort((a, b) => applyRank(a.m.kind) - applyRank(b.m.kind) || a.i - b.i)
    .map(({ m }) => m);
}
