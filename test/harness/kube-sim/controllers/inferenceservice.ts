/** KServe InferenceService (Standard/RawDeployment mode): predictor Deployment + Service, status. */
import { applyDefaults } from '../defaults.ts';
import type { KObj } from '../types.ts';
import { clone, deepEqual, isObj } from '../types.ts';
import type { Cond, Manager } from './manager.ts';
import { ownerRef, R, setCondition } from './manager.ts';

function withDefaults(o: KObj): KObj {
  applyDefaults(o);
  return o;
}

const FORMAT_IMAGES: Record<string, string> = {
  sklearn: 'kserve/sklearnserver:v0.20.0',
  xgboost: 'kserve/xgbserver:v0.20.0',
  lightgbm: 'kserve/lgbserver:v0.20.0',
  pytorch: 'pytorch/torchserve-kfs:0.9.0',
  tensorflow: 'tensorflow/serving:2.6.2',
  onnx: 'mcr.microsoft.com/onnxruntime/server:v1.0.0',
  triton: 'nvcr.io/nvidia/tritonserver:23.05-py3',
  huggingface: 'kserve/huggingfaceserver:v0.20.0',
};

export class InferenceServiceController {
  private readonly m: Manager;

  constructor(m: Manager) {
    this.m = m;
    m.register('InferenceService', (ns, name) => this.reconcile(ns!, name));
  }

  private containers(pred: Record<string, unknown>): Record<string, unknown>[] {
    if (Array.isArray(pred.containers) && pred.containers.length > 0) {
      return clone(pred.containers as Record<string, unknown>[]).map((c) => ({
        name: 'kserve-container',
        ...c,
      }));
    }
    const model = isObj(pred.model) ? pred.model : undefined;
    let format = isObj(model?.modelFormat)
      ? String(model.modelFormat.name ?? 'sklearn')
      : undefined;
    let storageUri = model?.storageUri;
    if (!format) {
      const key = Object.keys(FORMAT_IMAGES).find((k) => isObj(pred[k]));
      format = key ?? 'sklearn';
      if (key && isObj(pred[key])) storageUri = (pred[key] as Record<string, unknown>).storageUri;
    }
    const image = model?.image ?? FORMAT_IMAGES[format] ?? `kserve/${format}server:v0.20.0`;
    return [
      {
        name: 'kserve-container',
        image,
        args: ['--model_name', 'model'],
        env: storageUri ? [{ name: 'STORAGE_URI', value: String(storageUri) }] : [],
      },
    ];
  }

