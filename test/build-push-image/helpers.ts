/** The dependencies build-push-image's phases get, faked: one builder for the unit tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CommandRunner } from '../../shared/exec.ts';
import { createHttpClient } from '../../shared/http.ts';
import type { Deps } from '../../actions/build-push-image/context.ts';
import { ManualClock, RecordingLogger } from '../harness/doubles.ts';

export type FakeDeps = Deps & { logger: RecordingLogger; clock: ManualClock };

/**
 * A workspace with a Dockerfile (its directory pushed to `dirs` for removal), the clock at
 * `startIso`, a recording logger, and the runner's environment with `env` on top.
 */
export function fakeDeps(
  runner: CommandRunner,
  dirs: string[],
  o: { startIso: string; env: Record<string, string> },
  over: Partial<Deps> = {},
): FakeDeps {
  const temp = mkdtempSync(path.join(tmpdir(), 'bpi-'));
  dirs.push(temp);
  writeFileSync(path.join(temp, 'Dockerfile'), 'FROM scratch\n');
  return {
    runner,
    http: createHttpClient({ attempts: 1 }),
    clock: new ManualClock(Date.parse(o.startIso)),
    logger: new RecordingLogger(),
    env: { PATH: '/usr/bin', HOME: temp, GITHUB_REF: 'refs/heads/main', ...o.env },
    workspace: temp,
    tempDir: temp,
    savePostState: () => undefined,
    streamOutput: (fn) => fn(() => undefined),
    trivy: async () => ({ path: '/fake/trivy', source: 'PATH' }),
    ...over,
  } as FakeDeps;
}
