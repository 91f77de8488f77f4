/**
 * A file a step publishes (a run's details, a report, a metrics file) under a name the step
 * chose, in a fresh directory of its own under `outputDir`: nothing a server sent is in the
 * path, and an existing file is never overwritten (`wx`).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export async function writeStepFile(
  outputDir: string,
  dirPrefix: string,
  name: string,
  text: string,
): Promise<string> {
  const dir = await mkdtemp(path.join(outputDir, `${dirPrefix}-`));
  const file = path.join(dir, name);
  await writeFile(file, text, { flag: 'wx', mode: 0o644 });
  return file;
}
