/**
 * kfp-run-and-wait's typed contract: the context its phases share (inputs and injected
 * dependencies) and the report they fill in, from which outputs, the summary and the verdict
 * are derived. Types only, so every phase module imports them without a circle.
 */
import type { Clock } from '../../shared/clock.ts';
import type { Deadline } from '../../shared/deadline.ts';
import type { Logger } from '../../shared/logger.ts';
import type { PhaseReport } from '../../shared/phases.ts';
import type { KfpClient, Run } from './api.ts';
import type { KfpInputs } from './inputs.ts';
import type { Prepared, Resolved } from './resolve.ts';
import type { SavedRun } from './state.ts';

export type Outcome = 'succeeded' | 'failed' | 'submitted' | 'timeout' | 'cancelled';

export interface CancelReport {
  ok: boolean;
  message: string;
}

export interface KfpResult {
  outcome: Outcome;
  /** The created run's id (checked against its grammar): what outputs and files are named by. */
  runId: string;
  run: Run;
  runUrl: string;
  state: string;
  durationMs: number;
  /** What this step changed in KFP, one line each. */
  changes: string[];
  /** Failed tasks (name: error), for FAILED / CANCELED / SKIPPED runs. */
  failedTasks: string[];
  cancel?: CancelReport;
  /** The failure message when the outcome is not succeeded or submitted. */
  error?: string;
  source: string;
}

export interface RunDeps {
  client: KfpClient;
  clock: Clock;
  logger: Logger;
  /** Aborted when the job is cancelled. */
  signal: AbortSignal;
  /** Aborted when `timeout` has passed on the real clock: bounds requests that hang. */
  deadlineSignal?: AbortSignal;
  /** Saves the run for the post step: as soon as it exists, and once it is settled. */
  saveRun(saved: SavedRun): void;
}

/** What every phase gets: the inputs, the dependencies and the step's one deadline. */
export interface KfpContext extends RunDeps {
  inputs: KfpInputs;
  /** `timeout` from the step's start, on `clock`. */
  deadline: Deadline;
  /** Writes the run's details as JSON into a new file under output-dir; returns its path. */
  writeDetails?(run: Run): Promise<string>;
}

/** The created run, as the phases after creation need it. */
export interface CreatedRun {
  runId: string;
  runUrl: string;
  run: Run;
  source: string;
}

/** What the phases found and did, in order; `result` once the run is settled (or submitted). */
export interface KfpReport extends PhaseReport {
  startedAt: number;
  /** What this step changed in KFP, one line each (also when a later phase fails). */
  changes: string[];
  prepared?: Prepared;
  resolved?: Resolved;
  experimentId?: string;
  created?: CreatedRun;
  result?: KfpResult;
  /** The run-details file (the `run-details` output). */
  detailsPath?: string;
}
