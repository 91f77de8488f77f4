import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { editText, noMatchError, type EditTarget } from '../../actions/argocd-bump-image/edit.ts';
import { parseImageRef } from '../../shared/image-ref.ts';
import { LocatedError } from '../../shared/errors.ts';
import { replaced } from './replaced.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'argocd-bump-image',
);
const read = (f: string): string => readFileSync(path.join(fixtures, f), 'utf8');
const DIGEST = `sha256:${'a'.repeat(64)}`;

function target(image: string, extra: Partial<EditTarget> = {}): EditTarget {
  const ref = parseImageRef(image);
  return { image: ref, imageName: ref.name, ...extra };
}

describe('byte-exact edits', () => {
  it('kustomization: sets newTag in place, keeping quotes and comments', () => {
    const text = read('kustomization.yaml');
    const r = editText(text, 'kustomization.yaml', {
      ...target('ghcr.io/octo-org/recommender:v1.5.0'),
      imageName: 'model-server',
    });
    expect(r.after).toBe(replaced(text, ['newTag: "v1.4.0"', 'newTag: "v1.5.0"']));
    expect(r.changes).toEqual([
      { line: 10, where: 'images[0].newTag', before: 'v1.4.0', after: 'v1.5.0' },
    ]);
  });

  it('kustomization: a digest is added, and the stale tag removed (a digest wins in kustomize)', () => {
    const text = read('kustomization.yaml');
    const r = editText(
      text,
      'kustomization.yaml',
      target(`ghcr.io/octo-org/recommender@${DIGEST}`),
    );
    expect(r.after).toBe(
      replaced(
        text,
        ['    newTag: "v1.4.0"     # bumped by CI\n', ''],
        [
          'newName: ghcr.io/octo-org/recommender\n',
          `newName: ghcr.io/octo-org/recommender\n    digest: ${DIGEST}\n`,
        ],
      ),
    );
  });

  it('kustomization: flow-style entry, matched by name; single quotes kept', () => {
    const text = read('kustomization.yaml');
    const flow = editText(text, 'kustomization.yaml', target('ghcr.io/octo-org/sidecar:v4'));
    expect(flow.after).toBe(replaced(text, ['newTag: v3}', 'newTag: v4}']));
    const quoted = editText(text, 'kustomization.yaml', target('metrics-exporter:1.1.0'));
    expect(quoted.after).toBe(replaced(text, ["newTag: '1.0.0'", "newTag: '1.1.0'"]));
  });

  it('kustomization: a moved image gets newName added', () => {
    const text = read('kustomization.yaml');
    const r = editText(text, 'kustomization.yaml', {
      ...target('registry.example.com/mirror/exporter:2.0.0'),
      imageName: 'metrics-exporter',
    });
    expect(r.after).toBe(
      replaced(text, [
        "    newTag: '1.0.0'\n",
        "    newTag: '2.0.0'\n    newName: registry.example.com/mirror/exporter\n",
      ]),
    );
  });

  it('Helm values at yaml-path: only the tag; anchors and merge keys untouched', () => {
    const text = read('values.yaml');
    const r = editText(
      text,
      'values.yaml',
      target('ghcr.io/octo-org/recommender:v1.5.0', { yamlPath: ['image', 'tag'] }),
    );
    expect(r.after).toBe(replaced(text, ["tag: 'v1.4.0'", "tag: 'v1.5.0'"]));
  });

  it('Helm values: yaml-path at the image map sets repository and tag', () => {
    const text = read('values.yaml');
    const r = editText(
      text,
      'values.yaml',
      target('ghcr.io/octo-org/recommender-v2:v2.0.0', { yamlPath: ['image'] }),
    );
    expect(r.after).toBe(
      replaced(
        text,
        [
          'repository: ghcr.io/octo-org/recommender ',
          'repository: ghcr.io/octo-org/recommender-v2 ',
        ],
        ["tag: 'v1.4.0'", "tag: 'v2.0.0'"],
      ),
    );
  });

  it('Helm values without yaml-path: the {repository, tag} map of the image', () => {
    const text = read('values.yaml');
    const r = editText(text, 'values.yaml', target('ghcr.io/octo-org/recommender:v1.5.0'));
    expect(r.after).toBe(replaced(text, ["tag: 'v1.4.0'", "tag: 'v1.5.0'"]));
  });

  it('a plain tag that would read as a number is quoted; a numeric one stays plain', () => {
    const r = editText(
      'image:\n  repository: x/y\n  tag: v1\n',
      'v.yaml',
      target('x/y:1.10', { yamlPath: ['image', 'tag'] }),
    );
    expect(r.after).toBe('image:\n  repository: x/y\n  tag: "1.10"\n');
    const n = editText('tag: 1.5\n', 'v.yaml', target('x/y:1.6', { yamlPath: ['tag'] }));
    expect(n.after).toBe('tag: 1.6\n');
  });

  it('plain manifests with CRLF: every matching image, flow and block, other containers and documents untouched', () => {
    const text = read('deployment-crlf.yaml');
    expect(text).toContain('\r\n');
    const r = editText(text, 'deployment-crlf.yaml', target('ghcr.io/octo-org/recommender:v1.5.0'));
    expect(r.after).toBe(
      replaced(
        text,
        ['"ghcr.io/octo-org/recommender:v1.4.0"', '"ghcr.io/octo-org/recommender:v1.5.0"'],
        [
          'image: ghcr.io/octo-org/recommender:v1.4.0\r\n',
          'image: ghcr.io/octo-org/recommender:v1.5.0\r\n',
        ],
      ),
    );
    expect(r.matched).toBe(2);
  });

  it('KServe InferenceService: containers through an anchor change once, storageUri left alone', () => {
    const text = read('inferenceservice.yaml');
    const r = editText(
      text,
      'inferenceservice.yaml',
      target(`ghcr.io/octo-org/recommender@${DIGEST}`),
    );
    expect(r.after).toBe(
      replaced(text, [
        'image: &server ghcr.io/octo-org/recommender:v1.4.0',
        `image: &server ghcr.io/octo-org/recommender@${DIGEST}`,
      ]),
    );
    expect(r.after).toContain('storageUri: gs://models/recommender/v1.4.0   # left alone');
  });

  it('bumping to the current image changes nothing', () => {
    for (const f of ['deployment-crlf.yaml', 'inferenceservice.yaml']) {
      const text = read(f);
      const r = editText(text, f, target('ghcr.io/octo-org/recommender:v1.4.0'));
      expect(r.after).toBe(text);
      expect(r.changes).toEqual([]);
      expect(r.matched).toBeGreaterThan(0);
    }
  });
});

