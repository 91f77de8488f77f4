/**
 * What `npm run demo` installs itself on a fresh Debian/Ubuntu machine: the local OCI registry
 * (Debian's `docker-registry`, distribution 2.8), as root or through password-less sudo. Elsewhere
 * it says what to install. The npm packages come from the README's `npm ci`.
 */
import { spawnSync } from 'node:child_process';

export interface SetupResult {
  /** What was found or installed, for the preflight line. */
  notes: string[];
  /** What is missing and could not be installed, each with how to fix it. */
  problems: string[];
}

function has(command: string): boolean {
  return (
    spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0
  );
}

/** `argv` as root: directly when we are root, through `sudo -n` when that works; else undefined. */
function asRoot(): string[] | undefined {
  if (process.getuid?.() === 0) return [];
  if (has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    return ['sudo', '-n'];
  }
  return undefined;
}

/** Debian packages the demo uses, by the command each provides. */
const PACKAGES: { command: string; pkg: string; why: string }[] = [
  { command: 'docker-registry', pkg: 'docker-registry', why: 'the local OCI registry' },
];

export function ensureDemoPackages(log: (line: string) => void): SetupResult {
  const notes: string[] = [];
  const problems: string[] = [];
  const missing = PACKAGES.filter((p) => !has(p.command));
  for (const p of PACKAGES.filter((x) => !missing.includes(x))) notes.push(`${p.command}`);
  if (missing.length === 0) return { notes, problems };
  const pkgs = missing.map((p) => p.pkg);
  const prefix = asRoot();
  if (!has('apt-get') || prefix === undefined) {
    for (const p of missing) {
      problems.push(
        `${p.command} (${p.why}) is not installed${has('apt-get') ? ' and this user cannot install it' : ''}: on Debian/Ubuntu run \`sudo apt-get install ${p.pkg}\`; elsewhere install the CNCF distribution registry as \`${p.command}\`.`,
      );
    }
    return { notes, problems };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const argv of [
    ['apt-get', 'update', '-qq'],
    ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...pkgs],
  ]) {
    log(`setup: ${[...prefix, ...argv].join(' ')}`);
    const [cmd, ...args] = [...prefix, ...argv];
    const r = spawnSync(cmd!, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) {
      problems.push(
        `\`${argv.join(' ')}\` failed (exit ${r.status ?? r.signal}): ${r.stderr.toString().trim().split('\n').slice(-3).join(' / ')}`,
      );
      return { notes, problems };
    }
  }
  for (const p of missing) {
    if (has(p.command)) notes.push(`${p.command} (installed now)`);
    else problems.push(`${p.pkg} was installed but ${p.command} is still not on PATH`);
  }
  return { notes, problems };
}
