/**
 * The one manifest-document model (shared/manifests.ts) and rollout-and-verify's loadManifests
 * on top of it: identities, lines, and the documents refused with their reason.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocatedError, LocatedErrors } from '../../shared/errors.ts';
import { manifestDocuments, manifestIdentity } from '../../shared/manifests.ts';
import { loadManifests } from '../../actions/rollout-and-verify/manifests.ts';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'manifests-'));
  temps.push(dir);
  writeFileSync(path.join(dir, 'm.yaml'), text);
  return dir;
}

async function loadError(text: string): Promise<unknown> {
  return loadManifests(['m.yaml'], workspace(text), 'default').then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe('manifest documents', () => {
  it('gives each non-empty document its value, index and first line', () => {
    const docs = manifestDocuments(
      '# lead\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nfoo: 1\n',
      'm.yaml',
    );
    expect(docs.map((d) => [d.index, d.line])).toEqual([
      [1, 4],
      [2, 9],
    ]);
    expect(manifestIdentity(docs[0]?.value)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'a',
      namespace: undefined,
    });
    expect(manifestIdentity(docs[1]?.value).kind).toBeUndefined();
    expect(manifestIdentity('text')).toEqual({
      apiVersion: undefined,
      kind: undefined,
      name: undefined,
      namespace: undefined,
    });
  });

  it('refuses an alias bomb beyond the allowed alias count', () => {
    const bomb = 'a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n';
    expect(() => manifestDocuments(bomb, 'm.yaml', 2)).toThrow(/alias/i);
  });
});

describe('loadManifests (rollout-and-verify) on the shared model', () => {
  it('defaults the namespace of namespaced kinds only, and orders for apply', async () => {
    const ws = workspace(
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n' +
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n---\n' +
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: own\n',
    );
    const manifests = await loadManifests(['m.yaml'], ws, 'fallback');
    expect(manifests.map((m) => [m.kind, m.namespace, m.line, m.plural])).toEqual([
      ['Namespace', undefined, 6, 'namespaces'],
      ['ConfigMap', 'own', 11, 'configmaps'],
      ['Service', 'fallback', 1, 'services'],
    ]);
    expect(manifests[2]?.object.metadata).toEqual({ name: 's', namespace: 'fallback' });
  });

  it('names what a document lacks, at its file and line', async () => {
    const error = await loadError('apiVersion: v1\nkind: ConfigMap\n---\n- a list\n');
    expect(error).toBeInstanceOf(LocatedErrors);
    expect((error as LocatedErrors).errors.map((e) => [e.message, e.line])).toEqual([
      ['m.yaml:1: document 1 is not a Kubernetes object (metadata.name missing)', 1],
      ['m.yaml:4: document 2 is not a Kubernetes object (it is not a YAML mapping)', 4],
    ]);
  });

  it('refuses kind List and an empty name', async () => {
    const list = await loadError('apiVersion: v1\nkind: List\nitems: []\n');
    expect(list).toBeInstanceOf(LocatedError);
    expect((list as LocatedError).message).toBe(
      'm.yaml:1: kind List is not supported; write one document per object',
    );
    const empty = await loadError('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ""\n');
    expect((empty as LocatedError).message).toBe(
      'm.yaml:1: document 1 is not a Kubernetes object (metadata.name is empty)',
    );
  });
});