describe('errors', () => {
  it('an image no file names: the error lists the images that are there', () => {
    const edits = ['deployment-crlf.yaml', 'kustomization.yaml'].map((f) =>
      editText(read(f), f, target('ghcr.io/octo-org/other:v1')),
    );
    expect(edits.every((e) => e.matched === 0)).toBe(true);
    const message = noMatchError(edits, 'ghcr.io/octo-org/other').message;
    expect(message).toContain(`Input 'image-name': no image named "ghcr.io/octo-org/other"`);
    expect(message).toContain('ghcr.io/octo-org/metrics-exporter:1.0.0');
    expect(message).toContain('model-server');
  });

  it('yaml-path absent: a located error naming the input and where the path stops', () => {
    const text = read('values.yaml');
    let error: unknown;
    try {
      editText(
        text,
        'values.yaml',
        target('ghcr.io/o/r:v2', { yamlPath: ['image', 'version'], yamlPathText: 'image.version' }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LocatedError);
    expect((error as LocatedError).message).toBe(
      `values.yaml:6: Input 'yaml-path': "image.version" is not in this file (image has no 'version')`,
    );
  });

  it('a tag path with a digest-only image is refused', () => {
    expect(() =>
      editText(
        read('values.yaml'),
        'values.yaml',
        target(`ghcr.io/o/r@${DIGEST}`, { yamlPath: ['image', 'tag'] }),
      ),
    ).toThrow(/holds a tag but the image has only a digest/);
  });

  it('broken YAML is reported at its line', () => {
    expect(() => editText('a: [1\nb: 2\n', 'bad.yaml', target('x/y:1'))).toThrow(
      /^bad\.yaml:\d+: invalid YAML/,
    );
  });
});
