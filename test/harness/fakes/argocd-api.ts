/**
 * A local Argo CD API (grpc-gateway JSON as in test/contracts/argocd/): GET
 * /api/v1/applications/{name} and POST …/{name}/sync, Bearer auth, grpc-gateway error bodies.
 * Each application is a small state machine advanced by every GET, as the controller would:
 * sync requested → operation Running, OutOfSync, Progressing → Succeeded (or Failed), Synced
 * at the revision → Healthy (or Degraded). `autoSync` apps follow their branch head (read
 * through `head()`) as Argo's automated sync does. Unknown apps answer 403 `permission
 * denied`, as Argo does when no project is given. A multi-source app (`sources`) reports
 * `status.sync.revisions[i]` per source and syncs to `revisions` at 1-based `sourcePositions`
 * (server/application/application.go resolveSourceRevisions); other sources stay where they are.
 */
import { bearer, json, startFake, type FakeServer, type FakeResponse } from './http-fake.ts';

export type Outcome = 'healthy' | 'degraded' | 'sync-failed';

/** One entry of `spec.sources`, with the revision Argo last synced it to. */
export interface FakeSource {
  repoURL: string;
  path?: string;
  chart?: string;
  ref?: string;
  targetRevision: string;
  revision: string;
}

export interface FakeArgoApp {
  name: string;
  /** The revision Argo last synced (single source). */
  revision: string;
  /** Multi-source: `spec.sources` (then `revision` is not served). */
  sources?: FakeSource[];
  /** `spec.source.repoURL` of a single-source app. */
  repoURL?: string;
  /** The health message of a Degraded app (default: a KServe CrashLoopBackOff). */
  healthMessage?: string;
  /** The message of a busy answer (default Argo's own). */
  busyMessage?: string;
  outcome: Outcome;
  /** Sync requests answered "another operation is already in progress" first. */
  busySyncs?: number;
  /** Follow the branch head (automated sync); sync requests with a revision answer 400. */
  autoSync?: boolean;
  head?: () => string;
}

interface AppState extends FakeArgoApp {
  sync: 'Synced' | 'OutOfSync';
  health: string;
  healthMessage?: string;
  /** Steps of a running operation: 0 none. */
  step: number;
  /** The revision per source the running operation syncs to (one entry for one source). */
  target?: string[];
  opState?: Record<string, unknown>;
  reconciledAt: string;
}

export interface FakeArgo extends FakeServer {
  apps: Map<string, AppState>;
  syncRequests: { app: string; body: Record<string, unknown> }[];
  /** Every application JSON served (for the contract test). */
  served: object[];
}

function error(status: number, code: number, message: string): FakeResponse {
  return json(status, { error: message, code, message, details: [] });
}

const NOW = '2026-11-28T12:00:00Z';

function view(app: AppState): Record<string, unknown> {
  const resources = [
    {
      group: 'serving.kserve.io',
      version: 'v1beta1',
      kind: 'InferenceService',
      namespace: 'models',
      name: app.name,
      status: app.sync,
      health: {
        status: app.health,
        ...(app.healthMessage ? { message: app.healthMessage } : {}),
      },
    },
  ];
  return {
    metadata: { name: app.name, namespace: 'argocd', resourceVersion: '1' },
    spec: {
      project: 'default',
      ...(app.sources
        ? { sources: app.sources.map(({ revision: _synced, ...source }) => source) }
        : {
            source: {
              repoURL: app.repoURL ?? 'http://git/config.git',
              path: 'apps',
              targetRevision: 'main',
            },
          }),
      destination: { server: 'https://kubernetes.default.svc', namespace: 'models' },
      ...(app.autoSync ? { syncPolicy: { automated: { prune: false } } } : {}),
    },
    ...(app.step > 0 && app.opState?.phase === undefined
      ? { operation: { sync: revisionsOf(app, app.target ?? []) } }
      : {}),
    status: {
      sync: { status: app.sync, ...revisionsOf(app, current(app)) },
      health: {
        status: app.health,
        ...(app.healthMessage ? { message: app.healthMessage } : {}),
      },
      resources,
      reconciledAt: app.reconciledAt,
      ...(app.opState ? { operationState: app.opState } : {}),
    },
  };
}

function current(app: AppState): string[] {
  return app.sources ? app.sources.map((s) => s.revision) : [app.revision];
}

/** The revision(s) in the shape of the app: `revision` or `revisions`. */
function revisionsOf(app: AppState, target: string[]): Record<string, unknown> {
  return app.sources ? { revisions: target } : { revision: target[0] };
}

function start(app: AppState, revision: string[]): void {
  app.target = revision;
  app.step = 1;
  app.opState = undefined;
}

