/**
 * A fake Kubeflow Pipelines v2beta1 API server (real HTTP on 127.0.0.1) following the swagger
 * in test/contracts/kubeflow-pipelines/: snake_case JSON, google.rpc.Status errors (the upload
 * endpoints' {error_message} shape), multipart `uploadfile` uploads, request bodies checked
 * against the swagger's definitions (unknown fields are 400, as the server's
 * DiscardUnknown:false), and the `v2beta1RuntimeState` enum read from run.swagger.json.
 *
 * Each created run follows a script (steps of state + task details), advanced by polls or by
 * time on an injected clock; `:terminate` moves it to CANCELING then CANCELED. Faults: fail
 * the next N matching requests with a status (and Retry-After), or hang them. Tampering: a
 * hostile (or broken) server that rewrites its JSON answers, off the contract on purpose.
 */
import { readContractJson } from '../contracts.ts';
import {
  json,
  startFake,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
} from './http-fake.ts';

interface Swagger {
  definitions: Record<string, { properties?: Record<string, unknown>; enum?: string[] }>;
}

const runSwagger = readContractJson<Swagger>('kubeflow-pipelines', 'run.swagger.json');
const experimentSwagger = readContractJson<Swagger>(
  'kubeflow-pipelines',
  'experiment.swagger.json',
);
const pipelineSwagger = readContractJson<Swagger>('kubeflow-pipelines', 'pipeline.swagger.json');
const uploadSwagger = readContractJson<Swagger>(
  'kubeflow-pipelines',
  'pipeline.upload.swagger.json',
);
const healthzSwagger = readContractJson<Swagger>('kubeflow-pipelines', 'healthz.swagger.json');

function def(s: Swagger, name: string): { properties: Record<string, unknown>; enum?: string[] } {
  const d = s.definitions[name];
  if (!d) throw new Error(`kfp fake: swagger has no definition ${name}`);
  return { properties: d.properties ?? {}, ...(d.enum ? { enum: d.enum } : {}) };
}

/** `v2beta1RuntimeState` as the swagger lists it. */
export const RUNTIME_STATES: readonly string[] = def(runSwagger, 'v2beta1RuntimeState').enum ?? [];
const RUN_FIELDS = new Set(Object.keys(def(runSwagger, 'v2beta1Run').properties));
const EXPERIMENT_FIELDS = new Set(
  Object.keys(def(experimentSwagger, 'v2beta1Experiment').properties),
);
const RUNTIME_CONFIG_FIELDS = new Set(
  Object.keys(def(runSwagger, 'v2beta1RuntimeConfig').properties),
);
const PVR_FIELDS = new Set(
  Object.keys(def(runSwagger, 'v2beta1PipelineVersionReference').properties),
);
const PIPELINE_FIELDS = Object.keys(def(pipelineSwagger, 'v2beta1Pipeline').properties);
const VERSION_FIELDS = Object.keys(def(uploadSwagger, 'v2beta1PipelineVersion').properties);
// The plain HTTP handler also sends commit_sha and tag_name (not in the swagger).
const HEALTHZ_FIELDS = [
  ...Object.keys(def(healthzSwagger, 'v2beta1GetHealthzResponse').properties),
  'commit_sha',
  'tag_name',
];
const TERMINAL = new Set(['SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELED']);

export interface FakeTask {
  name: string;
  state: string;
  error?: string;
  /** Seconds from the run's creation to the task's start and end. */
  start?: number;
  end?: number;
}

export interface RunStep {
  state: string;
  tasks?: FakeTask[];
  /** The run's `error` message (google.rpc.Status). */
  error?: string;
  /** Poll-driven scripts: how many GETs this step answers (default 1; the last step: forever). */
  polls?: number;
  /** Time-driven scripts: the step starts this long after creation, on the fake's clock. */
  atMs?: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  /** An HTTP status, or 'hang' (never answer). */
  status: number | 'hang';
  times?: number;
  retryAfter?: string;
  message?: string;
  /** Act on the request, then answer with the fault (an answer lost after the fact). */
  processed?: boolean;
}

