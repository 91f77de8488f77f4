/** What kfp-run-and-wait's main step leaves its post step: the run, and whether it is settled. */
import { OPAQUE_ID } from '../../shared/server-values.ts';
import { jsonState } from '../../shared/state.ts';

export interface SavedRun {
  runId: string;
  runUrl: string;
  /**
   * True once nothing is left to do: the run ended, was cancelled, or was meant to go on
   * (`wait: false`, `cancel-on-timeout: false`). False: the post step cancels it.
   */
  settled: boolean;
}

function isSavedRun(value: unknown): value is SavedRun {
  const v = value as Partial<SavedRun> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.runId === 'string' &&
    // Checked when main saved it; checked again since the post step puts it in a URL.
    OPAQUE_ID.test(v.runId) &&
    typeof v.runUrl === 'string' &&
    typeof v.settled === 'boolean'
  );
}

export const runState = jsonState<SavedRun>('run', isSavedRun);
