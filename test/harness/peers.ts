/**
 * The programs the tests and the demo run as real peers, and the one installer both use: on a
 * Debian/Ubuntu machine the missing packages are installed with apt-get (as root, or through
 * password-less `sudo -n`; `apt-get update` first). Where that cannot happen, the caller gets
 * one list of what to install by hand, so `npm test` stops before any test instead of crashing
 * a jest worker with `spawn ... ENOENT`. The decision logic takes its probes injected (which
 * programs exist, root or sudo, the apt runner) so it is unit-tested without touching packages.
 * Test and demo code only: nothing here is bundled into an action.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';
import { BUILDAH } from './buildah.ts';
import { DEBIAN_DOCKER, DOCKERD } from './dockerd.ts';
import { REGISTRY_BINARY } from './registry.ts';

/** A program a test or the demo runs, and the Debian package that provides it. */
export interface Peer {
  /** An absolute path (the harness runs exactly that file) or a command looked up on PATH. */
  check: string;
  /** The Debian 12 package providing it; absent when Debian has none (kubectl). */
  pkg?: string;
  /** What needs it, for messages. */
  why: string;
  /** How to get it when no package provides it. */
  howTo?: string;
}

/** kubectl is no Debian 12 package (`kubernetes-client` is 1.20): the upstream release binary. */
export const KUBECTL_HOW_TO =
  'install the kubectl 1.32 release binary: `curl -fsSLo /tmp/kubectl https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl && sudo install -m 0755 /tmp/kubectl /usr/local/bin/kubectl` (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)';

const REGISTRY_PEER: Peer = {
  check: REGISTRY_BINARY,
  pkg: 'docker-registry',
  why: 'the local OCI registry (distribution 2.8)',
};

/** What `npm test` needs: build-push-image's real peers, the simulator's TLS, git, the iris tests. */
export const TEST_PEERS: readonly Peer[] = [
  REGISTRY_PEER,
  { check: 'htpasswd', pkg: 'apache2-utils', why: "the registry's basic auth" },
  { check: BUILDAH, pkg: 'buildah', why: "build-push-image's buildah builder" },
  { check: 'skopeo', pkg: 'skopeo', why: 'the OCI fallback of the demo tests' },
  { check: 'umoci', pkg: 'umoci', why: 'the OCI fallback of the demo tests' },
  { check: DOCKERD, pkg: 'docker.io', why: "build-push-image's private dockerd" },
  { check: DEBIAN_DOCKER, pkg: 'docker.io', why: 'the docker CLI that drives BuildKit' },
  { check: 'openssl', pkg: 'openssl', why: "the Kubernetes API simulator's TLS certificate" },
  { check: 'git', pkg: 'git', why: 'the GitOps tests and their git http-backend' },
  { check: 'python3', pkg: 'python3', why: "the iris service's tests" },
  { check: 'prometheus', pkg: 'prometheus', why: "analyze-release's live-metrics queries" },
  { check: 'promtool', pkg: 'prometheus', why: 'the drift rules check (promtool test rules)' },
  {
    check: 'amtool',
    pkg: 'prometheus-alertmanager',
    why: 'the drift Alertmanager config check (amtool check-config)',
  },
  { check: 'kubectl', why: 'kustomize builds and the simulator tests', howTo: KUBECTL_HOW_TO },
];

/** What `npm run demo` installs itself (it checks openssl, git, python3, kubectl on its own). */
export const DEMO_PEERS: readonly Peer[] = [REGISTRY_PEER];

/** How the installer sees and changes the machine; injected by the tests. */
export interface PeerProbes {
  /** Whether `check` (an absolute path, or a command on PATH) is an executable file. */
  has(check: string): boolean;
  isRoot(): boolean;
  /** Whether `sudo -n true` succeeds. */
  sudoWorks(): boolean;
  /** Runs one command (prefix included) with DEBIAN_FRONTEND=noninteractive. */
  run(argv: readonly string[]): { status: number | null; stderr: string };
  log(line: string): void;
}

