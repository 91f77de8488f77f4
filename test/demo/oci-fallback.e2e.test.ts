/**
 * The demo's path on a machine with no usable builder: it pushes the model image itself
 * (scripts/demo-oci.ts) to the real registry, and build-push-image's real bundle then finds
 * the tag (`skip-if-exists`) and reports the digest the registry holds, building nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pushModelImage } from '../../scripts/demo-oci.ts';
import { registryDigest, startRegistry, type Registry } from '../harness/registry.ts';
import { runAction } from '../harness/runner.ts';

let registry: Registry;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(path.join(tmpdir(), 'demo-oci-'));
});
afterAll(async () => {
  await registry.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo without a builder', () => {
  it('pushes a reproducible OCI image that build-push-image finds with skip-if-exists', async () => {
    mkdirSync(path.join(dir, 'layout', 'models', 'iris'), { recursive: true });
    writeFileSync(path.join(dir, 'layout', 'models', 'iris', 'model.json'), '{"format":"iris"}\n');
    const push = (tag: string): Promise<string> =>
      pushModelImage({
        registry: registry.url,
        repo: 'octo-org/recommender',
        tag,
        dir: path.join(dir, 'layout'),
        paths: ['models'],
        labels: { 'org.opencontainers.image.title': 'iris model' },
      });
    const digest = await push('sha-0123456');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(registry, 'octo-org/recommender', 'sha-0123456')).toBe(digest);
    // Same files, same bytes: the same digest again (tar sorted, mtime 0, owner 0).
    expect(await push('again')).toBe(digest);

    const workspace = path.join(dir, 'workspace');
    mkdirSync(workspace);
    writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM scratch\n');
    const r = await runAction('build-push-image', {
      workspace,
      inputs: {
        image: `${registry.host}/octo-org/recommender`,
        'skip-if-exists': 'true',
        // No builder may run: PATH has none of docker, buildah.
        builder: 'buildah',
      },
      env: { PATH: path.dirname(process.execPath) },
    });
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({
      skipped: 'true',
      digest,
      'image-ref': `${registry.host}/octo-org/recommender@${digest}`,
    });
  });
});
