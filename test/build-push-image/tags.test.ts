import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../shared/errors.ts';
import { isValidTag } from '../../shared/image-ref.ts';
import {
  ociLabels,
  parseTagRules,
  resolveTags,
  sanitizeTag,
  type GitContext,
} from '../../actions/build-push-image/tags.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ctx = (ref: string, eventName = 'push'): GitContext => ({
  sha: SHA,
  ref,
  eventName,
  serverUrl: 'https://github.com',
  repository: 'octo-org/recommender',
});

describe('resolveTags', () => {
  it.each<[string, string, string, string[]]>([
    ['default type=sha', 'type=sha', 'refs/heads/main', ['sha-0123456']],
    ['long sha', 'type=sha,format=long', 'refs/heads/main', [`sha-${SHA}`]],
    ['sha without prefix', 'type=sha,prefix=', 'refs/heads/main', ['0123456']],
    ['branch', 'type=ref,event=branch', 'refs/heads/main', ['main']],
    [
      'branch with slash sanitised',
      'type=ref,event=branch',
      'refs/heads/feat/GPU#1',
      ['feat-GPU-1'],
    ],
    [
      'branch rule on a tag push: skipped',
      'type=ref,event=branch\ntype=sha',
      'refs/tags/v1.2.3',
      ['sha-0123456'],
    ],
    ['pr', 'type=ref,event=pr', 'refs/pull/42/merge', ['pr-42']],
    ['git tag', 'type=ref,event=tag', 'refs/tags/v1.2.3', ['v1.2.3']],
    [
      'semver patterns',
      'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}',
      'refs/tags/v1.2.3',
      ['1.2.3', '1.2', '1'],
    ],
    [
      'pre-release only gets its full version',
      'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}',
      'refs/tags/v2.0.0-rc.1',
      ['2.0.0-rc.1'],
    ],
    [
      'semver on a non-semver tag: skipped',
      'type=semver,pattern={{version}}',
      'refs/tags/nightly',
      [],
    ],
    ['raw', 'type=raw,value=latest', 'refs/heads/main', ['latest']],
    [
      'duplicates removed',
      'type=raw,value=main\ntype=ref,event=branch',
      'refs/heads/main',
      ['main'],
    ],
    ['comments and blank lines', '# primary\n\ntype=sha', 'refs/heads/main', ['sha-0123456']],
  ])('%s', (_name, rules, ref, expected) => {
    const tags = resolveTags(parseTagRules(rules), ctx(ref));
    expect(tags).toEqual(expected);
    for (const t of tags) expect(isValidTag(t)).toBe(true);
  });

  it.each([
    ['type=nope', 'unknown rule'],
    ['type=ref', 'event=branch'],
    ['type=ref,event=push', 'event=branch'],
    ['type=raw', 'value='],
    ['type=semver,pattern=x', 'pattern'],
    ['type=sha,format=medium', 'format'],
    ['type=sha,colour=red', "unknown key 'colour'"],
    ['latest', 'key=value'],
  ])('rejects %s', (rule, message) => {
    expect(() => parseTagRules(rule)).toThrow(InputError);
    expect(() => parseTagRules(rule)).toThrow(message);
  });
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/x', 'feature-x'],
    ['-leading', 'leading'],
    ['.hidden', 'hidden'],
    ['ünïcode', 'n-code'],
    ['a'.repeat(200), 'a'.repeat(128)],
    ['///', ''],
  ])('%s → %s', (input, expected) => {
    const out = sanitizeTag(input);
    expect(out).toBe(expected);
    if (out) expect(isValidTag(out)).toBe(true);
  });
});

describe('ociLabels', () => {
  it('sets source, revision, created, title; user labels win', () => {
    const labels = new Map(
      ociLabels(ctx('refs/heads/main'), new Date('2026-01-02T03:04:05Z'), [
        ['org.opencontainers.image.title', 'Recommender'],
        ['team', 'ml'],
      ]),
    );
    expect(Object.fromEntries(labels)).toEqual({
      'org.opencontainers.image.source': 'https://github.com/octo-org/recommender',
      'org.opencontainers.image.title': 'Recommender',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      team: 'ml',
    });
  });
});
