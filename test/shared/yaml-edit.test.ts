import { describe, expect, it } from '@jest/globals';
import { isScalar, parseDocument, type Scalar } from 'yaml';
import { imageRefProblem, normalizeImageName } from '../../shared/image-ref.ts';
import { applyEdits, isPlainSafe, scalarEdit } from '../../shared/yaml.ts';

function scalar(text: string): Scalar {
  const doc = parseDocument(text);
  const node = doc.get('v', true);
  if (!isScalar(node)) throw new Error('not a scalar');
  return node;
}

describe('byte-exact scalar edits', () => {
  it.each([
    ['plain', 'v: a:1 # c\n', 'v: a:2 # c\n'],
    ['single quotes', "v: 'a:1'\n", "v: 'a:2'\n"],
    ['double quotes', 'v: "a:1"\n', 'v: "a:2"\n'],
    ['anchor kept', 'v: &x a:1\n', 'v: &x a:2\n'],
  ])('%s', (_name, text, expected) => {
    const edit = scalarEdit(scalar(text), 'a:2');
    expect(applyEdits(text, edit ? [edit] : [])).toBe(expected);
  });

  it('no edit when the value is already there; block scalars are refused', () => {
    expect(scalarEdit(scalar('v: a:1\n'), 'a:1')).toBeUndefined();
    expect(() => scalarEdit(scalar('v: |\n  a:1\n'), 'a:2')).toThrow(/block scalar/);
  });

  it('plain-safety: values that would read back as something else are not plain', () => {
    expect(isPlainSafe('ghcr.io/o/m:v1')).toBe(true);
    for (const v of ['1.10', 'true', 'null', '', '- x', 'a # b', 'a: b', '*x'])
      expect(isPlainSafe(v)).toBe(false);
  });

  it('overlapping edits are a bug, not a silent corruption', () => {
    expect(() =>
      applyEdits('abcdef', [
        { start: 0, end: 3, text: 'x' },
        { start: 2, end: 4, text: 'y' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('image reference grammar', () => {
  it.each([
    ['ghcr.io/o/m:v1', undefined],
    [`ghcr.io/o/m@sha256:${'0'.repeat(64)}`, undefined],
    [`localhost:5000/m:v1@sha256:${'0'.repeat(64)}`, undefined],
    ['ghcr.io/o/m', 'neither a tag nor a digest'],
    ['ghcr.io/O/m:v1', 'its repository name must be lower-case'],
    ['ghcr.io/o/m:-v1', 'its tag must be 1-128 characters'],
    [`ghcr.io/o/m:${'a'.repeat(129)}`, 'its tag must be 1-128 characters'],
    ['ghcr.io/o/m@sha256:xyz', 'its digest is not sha256:'],
    ['ghcr.io/o/m@a@b', "more than one '@'"],
    ['ghcr.io/o/m:v1 # x', 'whitespace'],
  ])('%s', (ref, problem) => {
    const found = imageRefProblem(ref, { requireVersion: true });
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('Docker Hub short names compare equal', () => {
    expect(normalizeImageName('docker.io/library/nginx')).toBe('nginx');
    expect(normalizeImageName('docker.io/bitnami/redis')).toBe('bitnami/redis');
    expect(normalizeImageName('ghcr.io/library/x')).toBe('ghcr.io/library/x');
  });
});
