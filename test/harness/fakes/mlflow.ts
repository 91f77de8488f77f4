/**
 * A local MLflow tracking server (REST API 2.0, as in test/contracts/mlflow/): registered
 * models with versions, aliases, legacy stages and tags; runs with metrics and params;
 * paginated version search (small pages, so tests cross them); MLflow's error bodies and
 * statuses; bearer or basic auth. Faults are injected per path (the next requests, or the Nth
 * from now); `holdAliasWrites` holds alias writes until N arrive, then applies them in arrival
 * order (two promotions at once).
 */
import { readContractJson } from '../contracts.ts';
import {
  holdRequests,
  json,
  startFake,
  type RequestBarrier,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
} from './http-fake.ts';

interface Contract {
  prefix: string;
  endpoints: { rpc: string; method: string; path: string; request: string[]; required: string[] }[];
  messages: Record<string, string[]>;
  errorCodeToHttpStatus: Record<string, number>;
}

export interface FakeModelVersion {
  version: string;
  source: string;
  run_id?: string;
  status?: string;
  current_stage?: string;
  tags?: Record<string, string>;
}

export interface FakeRun {
  metrics: Record<string, number | string>;
  params?: Record<string, string>;
}

export interface MlflowFakeOptions {
  token?: string;
  basic?: { username: string; password: string; readOnly?: boolean };
  /** Versions per search page at most (default 2). */
  pageSize?: number;
}

export interface MlflowFake extends FakeServer {
  models: Map<string, { versions: FakeModelVersion[]; aliases: Map<string, string> }>;
  runs: Map<string, FakeRun>;
  addModel(name: string, versions: FakeModelVersion[], aliases?: Record<string, string>): void;
  /** Answers the next requests to `path` (`/mlflow/runs/get`, or `POST /mlflow/…` for one method) with these, in turn. */
  inject(path: string, ...responses: FakeResponse[]): void;
  /**
   * Targets only the `occurrence`-th request to `path` (1-based, counted from this call; `path`
   * as for `inject`): answers it with a response, or with `{ before }` changes the fake's state
   * just before it is served as usual (another client's write landing first).
   */
  injectAt(path: string, occurrence: number, fault: FakeResponse | { before: () => void }): void;
  /**
   * The next request to `path` gets no answer until the fake stops (a hung server); resolves
   * when that request has arrived.
   */
  stall(path: string): Promise<void>;
  /**
   * Alias writes wait until `n` have arrived, then are applied in arrival order. If fewer
   * arrive within `deadlineMs` (default 10 s), they fail with 500, the fake records the error
   * in `errors`, and the returned promise rejects: a missed writer fails the test there.
   */
  holdAliasWrites(n: number, deadlineMs?: number): Promise<void>;
  /** Requests to the API, as `METHOD /mlflow/...`. */
  calls(): string[];
}

const contract = readContractJson<Contract>('mlflow', 'mlflow-rest.subset.json');

export function mlflowError(code: string, message: string): FakeResponse {
  const status = contract.errorCodeToHttpStatus[code];
  if (status === undefined) throw new Error(`error code ${code} is not in the MLflow contract`);
  return json(status, { error_code: code, message });
}

/** Checks a served message against the contract's field list (recursively for known children). */
function message(kind: string, obj: Record<string, unknown>): Record<string, unknown> {
  const fields = contract.messages[kind];
  if (!fields) throw new Error(`message ${kind} is not in the MLflow contract`);
  for (const key of Object.keys(obj)) {
    if (!fields.includes(key))
      throw new Error(`field ${kind}.${key} is not in the MLflow contract`);
  }
  return obj;
}

function routeKey(method: string, path: string): string {
  return `${method} ${path}`;
}