/** One controller step, run on every GET. */
function advance(app: AppState): void {
  if (app.step === 0 && app.autoSync && app.head && app.head() !== app.revision) {
    start(app, [app.head()]);
  }
  if (app.step === 0 || !app.target) return;
  const target = app.target;
  if (app.step === 1) {
    app.sync = 'OutOfSync';
    app.health = 'Progressing';
    app.opState = {
      operation: { sync: revisionsOf(app, target) },
      phase: 'Running',
      message: 'one or more tasks are running',
      startedAt: NOW,
      syncResult: { ...revisionsOf(app, target), resources: [] },
    };
    app.step = 2;
  } else if (app.step === 2) {
    if (app.outcome === 'sync-failed') {
      app.opState = {
        operation: { sync: revisionsOf(app, target) },
        phase: 'Failed',
        message:
          'one or more objects failed to apply, reason: admission webhook denied the request',
        startedAt: NOW,
        finishedAt: NOW,
        syncResult: {
          ...revisionsOf(app, target),
          resources: [
            {
              group: 'serving.kserve.io',
              kind: 'InferenceService',
              namespace: 'models',
              name: app.name,
              status: 'SyncFailed',
              message:
                'admission webhook "inferenceservice.kserve-webhook-server.validator" denied the request',
              syncPhase: 'Sync',
            },
          ],
        },
      };
      app.step = 0;
      return;
    }
    if (app.sources) app.sources.forEach((source, i) => (source.revision = target[i] ?? ''));
    else app.revision = target[0] ?? '';
    app.sync = 'Synced';
    app.opState = {
      operation: { sync: revisionsOf(app, target) },
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: NOW,
      finishedAt: NOW,
      syncResult: { ...revisionsOf(app, target), resources: [] },
    };
    app.step = 3;
  } else {
    if (app.outcome === 'degraded') {
      app.health = 'Degraded';
      app.healthMessage =
        app.healthMessage ??
        'Predictor: RevisionMissing: container "kserve-container" is in CrashLoopBackOff';
    } else {
      app.health = 'Healthy';
    }
    app.step = 0;
  }
}

/**
 * The revisions a sync request asks for, per source, or Argo CD's error: a single source
 * takes `revision`; a multi-source app takes `revisions[i]` at `sourcePositions[i]` (1-based,
 * int64 as a JSON string or number) and ignores `revision`; automated sync refuses a revision.
 */
function syncTarget(app: AppState, body: Record<string, unknown>): string[] | FakeResponse {
  if (!app.sources) {
    if (app.autoSync && typeof body.revision === 'string') {
      return error(400, 9, `Cannot sync to ${body.revision}: auto-sync currently set to main`);
    }
    return [typeof body.revision === 'string' ? body.revision : (app.head?.() ?? app.revision)];
  }
  const target = current(app);
  const positions = Array.isArray(body.sourcePositions) ? body.sourcePositions : [];
  const revisions = Array.isArray(body.revisions) ? (body.revisions as unknown[]) : [];
  for (const [i, raw] of positions.entries()) {
    const pos = Number(raw);
    // errors.New in resolveSourceRevisions: gRPC Unknown, HTTP 500.
    if (!Number.isInteger(pos) || pos <= 0 || pos > target.length) {
      return error(500, 2, 'source position is out of range');
    }
    const source = app.sources[pos - 1];
    const wanted = String(revisions[i] ?? '');
    if (app.autoSync && source && wanted && wanted !== source.targetRevision) {
      return error(
        400,
        9,
        `Cannot sync source ${source.repoURL} to ${wanted}: auto-sync currently set to ${source.targetRevision}`,
      );
    }
    target[pos - 1] = wanted;
  }
  return target;
}

export async function startFakeArgo(token: string, apps: FakeArgoApp[]): Promise<FakeArgo> {
  const state = new Map<string, AppState>(
    apps.map((a) => [
      a.name,
      {
        ...a,
        ...(a.sources ? { sources: a.sources.map((source) => ({ ...source })) } : {}),
        sync: 'Synced',
        health: 'Healthy',
        step: 0,
        reconciledAt: NOW,
      } as AppState,
    ]),
  );
  const syncRequests: FakeArgo['syncRequests'] = [];
  const served: object[] = [];
  const server = await startFake('argocd', (req) => {
    const auth = bearer(req);
    if (!auth) return error(401, 16, 'no session information');
    if (auth !== token) return error(401, 16, 'invalid session: token signature is invalid');
    const m = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(req.path);
    if (!m?.[1]) throw new Error(`unexpected ${req.method} ${req.path}`);
    const app = state.get(decodeURIComponent(m[1]));
    if (!app) return error(403, 7, 'permission denied');
    if (m[2] && req.method === 'POST') {
      const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
      syncRequests.push({ app: app.name, body });
      if ((app.busySyncs ?? 0) > 0) {
        app.busySyncs = (app.busySyncs ?? 0) - 1;
        return error(400, 9, app.busyMessage ?? 'another operation is already in progress');
      }
      const target = syncTarget(app, body);
      if (typeof target === 'object' && !Array.isArray(target)) return target;
      start(app, target);
      const out = view(app);
      served.push(out);
      return json(200, out);
    }
    if (!m[2] && req.method === 'GET') {
      advance(app);
      const out = view(app);
      served.push(out);
      return json(200, out);
    }
    throw new Error(`unexpected ${req.method} ${req.path}`);
  });
  return { ...server, apps: state, syncRequests, served };
}
