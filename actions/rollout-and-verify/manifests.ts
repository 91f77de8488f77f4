/** Reads the manifests, checks each document is a Kubernetes object, and orders them for apply. */
import { readFile } from 'node:fs/promises';
import { InputError, LocatedError, LocatedErrors } from '../../shared/errors.ts';
import { resolveManifestSources } from '../../shared/files.ts';
import { pluralOf, type KubeObject } from '../../shared/kube/index.ts';
import { isNamespaced } from '../../shared/kubernetes/kinds.ts';
import { lineOf, parseYamlFile } from '../../shared/yaml.ts';

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
    if (source.type === 'kustomization') {
      throw new InputError(
        `Input 'manifests': ${source.dir} is a kustomization (${source.kustomizationFile}); render it with render-manifests first and pass its manifests-path output.`,
      );
    }
    const { abs, file } = source;
    const docs = parseYamlFile(await readFile(abs, 'utf8'), file);
    for (const doc of docs) {
      const value: unknown = doc.doc.toJS();
      const line = lineOf(doc, []);
      if (isRecord(value) && value.kind === 'List' && Array.isArray(value.items)) {
        problems.push(
          new LocatedError(
            `${file}:${line ?? 1}: kind List is not supported; write one document per object`,
            file,
            line,
          ),
        );
        continue;
      }
      const metadata = isRecord(value) ? value.metadata : undefined;
      if (
        !isRecord(value) ||
        typeof value.apiVersion !== 'string' ||
        typeof value.kind !== 'string' ||
        !isRecord(metadata) ||
        typeof metadata.name !== 'string' ||
        metadata.name === ''
      ) {
        const missing = !isRecord(value)
          ? 'it is not a YAML mapping'
          : ['apiVersion', 'kind']
              .filter((k) => typeof value[k] !== 'string')
              .concat(
                isRecord(metadata) && typeof metadata.name === 'string' ? [] : ['metadata.name'],
              )
              .join(', ') + ' missing';
        problems.push(
          new LocatedError(
            `${file}:${line ?? 1}: document ${doc.index + 1} is not a Kubernetes object (${missing})`,
            file,
            line,
          ),
        );
        continue;
      }
      const apiVersion = value.apiVersion;
      const kind = value.kind;
      const namespaced = isNamespaced(apiVersion, kind);
      const namespace = namespaced
        ? typeof metadata.namespace === 'string' && metadata.namespace
          ? metadata.namespace
          : defaultNamespace
        : undefined;
      const object = {
        ...value,
        metadata: { ...metadata, ...(namespace ? { namespace } : {}) },
      } as unknown as KubeObject;
      result.push({
        object,
        apiVersion,
        kind,
        name: metadata.name,
        namespace,
        plural: pluralOf(apiVersion, kind),
        file,
        line,
      });
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