export async function startMlflowFake(options: MlflowFakeOptions = {}): Promise<MlflowFake> {
  const models: MlflowFake['models'] = new Map();
  const runs = new Map<string, FakeRun>();
  const injected = new Map<string, FakeResponse[]>();
  const targeted: {
    path: string;
    left: number;
    fault: FakeResponse | { before: () => void };
  }[] = [];
  const pageSize = options.pageSize ?? 2;
  let held: RequestBarrier | undefined;

  const versionJson = (name: string, v: FakeModelVersion): Record<string, unknown> => {
    const aliases = [...(models.get(name)?.aliases ?? new Map<string, string>())]
      .filter(([, ver]) => ver === v.version)
      .map(([a]) => a);
    return message('ModelVersion', {
      name,
      version: v.version,
      creation_timestamp: 1_764_000_000_000 + Number(v.version),
      last_updated_timestamp: 1_764_000_000_000 + Number(v.version),
      current_stage: v.current_stage ?? 'None',
      description: '',
      source: v.source,
      ...(v.run_id !== undefined ? { run_id: v.run_id } : {}),
      status: v.status ?? 'READY',
      tags: Object.entries(v.tags ?? {}).map(([key, value]) =>
        message('ModelVersionTag', { key, value }),
      ),
      aliases,
    });
  };

  const model = (name: string): NonNullable<ReturnType<typeof models.get>> | FakeResponse =>
    models.get(name) ??
    mlflowError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);
  const isResponse = (x: unknown): x is FakeResponse =>
    typeof (x as FakeResponse).status === 'number';

  const findVersion = (name: string, version: string): FakeModelVersion | FakeResponse => {
    const m = model(name);
    if (isResponse(m)) return m;
    return (
      m.versions.find((v) => v.version === version) ??
      mlflowError(
        'RESOURCE_DOES_NOT_EXIST',
        `Model Version (name=${name}, version=${version}) not found`,
      )
    );
  };

  const search = (p: Record<string, string | string[]>): FakeResponse => {
    const filter = String(p.filter ?? '');
    const m = /^name='([^']*)'(?: and run_id='([^']*)')?$/.exec(filter);
    if (!m) return mlflowError('INVALID_PARAMETER_VALUE', `Invalid filter '${filter}'`);
    const [, name = '', runId] = m;
    const all = (models.get(name)?.versions ?? []).filter(
      (v) => runId === undefined || v.run_id === runId,
    );
    let offset = 0;
    if (p.page_token) {
      try {
        offset = (
          JSON.parse(Buffer.from(String(p.page_token), 'base64').toString()) as { offset: number }
        ).offset;
      } catch {
        return mlflowError(
          'INVALID_PARAMETER_VALUE',
          'Invalid page token, could not base64-decode',
        );
      }
    }
    const size = Math.min(pageSize, Number(p.max_results ?? 200_000));
    const page = all.slice(offset, offset + size);
    const next =
      offset + size < all.length
        ? Buffer.from(JSON.stringify({ offset: offset + size })).toString('base64')
        : undefined;
    return json(200, {
      model_versions: page.map((v) => versionJson(name, v)),
      ...(next ? { next_page_token: next } : {}),
    });
  };

  const setAlias = async (p: Record<string, string | string[]>): Promise<FakeResponse> => {
    const name = String(p.name);
    const found = findVersion(name, String(p.version));
    if (isResponse(found)) return found;
    if (/^(latest|v\d+)$/i.test(String(p.alias)))
      return mlflowError(
        'INVALID_PARAMETER_VALUE',
        `'${String(p.alias)}' alias name (case insensitive) is reserved.`,
      );
    // Applied in arrival order: each waiter sets its alias as it is released.
    await held?.arrive();
    models.get(name)?.aliases.set(String(p.alias), String(p.version));
    return json(200, {});
  };

  const routes: Record<
    string,
    (p: Record<string, string | string[]>) => FakeResponse | Promise<FakeResponse>
  > = {
    [routeKey('GET', '/mlflow/registered-models/get')]: (p) => {
      const m = model(String(p.name));
      if (isResponse(m)) return m;
      return json(200, {
        registered_model: message('RegisteredModel', {
          name: p.name,
          aliases: [...m.aliases].map(([alias, version]) =>
            message('RegisteredModelAlias', { alias, version }),
          ),
        }),
      });
    },
    [routeKey('GET', '/mlflow/model-versions/get')]: (p) => {
      const v = findVersion(String(p.name), String(p.version));
      return isResponse(v) ? v : json(200, { model_version: versionJson(String(p.name), v) });
    },
    [routeKey('GET', '/mlflow/model-versions/search')]: search,
    [routeKey('GET', '/mlflow/registered-models/get-latest-versions')]: (p) => {
      const m = model(String(p.name));
      if (isResponse(m)) return m;
      const stages = ([] as string[]).concat(p.stages ?? []);
      const latest = stages.flatMap((s) => {
        const inStage = m.versions.filter(
          (v) => (v.current_stage ?? 'None') === s && (v.status ?? 'READY') === 'READY',
        );
        const top = inStage.sort((a, b) => Number(b.version) - Number(a.version))[0];
        return top ? [versionJson(String(p.name), top)] : [];
      });
      return json(200, { model_versions: latest });
    },
    [routeKey('GET', '/mlflow/registered-models/alias')]: (p) => {
      const m = model(String(p.name));
      if (isResponse(m)) return m;
      const version = m.aliases.get(String(p.alias));
      const v = version === undefined ? undefined : m.versions.find((x) => x.version === version);
      if (!v)
        return mlflowError(
          'RESOURCE_DOES_NOT_EXIST',
          `Registered model alias ${String(p.alias)} not found.`,
        );
      return json(200, { model_version: versionJson(String(p.name), v) });
    },
    [routeKey('POST', '/mlflow/registered-models/alias')]: setAlias,
    [routeKey('DELETE', '/mlflow/registered-models/alias')]: (p) => {
      const m = model(String(p.name));
      if (isResponse(m)) return m;
      m.aliases.delete(String(p.alias));
      return json(200, {});
    },
    [routeKey('POST', '/mlflow/model-versions/set-tag')]: (p) => {
      const v = findVersion(String(p.name), String(p.version));
      if (isResponse(v)) return v;
      (v.tags ??= {})[String(p.key)] = String(p.value);
      return json(200, {});
    },
    [routeKey('GET', '/mlflow/runs/get')]: (p) => {
      const id = String(p.run_id ?? p.run_uuid ?? '');
      const run = runs.get(id);
      if (!run) return mlflowError('RESOURCE_DOES_NOT_EXIST', `Run '${id}' not found`);
      const metrics = Object.entries(run.metrics).map(([key, value]) =>
        message('Metric', { key, value, timestamp: 1_764_000_000_000, step: 0 }),
      );
      const params = Object.entries(run.params ?? {}).map(([key, value]) =>
        message('Param', { key, value }),
      );
      return json(200, {
        run: message('Run', {
          info: message('RunInfo', {
            run_id: id,
            run_uuid: id,
            experiment_id: '1',
            status: 'FINISHED',
            artifact_uri: `mlflow-artifacts:/1/${id}/artifacts`,
            lifecycle_stage: 'active',
          }),
          data: message('RunData', { metrics, params, tags: [] }),
        }),
      });
    },
  };
  // The fake serves nothing the contract does not list.
  const listed = new Set(contract.endpoints.map((e) => routeKey(e.method, e.path)));
  for (const key of Object.keys(routes))
    if (!listed.has(key)) throw new Error(`MLflow fake route ${key} is not in the contract`);

  const authCheck = (req: FakeRequest): FakeResponse | undefined => {
    const header = req.headers.authorization ?? '';
    if (options.token !== undefined && header !== `Bearer ${options.token}`) {
      return mlflowError(
        'UNAUTHENTICATED',
        'Credential was not sent or was of an unsupported type for this API.',
      );
    }
    if (options.basic) {
      const { username, password, readOnly } = options.basic;
      const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      if (header !== expected) {
        return {
          status: 401,
          headers: { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="mlflow"' },
          body: 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.',
        };
      }
      if (readOnly && req.method !== 'GET')
        return {
          status: 403,
          headers: { 'content-type': 'text/plain' },
          body: 'Permission denied',
        };
    }
    return undefined;
  };

  const stalled = new Map<string, () => void>();
  let releaseStalls: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (releaseStalls = resolve));
  const server = await startFake('mlflow', async (req) => {
    const path = req.path.startsWith(`${contract.prefix}/`)
      ? req.path.slice(contract.prefix.length)
      : undefined;
    const arrived = path === undefined ? undefined : stalled.get(path);
    if (path !== undefined && arrived) {
      stalled.delete(path);
      arrived();
      await stopped;
      return json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'stopped' });
    }
    const denied = authCheck(req);
    if (denied) return denied;
    // Every targeted fault on this path counts this request; those it completes fire.
    const due = targeted.filter(
      (t) => (t.path === path || t.path === `${req.method} ${path}`) && --t.left === 0,
    );
    let answer: FakeResponse | undefined;
    for (const t of due) {
      targeted.splice(targeted.indexOf(t), 1);
      if ('before' in t.fault) t.fault.before();
      else answer ??= t.fault;
    }
    if (answer) return answer;
    const queue =
      path === undefined
        ? undefined
        : injected.get(`${req.method} ${path}`)?.length
          ? injected.get(`${req.method} ${path}`)
          : injected.get(path);
    const fault = queue?.shift();
    if (fault) return fault;
    const route = path === undefined ? undefined : routes[routeKey(req.method, path)];
    const endpoint = contract.endpoints.find((e) => e.method === req.method && e.path === path);
    if (!route || !endpoint)
      return {
        status: 404,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>',
      };
    const params: Record<string, string | string[]> = {};
    if (req.method === 'GET') {
      for (const key of new Set(req.query.keys())) {
        const all = req.query.getAll(key);
        params[key] = all.length > 1 ? all : (all[0] ?? '');
      }
    } else {
      Object.assign(params, JSON.parse(req.body || '{}') as Record<string, string>);
    }
    // A field the request message does not have: the client drifted from the contract.
    const unknown = Object.keys(params).filter((k) => !endpoint.request.includes(k));
    if (unknown.length > 0)
      throw new Error(
        `${endpoint.rpc}: fields ${unknown.join(', ')} are not in the request message`,
      );
    for (const field of endpoint.required) {
      if (params[field] === undefined || params[field] === '') {
        return mlflowError(
          'INVALID_PARAMETER_VALUE',
          `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
        );
      }
    }
    return route(params);
  });
  return {
    ...server,
    stop: () => {
      releaseStalls();
      held?.cancel();
      return server.stop();
    },
    stall: (path) => new Promise<void>((resolve) => stalled.set(path, resolve)),
    models,
    runs,
    addModel(name, versions, aliases = {}) {
      models.set(name, { versions, aliases: new Map(Object.entries(aliases)) });
    },
    inject(path, ...responses) {
      injected.set(path, [...(injected.get(path) ?? []), ...responses]);
    },
    injectAt(path, occurrence, fault) {
      if (!Number.isInteger(occurrence) || occurrence < 1)
        throw new Error(`occurrence ${occurrence} is not a positive integer`);
      targeted.push({ path, left: occurrence, fault });
    },
    holdAliasWrites(n, deadlineMs = 10_000) {
      held?.cancel();
      // Once met, the barrier lets every later write through; once expired, it fails them.
      held = holdRequests('MLflow fake: held alias writes', n, deadlineMs);
      return held.met;
    },
    calls: () => server.requests.map((r) => `${r.method} ${r.path.replace(contract.prefix, '')}`),
  };
}
