import { describe, expect, it } from '@jest/globals';
import { LocatedError } from '../../shared/errors.ts';
import { lineOf, parseYamlFile } from '../../shared/yaml.ts';
import {
  formatImageRef,
  imageRefProblem,
  isValidImageName,
  isValidImageRef,
  parseImageRef,
  repositoryOf,
} from '../../shared/image-ref.ts';

describe('YAML helpers', () => {
  it('keeps positions of nested nodes across documents', () => {
    const docs = parseYamlFile(
      'a: 1\n---\n# c\nspec:\n  items:\n    - name: x\n      image: y\n',
      'f.yaml',
    );
    expect(docs).toHaveLength(2);
    expect(lineOf(docs[1]!, ['spec', 'items', 0, 'image'])).toBe(7);
    expect(lineOf(docs[1]!, ['spec', 'missing', 'deeper'])).toBe(4);
  });
  it('reports broken YAML with file and line', () => {
    expect(() => parseYamlFile('a: 1\nb: [\n', 'bad.yaml')).toThrow(LocatedError);
    // The error must come, and carry its place: a try/catch alone would pass when nothing threw.
    let caught: unknown;
    try {
      parseYamlFile('ok: 1\nkey: "unterminated\n', 'bad.yaml');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LocatedError);
    expect((caught as LocatedError).file).toBe('bad.yaml');
    expect((caught as LocatedError).line).toBeGreaterThanOrEqual(2);
  });
});

describe('image references', () => {
  it.each([
    ['nginx', { name: 'nginx' }],
    ['nginx:1.27', { name: 'nginx', tag: '1.27' }],
    ['localhost:5000/ml/app:v1', { name: 'localhost:5000/ml/app', tag: 'v1' }],
    [
      'gcr.io/p/app@sha256:' + 'c'.repeat(64),
      { name: 'gcr.io/p/app', digest: 'sha256:' + 'c'.repeat(64) },
    ],
    [
      'gcr.io/p/app:v2@sha256:' + 'c'.repeat(64),
      { name: 'gcr.io/p/app', tag: 'v2', digest: 'sha256:' + 'c'.repeat(64) },
    ],
  ])('splits %s', (ref, parts) => {
    expect(parseImageRef(ref)).toEqual(parts);
    expect(formatImageRef(parseImageRef(ref))).toBe(ref);
  });
  it('finds the repository part', () => {
    expect(repositoryOf('gcr.io/proj/app')).toBe('proj/app');
    expect(repositoryOf('localhost:5000/app')).toBe('app');
    expect(repositoryOf('octo/app')).toBe('octo/app');
  });
});

describe('image reference grammar (distribution/reference)', () => {
  it.each([
    'nginx',
    'nginx:1.27',
    'library/nginx:latest',
    'ghcr.io/octo-org/model-server:sha-0123456',
    'localhost:5000/ml/app:v1',
    'registry.example.com:5000/a/b/c__d.e-f--g:1.0.0-rc.1_x',
    '[::1]:5000/app:v1',
    'gcr.io/p/app@sha256:' + 'c'.repeat(64),
    'gcr.io/p/app:v2@sha256:' + 'c'.repeat(64),
    'UPPER.example.com/app:v1',
    `app:${'t'.repeat(128)}`,
  ])('accepts %s', (ref) => expect(imageRefProblem(ref)).toBeUndefined());

  it.each([
    ['UPPER/Case:tag', 'repository name must be lower-case'],
    ['nginx:bad tag', 'whitespace'],
    ['nginx@sha256:xyz', 'digest'],
    ['nginx@md5:' + 'a'.repeat(32), 'digest'],
    ['a:b:c:d', 'repository name'],
    ['', 'empty'],
    [' nginx', 'whitespace'],
    ['nginx:1\nsecurityContext: {privileged: true}', 'whitespace'],
    ['nginx:1", securityContext: {privileged: true}, x: "y', 'whitespace'],
    ['nginx:-1', 'tag'],
    [`nginx:${'t'.repeat(129)}`, 'tag'],
    ['ghcr.io//app', 'repository name'],
    ['app/', 'repository name'],
    ['-app', 'repository name'],
    ['app_', 'repository name'],
    ['a@sha256:' + 'c'.repeat(64) + '@sha256:' + 'c'.repeat(64), "more than one '@'"],
    [`${'a'.repeat(256)}:v1`, 'longer than 255'],
  ])('rejects %j (%s)', (ref, why) => {
    expect(imageRefProblem(ref)).toContain(why);
    expect(isValidImageRef(ref)).toBe(false);
  });

  it('stays fast on long hostile input (no catastrophic backtracking)', () => {
    const started = performance.now();
    for (const ref of ['a-'.repeat(120) + '!', 'a.'.repeat(120) + 'A', 'a'.repeat(250) + '-']) {
      expect(isValidImageName(ref)).toBe(false);
    }
    expect(performance.now() - started).toBeLessThan(500);
  });
});
