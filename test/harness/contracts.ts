/**
 * Contract data of the peers the actions talk to (EKS, kubectl, KServe…), copied into the
 * repository under test/contracts/<peer>/ with its provenance in test/contracts/<peer>/README.md.
 * A missing file is an error that names it, never a reason to skip a check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTRACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'contracts');

/** Absolute path of test/contracts/<peer>/<file>; throws when the file is not there. */
export function contractPath(peer: string, file: string): string {
  const p = join(CONTRACTS_DIR, peer, file);
  if (!existsSync(p)) {
    throw new Error(
      `missing test contract ${p}: it is part of the repository (provenance in test/contracts/${peer}/README.md); restore it from git`,
    );
  }
  return p;
}

export function readContractJson<T>(peer: string, file: string): T {
  return JSON.parse(readFileSync(contractPath(peer, file), 'utf8')) as T;
}
