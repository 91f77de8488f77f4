/**
 * The KFP v2beta1 REST API, as much as kfp-run-and-wait uses (swagger: run, pipeline,
 * pipeline.upload, experiment, healthz). Field names are the wire's snake_case; errors are
 * wrapped with the method, URL, status and KFP's own message, and say what to do about
 * authentication and wrong hosts.
 */
import { randomBytes } from 'node:crypto';
import { HttpError } from '../../shared/errors.ts';
import { checkedId, checkedRun } from './api-answers.ts';
import { explain, KfpError, kfpMessage } from './api-errors.ts';
import type {
  CreateRunBody,
  Experiment,
  Healthz,
  Pipeline,
  PipelineVersion,
  Run,
} from './api-types.ts';
import type { Clock } from '../../shared/clock.ts';
import { RETRYABLE_STATUSES, type HttpClient, type HttpRequest } from '../../shared/http.ts';
import { parseRetryAfter, RetryDeadlineError, withRetry } from '../../shared/retry.ts';
import type { RetryDecision } from '../../shared/retry.ts';

export * from './api-types.ts';
export { explain, KfpError, kfpMessage } from './api-errors.ts';

function eqFilter(key: string, value: string): string {
  return JSON.stringify({ predicates: [{ operation: 'EQUALS', key, string_value: value }] });
}

/** How far the runner's and the server's clocks may disagree when matching created_at. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface KfpClientOptions {
  host: string;
  /** Bounded by the step's deadline (when it has one): no retry waits past it. */
  http: HttpClient;
  /** The same stack without retries: for creating a run, which must not happen twice. */
  once: HttpClient;
  /** The same stack bounded by another deadline: to cancel a run once the step's time is spent. */
  within(deadline: number): HttpClient;
  clock: Clock;
  signal?: AbortSignal;
  /** The step's deadline (on `clock`): createRun's own retries never wait past it. */
  deadline?: number;
  authKind: string;
}

/**
 * A request bounded on its own, not by the step: a signal (ends a hang, on the clock) and a
 * deadline (on the clock: no retry waits past it).
 */
export interface Bound {
  signal: AbortSignal;
  deadline: number;
}

/** A bound `ms` from now. */
export function boundFor(clock: Clock, ms: number): Bound {
  return { signal: clock.timeout(ms), deadline: clock.now() + ms };
}

/** A create that failed in a way worth retrying: whether KFP may have processed it, the wait asked. */
class CreateRunFailure extends Error {
  readonly maybeProcessed: boolean;
  readonly decision: RetryDecision;
  constructor(message: string, maybeProcessed: boolean, retryAfterMs: number | undefined) {
    super(message);
    this.maybeProcessed = maybeProcessed;
    this.decision =
      retryAfterMs === undefined ? { retry: true } : { retry: true, delayMs: retryAfterMs };
  }
}

export class KfpClient {
  readonly host: string;
  private readonly http: HttpClient;
  private readonly once: HttpClient;
  private readonly clock: Clock;
  private readonly signal: AbortSignal | undefined;
  private readonly deadline: number | undefined;
  private readonly within: (deadline: number) => HttpClient;
  private readonly authKind: string;
  /** Requests made, by kind: for the summary and the benchmark. */
  readonly counts = new Map<string, number>();

  constructor(o: KfpClientOptions) {
    this.host = o.host;
    this.http = o.http;
    this.once = o.once;
    this.clock = o.clock;
    this.signal = o.signal;
    this.deadline = o.deadline;
    this.within = o.within;
    this.authKind = o.authKind;
  }