/** Rewrites the next N matching JSON answers: what a hostile server would send. */
export interface Tamper {
  method?: string;
  path: RegExp;
  edit(body: Record<string, unknown>): Record<string, unknown>;
  times?: number;
}

export interface StoredRun {
  body: Record<string, unknown>;
  run_id: string;
  createdAt: number;
  polls: number;
  script: RunStep[];
  terminated: 'no' | 'canceling' | 'canceled';
  namespace?: string;
}

export interface KfpFakeOptions {
  /** Required bearer token (401 without it). */
  token?: string;
  /** Required Cookie header value (401 without it). */
  cookie?: string;
  multiUser?: boolean;
  /** Clock for time-driven scripts and timestamps (default Date.now). */
  now?: () => number;
  /** Namespaces the identity may use (403 elsewhere); default any. */
  namespaces?: string[];
}

export interface KfpFake extends FakeServer {
  runs: Map<string, StoredRun>;
  experiments: Map<string, { experiment_id: string; display_name: string; namespace?: string }>;
  pipelines: Map<string, { pipeline_id: string; display_name: string; namespace?: string }>;
  versions: {
    pipeline_id: string;
    pipeline_version_id: string;
    display_name: string;
    spec: unknown;
    upload: string;
  }[];
  /** The script of runs created from now on. */
  script(steps: RunStep[]): void;
  fault(f: Fault): void;
  tamper(t: Tamper): void;
  /** Adds a pipeline with one version (a spec as JSON); returns their ids. */
  addPipeline(
    name: string,
    spec: unknown,
    namespace?: string,
  ): { pipelineId: string; versionId: string };
  /** GETs of one run. */
  polls(runId?: string): number;
  /** Resolves when the next request matching arrives (before it is answered). */
  next(method: string, path: RegExp): Promise<FakeRequest>;
}

function rpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): FakeResponse {
  return json(status, { code, message, details: [] }, headers);
}

const GRPC_CODE: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  429: 8,
  500: 13,
  503: 14,
};

function unknownField(
  obj: Record<string, unknown>,
  allowed: Set<string>,
  where: string,
): string | undefined {
  const bad = Object.keys(obj).find((k) => !allowed.has(k));
  return bad === undefined ? undefined : `proto: (line 1): unknown field "${bad}" in ${where}`;
}

/** The `uploadfile` part of a multipart/form-data body, or an error. */
function uploadedFile(req: FakeRequest): { name: string; content: string } | string {
  const type = req.headers['content-type'] ?? '';
  const boundary = /multipart\/form-data;\s*boundary=(.+)$/.exec(type)?.[1];
  if (!boundary) return 'request Content-Type has bad boundary or is not multipart/form-data';
  for (const part of req.body.split(`--${boundary}`)) {
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd < 0) continue;
    const head = part.slice(0, headEnd);
    const m = /name="([^"]+)"(?:; filename="([^"]*)")?/.exec(head);
    if (m?.[1] === 'uploadfile') {
      return { name: m[2] ?? '', content: part.slice(headEnd + 4).replace(/\r\n$/, '') };
    }
  }
  return 'Failed to read pipeline from file: http: no such file';
}

function pick(obj: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(obj).filter(([k, v]) => fields.includes(k) && v !== undefined),
  );
}

