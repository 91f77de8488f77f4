/** KServe InferenceService (Standard/RawDeployment mode): predictor Deployment + Service, status. */
import { applyDefaults } from '../defaults.ts';
import type { KObj } from '../types.ts';
import { clone, deepEqual, isObj } from '../types.ts';
import type { Cond, Manager } from './manager.ts';
import { ownerRef, R, setCondition } from './manager.ts';
import { STORAGE_INITIALIZER } from '../storage-initializer.ts';
import {
  ensureRevisionService,
  propagateRolledOut,
  REVISION_LABEL,
  rolledOutStatus,
  trafficOf,
  type RolledOut,
} from './isvc-revisions.ts';

/** KServe's (Knative's) revisions of one InferenceService's predictor. */
interface Revisions extends RolledOut {
  uid: string;
  /** The predictor spec (without canaryTrafficPercent) of the latest created revision. */
  spec: unknown;
  count: number;
  latestCreated: string;
  latestReady?: string;
}

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
  private readonly revisions = new Map<string, Revisions>();

  constructor(m: Manager) {
    this.m = m;
    m.register('InferenceService', (ns, name) => this.reconcile(ns!, name));
  }

  /** KServe's storage-initializer, which downloads the model before the server starts. */
  private initContainers(pred: Record<string, unknown>): Record<string, unknown>[] {
    const model = isObj(pred.model) ? pred.model : undefined;
    let uri = model?.storageUri;
    if (uri === undefined) {
      const key = Object.keys(FORMAT_IMAGES).find((k) => isObj(pred[k]));
      if (key && isObj(pred[key])) uri = (pred[key] as Record<string, unknown>).storageUri;
    }
    if (typeof uri !== 'string') return [];
    return [
      {
        name: STORAGE_INITIALIZER,
        image: 'kserve/storage-initializer:v0.20.0',
        args: [uri, '/mnt/models'],
      },
    ];
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
    if (!isvc) {
      this.revisions.delete(`${ns}/${name}`);
      return;
    }
    const pred = isObj(isvc.spec?.predictor) ? isvc.spec.predictor : {};
    const depName = `${name}-predictor`;
    // A new revision per predictor spec change; the traffic split alone makes none.
    const revSpec: Record<string, unknown> = { ...pred };
    delete revSpec.canaryTrafficPercent;
    const key = `${ns}/${name}`;
    let revs = this.revisions.get(key);
    // A new InferenceService of the same name starts its revisions again.
    if (revs && revs.uid !== isvc.metadata.uid) revs = undefined;
    if (!revs || !deepEqual(revs.spec, revSpec)) {
      const count = (revs?.count ?? 0) + 1;
      revs = {
        ...revs,
        uid: isvc.metadata.uid,
        spec: clone(revSpec),
        count,
        latestCreated: `${depName}-${String(count).padStart(5, '0')}`,
      };
      this.revisions.set(key, revs);
      ensureRevisionService(this.m, isvc, revs.latestCreated);
    }
    const labels = {
      app: `isvc.${depName}`,
      'serving.kserve.io/inferenceservice': name,
      component: 'predictor',
    };
    const podLabels = { ...labels, [REVISION_LABEL]: revs.latestCreated };
    const inits = this.initContainers(pred);
    const desiredSpec: Record<string, unknown> = {
      replicas: typeof pred.minReplicas === 'number' ? Math.max(1, pred.minReplicas) : 1,
      selector: { matchLabels: { app: `isvc.${depName}` } },
      progressDeadlineSeconds: Number(
        isvc.metadata.annotations?.['serving.kserve.io/progress-deadline-seconds'] ?? 600,
      ),
      template: {
        metadata: { labels: podLabels },
        spec: {
          ...(inits.length > 0 ? { initContainers: inits } : {}),
          containers: this.containers(pred),
        },
      },
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
      const curSpec = isObj(curTemplate.spec) ? curTemplate.spec : {};
      const wantSpec = want.spec as Record<string, unknown>;
      const view = (spec: Record<string, unknown>, labels: unknown): unknown => ({
        labels,
        init: spec.initContainers ?? [],
        containers: ((spec.containers ?? []) as Record<string, unknown>[]).map((c) => ({
          image: c.image,
          name: c.name,
        })),
      });
      const curMeta = isObj(curTemplate.metadata) ? curTemplate.metadata : {};
      const same =
        cur.replicas === desiredSpec.replicas &&
        deepEqual(view(curSpec, curMeta.labels), view(wantSpec, podLabels));
      if (!same) {
        const next = clone(dep);
        const spec: Record<string, unknown> = { ...curSpec, containers: wantSpec.containers };
        if (inits.length > 0) spec.initContainers = inits;
        else delete spec.initContainers;
        next.spec = {
          ...cur,
          replicas: desiredSpec.replicas,
          template: { ...curTemplate, metadata: { ...curMeta, labels: podLabels }, spec },
        };
        next.metadata.generation = (dep.metadata.generation ?? 1) + 1;
        dep = store.update(R.deploy, next);
      }
    }
    this.status(isvc, dep, revs, pred);
  }

  /** The storage-initializer failure of a pod of `revision`, if one failed to download. */
  private loadFailure(
    ns: string,
    name: string,
    revision: string,
  ): { pod: string; message: string } | undefined {
    for (const pod of this.m.store.list(R.pod, ns)) {
      const l = pod.metadata.labels ?? {};
      if (l['serving.kserve.io/inferenceservice'] !== name || l[REVISION_LABEL] !== revision)
        continue;
      const inits = (pod.status?.initContainerStatuses ?? []) as {
        name?: string;
        state?: { terminated?: { exitCode?: number; message?: string } };
        lastState?: { terminated?: { exitCode?: number; message?: string } };
      }[];
      const s = inits.find((c) => c.name === STORAGE_INITIALIZER);
      const t = s?.state?.terminated ?? s?.lastState?.terminated;
      if (t && t.exitCode !== 0) return { pod: pod.metadata.name, message: t.message ?? 'Error' };
    }
    return undefined;
  }

  private status(isvc: KObj, dep: KObj, revs: Revisions, spec: Record<string, unknown>): void {
    const ns = isvc.metadata.namespace!;
    const name = isvc.metadata.name;
    const dconds = (dep.status?.conditions ?? []) as Cond[];
    const available = dconds.find((c) => c.type === 'Available');
    const progressing = dconds.find((c) => c.type === 'Progressing');
    const fresh =
      (dep.status?.observedGeneration as number | undefined) === dep.metadata.generation;
    const depLabels = (
      isObj(dep.spec?.template) && isObj(dep.spec.template.metadata)
        ? dep.spec.template.metadata.labels
        : undefined
    ) as Record<string, string> | undefined;
    const current = depLabels?.[REVISION_LABEL] === revs.latestCreated;
    const download = this.loadFailure(ns, name, revs.latestCreated);
    let conds = ((isvc.status?.conditions ?? []) as Cond[]).map((c) => ({ ...c }));
    let pred: Cond;
    if (download) {
      pred = {
        type: 'PredictorReady',
        status: 'False',
        reason: 'RevisionFailed',
        message: `Revision "${revs.latestCreated}" failed with message: ${download.message}.`,
      };
    } else if (fresh && current && progressing?.status === 'False' && progressing.message) {
      pred = {
        type: 'PredictorReady',
        status: 'False',
        reason: progressing.reason,
        message: progressing.message,
      };
    } else if (
      fresh &&
      current &&
      available?.status === 'True' &&
      Number(dep.status?.updatedReplicas ?? 0) >= Number(dep.spec?.replicas ?? 1) &&
      // Every pod is of the latest revision, and enough of them are available.
      Number(dep.status?.replicas ?? 0) <= Number(dep.status?.updatedReplicas ?? 0) &&
      Number(dep.status?.availableReplicas ?? 0) >= Number(dep.spec?.replicas ?? 1)
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
    if (ready && revs.latestReady !== revs.latestCreated) revs.latestReady = revs.latestCreated;
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
    // Knative routes only to ready revisions: a canary split needs the new one ready.
    const canary =
      typeof spec.canaryTrafficPercent === 'number' ? spec.canaryTrafficPercent : undefined;
    const traffic = trafficOf(ready, canary, revs.latestCreated, revs.latestReady, revs);
    propagateRolledOut(revs, revs.latestReady, traffic);
    const serving = revs.latestReady !== undefined;
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
              lastFailureInfo: download
                ? {
                    location: download.pod,
                    reason: 'ModelLoadFailed',
                    message: download.message,
                    exitCode: 1,
                  }
                : {
                    location: `${name}-predictor`,
                    reason: 'ModelLoadFailed',
                    message: pred.message ?? '',
                  },
            }
          : {}),
      },
      components: {
        predictor: {
          latestCreatedRevision: revs.latestCreated,
          ...(revs.latestReady ? { latestReadyRevision: revs.latestReady } : {}),
          ...rolledOutStatus(revs),
          ...(serving
            ? {
                url: `http://${name}-predictor-${ns}.example.com`,
                address: { url: `http://${name}-predictor.${ns}.svc.cluster.local` },
                traffic,
              }
            : {}),
        },
      },
    };
    if (serving) {
      status.url = `http://${name}-${ns}.example.com`;
      status.address = { url: `http://${name}-predictor.${ns}.svc.cluster.local` };
    }
    const cur = this.m.store.get(R.isvc, ns, name);
    if (cur) this.m.writeStatus(R.isvc, cur, status);
  }
}
