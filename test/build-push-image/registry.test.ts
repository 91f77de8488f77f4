import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readContractJson } from '../harness/contracts.ts';
import { json, startFake, type FakeServer } from '../harness/fakes/http-fake.ts';
import { createHttpClient } from '../../shared/http.ts';
import { HttpError } from '../../shared/errors.ts';
import { ServerValueError } from '../../shared/server-values.ts';
import {
  MANIFEST_ACCEPT,
  RegistryClient,
  registryBaseUrl,
} from '../../actions/build-push-image/registry.ts';

interface OciTables {
  nameRegex: string;
  tagRegex: string;
  endpoints: { id: string; methods: string[]; path: string }[];
}
const OCI = readContractJson<OciTables>('ecr-oci', 'oci-distribution-spec.tables.json');
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 100, digest: 'sha256:c' },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 23, digest: 'sha256:l' },
  ],
});
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const TOKEN = 'registry-bearer-token-0123';

let registry: FakeServer;
let sendDigestHeader = true;
/** When set: what a hostile registry answers instead (header and manifest body). */
let hostile: { digest?: string; body?: string } | undefined;
beforeAll(async () => {
  registry = await startFake('registry', (req) => {
    if (req.path === '/token') {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Basic ${Buffer.from('bob:right').toString('base64')}`)
        return json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
      expect(req.query.get('scope')).toBe('repository:org/app:pull');
      expect(req.query.get('service')).toBe('fake-registry');
      return json(200, { token: TOKEN, expires_in: 300 });
    }
    const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(req.path);
    if (!m) return json(404, { errors: [{ code: 'NAME_UNKNOWN', message: 'no' }] });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return {
        status: 401,
        headers: {
          'www-authenticate': `Bearer realm="${registry.url}/token",service="fake-registry",scope="repository:${m[1]}:pull"`,
          'content-type': 'application/json',
        },
        body: { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
      };
    }
    if (m[2] === 'missing')
      return json(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] });
    return {
      status: 200,
      headers: {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        ...(sendDigestHeader ? { 'docker-content-digest': hostile?.digest ?? DIGEST } : {}),
      },
      body: req.method === 'HEAD' ? '' : (hostile?.body ?? MANIFEST),
    };
  });
});
afterAll(async () => {
  await registry.stop();
});

const client = (password: string): RegistryClient =>
  new RegistryClient(createHttpClient({ attempts: 1 }), {
    host: registry.url.replace('http://', ''),
    image: `${registry.url.replace('http://', '')}/org/app`,
    plainHttp: true,
    credentials: () => ({ username: 'bob', password }),
  });

describe('RegistryClient', () => {
  it('HEADs the manifest (OCI end-3) with every manifest type in Accept, through a Bearer challenge', async () => {
    sendDigestHeader = true;
    registry.requests.length = 0;
    expect(await client('right').head('sha-0123456')).toBe(DIGEST);
    const heads = registry.requests.filter((r) => r.method === 'HEAD');
    expect(heads).toHaveLength(2); // challenge, then with the token
    const endpoint = OCI.endpoints.find((e) => e.id === 'end-3');
    expect(endpoint?.methods).toContain('HEAD');
    const pattern = new RegExp(
      `^${endpoint!.path
        .replace('<name>', `(?:${OCI.nameRegex})`)
        .replace('<tag-or-digest>', `(?:${OCI.tagRegex})`)}$`,
    );
    for (const h of heads) {
      expect(h.path).toMatch(pattern);
      for (const type of MANIFEST_ACCEPT.split(', ')) expect(h.headers.accept).toContain(type);
    }
    expect(heads[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a missing tag is undefined, not an error', async () => {
    expect(await client('right').head('missing')).toBeUndefined();
  });

  it('without Docker-Content-Digest: the sha256 of the manifest bytes; size from config + layers', async () => {
    sendDigestHeader = false;
    try {
      expect(await client('right').head('v1')).toBe(DIGEST);
      expect(await client('right').get('v1')).toEqual({
        digest: DIGEST,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: 123,
      });
    } finally {
      sendDigestHeader = true;
    }
  });

  it.each([
    'sha256:../../evil latest',
    `sha256:${'a'.repeat(64)} latest`,
    `sha256:${'A'.repeat(64)}`,
    'md5:0123',
  ])(
    'a Docker-Content-Digest that is no digest (%j): an error naming the header, from HEAD and GET',
    async (digest) => {
      hostile = { digest };
      try {
        for (const call of [() => client('right').head('v1'), () => client('right').get('v1')]) {
          const error = await call().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ServerValueError);
          expect((error as Error).message).toContain("the registry's Docker-Content-Digest");
        }
      } finally {
        hostile = undefined;
      }
    },
  );

  it('a manifest whose sizes are not byte counts: no size (never text in the summary)', async () => {
    hostile = { body: JSON.stringify({ config: { size: '<img src=x>' }, layers: [{ size: 1 }] }) };
    try {
      const info = await client('right').get('v1');
      expect(info?.digest).toBe(DIGEST);
      expect(info?.size).toBeUndefined();
    } finally {
      hostile = undefined;
    }
  });

  it('wrong credentials: an error naming the registry, not the secret', async () => {
    const error = await client('wrong-secret-value')
      .head('v1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toContain("refused the credentials of 'bob'");
    expect((error as HttpError).status).toBe(401);
    expect((error as Error).message).not.toContain('wrong-secret-value');
  });

  it.each([
    ['127.0.0.1:5000', true, 'http://127.0.0.1:5000'],
    ['ghcr.io', false, 'https://ghcr.io'],
    ['docker.io', false, 'https://registry-1.docker.io'],
  ])('base URL of %s', (host, plain, url) => {
    expect(registryBaseUrl(host, plain)).toBe(url);
  });
});
