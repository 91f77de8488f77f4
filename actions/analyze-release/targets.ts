/**
 * Where the load goes: a URL (`url`, `baseline-url`), or a Service reached through the
 * Kubernetes API server's service proxy (`service`, `baseline-service`: `[namespace/]name[:port]`;
 * `inference-service`: `[namespace/]name`, KServe's `<name>-predictor` Service) with the
 * job's kubeconfig, so the runner needs no network path into the cluster.
 */
import * as path from 'node:path';
import { InputError } from '../../shared/errors.ts';
import { DNS_LABEL, type Inputs } from '../../shared/inputs.ts';

export type TargetSpec =
  | { kind: 'url'; url: string }
  | {
      kind: 'service';
      namespace: string | undefined;
      name: string;
      port: string | undefined;
      /** `service iris` or `inference-service iris`, for messages. */
      label: string;
    };

const SERVICE = /^(?:([a-z0-9-]{1,63})\/)?([a-z0-9-]{1,63})(?::([a-z0-9-]{1,63}))?$/;

function parseService(name: string, value: string, withPort: boolean): TargetSpec {
  const m = SERVICE.exec(value);
  const [, ns, svc = '', port] = m ?? [];
  const ok =
    m &&
    (ns === undefined || DNS_LABEL.test(ns)) &&
    DNS_LABEL.test(svc) &&
    (port === undefined || (withPort && /^([1-9]\d{0,4}|[a-z][a-z0-9-]{0,14})$/.test(port)));
  if (!ok) {
    const form = withPort ? '[namespace/]name[:port]' : '[namespace/]name';
    throw new InputError(
      `Input '${name}' must be ${form}, e.g. ${withPort ? 'models/iris:8080' : 'models/iris'} (got "${value}").`,
    );
  }
  const isvc = name === 'inference-service';
  return {
    kind: 'service',
    namespace: ns,
    name: isvc ? `${svc}-predictor` : svc,
    port,
    label: `${name} ${value}`,
  };
}

/** The candidate: exactly one of `url`, `service`, `inference-service`. */
export function candidateTarget(inputs: Inputs): TargetSpec {
  const which = inputs.exactlyOneOf('url', 'service', 'inference-service');
  const value = inputs.required(which);
  if (which === 'url') {
    inputs.url('url');
    return { kind: 'url', url: value };
  }
  return parseService(which, value, which === 'service');
}

/** The baseline: at most one of `baseline-url`, `baseline-service`. */
export function baselineTarget(inputs: Inputs): TargetSpec | undefined {
  const which = inputs.atMostOneOf('baseline-url', 'baseline-service');
  if (which === undefined) return undefined;
  const value = inputs.required(which);
  if (which === 'baseline-url') {
    inputs.url('baseline-url');
    return { kind: 'url', url: value };
  }
  return parseService(which, value, true);
}

/**
 * The InferenceService an `inference-service` target names (parseService made its label and
 * its `<name>-predictor` Service name from the validated input); undefined for other targets.
 */
export function inferenceServiceOf(
  spec: TargetSpec | undefined,
): { namespace: string | undefined; name: string } | undefined {
  if (spec?.kind !== 'service' || !spec.label.startsWith('inference-service ')) return undefined;
  return { namespace: spec.namespace, name: spec.name.replace(/-predictor$/, '') };
}

/**
 * A baseline is given, or may come at run time: an `inference-service` that holds a canary
 * is judged against its stable revision (canary-targets.ts).
 */
export function baselineMayCome(
  candidate: TargetSpec | undefined,
  baseline: TargetSpec | undefined,
): boolean {
  // Metrics only (no candidate): nothing is loaded, so nothing is compared.
  return (
    baseline !== undefined ||
    (candidate !== undefined && inferenceServiceOf(candidate) !== undefined)
  );
}

/** The kubeconfig for service targets: the input, else the first file of KUBECONFIG. */
export function kubeconfigFor(inputs: Inputs, env: NodeJS.ProcessEnv, workspace: string): string {
  const given =
    inputs.optional('kubeconfig') ??
    env.KUBECONFIG?.split(path.delimiter).find((p) => p.trim() !== '');
  if (!given) {
    throw new InputError(
      "No kubeconfig for 'service' / 'inference-service' / 'baseline-service' / 'hpa': set input 'kubeconfig', or run setup-cluster-auth first (it exports KUBECONFIG).",
    );
  }
  return path.resolve(workspace, given);
}

/** The URL of a target: `url` + path, or the API server's service proxy + path. */
export function targetUrl(
  spec: TargetSpec,
  requestPath: string,
  cluster?: { server: string; namespace: string | undefined },
): string {
  if (spec.kind === 'url') return spec.url.replace(/\/+$/, '') + requestPath;
  if (!cluster) throw new Error(`${spec.label} needs a cluster connection`);
  const ns = spec.namespace ?? cluster.namespace ?? 'default';
  const svc = spec.port ? `${spec.name}:${spec.port}` : spec.name;
  return `${cluster.server}/api/v1/namespaces/${ns}/services/${svc}/proxy${requestPath}`;
}
