/**
 * jest's globalSetup: before any test file, make sure the programs the tests run as peers are
 * there, installing the missing Debian packages as the demo does (test/harness/peers.ts).
 * When that cannot happen, one error lists exactly what to install and no test starts.
 */
import { ensurePeers, machineProbes, missingPeersMessage, TEST_PEERS } from './peers.ts';
import type { PeerProbes } from './peers.ts';

export function checkTestPeers(probes: PeerProbes, env: NodeJS.ProcessEnv): void {
  if (env.MLOPS_SKIP_PEER_CHECK === '1') return;
  const setup = ensurePeers(TEST_PEERS, probes);
  if (setup.installed.length > 0) {
    probes.log(`installed for the tests: ${setup.installed.join(' ')}`);
  }
  if (setup.problems.length > 0) {
    const error = new Error(missingPeersMessage(setup.problems));
    // jest prints the stack of a failed globalSetup: keep it to the message.
    error.stack = error.message;
    throw error;
  }
}

/** jest calls it with its configs, which it does not need. */
export default function globalSetup(): void {
  checkTestPeers(
    machineProbes((line) => process.stderr.write(`${line}\n`)),
    process.env,
  );
}
