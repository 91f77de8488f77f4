import { describe, expect, it } from '@jest/globals';
import {
  buildCommands,
  buildahBudArgs,
  buildahPushArgs,
  buildxArgs,
  dockerBuildArgs,
  shellQuote,
  shownCommand,
  type BuildPlan,
} from '../../actions/build-push-image/args.ts';

const base: BuildPlan = {
  builder: 'buildx',
  image: 'ghcr.io/org/app',
  tags: ['sha-0123456', 'main'],
  context: '.',
  buildArgs: [],
  labels: [],
  platforms: [],
  push: true,
  cache: 'none',
  insecure: false,
  metadataFile: '/t/metadata.json',
  iidFile: '/t/iid',
  digestFile: '/t/digest',
};

const plan = (p: Partial<BuildPlan>): BuildPlan => ({ ...base, ...p });

describe('buildxArgs', () => {
  it.each<[string, Partial<BuildPlan>, string[]]>([
    [
      'defaults: push as an image output, metadata and iid files, context last',
      {},
      [
        'buildx',
        'build',
        '--progress=plain',
        '--tag=ghcr.io/org/app:sha-0123456',
        '--tag=ghcr.io/org/app:main',
        '--output=type=image,push=true',
        '--metadata-file=/t/metadata.json',
        '--iidfile=/t/iid',
        '.',
      ],
    ],
    [
      'file, target, build args, labels, platforms, gha cache',
      {
        file: 'docker/Dockerfile',
        target: 'runtime',
        buildArgs: [['CUDA', '12.4']],
        labels: [['org.opencontainers.image.title', 'app']],
        platforms: ['linux/amd64', 'linux/arm64'],
        cache: 'gha',
        tags: ['v1'],
      },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--file=docker/Dockerfile',
        '--target=runtime',
        '--build-arg=CUDA=12.4',
        '--label=org.opencontainers.image.title=app',
        '--tag=ghcr.io/org/app:v1',
        '--platform=linux/amd64,linux/arm64',
        '--cache-from=type=gha',
        '--cache-to=type=gha,mode=max',
        '--output=type=image,push=true',
        '--metadata-file=/t/metadata.json',
        '--iidfile=/t/iid',
        '.',
      ],
    ],
    [
      'registry cache on an insecure (loopback) registry',
      { cache: 'registry', insecure: true, tags: ['t'], image: '127.0.0.1:5000/app' },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--tag=127.0.0.1:5000/app:t',
        '--cache-from=type=registry,ref=127.0.0.1:5000/app:buildcache,registry.insecure=true',
        '--cache-to=type=registry,ref=127.0.0.1:5000/app:buildcache,mode=max,registry.insecure=true',
        '--output=type=image,push=true,registry.insecure=true',
        '--metadata-file=/t/metadata.json',
        '--iidfile=/t/iid',
        '.',
      ],
    ],
    [
      'push: false loads one platform into docker, no cache export',
      { push: false, cache: 'registry', tags: ['t'] },
      [
        'buildx',
        'build',
        '--progress=plain',
        '--tag=ghcr.io/org/app:t',
        '--cache-from=type=registry,ref=ghcr.io/org/app:buildcache',
        '--load',
        '--metadata-file=/t/metadata.json',
        '--iidfile=/t/iid',
        '.',
      ],
    ],
  ])('%s', (_name, p, expected) => {
    const c = buildxArgs(plan(p));
    expect(c.command).toBe('docker');
    expect(c.args).toEqual(expected);
  });
});

describe('dockerBuildArgs (BuildKit, no buildx)', () => {
  it.each<[string, Partial<BuildPlan>, string[]]>([
    [
      'defaults',
      { builder: 'docker', tags: ['t'] },
      ['build', '--progress=plain', '--tag=ghcr.io/org/app:t', '--iidfile=/t/iid', '.'],
    ],
    [
      'registry cache: inline cache from and to :buildcache',
      { builder: 'docker', tags: ['t'], cache: 'registry', context: 'svc' },
      [
        'build',
        '--progress=plain',
        '--tag=ghcr.io/org/app:t',
        '--cache-from=ghcr.io/org/app:buildcache',
        '--build-arg=BUILDKIT_INLINE_CACHE=1',
        '--tag=ghcr.io/org/app:buildcache',
        '--iidfile=/t/iid',
        'svc',
      ],
    ],
  ])('%s', (_name, p, expected) => {
    const c = dockerBuildArgs(plan(p));
    expect(c.args).toEqual(expected);
    expect(c.env).toEqual({ DOCKER_BUILDKIT: '1' });
  });

  it('legacy (a CLI without BuildKit): DOCKER_BUILDKIT=0, no --progress, no inline-cache arg', () => {
    const c = dockerBuildArgs(
      plan({ builder: 'docker', tags: ['t'], cache: 'registry', context: 'svc', legacy: true }),
    );
    expect(c.args).toEqual([
      'build',
      '--tag=ghcr.io/org/app:t',
      '--cache-from=ghcr.io/org/app:buildcache',
      '--tag=ghcr.io/org/app:buildcache',
      '--iidfile=/t/iid',
      'svc',
    ]);
    expect(c.env).toEqual({ DOCKER_BUILDKIT: '0' });
  });

  it('pushes every tag (and the cache tag) with docker push', () => {
    const { pushes } = buildCommands(plan({ builder: 'docker', cache: 'registry' }));
    expect(pushes.map((p) => p.args)).toEqual([
      ['push', 'ghcr.io/org/app:sha-0123456'],
      ['push', 'ghcr.io/org/app:main'],
      ['push', 'ghcr.io/org/app:buildcache'],
    ]);
    expect(buildCommands(plan({ builder: 'docker', push: false })).pushes).toEqual([]);
  });
});

