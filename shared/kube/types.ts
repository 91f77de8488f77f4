/** The shapes of the Kubernetes API that actions use: objects, requests, watch events, the client. */

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    creationTimestamp?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  metadata: { resourceVersion?: string };
  items: T[];
}

/** What a verb was applied to: for error messages. */
export interface RequestTarget {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: QueryParams;
  body?: unknown;
  contentType?: string;
  /** Statuses returned as answers instead of thrown (e.g. 404 for "does it exist"). */
  okStatuses?: readonly number[];
  /** For error messages; derived from the path when absent. */
  target?: Partial<RequestTarget>;
}

export interface KubeResponse {
  status: number;
  body: string;
  json<T>(): T;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export interface WatchEnd {
  /** 'closed': the server ended the stream; 'gone': 410 (resourceVersion too old); 'error': a failure. */
  reason: 'closed' | 'gone' | 'aborted' | 'error';
  error?: Error;
  /** Whether the error is worth retrying (connection trouble, 429, 5xx). */
  transient?: boolean;
  /** How long the server asked to wait before the next watch (429 Retry-After). */
  retryAfterMs?: number;
}

export interface KubeClient {
  readonly server: string;
  readonly namespace: string | undefined;
  readonly user: string;
  request(req: KubeRequest): Promise<KubeResponse>;
  json<T>(req: KubeRequest): Promise<T>;
  /** Opens one watch stream; resolves when it ends (never rejects). */
  watch(
    path: string,
    query: QueryParams,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchEnd>;
}
