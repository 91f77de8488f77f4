/**
 * The Argo CD API calls this action makes (grpc-gateway JSON, swagger "Consolidate
 * Services"): get an application, sync it to a revision. Errors name the application and
 * say what to do; a 401 names the token input.
 */
import { HttpError, InputError } from '../../shared/errors.ts';
import type { HttpClient } from '../../shared/http.ts';

export interface ArgoResource {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  message?: string;
  health?: { status?: string; message?: string };
}

/** A revision per source: `revision` for one source, `revisions[i]` for `spec.sources[i]`. */
interface Revisions {
  revision?: string;
  revisions?: string[];
}

export interface ArgoOperationState {
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  operation?: { sync?: Revisions };
  syncResult?: Revisions & { resources?: ArgoResource[] };
}

/** `v1alpha1ApplicationSource`: a git repository (path) or a Helm repository (`chart`). */
export interface ArgoSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
}

export interface ArgoApplication {
  metadata?: { name?: string };
  spec?: { source?: ArgoSource; sources?: ArgoSource[]; sourceHydrator?: object };
  operation?: { sync?: Revisions } | null;
  status?: {
    sync?: { status?: string } & Revisions;
    health?: { status?: string; message?: string };
    operationState?: ArgoOperationState | null;
    resources?: ArgoResource[];
    conditions?: { type?: string; message?: string }[];
    reconciledAt?: string;
  };
}

/**
 * What to sync to: one source's revision, or (multi-source) revisions at 1-based source
 * positions, as Argo CD's ApplicationSyncRequest carries them (`sourcePositions` is int64,
 * which grpc-gateway JSON writes as strings).
 */
export type SyncTarget = { revision: string } | { revisions: string[]; sourcePositions: number[] };

/** The error body of grpc-gateway (`runtimeError`). */
function apiMessage(error: HttpError): string {
  try {
    const body = JSON.parse(error.body) as { message?: string; error?: string };
    return body.message ?? body.error ?? error.detail;
  } catch {
    return error.detail;
  }
}

function syncRequest(app: string, target: SyncTarget): Record<string, unknown> {
  if ('revision' in target) return { name: app, revision: target.revision };
  return {
    name: app,
    revisions: target.revisions,
    sourcePositions: target.sourcePositions.map(String),
  };
}

export class ArgoError extends Error {
  override name = 'ArgoError';
}

export class ArgoClient {
  private readonly http: HttpClient;
  private readonly server: string;
  private readonly token: string;
  constructor(http: HttpClient, server: string, token: string) {
    this.http = http;
    this.server = server;
    this.token = token;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: 'application/json' };
  }

  private explain(error: unknown, app: string, what: string): never {
    if (!(error instanceof HttpError)) throw error;
    const message = apiMessage(error);
    if (error.status === 401) {
      throw new InputError(
        `Argo CD at ${this.server} rejected 'argocd-token' (401: ${message}): use a project or account API token (argocd account generate-token).`,
      );
    }
    if (error.status === 403 || error.status === 404) {
      throw new InputError(
        `Input 'application': Argo CD application "${app}" was not found, or 'argocd-token' may not ${what} it (${error.status}: ${message}).`,
      );
    }
    throw new ArgoError(
      `Argo CD ${what} of "${app}" failed: ${error.status ? `${error.status}: ` : ''}${message}`,
    );
  }

  async get(
    app: string,
    opts: { refresh?: boolean; signal?: AbortSignal } = {},
  ): Promise<ArgoApplication> {
    const url = `${this.server}/api/v1/applications/${encodeURIComponent(app)}${opts.refresh ? '?refresh=normal' : ''}`;
    try {
      const res = await this.http.request({
        url,
        headers: this.headers(),
        label: `GET application ${app}`,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return res.json<ArgoApplication>();
    } catch (error) {
      return this.explain(error, app, 'get');
    }
  }

  /**
   * Starts a sync to `target`. Returns `busy` when another operation is in progress
   * (the caller retries), `auto` when automated sync pins the revision (Argo syncs by itself).
   */
  async sync(
    app: string,
    target: SyncTarget,
    signal?: AbortSignal,
  ): Promise<
    { state: 'started'; app: ArgoApplication } | { state: 'busy' | 'auto'; message: string }
  > {
    try {
      const res = await this.http.request({
        method: 'POST',
        url: `${this.server}/api/v1/applications/${encodeURIComponent(app)}/sync`,
        headers: { ...this.headers(), 'content-type': 'application/json' },
        body: JSON.stringify(syncRequest(app, target)),
        label: `POST sync ${app}`,
        ...(signal ? { signal } : {}),
      });
      return { state: 'started', app: res.json<ArgoApplication>() };
    } catch (error) {
      if (error instanceof HttpError && (error.status === 400 || error.status === 409)) {
        const message = apiMessage(error);
        if (/another operation is already in progress/i.test(message))
          return { state: 'busy', message };
        if (/auto-sync currently set to/i.test(message)) return { state: 'auto', message };
      }
      return this.explain(error, app, 'sync');
    }
  }
}

/** Resources that failed to sync or are not healthy, one line each. */
export function unhealthyResources(app: ArgoApplication): string[] {
  const lines: string[] = [];
  const id = (r: ArgoResource): string =>
    `${r.kind ?? '?'} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '?'}`;
  for (const r of app.status?.operationState?.syncResult?.resources ?? []) {
    if (r.status === 'SyncFailed') lines.push(`${id(r)}: sync failed: ${r.message ?? ''}`.trim());
  }
  for (const r of app.status?.resources ?? []) {
    const h = r.health?.status;
    if (h && h !== 'Healthy' && h !== 'Suspended') {
      lines.push(`${id(r)}: ${h}${r.health?.message ? `: ${r.health.message}` : ''}`);
    }
  }
  for (const c of app.status?.conditions ?? []) {
    if (/Error|Warning/.test(c.type ?? '')) lines.push(`${c.type}: ${c.message ?? ''}`);
  }
  return lines;
}
