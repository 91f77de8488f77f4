/** The v2beta1 wire types kfp-run-and-wait reads and sends (snake_case, as on the wire). */

/** `v2beta1RuntimeState`. */
export type RuntimeState =
  | 'RUNTIME_STATE_UNSPECIFIED'
  | 'PENDING'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'SKIPPED'
  | 'FAILED'
  | 'CANCELING'
  | 'CANCELED'
  | 'PAUSED';

export const TERMINAL_STATES: ReadonlySet<string> = new Set([
  'SUCCEEDED',
  'SKIPPED',
  'FAILED',
  'CANCELED',
]);

export interface RpcStatus {
  code?: number;
  message?: string;
}

export interface TaskDetail {
  task_id?: string;
  display_name?: string;
  create_time?: string;
  start_time?: string;
  end_time?: string;
  state?: RuntimeState;
  error?: RpcStatus;
  pod_name?: string;
  parent_task_id?: string;
}

export interface Run {
  run_id: string;
  display_name?: string;
  experiment_id?: string;
  state?: RuntimeState;
  created_at?: string;
  scheduled_at?: string;
  finished_at?: string;
  error?: RpcStatus;
  run_details?: { task_details?: TaskDetail[] };
  pipeline_version_reference?: { pipeline_id?: string; pipeline_version_id?: string };
  state_history?: { update_time?: string; state?: RuntimeState; error?: RpcStatus }[];
}

export interface CreateRunBody {
  display_name: string;
  description?: string;
  experiment_id?: string;
  pipeline_spec?: Record<string, unknown>;
  pipeline_version_reference?: { pipeline_id: string; pipeline_version_id: string };
  runtime_config: { parameters: Record<string, unknown> };
}

export interface Experiment {
  experiment_id: string;
  display_name?: string;
  namespace?: string;
}

export interface Pipeline {
  pipeline_id: string;
  display_name?: string;
  name?: string;
}

export interface PipelineVersion {
  pipeline_id?: string;
  pipeline_version_id: string;
  display_name?: string;
  name?: string;
  pipeline_spec?: Record<string, unknown>;
}

export interface Healthz {
  multi_user?: boolean;
  tag_name?: string;
  commit_sha?: string;
}