  reconcile(ns: string, name: string): void {
    const store = this.m.store;
    const isvc = store.get(R.isvc, ns, name);
    if (!isvc) return;
    const pred = isObj(isvc.spec?.predictor) ? isvc.spec.predictor : {};
    const depName = `${name}-predictor`;
    const labels = {
      app: `isvc.${depName}`,
      'serving.kserve.io/inferenceservice': name,
      component: 'predictor',
    };
    const desiredSpec: Record<string, unknown> = {
      replicas: typeof pred.minReplicas === 'number' ? Math.max(1, pred.minReplicas) : 1,
      selector: { matchLabels: { app: `isvc.${depName}` } },
      progressDeadlineSeconds: Number(
        isvc.metadata.annotations?.['serving.kserve.io/progress-deadline-seconds'] ?? 600,
      ),
      template: { metadata: { labels }, spec: { containers: this.containers(pred) } },
    };
    let dep = store.get(R.deploy, ns, depName);
    if (!dep) {
      dep = store.create(
        R.deploy,
        withDefaults({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {
            name: depName,
            namespace: ns,
            uid: '',
            resourceVersion: '',
            creationTimestamp: '',
            labels,
            ownerReferences: [ownerRef(isvc)],
          },
          spec: desiredSpec,
        }),
      );
      store.create(
        R.svc,
        withDefaults({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name: depName,
            namespace: ns,
            uid: '',
            resourceVersion: '',
            creationTimestamp: '',
            labels,
            ownerReferences: [ownerRef(isvc)],
          },
          spec: {
            type: 'ClusterIP',
            selector: { app: `isvc.${depName}` },
            ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
          },
        }),
      );
    } else {
      const cur = dep.spec ?? {};
      const curTemplate = isObj(cur.template) ? cur.template : {};
      const want = desiredSpec.template as Record<string, unknown>;
      const curContainers = (isObj(curTemplate.spec) ? curTemplate.spec.containers : []) as Record<
        string,
        unknown
      >[];
      const same =
        cur.replicas === desiredSpec.replicas &&
        deepEqual(
          curContainers.map((c) => ({ image: c.image, name: c.name })),
          ((want.spec as Record<string, unknown>).containers as Record<string, unknown>[]).map(
            (c) => ({ image: c.image, name: c.name }),
          ),
        );
      if (!same) {
        const next = clone(dep);
        next.spec = {
          ...cur,
          replicas: desiredSpec.replicas,
          template: {
            ...curTemplate,
            spec: {
              ...(isObj(curTemplate.spec) ? curTemplate.spec : {}),
              containers: (want.spec as Record<string, unknown>).containers,
            },
          },
        };
        next.metadata.generation = (dep.metadata.generation ?? 1) + 1;
        dep = store.update(R.deploy, next);
      }
    }
    this.status(isvc, dep);
  }

  private status(isvc: KObj, dep: KObj): void {
    const ns = isvc.metadata.namespace!;
    const name = isvc.metadata.name;
    const dconds = (dep.status?.conditions ?? []) as Cond[];
    const available = dconds.find((c) => c.type === 'Available');
    const progressing = dconds.find((c) => c.type === 'Progressing');
    const fresh =
      (dep.status?.observedGeneration as number | undefined) === dep.metadata.generation;
    let conds = ((isvc.status?.conditions ?? []) as Cond[]).map((c) => ({ ...c }));
    let pred: Cond;
    if (fresh && progressing?.status === 'False' && progressing.message) {
      pred = {
        type: 'PredictorReady',
        status: 'False',
        reason: progressing.reason,
        message: progressing.message,
      };
    } else if (
      fresh &&
      available?.status === 'True' &&
      Number(dep.status?.updatedReplicas ?? 0) >= Number(dep.spec?.replicas ?? 1)
    ) {
      pred = { type: 'PredictorReady', status: 'True' };
    } else {
      pred = {
        type: 'PredictorReady',
        status: 'Unknown',
        reason: 'PredictorNotReady',
        message: 'Predictor deployment is not ready yet',
      };
    }
    const ready = pred.status === 'True';
    const strip = (c: Cond): Cond => {
      const out: Cond = { ...c };
      delete out.lastUpdateTime;
      return out;
    };
    conds = setCondition(conds, pred, false);
    conds = setCondition(
      conds,
      ready
        ? { type: 'IngressReady', status: 'True' }
        : {
            type: 'IngressReady',
            status: 'False',
            reason: 'PredictorIngressNotCreated',
            message: 'Predictor ingress not created',
          },
      false,
    );
    conds = setCondition(
      conds,
      pred.status === 'False'
        ? { ...pred, type: 'Ready' }
        : ready
          ? { type: 'Ready', status: 'True' }
          : {
              type: 'Ready',
              status: 'False',
              reason: 'PredictorIngressNotCreated',
              message: 'Predictor ingress not created',
            },
      false,
    );
    conds = conds.map(strip).sort((a, b) => (a.type < b.type ? -1 : 1));
    const failed = pred.status === 'False';
    const total = Number(dep.spec?.replicas ?? 1);
    const status: Record<string, unknown> = {
      observedGeneration: isvc.metadata.generation ?? 1,
      deploymentMode: 'Standard',
      conditions: conds,
      modelStatus: {
        transitionStatus: failed ? 'BlockedByFailedLoad' : ready ? 'UpToDate' : 'InProgress',
        states: {
          activeModelState: failed ? 'FailedToLoad' : ready ? 'Loaded' : 'Pending',
          targetModelState: failed ? 'FailedToLoad' : ready ? 'Loaded' : 'Loading',
        },
        copies: { failedCopies: failed ? total : 0, totalCopies: total },
        ...(failed
          ? {
              lastFailureInfo: {
                location: `${name}-predictor`,
                reason: 'ModelLoadFailed',
                message: pred.message ?? '',
              },
            }
          : {}),
      },
      components: {
        predictor: ready
          ? {
              url: `http://${name}-predictor-${ns}.example.com`,
              address: { url: `http://${name}-predictor.${ns}.svc.cluster.local` },
            }
          : {},
      },
    };
    if (ready) {
      status.url = `http://${name}-${ns}.example.com`;
      status.address = { url: `http://${name}-predictor.${ns}.svc.cluster.local` };
    }
    const cur = this.m.store.get(R.isvc, ns, name);
    if (cur) this.m.writeStatus(R.isvc, cur, status);
  }
}
