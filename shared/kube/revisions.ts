/**
 * Revision names as the cluster reports them (Knative/KServe revisions, ControllerRevisions, a
 * Deployment's revision number) and KServe's traffic split, checked before they reach a path,
 * a log line or an output (the rule of shared/server-values.ts): a name that does not fit is
 * shown JSON-quoted (control characters visible, on one line) and never used. Also the canary
 * split KServe holds, read the same way by rollout-and-verify and analyze-release.
 */
import { checkedServerString, isRecord, shownValue } from '../server-values.ts';
import { generationObserved, observedGeneration } from './generation.ts';
import type { KubeObject } from './types.ts';

/** A revision name: a DNS-1123 label (it is also a label value and a URL path segment). */
export const REVISION = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The revision name when it is one, else '' (for an output). */
export function checkedRevision(name: unknown): string {
  return typeof name === 'string' && REVISION.test(name) ? name : '';
}

/** A revision name as a message shows it: as is when it is one, else JSON-quoted. */
export function shownRevision(name: unknown): string {
  return checkedRevision(name) || shownValue(name);
}

export interface TrafficEntry {
  revisionName?: unknown;
  percent?: unknown;
}

/** KServe's traffic split as messages show it: `<revision> <percent> %`, names checked. */
export function shownTraffic(p: { traffic?: readonly TrafficEntry[] }): string {
  const entry = (t: TrafficEntry): string =>
    `${t.revisionName === undefined ? '?' : shownRevision(t.revisionName)} ${Number(t.percent ?? 0)} %`;
  return (p.traffic ?? []).map(entry).join(', ');
}

/** KServe's `status.components.predictor` (the part both canary readers use). */
export interface TrafficTarget {
  revisionName?: string;
  percent?: number;
  latestRevision?: boolean;
  tag?: string;
}

export interface PredictorStatus {
  latestCreatedRevision?: string;
  latestReadyRevision?: string;
  traffic?: TrafficTarget[];
}

export function predictorStatus(obj: KubeObject | undefined): PredictorStatus {
  const status = (obj?.status ?? {}) as { components?: { predictor?: PredictorStatus } };
  return status.components?.predictor ?? {};
}

/** spec.predictor.canaryTrafficPercent when it is set. */
export function canaryPercent(spec: unknown): number | undefined {
  const predictor = isRecord(spec) ? spec.predictor : undefined;
  const p = isRecord(predictor) ? predictor.canaryTrafficPercent : undefined;
  return typeof p === 'number' ? p : undefined;
}

/** A canary KServe holds: the latest ready revision at `percent`, the rest on `stable`. */
export interface CanarySplit {
  percent: number;
  /** The latest ready revision (the traffic target with latestRevision: true). */
  canary: string;
  /** The revision with the rest of the traffic (tag prev: KServe's latestRolledoutRevision). */
  stable: string;
}

/**
 * The canary split an InferenceService holds (rollout-and-verify `canary: hold`), read from a
 * status that has observed the spec; else what was found instead, for a message. Revision
 * names that are not DNS labels throw (they go into API paths).
 */
export function canarySplit(obj: KubeObject): { split?: CanarySplit; found: string } {
  const percent = canaryPercent(obj.spec);
  const p = predictorStatus(obj);
  const traffic = shownTraffic(p) || 'none';
  if (percent === undefined) {
    return { found: `spec.predictor.canaryTrafficPercent is not set (traffic: ${traffic})` };
  }
  if (!generationObserved(obj)) {
    return {
      found: `its status has not observed generation ${obj.metadata.generation ?? 0} yet (observed ${observedGeneration(obj)}; traffic: ${traffic})`,
    };
  }
  const latest = p.traffic?.find((t) => t.latestRevision === true)?.revisionName;
  const stable = p.traffic?.find((t) => t.latestRevision !== true && t.revisionName !== latest);
  if (!latest || !stable?.revisionName || latest !== p.latestReadyRevision) {
    return {
      found: `canaryTrafficPercent ${percent} but no split between a ready canary and a stable revision (latest ready: ${p.latestReadyRevision === undefined ? 'none' : shownRevision(p.latestReadyRevision)}; traffic: ${traffic})`,
    };
  }
  const canary = checkedServerString(latest, REVISION, 'the canary revision name');
  const stableName = checkedServerString(stable.revisionName, REVISION, 'the stable revision name');
  return {
    split: { percent, canary, stable: stableName },
    found: `canary ${canary} ${percent} %, stable ${stableName} (traffic: ${traffic})`,
  };
}
