/**
 * The demo's stand-in for a builder, used only when this machine has none it can use (no
 * buildah as root, no Docker daemon): the model image (a "modelcar": the trained model files
 * in one layer, FROM scratch) written as an OCI image and pushed to the local registry through
 * the distribution API, the way a CI cache or another pipeline would have pushed it. The
 * build-push-image step that follows then finds the tag (`skip-if-exists`) and reports the
 * digest the registry holds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A reproducible tar of `dir`'s `paths` (GNU tar: sorted, owner 0, mtime 0). */
function tarOf(dir: string, paths: string[]): Buffer {
  const r = spawnSync(
    'tar',
    [
      '-c',
      '--sort=name',
      '--mtime=@0',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-C',
      dir,
    ].concat(['--', ...paths]),
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

async function pushBlob(registry: string, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const head = await fetch(`${registry}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return digest;
  const start = await fetch(`${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) {
    throw new Error(`registry: starting an upload answered ${start.status}`);
  }
  const url = new URL(location, registry);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(data),
  });
  if (put.status !== 201) throw new Error(`registry: blob upload answered ${put.status}`);
  return digest;
}

/**
 * Pushes `dir`'s `paths` as a one-layer OCI image tagged `tag` in `repo` of the registry at
 * `registry` (http://host:port); returns the manifest digest the registry stores.
 */
export async function pushModelImage(o: {
  registry: string;
  repo: string;
  tag: string;
  dir: string;
  paths: string[];
  labels: Record<string, string>;
}): Promise<string> {
  const tar = tarOf(o.dir, o.paths);
  const layer = gzipSync(tar, { level: 9 });
  const layerDigest = await pushBlob(o.registry, o.repo, layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: o.labels },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    }),
  );
  const configDigest = await pushBlob(o.registry, o.repo, config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layerDigest,
        size: layer.length,
      },
    ],
  });
  const put = await fetch(`${o.registry}/v2/${o.repo}/manifests/${o.tag}`, {
    method: 'PUT',
    headers: { 'content-type': OCI_MANIFEST },
    body: manifest,
  });
  if (put.status !== 201) {
    throw new Error(`registry: manifest upload answered ${put.status}: ${await put.text()}`);
  }
  return put.headers.get('docker-content-digest') ?? sha256(manifest);
}