describe('buildah', () => {
  it.each<[string, Partial<BuildPlan>, string[]]>([
    [
      'bud with auth file and plain HTTP',
      { builder: 'buildah', tags: ['t'], authFile: '/c/config.json', insecure: true },
      [
        'bud',
        '--tag=ghcr.io/org/app:t',
        '--authfile=/c/config.json',
        '--tls-verify=false',
        '--iidfile=/t/iid',
        '.',
      ],
    ],
    [
      'registry cache as a repository',
      { builder: 'buildah', tags: ['t'], cache: 'registry' },
      [
        'bud',
        '--tag=ghcr.io/org/app:t',
        '--layers',
        '--cache-from=ghcr.io/org/app/buildcache',
        '--cache-to=ghcr.io/org/app/buildcache',
        '--iidfile=/t/iid',
        '.',
      ],
    ],
  ])('%s', (_name, p, expected) => {
    expect(buildahBudArgs(plan(p)).args).toEqual(expected);
  });

  it('push writes the digest file and names the docker:// destination', () => {
    expect(buildahPushArgs(plan({ authFile: '/c/config.json' }), 'r/app:t').args).toEqual([
      'push',
      '--authfile=/c/config.json',
      '--digestfile=/t/digest',
      'r/app:t',
      'docker://r/app:t',
    ]);
  });
});

describe('no option injection', () => {
  const hostile = plan({
    buildArgs: [['A', '--push --output=type=local,dest=/']],
    labels: [['x', '-f /etc/passwd']],
  });
  it.each([
    ['buildx', buildxArgs(hostile).args],
    ['docker', dockerBuildArgs(hostile).args],
    ['buildah', buildahBudArgs(hostile).args],
  ])('%s: a value that looks like options stays inside its --flag=value element', (_n, args) => {
    expect(args).toContain('--build-arg=A=--push --output=type=local,dest=/');
    expect(args).toContain('--label=x=-f /etc/passwd');
    expect(args.filter((a) => a.startsWith('--push') || a === '-f')).toEqual([]);
  });
});

describe('the logged command line', () => {
  it.each<[string, string, string]>([
    ['a plain flag stays bare', '--tls-verify=false', '--tls-verify=false'],
    ['a path stays bare', '/tmp/bpi-build-x/iid', '/tmp/bpi-build-x/iid'],
    [
      'a space: single-quoted',
      '--build-arg=A=--network=host --privileged',
      "'--build-arg=A=--network=host --privileged'",
    ],
    ['a single quote', "--label=x=it's", "'--label=x=it'\\''s'"],
    ['shell characters', '--label=x=$(id);`id`|*', "'--label=x=$(id);`id`|*'"],
    ['empty', '', "''"],
    ["a line break: $'…' escapes", '/w/a\n::error::x', "$'/w/a\\n::error::x'"],
    ['a control character and a quote', "a'\u0007", "$'a\\'\\x07'"],
  ])('%s', (_n, arg, shown) => {
    expect(shellQuote(arg)).toBe(shown);
  });

  it('every C0 control character and DEL is escaped; backslash and quote beside them too', () => {
    const named: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };
    for (const code of [...Array.from({ length: 32 }, (_, i) => i), 0x7f]) {
      const esc = named[code] ?? `\\x${code.toString(16).padStart(2, '0')}`;
      expect([code, shellQuote(`a\\'${String.fromCharCode(code)}é`)]).toEqual([
        code,
        `$'a\\\\\\'${esc}é'`,
      ]);
    }
    expect(shellQuote('é ü')).toBe("'é ü'");
  });

  it('each argv element is quoted on its own: one argument with a space reads as one', () => {
    const c = buildahBudArgs(plan({ buildArgs: [['A', '--network=host --privileged']] }));
    const line = shownCommand(c);
    expect(line).toContain(" '--build-arg=A=--network=host --privileged' ");
    expect(line.startsWith('buildah bud ')).toBe(true);
    expect(line).not.toMatch(/ --privileged /);
  });
});
