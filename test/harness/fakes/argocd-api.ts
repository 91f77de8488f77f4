/**
 * A local Argo CD API (grpc-gateway JSON as in test/contracts/argocd/): GET
 * /api/v1/applications/{name} and POST …/{name}/sync, Bearer auth, grpc-gateway error bodies.
 * Each application is a small state machine advanced by every GET, as the controller would:
 * sync requested → operation Running, OutOfSync, Progressing → Succeeded (or Failed), Synced
 * at the revision → Healthy (or Degraded). `autoSync` apps follow their branch head (read
 * through `head()`) as Argo's automated sync does. Unknown apps answer 403 `permission
 * denied`, as Argo does when no project is given.
 */
import { bearer, json, startFake, type FakeServer, type FakeResponse } from './http-fake.ts';

export type Outcome = 'healthy' | 'degraded' | 'sync-failed';

export interface FakeArgoApp {
  name: string;
  /** The revision Argo last synced. */
  revision: string;
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
  target?: string;
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
      source: { repoURL: 'http://git/config.git', path: 'apps', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'models' },
      ...(app.autoSync ? { syncPolicy: { automated: { prune: false } } } : {}),
    },
    ...(app.step > 0 && app.opState?.phase === undefined
      ? { operation: { sync: { revision: app.target } } }
      : {}),
    status: {
      sync: { status: app.sync, revision: app.revision },
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

function start(app: AppState, revision: string): void {
  app.target = revision;
  app.step = 1;
  app.opState = undefined;
}

/** One controller step, run on every GET. */
function advance(app: AppState): void {
  if (app.step === 0 && app.autoSync && app.head && app.head() !== app.revision) {
    start(app, app.head());
  }
  if (app.step === 0 || !app.target) return;
  const target = app.target;
  if (app.step === 1) {
    app.sync = 'OutOfSync';
    app.health = 'Progressing';
    app.opState = {
      operation: { sync: { revision: target } },
      phase: 'Running',
      message: 'one or more tasks are running',
      startedAt: NOW,
      syncResult: { revision: target, resources: [] },
    };
    app.step = 2;
  } else if (app.step === 2) {
    if (app.outcome === 'sync-failed') {
      app.opState = {
        operation: { sync: { revision: target } },
        phase: 'Failed',
        message:
          'one or more objects failed to apply, reason: admission webhook denied the request',
        startedAt: NOW,
        finishedAt: NOW,
        syncResult: {
          revision: target,
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
    app.revision = target;
    app.sync = 'Synced';
    app.opState = {
      operation: { sync: { revision: target } },
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: NOW,
      finishedAt: NOW,
      syncResult: { revision: target, resources: [] },
    };
    app.step = 3;
  } else {
    if (app.outcome === 'degraded') {
      app.health = 'Degraded';
      app.healthMessage =
        'Predictor: RevisionMissing: container "kserve-container" is in CrashLoopBackOff';
    } else {
      app.health = 'Healthy';
    }
    app.step = 0;
  }
}

export async function startFakeArgo(token: string, apps: FakeArgoApp[]): Promise<FakeArgo> {
  const state = new Map<string, AppState>(
    apps.map((a) => [
      a.name,
      { ...a, sync: 'Synced', health: 'Healthy', step: 0, reconciledAt: NOW } as AppState,
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
        return error(400, 9, 'another operation is already in progress');
      }
      if (app.autoSync && typeof body.revision === 'string') {
        return error(400, 9, `Cannot sync to ${body.revision}: auto-sync currently set to main`);
      }
      start(
        app,
        typeof body.revision === 'string' ? body.revision : (app.head?.() ?? app.revision),
      );
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
