import { describe, expect, it } from '@jest/globals';
import { LocatedError } from '../../shared/errors.ts';
import { lineOf, parseYamlFile } from '../../shared/yaml.ts';
import { formatImageRef, parseImageRef, repositoryOf } from '../../shared/image-ref.ts';

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
    try {
      parseYamlFile('ok: 1\nkey: "unterminated\n', 'bad.yaml');
    } catch (e) {
      expect((e as LocatedError).file).toBe('bad.yaml');
      expect((e as LocatedError).line).toBeGreaterThanOrEqual(2);
    }
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
