/**
 * What the cluster answers, as this action passes it on. Endpoints and failure reasons are
 * checked against their grammar before they reach a log line, an output or the summary (the
 * rule of shared/server-values.ts; revision names: shared/kube/revisions.ts): a value that does
 * not fit is shown JSON-quoted in messages (control characters visible, on one line) and left
 * out of outputs.
 */
import { shownValue } from '../../shared/server-values.ts';

/**
 * An endpoint a status reports (KServe's status.url, often plain http): a host, a port, a
 * plain path; no credentials, query or fragment.
 */
export const ENDPOINT_URL = /^https?:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/;
/** A failure reason, CamelCase as Kubernetes and this action name them (ImagePullBackOff). */
export const REASON = /^[A-Z][A-Za-z0-9]{0,63}$/;

/** The endpoint a status reports when it is a plain URL, else '' (for an output). */
export function checkedEndpoint(url: unknown): string {
  return typeof url === 'string' && ENDPOINT_URL.test(url) ? url : '';
}

/** An endpoint as a message shows it: as is when it is a plain URL, else JSON-quoted. */
export function shownEndpoint(url: unknown): string {
  return checkedEndpoint(url) || shownValue(url);
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
