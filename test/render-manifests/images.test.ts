import { describe, expect, it } from '@jest/globals';
import { applyOverride, parseImageOverride } from '../../actions/render-manifests/images.ts';

const D = 'sha256:' + 'e'.repeat(64);

describe('parseImageOverride (kustomize edit set image syntax)', () => {
  it.each([
    [
      'rename and tag',
      'app=ghcr.io/o/app:v2',
      { name: 'app', newName: 'ghcr.io/o/app', newTag: 'v2' },
    ],
    [
      'rename and digest',
      `app=ghcr.io/o/app@${D}`,
      { name: 'app', newName: 'ghcr.io/o/app', digest: D },
    ],
    ['tag only', 'ghcr.io/o/app:v3', { name: 'ghcr.io/o/app', newTag: 'v3' }],
    ['digest only', `ghcr.io/o/app@${D}`, { name: 'ghcr.io/o/app', digest: D }],
    [
      'rename only',
      'app=registry.local:5000/app',
      { name: 'app', newName: 'registry.local:5000/app' },
    ],
    ['same name with tag', 'app=app:v9', { name: 'app', newTag: 'v9' }],
  ])('%s', (_n, line, expected) => expect(parseImageOverride(line)).toEqual({ line, ...expected }));

  it.each([
    ['empty name', '=x:1', 'has no valid image name to match'],
    ['upper case', 'App:1', 'has no valid image name to match'],
    ['nothing after =', 'app=', 'has nothing after "="'],
    ['bad tag', 'app:v!1', 'has an invalid tag "v!1"'],
    ['bad digest', 'app@sha256:xyz', 'has an invalid digest "sha256:xyz"'],
    ['no change', 'app', 'changes nothing'],
  ])('rejects %s', (_n, line, why) =>
    expect(() => parseImageOverride(line)).toThrow(`Input 'images': "${line}" ${why}`),
  );
});

describe('applyOverride (kustomize images semantics)', () => {
  it.each([
    ['matches a bare name, replaces the tag', 'app:v1', 'app:v2', 'app:v2'],
    ['matches with no tag', 'app', 'app:v2', 'app:v2'],
    ['a new tag drops an old digest', `app:v1@${D}`, 'app:v2', 'app:v2'],
    ['a new digest drops an old tag', 'app:v1', `app@${D}`, `app@${D}`],
    ['rename keeps the tag', 'app:v1', 'app=gcr.io/p/app', 'gcr.io/p/app:v1'],
    ['registry-qualified match', 'gcr.io/p/app:v1', 'gcr.io/p/app:v5', 'gcr.io/p/app:v5'],
  ])('%s', (_n, image, line, expected) =>
    expect(applyOverride(image, parseImageOverride(line))).toBe(expected),
  );

  it.each([
    ['a different registry', 'gcr.io/p/app:v1', 'app:v2'],
    ['a name prefix', 'app-sidecar:v1', 'app:v2'],
  ])('does not match %s', (_n, image, line) =>
    expect(applyOverride(image, parseImageOverride(line))).toBeUndefined(),
  );
});
