/**
 * `npm test` on a fresh machine: the jest global setup installs the missing peers' Debian
 * packages (root or password-less sudo, apt-get update first) or stops before any test with one
 * message naming what to install. Probes are injected: no package is touched here.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkTestPeers } from '../harness/global-setup.ts';
import { BUILDAH } from '../harness/buildah.ts';
import { DEBIAN_DOCKER, DOCKERD } from '../harness/dockerd.ts';
import { REGISTRY_BINARY } from '../harness/registry.ts';
import {
  aptInstallLine,
  DEMO_PEERS,
  ensurePeers,
  KUBECTL_HOW_TO,
  TEST_PEERS,
  type PeerProbes,
} from '../harness/peers.ts';
import { repoRoot } from '../harness/runner.ts';

const ALL_PACKAGES = [
  'docker-registry',
  'apache2-utils',
  'buildah',
  'skopeo',
  'umoci',
  'docker.io',
  'openssl',
  'git',
  'python3',
  'prometheus',
  'prometheus-alertmanager',
];

/** A machine with `present` programs; apt-get install makes the peers of the packages appear. */
function fakeMachine(opts: {
  present: string[];
  root?: boolean;
  sudo?: boolean;
  aptFails?: boolean;
}): PeerProbes & { runs: string[][]; lines: string[] } {
  const present = new Set(opts.present);
  const runs: string[][] = [];
  const lines: string[] = [];
  return {
    runs,
    lines,
    has: (check) => present.has(check),
    isRoot: () => opts.root ?? false,
    sudoWorks: () => opts.sudo ?? false,
    run: (argv) => {
      runs.push([...argv]);
      if (opts.aptFails && argv.includes('install')) {
        return { status: 100, stderr: 'E: Unable to locate package umoci' };
      }
      const i = argv.indexOf('install');
      if (i >= 0) {
        const pkgs = new Set(argv.slice(i + 1));
        for (const p of TEST_PEERS) if (p.pkg && pkgs.has(p.pkg)) present.add(p.check);
      }
      return { status: 0, stderr: '' };
    },
    log: (line) => lines.push(line),
  };
}

const everything = TEST_PEERS.map((p) => p.check).concat('apt-get');