export interface PeerSetup {
  /** Present before, or installed now (marked so). */
  notes: string[];
  /** Packages installed by this call. */
  installed: string[];
  /** What is still missing, each with how to fix it. */
  problems: string[];
}

/** The exact command a user runs to install `pkgs` by hand. */
export function aptInstallLine(pkgs: readonly string[]): string {
  return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}

function describeMissing(peers: readonly Peer[]): string {
  return peers.map((p) => `${p.check} (${p.why})`).join(', ');
}

/** Installs the packages of missing peers where it may; returns what is still missing. */
export function ensurePeers(peers: readonly Peer[], probes: PeerProbes): PeerSetup {
  const missing = peers.filter((p) => !probes.has(p.check));
  const notes = peers.filter((p) => !missing.includes(p)).map((p) => p.check);
  const problems: string[] = [];
  const packaged = missing.filter((p) => p.pkg !== undefined);
  const pkgs = [...new Set(packaged.map((p) => p.pkg!))];
  let installed: string[] = [];
  if (pkgs.length > 0) {
    const outcome = installPackages(pkgs, probes);
    if (outcome.problem) {
      problems.push(`${describeMissing(packaged)} missing: ${outcome.problem}`);
    } else {
      installed = pkgs;
      for (const p of packaged) {
        if (probes.has(p.check)) notes.push(`${p.check} (installed now)`);
        else problems.push(`${p.pkg} was installed but ${p.check} is still missing`);
      }
    }
  }
  for (const p of missing.filter((x) => x.pkg === undefined)) {
    problems.push(`${p.check} (${p.why}) is missing and no Debian package provides it: ${p.howTo}`);
  }
  return { notes, installed, problems };
}

/** apt-get update + install as root or through sudo -n; the reason when it cannot or failed. */
function installPackages(pkgs: readonly string[], probes: PeerProbes): { problem?: string } {
  if (!probes.has('apt-get')) {
    return {
      problem: `this is not a Debian/Ubuntu machine (no apt-get): install what the Debian packages ${pkgs.join(', ')} provide`,
    };
  }
  const prefix = probes.isRoot() ? [] : probes.sudoWorks() ? ['sudo', '-n'] : undefined;
  if (prefix === undefined) {
    return {
      problem: `this user is not root and has no password-less sudo, so npm test cannot install them: run \`${aptInstallLine(pkgs)}\``,
    };
  }
  for (const argv of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...pkgs],
  ]) {
    const full = [...prefix, ...argv];
    probes.log(`installing test peers: ${full.join(' ')}`);
    const r = probes.run(full);
    if (r.status !== 0) {
      const tail = r.stderr.trim().split('\n').slice(-3).join(' / ');
      return {
        problem: `\`${full.join(' ')}\` failed (exit ${r.status ?? 'signal'}): ${tail}; run \`${aptInstallLine(pkgs)}\``,
      };
    }
  }
  return {};
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The machine as it is: PATH lookups in-process, `sudo -n true`, apt-get through spawnSync. */
export function machineProbes(log: (line: string) => void): PeerProbes {
  const has = (check: string): boolean =>
    path.isAbsolute(check)
      ? isExecutableFile(check)
      : (process.env.PATH ?? '')
          .split(path.delimiter)
          .some((dir) => dir !== '' && isExecutableFile(path.join(dir, check)));
  return {
    has,
    isRoot: () => process.getuid?.() === 0,
    sudoWorks: () =>
      has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    run: (argv) => {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const r = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
      return { status: r.status, stderr: r.stderr?.toString() ?? String(r.error ?? '') };
    },
    log,
  };
}

/** The one message `npm test` stops with when peers are missing. */
export function missingPeersMessage(problems: readonly string[]): string {
  return [
    'npm test stopped before running any test: programs the tests run are missing.',
    ...problems.map((p) => `  - ${p}`),
    'Then run npm test again. (MLOPS_SKIP_PEER_CHECK=1 skips this check: tests that need a missing program then fail.)',
  ].join('\n');
}
