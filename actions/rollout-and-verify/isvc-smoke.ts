/**
 * Smoke tests by inference protocol: an InferenceService with no smoke-path is probed where
 * its protocol says it is ready (v2 `GET /v2/models/<name>/ready`, v1 `GET /v1/models/<name>`);
 * with a smoke-body, an inference request is posted instead (`/v2/models/<name>/infer`,
 * `/v1/models/<name>:predict`). smoke-expect checks a JSON path in the answer.
 */
import type { SmokeInputs } from './inputs.ts';
import type { Manifest } from './manifests.ts';
import { isRecord } from '../../shared/server-values.ts';

export type InferenceProtocol = 'v1' | 'v2';

function record(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

/** The protocol of an InferenceService's predictor: v2 for `v2`/`grpc-v2`, else v1 (KServe's default). */
export function protocolOf(isvc: Manifest): InferenceProtocol {
  const predictor = record(record(isvc.object.spec)?.predictor);
  const model = record(predictor?.model);
  const version = model?.protocolVersion ?? predictor?.protocolVersion;
  return typeof version === 'string' && /v2/i.test(version) ? 'v2' : 'v1';
}

/** The smoke request for an InferenceService: its protocol's path and method. */
export function protocolSmoke(isvc: Manifest, smoke: SmokeInputs): SmokeInputs {
  if (smoke.pathGiven) return smoke;
  const protocol = protocolOf(isvc);
  const model = encodeURIComponent(isvc.name);
  const infer = smoke.body !== undefined;
  const path =
    protocol === 'v2'
      ? `/v2/models/${model}/${infer ? 'infer' : 'ready'}`
      : `/v1/models/${model}${infer ? ':predict' : ''}`;
  return { ...smoke, path, method: infer ? 'POST' : smoke.method };
}

/** The value at a JSON path such as `outputs[0].data[0]` or `$.predictions`. */
export function jsonPathValue(root: unknown, path: string): { found: boolean; value?: unknown } {
  const steps = path
    .replace(/^\$\.?/, '')
    .split(/\.|(?=\[)/)
    .filter((s) => s !== '');
  let cur: unknown = root;
  for (const step of steps) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      if (!Array.isArray(cur)) return { found: false };
      cur = cur[Number(index[1])];
    } else {
      const obj = record(cur);
      if (!obj || !(step in obj)) return { found: false };
      cur = obj[step];
    }
    if (cur === undefined) return { found: false };
  }
  return { found: true, value: cur };
}

/** Why an answer does not meet smoke-expect, or undefined when it does. */
export function expectProblem(
  body: string,
  expect: { path: string; value?: string },
): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return `smoke-expect ${expect.path}: the answer is not JSON`;
  }
  const r = jsonPathValue(json, expect.path);
  if (!r.found) return `smoke-expect: ${expect.path} is not in the answer`;
  if (expect.value === undefined) return undefined;
  let want: unknown = expect.value;
  try {
    want = JSON.parse(expect.value);
  } catch {
    // compared as text
  }
  const same = JSON.stringify(r.value) === JSON.stringify(want) || String(r.value) === expect.value;
  return same
    ? undefined
    : `smoke-expect: ${expect.path} is ${JSON.stringify(r.value)}, expected ${expect.value}`;
}