  private url(path: string, query: Record<string, string | undefined> = {}): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
    const qs = q.toString();
    return `${this.host}/apis/v2beta1${path}${qs ? `?${qs}` : ''}`;
  }

  private async call<T>(
    kind: string,
    req: HttpRequest,
    signal = this.signal,
    http = this.http,
  ): Promise<T> {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    try {
      const res = await http.request({
        ...req,
        headers: { accept: 'application/json', ...req.headers },
        ...(signal ? { signal } : {}),
      });
      return (res.body.trim() === '' ? {} : res.json<T>()) as T;
    } catch (error) {
      if (error instanceof HttpError) throw explain(error, this.host, this.authKind);
      throw error;
    }
  }

  private json<T>(kind: string, method: string, url: string, body: unknown): Promise<T> {
    return this.call<T>(kind, {
      method,
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      // Only experiment creation uses this: names are unique, a repeat gets 409 → found by name.
      idempotent: true,
    });
  }

  healthz(): Promise<Healthz> {
    return this.call('healthz', { url: this.url('/healthz') });
  }

  async findExperiment(name: string, namespace?: string): Promise<Experiment | undefined> {
    const list = await this.call<{ experiments?: Experiment[] }>('experiment', {
      url: this.url('/experiments', {
        namespace,
        filter: eqFilter('display_name', name),
        page_size: '10',
      }),
    });
    const found = list.experiments?.find((e) => e.display_name === name);
    return found && { ...found, experiment_id: checkedId(found.experiment_id, 'experiment_id') };
  }

  async createExperiment(name: string, namespace?: string): Promise<Experiment> {
    const created = await this.json<Experiment>('experiment', 'POST', this.url('/experiments'), {
      display_name: name,
      ...(namespace ? { namespace } : {}),
      description: 'Created by mlops-actions/kfp-run-and-wait',
    });
    return { ...created, experiment_id: checkedId(created.experiment_id, 'experiment_id') };
  }

  async findPipeline(name: string, namespace?: string): Promise<Pipeline | undefined> {
    const list = await this.call<{ pipelines?: Pipeline[] }>('pipeline', {
      url: this.url('/pipelines', {
        namespace,
        filter: eqFilter('display_name', name),
        page_size: '10',
      }),
    });
    return checkedPipeline(list.pipelines?.find((p) => p.display_name === name));
  }

  getPipelineVersion(pipelineId: string, versionId: string): Promise<PipelineVersion> {
    return this.call('pipeline', {
      url: this.url(
        `/pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`,
      ),
    });
  }

  async findVersion(pipelineId: string, name: string): Promise<PipelineVersion | undefined> {
    const list = await this.call<{ pipeline_versions?: PipelineVersion[] }>('pipeline', {
      url: this.url(`/pipelines/${encodeURIComponent(pipelineId)}/versions`, {
        filter: eqFilter('display_name', name),
        page_size: '10',
      }),
    });
    return checkedVersion(list.pipeline_versions?.find((v) => v.display_name === name));
  }

  async latestVersion(pipelineId: string): Promise<PipelineVersion | undefined> {
    const list = await this.call<{ pipeline_versions?: PipelineVersion[] }>('pipeline', {
      url: this.url(`/pipelines/${encodeURIComponent(pipelineId)}/versions`, {
        sort_by: 'created_at desc',
        page_size: '1',
      }),
    });
    return checkedVersion(list.pipeline_versions?.[0]);
  }

  /** Uploads a new pipeline (its first version is the file). */
  async uploadPipeline(name: string, file: Upload, namespace?: string): Promise<Pipeline> {
    const created = await this.upload<Pipeline>(
      this.url('/pipelines/upload', { name, display_name: name, namespace }),
      file,
    );
    return { ...created, pipeline_id: checkedId(created.pipeline_id, 'pipeline_id') };
  }

  async uploadVersion(
    pipelineId: string,
    versionName: string,
    file: Upload,
  ): Promise<PipelineVersion> {
    const created = await this.upload<PipelineVersion>(
      this.url('/pipelines/upload_version', {
        pipelineid: pipelineId,
        name: versionName,
        display_name: versionName,
      }),
      file,
    );
    return {
      ...created,
      pipeline_version_id: checkedId(created.pipeline_version_id, 'pipeline_version_id'),
    };
  }

  private upload<T>(url: string, file: Upload): Promise<T> {
    const { body, contentType } = multipart('uploadfile', file);
    return this.call<T>('upload', {
      method: 'POST',
      url,
      headers: { 'content-type': contentType },
      body,
      // Names are unique: a repeat whose first answer was lost gets 409 → found by name.
      idempotent: true,
    });
  }

  /**
   * Creates a run, never two. KFP has no idempotency key, so a create whose answer was lost
   * (a 500/502/504, a reset, a timeout) may have created the run: before trying again, the
   * runs of that name created since the first attempt are listed, and one found is the run.
   * Answers that mean "not processed" (429, 503, connection refused) are simply retried, on
   * the one retry policy (shared/retry.ts), never waiting past the step's deadline.
   */
  async createRun(
    body: CreateRunBody,
    o: { attempts?: number; onRetry?: (message: string) => void } = {},
  ): Promise<Run> {
    const since = this.clock.now() - CLOCK_SKEW_MS;
    const attempts = o.attempts ?? 5;
    try {
      return await withRetry(
        () => this.createRunOnce(body, since, o.onRetry),
        (error) => (error instanceof CreateRunFailure ? error.decision : { retry: false }),
        {
          attempts,
          clock: this.clock,
          ...(this.deadline !== undefined ? { deadline: this.deadline } : {}),
          ...(this.signal ? { signal: this.signal } : {}),
          onRetry: (error, attempt, wait) =>
            o.onRetry?.(`${(error as Error).message}; retry ${attempt} in ${wait} ms`),
        },
      );
    } catch (error) {
      if (error instanceof RetryDeadlineError) {
        throw new KfpError(`${(error.last as Error).message} (${error.message})`, undefined, true);
      }
      if (error instanceof CreateRunFailure) {
        throw new KfpError(
          `${error.message} (gave up after ${attempts} attempts)`,
          undefined,
          true,
        );
      }
      throw error;
    }
  }

  /** One create (`once`: no HTTP retries); a failure that may hide the run looks for it first. */
  private async createRunOnce(
    body: CreateRunBody,
    since: number,
    onRetry: ((message: string) => void) | undefined,
  ): Promise<Run> {
    const url = this.url('/runs');
    this.counts.set('create-run', (this.counts.get('create-run') ?? 0) + 1);
    let failure: CreateRunFailure;
    try {
      const res = await this.once.request({
        method: 'POST',
        url,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
        okStatuses: [...RETRYABLE_STATUSES],
        ...(this.signal ? { signal: this.signal } : {}),
      });
      if (res.status >= 200 && res.status < 300) return checkedRun(res.json<unknown>());
      failure = new CreateRunFailure(
        `POST ${url} failed with HTTP ${res.status}: ${kfpMessage(res.body) ?? (res.body.trim().slice(0, 200) || 'no body')}`,
        // 429 and 503 say the request was not processed; the others may hide a created run.
        res.status !== 429 && res.status !== 503,
        parseRetryAfter(res.header('retry-after'), this.clock.now()),
      );
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const explained = explain(error, this.host, this.authKind);
      if (!explained.transient || this.signal?.aborted) throw explained;
      failure = new CreateRunFailure(explained.message, explained.maybeProcessed, undefined);
    }
    if (failure.maybeProcessed) {
      const found = await this.findRunCreatedSince(body, since);
      if (found) {
        onRetry?.(`${failure.message}; the run was created all the same: ${found.run_id}`);
        return found;
      }
    }
    throw failure;
  }

  /** The newest run named like `body` (in its experiment) created at or after `since`. */
  private async findRunCreatedSince(body: CreateRunBody, since: number): Promise<Run | undefined> {
    const list = await this.call<{ runs?: Run[] }>('list-runs', {
      url: this.url('/runs', {
        experiment_id: body.experiment_id,
        filter: eqFilter('display_name', body.display_name),
        sort_by: 'created_at desc',
        page_size: '5',
      }),
    });
    const found = list.runs?.find(
      (r) => r.display_name === body.display_name && Date.parse(r.created_at ?? '') >= since,
    );
    return found && checkedRun(found);
  }

  /** The run; `bound` replaces the step's signal and deadline (the post step's own budget). */
  async getRun(runId: string, bound?: Bound): Promise<Run> {
    const answer = await this.call<unknown>(
      'get-run',
      { url: this.url(`/runs/${encodeURIComponent(runId)}`) },
      bound ? bound.signal : this.signal,
      this.httpFor(bound),
    );
    return checkedRun(answer, runId);
  }

  /**
   * Cancels a run (`:terminate`): the store moves it to CANCELING, then CANCELED. Bounded by
   * `bound` alone: it runs when the step's time is spent or the job is cancelled.
   */
  async terminateRun(runId: string, bound: Bound): Promise<void> {
    await this.call(
      'terminate',
      // Terminating twice is terminating once.
      {
        method: 'POST',
        url: this.url(`/runs/${encodeURIComponent(runId)}:terminate`),
        idempotent: true,
      },
      bound.signal,
      this.httpFor(bound),
    );
  }

  private httpFor(bound: Bound | undefined): HttpClient {
    return bound ? this.within(bound.deadline) : this.http;
  }
}

function checkedPipeline(p: Pipeline | undefined): Pipeline | undefined {
  return p && { ...p, pipeline_id: checkedId(p.pipeline_id, 'pipeline_id') };
}

function checkedVersion(v: PipelineVersion | undefined): PipelineVersion | undefined {
  return (
    v && { ...v, pipeline_version_id: checkedId(v.pipeline_version_id, 'pipeline_version_id') }
  );
}

export interface Upload {
  filename: string;
  bytes: Uint8Array;
}

/** A multipart/form-data body with one file field. */
export function multipart(field: string, file: Upload): { body: Uint8Array; contentType: string } {
  const boundary = `mlops-actions-${randomBytes(12).toString('hex')}`;
  const safeName = file.filename.replace(/["\r\n\\]/g, '_');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${safeName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: Buffer.concat([head, file.bytes, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