export async function startKfpFake(options: KfpFakeOptions = {}): Promise<KfpFake> {
  const now = options.now ?? Date.now;
  const runs = new Map<string, StoredRun>();
  const experiments: KfpFake['experiments'] = new Map();
  const pipelines: KfpFake['pipelines'] = new Map();
  const versions: KfpFake['versions'] = [];
  const faults: (Fault & { left: number })[] = [];
  const tampers: (Tamper & { left: number })[] = [];
  let script: RunStep[] = [{ state: 'RUNNING' }, { state: 'SUCCEEDED' }];
  let seq = 0;
  const id = (prefix: string): string => `${prefix}-${(++seq).toString().padStart(4, '0')}-7f3c`;
  const iso = (ms: number): string => new Date(ms).toISOString();

  const checkScript = (steps: RunStep[]): void => {
    for (const s of steps) {
      for (const st of [s.state, ...(s.tasks ?? []).map((t) => t.state)]) {
        if (!RUNTIME_STATES.includes(st))
          throw new Error(`kfp fake: ${st} is not a v2beta1RuntimeState`);
      }
    }
  };

  function stepOf(run: StoredRun): RunStep {
    const steps = run.script;
    if (steps.some((s) => s.atMs !== undefined)) {
      const elapsed = now() - run.createdAt;
      let current = steps[0]!;
      for (const s of steps) if ((s.atMs ?? 0) <= elapsed) current = s;
      return current;
    }
    let n = run.polls;
    for (const s of steps) {
      n -= s.polls ?? 1;
      if (n <= 0) return s;
    }
    return steps[steps.length - 1]!;
  }

  function view(run: StoredRun): Record<string, unknown> {
    const step = run.polls === 0 ? { state: 'PENDING' } : stepOf(run);
    let state = step.state;
    if (run.terminated !== 'no' && !TERMINAL.has(state)) {
      state = run.terminated === 'canceling' ? 'CANCELING' : 'CANCELED';
    }
    const finished = TERMINAL.has(state);
    const tasks = (step as RunStep).tasks ?? [];
    return {
      run_id: run.run_id,
      ...pick(run.body, [
        'display_name',
        'description',
        'experiment_id',
        'pipeline_version_reference',
        'runtime_config',
        'pipeline_spec',
      ]),
      storage_state: 'AVAILABLE',
      created_at: iso(run.createdAt),
      scheduled_at: iso(run.createdAt),
      ...(finished ? { finished_at: iso(now()) } : {}),
      state,
      state_history: [
        { update_time: iso(run.createdAt), state: 'PENDING' },
        ...(state === 'PENDING' ? [] : [{ update_time: iso(now()), state }]),
      ],
      ...((step as RunStep).error
        ? { error: { code: 2, message: (step as RunStep).error, details: [] } }
        : {}),
      run_details: {
        pipeline_context_id: '11',
        pipeline_run_context_id: '12',
        task_details: tasks.map((t, i) => ({
          run_id: run.run_id,
          task_id: `task-${i + 1}`,
          display_name: t.name,
          create_time: iso(run.createdAt + (t.start ?? i) * 1000),
          start_time: iso(run.createdAt + (t.start ?? i) * 1000),
          ...(t.end !== undefined ? { end_time: iso(run.createdAt + t.end * 1000) } : {}),
          state: t.state,
          ...(t.error ? { error: { code: 2, message: t.error, details: [] } } : {}),
          pod_name: `${t.name}-pod`,
        })),
      },
    };
  }

  const waiters: { method: string; path: RegExp; resolve: (r: FakeRequest) => void }[] = [];
  const handler = async (req: FakeRequest): Promise<FakeResponse> => {
    for (const w of waiters.filter((x) => x.method === req.method && x.path.test(req.path))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(req);
    }
    const fault = faults.find(
      (f) => f.left > 0 && f.path.test(req.path) && (!f.method || f.method === req.method),
    );
    if (fault) {
      fault.left--;
      if (fault.status === 'hang') return new Promise<FakeResponse>(() => undefined);
      if (fault.processed) await serve(req);
      return rpcError(
        fault.status,
        GRPC_CODE[fault.status] ?? 2,
        fault.message ?? `injected HTTP ${fault.status}`,
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
    }
    const answer = await serve(req);
    const tamper = tampers.find(
      (t) => t.left > 0 && t.path.test(req.path) && (!t.method || t.method === req.method),
    );
    if (!tamper || typeof answer.body !== 'object') return answer;
    tamper.left--;
    return { ...answer, body: tamper.edit(answer.body as Record<string, unknown>) };
  };

  const serve = async (req: FakeRequest): Promise<FakeResponse> => {
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return rpcError(
        401,
        16,
        'Unauthenticated: Request header error: there is no user identity header.',
      );
    }
    if (options.cookie !== undefined && req.headers.cookie !== options.cookie) {
      return rpcError(401, 16, 'Unauthenticated: no valid session');
    }
    const ns = req.query.get('namespace') ?? undefined;
    if (ns && options.namespaces && !options.namespaces.includes(ns)) {
      return rpcError(403, 7, `PermissionDenied: User is not authorized to access namespace ${ns}`);
    }
    const base = '/apis/v2beta1';
    const p = req.path.startsWith(base) ? req.path.slice(base.length) : undefined;
    if (p === undefined) return { status: 404, body: '404 page not found\n' };
    const body = (): Record<string, unknown> | string => {
      try {
        const parsed: unknown = JSON.parse(req.body);
        return typeof parsed === 'object' && parsed !== null
          ? (parsed as Record<string, unknown>)
          : 'body is not an object';
      } catch {
        return 'invalid JSON body';
      }
    };

    if (req.method === 'GET' && p === '/healthz') {
      return json(
        200,
        pick(
          { commit_sha: 'fake', tag_name: '2.5.0', multi_user: options.multiUser ?? false },
          HEALTHZ_FIELDS,
        ),
      );
    }
    if (p === '/experiments' && req.method === 'GET') {
      if (options.multiUser && !ns)
        return rpcError(
          400,
          3,
          'Invalid input error: In multi-user mode, ListExperiment must filter by namespace',
        );
      const filter = JSON.parse(req.query.get('filter') ?? '{"predicates":[]}') as {
        predicates: { key: string; string_value: string }[];
      };
      const found = [...experiments.values()].filter(
        (e) =>
          (!ns || e.namespace === ns) &&
          filter.predicates.every(
            (pr) => pr.key === 'display_name' && e.display_name === pr.string_value,
          ),
      );
      return json(200, found.length ? { experiments: found, total_size: found.length } : {});
    }
    if (p === '/experiments' && req.method === 'POST') {
      const b = body();
      if (typeof b === 'string') return rpcError(400, 3, b);
      const bad = unknownField(b, EXPERIMENT_FIELDS, 'v2beta1.Experiment');
      if (bad) return rpcError(400, 3, bad);
      if (options.multiUser && !b.namespace)
        return rpcError(400, 3, 'Invalid input error: experiment namespace is empty');
      const e = {
        experiment_id: id('exp'),
        display_name: String(b.display_name),
        ...(b.namespace ? { namespace: String(b.namespace) } : {}),
      };
      experiments.set(e.experiment_id, e);
      return json(200, { ...e, created_at: iso(now()), storage_state: 'AVAILABLE' });
    }
    if (p === '/pipelines' && req.method === 'GET') {
      const filter = JSON.parse(req.query.get('filter') ?? '{"predicates":[]}') as {
        predicates: { key: string; string_value: string }[];
      };
      const found = [...pipelines.values()].filter((x) =>
        filter.predicates.every(
          (pr) => pr.key === 'display_name' && x.display_name === pr.string_value,
        ),
      );
      return json(
        200,
        found.length
          ? { pipelines: found.map((x) => pick(x, PIPELINE_FIELDS)), total_size: found.length }
          : {},
      );
    }
    if ((p === '/pipelines/upload' || p === '/pipelines/upload_version') && req.method === 'POST') {
      const file = uploadedFile(req);
      if (typeof file === 'string') return json(400, { error_message: file, error_details: file });
      if (!/\.(ya?ml|json|zip|tar\.gz)$/.test(file.name)) {
        return json(400, {
          error_message: `Unexpected pipeline file format. Support .zip, .tar.gz, .json or YAML.`,
          error_details: file.name,
        });
      }
      const name = req.query.get('name') ?? file.name;
      if (p === '/pipelines/upload') {
        if ([...pipelines.values()].some((x) => x.display_name === name))
          return json(409, {
            error_message: `Failed to create a pipeline: already exist`,
            error_details: name,
          });
        const pipeline = {
          pipeline_id: id('pipe'),
          display_name: req.query.get('display_name') ?? name,
          ...(ns ? { namespace: ns } : {}),
        };
        pipelines.set(pipeline.pipeline_id, pipeline);
        versions.push({
          pipeline_id: pipeline.pipeline_id,
          pipeline_version_id: id('ver'),
          display_name: name,
          spec: undefined,
          upload: file.content,
        });
        return json(200, { ...pipeline, created_at: iso(now()) });
      }
      const pipelineId = req.query.get('pipelineid') ?? '';
      if (!pipelines.has(pipelineId))
        return json(404, {
          error_message: `Pipeline ${pipelineId} not found`,
          error_details: 'NotFound',
        });
      if (versions.some((v) => v.pipeline_id === pipelineId && v.display_name === name))
        return json(409, {
          error_message: 'Failed to create a pipeline version: already exists',
          error_details: name,
        });
      const v = {
        pipeline_id: pipelineId,
        pipeline_version_id: id('ver'),
        display_name: name,
        spec: undefined,
        upload: file.content,
      };
      versions.push(v);
      return json(200, pick({ ...v, created_at: iso(now()) }, VERSION_FIELDS));
    }
    let m = /^\/pipelines\/([^/]+)\/versions$/.exec(p);
    if (m && req.method === 'GET') {
      const filter = JSON.parse(req.query.get('filter') ?? '{"predicates":[]}') as {
        predicates: { key: string; string_value: string }[];
      };
      const list = versions
        .filter((v) => v.pipeline_id === m![1])
        .filter((v) =>
          filter.predicates.every(
            (pr) => pr.key === 'display_name' && v.display_name === pr.string_value,
          ),
        )
        .reverse();
      const size = Number(req.query.get('page_size') ?? '20');
      return json(200, {
        pipeline_versions: list.slice(0, size).map((v) => pick(v, VERSION_FIELDS)),
        total_size: list.length,
      });
    }
    m = /^\/pipelines\/([^/]+)\/versions\/([^/]+)$/.exec(p);
    if (m && req.method === 'GET') {
      const v = versions.find((x) => x.pipeline_id === m![1] && x.pipeline_version_id === m![2]);
      if (!v) return rpcError(404, 5, `NotFound: Pipeline version ${m[2]} not found`);
      return json(200, pick({ ...v, pipeline_spec: v.spec }, VERSION_FIELDS));
    }
    if (p === '/runs' && req.method === 'POST') {
      const b = body();
      if (typeof b === 'string') return rpcError(400, 3, b);
      const bad =
        unknownField(b, RUN_FIELDS, 'v2beta1.Run') ??
        unknownField(
          (b.runtime_config ?? {}) as Record<string, unknown>,
          RUNTIME_CONFIG_FIELDS,
          'v2beta1.RuntimeConfig',
        ) ??
        unknownField(
          (b.pipeline_version_reference ?? {}) as Record<string, unknown>,
          PVR_FIELDS,
          'v2beta1.PipelineVersionReference',
        );
      if (bad) return rpcError(400, 3, bad);
      if (!b.display_name) return rpcError(400, 3, 'Invalid input error: The run name is empty');
      const sources = ['pipeline_spec', 'pipeline_version_reference', 'pipeline_version_id'].filter(
        (k) => b[k] !== undefined,
      );
      if (sources.length !== 1)
        return rpcError(
          400,
          3,
          `Invalid input error: exactly one pipeline source is needed, got ${sources.length}`,
        );
      const pvr = b.pipeline_version_reference as
        { pipeline_id?: string; pipeline_version_id?: string } | undefined;
      if (
        pvr &&
        !versions.some(
          (v) =>
            v.pipeline_id === pvr.pipeline_id && v.pipeline_version_id === pvr.pipeline_version_id,
        )
      ) {
        return rpcError(404, 5, `NotFound: pipeline version ${pvr.pipeline_version_id} not found`);
      }
      const exp =
        b.experiment_id === undefined ? undefined : experiments.get(String(b.experiment_id));
      if (b.experiment_id !== undefined && !exp)
        return rpcError(404, 5, `NotFound: experiment ${String(b.experiment_id)} not found`);
      if (options.multiUser && !exp?.namespace)
        return rpcError(
          400,
          3,
          'Invalid input error: A run cannot have an empty namespace in multi-user mode',
        );
      const run: StoredRun = {
        body: b,
        run_id: id('run'),
        createdAt: now(),
        polls: 0,
        script,
        terminated: 'no',
        ...(exp?.namespace ? { namespace: exp.namespace } : {}),
      };
      runs.set(run.run_id, run);
      return json(200, view(run));
    }
    if (p === '/runs' && req.method === 'GET') {
      const filter = JSON.parse(req.query.get('filter') ?? '{"predicates":[]}') as {
        predicates: { key: string; string_value: string }[];
      };
      const experimentId = req.query.get('experiment_id');
      const found = [...runs.values()]
        .filter((r) => !experimentId || r.body.experiment_id === experimentId)
        .filter((r) =>
          filter.predicates.every(
            (pr) => pr.key === 'display_name' && r.body.display_name === pr.string_value,
          ),
        )
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, Number(req.query.get('page_size') ?? '20'));
      return json(200, found.length ? { runs: found.map(view), total_size: found.length } : {});
    }
    m = /^\/runs\/([^/:]+)$/.exec(p);
    if (m && req.method === 'GET') {
      const run = runs.get(m[1]!);
      if (!run)
        return rpcError(
          404,
          5,
          `NotFound: Failed to get run: ResourceNotFoundError: Run ${m[1]} not found`,
        );
      run.polls++;
      const v = view(run);
      if (run.terminated === 'canceling') run.terminated = 'canceled';
      return json(200, v);
    }
    m = /^\/runs\/([^/:]+):terminate$/.exec(p);
    if (m && req.method === 'POST') {
      const run = runs.get(m[1]!);
      if (!run) return rpcError(404, 5, `NotFound: Run ${m[1]} not found`);
      const state = run.polls === 0 ? 'PENDING' : stepOf(run).state;
      if (TERMINAL.has(state) || run.terminated !== 'no') {
        return rpcError(
          400,
          3,
          `Failed to terminate a run ${run.run_id}: InvalidInputError: Failed to terminate run ${run.run_id}. Row not found`,
        );
      }
      run.terminated = 'canceling';
      return json(200, {});
    }
    throw new Error(`unexpected ${req.method} ${req.url}`);
  };

  const server = await startFake('kfp', handler);
  return {
    ...server,
    runs,
    experiments,
    pipelines,
    versions,
    script(steps) {
      checkScript(steps);
      script = steps;
    },
    fault(f) {
      faults.push({ ...f, left: f.times ?? 1 });
    },
    tamper(t) {
      tampers.push({ ...t, left: t.times ?? 1 });
    },
    addPipeline(name, spec, namespace) {
      const pipeline = {
        pipeline_id: id('pipe'),
        display_name: name,
        ...(namespace ? { namespace } : {}),
      };
      pipelines.set(pipeline.pipeline_id, pipeline);
      const v = {
        pipeline_id: pipeline.pipeline_id,
        pipeline_version_id: id('ver'),
        display_name: `${name}-v1`,
        spec,
        upload: '',
      };
      versions.push(v);
      return { pipelineId: pipeline.pipeline_id, versionId: v.pipeline_version_id };
    },
    next(method, path) {
      return new Promise((resolve) => waiters.push({ method, path, resolve }));
    },
    polls(runId) {
      const run = runId ? runs.get(runId) : [...runs.values()].at(-1);
      return run?.polls ?? 0;
    },
  };
}
