/**
 * What the cluster answers, as this action passes it on. Revision names, endpoints and failure
 * reasons are checked against their grammar before they reach a log line, an output or the
 * summary (the rule of shared/server-values.ts): a value that does not fit is shown
 * JSON-quoted in messages (control characters visible, on one line) and left out of outputs.
 */
import { shownValue } from '../../shared/server-values.ts';

/**
 * A revision name (a DNS-1123 label): a Knative revision, a StatefulSet's or DaemonSet's
 * ControllerRevision (it is a label value too), a Deployment's revision number.
 */
export const REVISION = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/**
 * An endpoint a status reports (KServe's status.url, often plain http): a host, a port, a
 * plain path; no credentials, query or fragment.
 */
export const ENDPOINT_URL = /^https?:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;
/** A failure reason, CamelCase as Kubernetes and this action name them (ImagePullBackOff). */
export const REASON = /^[A-Z][A-Za-z0-9]{0,63}$/;

/** The revision name when it is one, else '' (for an output). */
export function checkedRevision(name: unknown): string {
  return typeof name === 'string' && REVISION.test(name) ? name : '';
}

/** A revision name as a message shows it: as is when it is one, else JSON-quoted. */
export function shownRevision(name: unknown): string {
  return checkedRevision(name) || shownValue(name);
}

/** The endpoint a status reports when it is a plain URL, else '' (for an output). */
export function checkedEndpoint(url: unknown): string {
  return typeof url === 'string' && ENDPOINT_URL.test(url) ? url : '';
}

/** An endpoint as a message shows it: as is when it is a plain URL, else JSON-quoted. */
export function shownEndpoint(url: unknown): string {
  return checkedEndpoint(url) || shownValue(url);
}

interface TrafficEntry {
  revisionName?: unknown;
  percent?: unknown;
}

/** The traffic split as messages show it: `<revision> <percent> %`, names checked. */
export function shownTraffic(p: { traffic?: readonly TrafficEntry[] }): string {
  const entry = (t: TrafficEntry): string =>
    `${t.revisionName === undefined ? '?' : shownRevision(t.revisionName)} ${Number(t.percent ?? 0)} %`;
  return (p.traffic ?? []).map(entry).join(', ');
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;

/**
 * The `failure-reason` output, `<Reason>: <message>`: the reason checked (else JSON-quoted),
 * the message's first line with control characters made spaces.
 */
export function failureReasonOutput(failure: { reason: string; message: string }): string {
  const reason = REASON.test(failure.reason) ? failure.reason : shownValue(failure.reason);
  const first = failure.message.split(/\r\n|\r|\n/)[0] ?? '';
  const line = first.replace(CONTROL, ' ');
  return `${reason}: ${line}`;
}
