/** The state rollout-and-verify's main step leaves its post step: where the run was. */
import { jsonState } from '../../shared/state.ts';
import type { Progress } from './record.ts';

function isProgress(value: unknown): value is Progress {
  const p = value as Progress | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.phase === 'string' &&
    typeof p.startedAt === 'number' &&
    Array.isArray(p.workloads) &&
    p.workloads.every(
      (w) =>
        typeof w === 'object' &&
        w !== null &&
        ['kind', 'namespace', 'name', 'state', 'message'].every(
          (k) => typeof (w as unknown as Record<string, unknown>)[k] === 'string',
        ),
    )
  );
}

export const progressState = jsonState<Progress>('progress', isProgress);