describe('test peers: what npm test installs before any test', () => {
  it('jest runs the peer check as its global setup', async () => {
    const configFile = path.join(repoRoot, 'jest.config.js');
    const jestConfig = ((await import(configFile)) as { default: { globalSetup?: string } })
      .default;
    expect(jestConfig.globalSetup).toBe('<rootDir>/test/harness/global-setup.ts');
  });

  it('covers every program the harness runs by absolute path, and each package of the issue', () => {
    const checks = TEST_PEERS.map((p) => p.check);
    for (const bin of [REGISTRY_BINARY, BUILDAH, DOCKERD, DEBIAN_DOCKER]) {
      expect(checks).toContain(bin);
    }
    for (const cmd of ['htpasswd', 'skopeo', 'umoci', 'openssl', 'git', 'python3', 'kubectl']) {
      expect(checks).toContain(cmd);
    }
    expect([...new Set(TEST_PEERS.flatMap((p) => (p.pkg ? [p.pkg] : [])))].sort()).toEqual(
      [...ALL_PACKAGES].sort(),
    );
    expect(DEMO_PEERS.map((p) => p.pkg)).toEqual(['docker-registry']);
  });

  it('nothing missing: no apt-get, no sudo probe, no problem', () => {
    const m = fakeMachine({ present: everything });
    expect(() => checkTestPeers(m, {})).not.toThrow();
    expect(m.runs).toEqual([]);
  });

  it('as root: apt-get update, then one install of exactly the missing packages', () => {
    const present = everything.filter((c) => c !== REGISTRY_BINARY && c !== 'htpasswd');
    const m = fakeMachine({ present, root: true });
    const setup = ensurePeers(TEST_PEERS, m);
    expect(m.runs).toEqual([
      ['apt-get', 'update', '-qq'],
      [
        'apt-get',
        'install',
        '-y',
        '-qq',
        '--no-install-recommends',
        'docker-registry',
        'apache2-utils',
      ],
    ]);
    expect(setup.problems).toEqual([]);
    expect(setup.installed).toEqual(['docker-registry', 'apache2-utils']);
    expect(setup.notes).toContain(`${REGISTRY_BINARY} (installed now)`);
  });

  it('not root, password-less sudo: the same commands through sudo -n; docker.io once', () => {
    const present = everything.filter((c) => c !== DOCKERD && c !== DEBIAN_DOCKER);
    const m = fakeMachine({ present, sudo: true });
    expect(() => checkTestPeers(m, {})).not.toThrow();
    expect(m.runs).toEqual([
      ['sudo', '-n', 'apt-get', 'update', '-qq'],
      ['sudo', '-n', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'docker.io'],
    ]);
    expect(m.lines.at(-1)).toBe('installed for the tests: docker.io');
  });

  it('not root, no sudo -n: stops with one message holding the exact apt-get line; installs nothing', () => {
    const m = fakeMachine({
      present: [
        'apt-get',
        'git',
        'openssl',
        'python3',
        'prometheus',
        'promtool',
        'amtool',
        'kubectl',
      ],
    });
    let message = '';
    try {
      checkTestPeers(m, {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(m.runs).toEqual([]);
    expect(message).toMatch(/^npm test stopped before running any test/);
    expect(message).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends docker-registry apache2-utils buildah skopeo umoci docker.io',
    );
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(1);
  });

  it('kubectl missing (no Debian 12 package): installs the rest, then says how to get kubectl', () => {
    const m = fakeMachine({ present: ['apt-get', 'git'], root: true });
    const setup = ensurePeers(TEST_PEERS, m);
    expect(m.runs.at(-1)).toEqual([
      'apt-get',
      'install',
      '-y',
      '-qq',
      '--no-install-recommends',
      ...ALL_PACKAGES.filter((p) => p !== 'git'),
    ]);
    expect(setup.problems).toEqual([
      `kubectl (kustomize builds and the simulator tests) is missing and no Debian package provides it: ${KUBECTL_HOW_TO}`,
    ]);
    expect(KUBECTL_HOW_TO).toContain('https://dl.k8s.io/release/v1.32.');
  });

  it('a failed apt-get install is one problem with its error and the line to run by hand', () => {
    const m = fakeMachine({
      present: everything.filter((c) => c !== 'umoci'),
      root: true,
      aptFails: true,
    });
    const setup = ensurePeers(TEST_PEERS, m);
    expect(setup.installed).toEqual([]);
    expect(setup.problems).toHaveLength(1);
    expect(setup.problems[0]).toContain('failed (exit 100): E: Unable to locate package umoci');
    expect(setup.problems[0]).toContain(aptInstallLine(['umoci']));
  });

  it('no apt-get (not Debian): names the packages to find equivalents of', () => {
    const m = fakeMachine({
      present: [
        'kubectl',
        'git',
        'openssl',
        'python3',
        'prometheus',
        'promtool',
        'amtool',
        'htpasswd',
      ],
    });
    const setup = ensurePeers(TEST_PEERS, m);
    expect(m.runs).toEqual([]);
    expect(setup.problems[0]).toMatch(
      /no apt-get.*docker-registry, buildah, skopeo, umoci, docker\.io/,
    );
  });

  it('MLOPS_SKIP_PEER_CHECK=1 skips the check entirely', () => {
    const m = fakeMachine({ present: [] });
    expect(() => checkTestPeers(m, { MLOPS_SKIP_PEER_CHECK: '1' })).not.toThrow();
    expect(m.runs).toEqual([]);
  });

  it('.ci/run installs nothing itself: it runs the README command, npm test', () => {
    const ci = readFileSync(path.join(repoRoot, '.ci/run'), 'utf8');
    expect(ci).not.toMatch(/apt-get/);
    expect(ci).toMatch(/^npm ci /m);
    expect(ci).toMatch(/npm test -- --json/);
  });
});
