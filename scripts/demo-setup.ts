/**
 * What `npm run demo` installs itself on a fresh Debian/Ubuntu machine: the local OCI registry
 * (Debian's `docker-registry`, distribution 2.8), as root or through password-less sudo, with the
 * same installer as `npm test`'s global setup (test/harness/peers.ts). Elsewhere it says what to
 * install. The npm packages come from the README's `npm ci`.
 */
import { DEMO_PEERS, ensurePeers, machineProbes } from '../test/harness/peers.ts';

export interface SetupResult {
  /** What was found or installed, for the preflight line. */
  notes: string[];
  /** What is missing and could not be installed, each with how to fix it. */
  problems: string[];
}

export function ensureDemoPackages(log: (line: string) => void): SetupResult {
  const { notes, problems } = ensurePeers(
    DEMO_PEERS,
    machineProbes((line) => log(`setup: ${line}`)),
  );
  return { notes: notes.map((n) => n.replace(/^\/usr\/bin\//, '')), problems };
}
