/**
 * The MLflow REST API 2.0, as much as model-registry uses (mlflow/protos/model_registry.proto
 * and service.proto; test/contracts/mlflow/). MLflow publishes no JavaScript client (its
 * clients are Python, Java and R), so this is a thin client on shared/http: retries with
 * Retry-After, timeouts and the step's deadline come from there. Every value the server
 * answers is checked (values.ts) before it is returned; errors name the model, version or
 * alias and carry MLflow's own `error_code` and `message`.
 */
import { HttpError } from '../../shared/errors.ts';
import type { HttpClient, HttpRequest } from '../../shared/http.ts';
import { checkedServerString } from '../../shared/server-values.ts';
import { explain, MlflowError } from './mlflow-errors.ts';
import {
  checkedMetrics,
  checkedParams,
  checkedRunId,
  checkedSource,
  checkedVersion,
  STATUSES,
} from './values.ts';

export { MlflowError } from './mlflow-errors.ts';

/** A model version, checked. */
export interface ModelVersion {
  version: string;
  source: string;
  /** Empty when the version was not registered from a run. */
  runId: string;
  status: (typeof STATUSES)[number];
}

export interface RunData {
  runId: string;
  metrics: Record<string, number>;
  params: Record<string, string>;
  /** Metrics left out because their value was NaN or infinite. */
  skipped: string[];
}

interface WireVersion {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  run_id?: unknown;
  status?: unknown;
}

const STATUS = new RegExp(`^(${STATUSES.join('|')})$`);
/** Search pages followed at most (at MLflow's page size, far past any real model). */
const MAX_PAGES = 1000;

export interface MlflowClientOptions {
  /** The server root (`tracking-uri`), without a trailing slash. */
  trackingUri: string;
  http: HttpClient;
  signal: AbortSignal;
}

export class MlflowClient {
  private readonly o: MlflowClientOptions;

  constructor(o: MlflowClientOptions) {
    this.o = o;
  }

  private async call<T>(
    what: string,
    path: string,
    req: Omit<HttpRequest, 'url'>,
    query?: [string, string][],
  ): Promise<T> {
    const qs = query ? `?${new URLSearchParams(query).toString()}` : '';
    try {
      const res = await this.o.http.request({
        ...req,
        url: `${this.o.trackingUri}/api/2.0/mlflow${path}${qs}`,
        headers: { accept: 'application/json', ...req.headers },
        signal: this.o.signal,
        label: `MLflow ${req.method ?? 'GET'} ${path} (${what})`,
      });
      return (res.body.trim() === '' ? {} : res.json<T>()) as T;
    } catch (error) {
      if (error instanceof HttpError) throw explain(error, what, path, this.o.trackingUri);
      throw error;
    }
  }

  private get<T>(what: string, path: string, query: [string, string][]): Promise<T> {
    return this.call<T>(what, path, { method: 'GET' }, query);
  }

  /**
   * A write. Setting an alias or a tag to a value, or deleting an alias, ends in the same
   * state however often it is sent: repeating one whose answer was lost is harmless.
   */
  private write(
    what: string,
    method: 'POST' | 'DELETE',
    path: string,
    body: object,
  ): Promise<unknown> {
    return this.call(what, path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      idempotent: true,
    });
  }

  private checked(v: WireVersion | undefined, what: string): ModelVersion {
    const version = checkedVersion(v?.version, `MLflow version of ${what}`);
    const at = what.endsWith(`version ${version}`) ? what : `${what} (version ${version})`;
    const runId =
      v?.run_id === undefined || v.run_id === ''
        ? ''
        : checkedRunId(v.run_id, `MLflow run_id of ${at}`);
    return {
      version,
      source: checkedSource(v?.source, `MLflow source of ${at}`),
      runId,
      status: checkedServerString(
        v?.status ?? 'READY',
        STATUS,
        `MLflow status of ${at}`,
      ) as ModelVersion['status'],
    };
  }

  /** The registered model (existence, and a clear error when it is not there). */
  async getRegisteredModel(name: string): Promise<void> {
    await this.get(`model '${name}'`, '/registered-models/get', [['name', name]]);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const what = `model '${name}' version ${version}`;
    const r = await this.get<{ model_version?: WireVersion }>(what, '/model-versions/get', [
      ['name', name],
      ['version', version],
    ]);
    return this.checked(r.model_version, what);
  }

  /** The version an alias points at; undefined when the alias is not set. */
  async getByAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    const what = `alias '${alias}' of model '${name}'`;
    try {
      const r = await this.get<{ model_version?: WireVersion }>(what, '/registered-models/alias', [
        ['name', name],
        ['alias', alias],
      ]);
      return this.checked(r.model_version, what);
    } catch (error) {
      if (error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST')
        return undefined;
      throw error;
    }
  }

  /** Every version of the model (or of one run of it), following next_page_token. */
  async searchVersions(name: string, runId?: string): Promise<ModelVersion[]> {
    const filter = `name='${name}'${runId ? ` and run_id='${runId}'` : ''}`;
    const what = runId
      ? `versions of model '${name}' from run ${runId}`
      : `versions of model '${name}'`;
    const found: ModelVersion[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: [string, string][] = [
        ['filter', filter],
        ['max_results', '200'],
      ];
      if (token) query.push(['page_token', token]);
      const r = await this.get<{ model_versions?: WireVersion[]; next_page_token?: unknown }>(
        what,
        '/model-versions/search',
        query,
      );
      for (const v of r.model_versions ?? []) {
        // A server that ignores the filter must not hand us another model's version.
        if (v.name !== undefined && v.name !== name) continue;
        found.push(this.checked(v, `model '${name}'`));
      }
      if (typeof r.next_page_token !== 'string' || r.next_page_token === '') return found;
      token = r.next_page_token;
    }
    throw new Error(
      `MLflow: ${what}: more than ${MAX_PAGES} pages of search results; refusing to go on`,
    );
  }

  /** The latest version in a legacy stage (get-latest-versions); undefined when none. */
  async latestInStage(name: string, stage: string): Promise<ModelVersion | undefined> {
    const what = `stage '${stage}' of model '${name}'`;
    const r = await this.get<{ model_versions?: WireVersion[] }>(
      what,
      '/registered-models/get-latest-versions',
      [
        ['name', name],
        ['stages', stage],
      ],
    );
    const v = r.model_versions?.[0];
    return v ? this.checked(v, what) : undefined;
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.write(
      `alias '${alias}' of model '${name}' → version ${version}`,
      'POST',
      '/registered-models/alias',
      { name, alias, version },
    );
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.write(`alias '${alias}' of model '${name}'`, 'DELETE', '/registered-models/alias', {
      name,
      alias,
    });
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.write(
      `tag ${key} on model '${name}' version ${version}`,
      'POST',
      '/model-versions/set-tag',
      { name, version, key, value },
    );
  }

  async getRun(runId: string): Promise<RunData> {
    const r = await this.get<{ run?: { data?: { metrics?: unknown; params?: unknown } } }>(
      `run ${runId}`,
      '/runs/get',
      [['run_id', runId]],
    );
    const { metrics, skipped } = checkedMetrics(r.run?.data?.metrics, runId);
    return { runId, metrics, skipped, params: checkedParams(r.run?.data?.params, runId) };
  }
}
