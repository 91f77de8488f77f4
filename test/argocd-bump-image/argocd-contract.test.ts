/**
 * The Argo CD wire contract (test/contracts/argocd/swagger.subset.json): the sync request the
 * action sends, every Application the local fake serves through whole scenarios, and the
 * error body, are checked against the upstream swagger — made strict (no property the swagger
 * does not declare), so neither side can drift into fields Argo CD does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import { ArgoClient } from '../../actions/argocd-bump-image/argocd.ts';
import { createHttpClient } from '../../shared/http.ts';
import { readContractJson } from '../harness/contracts.ts';
import { startFakeArgo, type FakeArgo } from '../harness/fakes/argocd-api.ts';

interface Swagger {
  paths: Record<string, Record<string, { parameters?: { in: string; schema?: object }[] }>>;
  definitions: Record<string, object>;
}

const swagger = readContractJson<Swagger>('argocd', 'swagger.subset.json');

/** A copy of the definitions where objects with declared properties allow no others. */
function strict(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strict);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = strict(v);
    if ('properties' in out && out.type === 'object' && !('additionalProperties' in out)) {
      out.additionalProperties = false;
    }
    return out;
  }
  return value;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'argocd', definitions: strict(swagger.definitions) });
const validator = (name: string): ValidateFunction =>
  ajv.compile({ $ref: `argocd#/definitions/${name}` });

function check(validate: ValidateFunction, value: unknown): string[] {
  return validate(value)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );
}

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.contract.c2ln';
let argo: FakeArgo;
beforeAll(async () => {
  argo = await startFakeArgo(TOKEN, [
    { name: 'healthy', revision: 'a'.repeat(40), outcome: 'healthy' },
    { name: 'degraded', revision: 'a'.repeat(40), outcome: 'degraded' },
    { name: 'failed', revision: 'a'.repeat(40), outcome: 'sync-failed' },
    { name: 'busy', revision: 'a'.repeat(40), outcome: 'healthy', busySyncs: 1 },
    {
      name: 'multi',
      revision: '',
      outcome: 'healthy',
      sources: [
        {
          repoURL: 'https://charts.example.com',
          chart: 'model',
          targetRevision: '1.4.0',
          revision: '1.4.0',
        },
        {
          repoURL: 'https://git.example.com/org/config.git',
          ref: 'values',
          targetRevision: 'main',
          revision: 'a'.repeat(40),
        },
      ],
    },
  ]);
});
afterAll(async () => {
  await argo.stop();
});

describe('Argo CD contract', () => {
  const client = (token = TOKEN) =>
    new ArgoClient(createHttpClient({ attempts: 1 }), argo.url, token);

  it('the swagger subset holds the two operations the action calls, with their schemas', () => {
    expect(swagger.paths['/api/v1/applications/{name}']?.get).toBeDefined();
    const sync = swagger.paths['/api/v1/applications/{name}/sync']?.post;
    expect(sync?.parameters?.find((p) => p.in === 'body')?.schema).toEqual({
      $ref: '#/definitions/applicationApplicationSyncRequest',
    });
  });

  it.each(['healthy', 'degraded', 'failed'])(
    'every Application the fake serves through a whole %s scenario matches v1alpha1Application',
    async (name) => {
      const app = validator('v1alpha1Application');
      const before = argo.served.length;
      await client().sync(name, { revision: 'b'.repeat(40) });
      for (let i = 0; i < 4; i++) await client().get(name);
      const served = argo.served.slice(before);
      expect(served.length).toBe(5);
      expect(served.flatMap((s) => check(app, s))).toEqual([]);
      // The scenario went somewhere: a finished operation, and the health it ends at.
      const last = served.at(-1) as {
        status: { health: { status: string }; operationState: { phase: string } };
      };
      expect(last.status.operationState.phase).toBe(name === 'failed' ? 'Failed' : 'Succeeded');
      expect(last.status.health.status).toBe(
        { healthy: 'Healthy', degraded: 'Degraded', failed: 'Progressing' }[name],
      );
    },
  );

  it('the sync request the action sends matches applicationApplicationSyncRequest', async () => {
    await client().sync('healthy', { revision: 'c'.repeat(40) });
    const sent = argo.syncRequests.at(-1)?.body;
    expect(sent).toEqual({ name: 'healthy', revision: 'c'.repeat(40) });
    expect(check(validator('applicationApplicationSyncRequest'), sent)).toEqual([]);
  });

  it('a multi-source sync request (revisions at sourcePositions) and the multi-source Application match the schemas', async () => {
    const before = argo.served.length;
    await client().sync('multi', { revisions: ['e'.repeat(40)], sourcePositions: [2] });
    const sent = argo.syncRequests.at(-1)?.body;
    expect(sent).toEqual({ name: 'multi', revisions: ['e'.repeat(40)], sourcePositions: ['2'] });
    expect(check(validator('applicationApplicationSyncRequest'), sent)).toEqual([]);
    for (let i = 0; i < 3; i++) await client().get('multi');
    const served = argo.served.slice(before);
    expect(served.flatMap((s) => check(validator('v1alpha1Application'), s))).toEqual([]);
    const last = served.at(-1) as { status: { sync: { status: string; revisions: string[] } } };
    expect(last.status.sync).toEqual({ status: 'Synced', revisions: ['1.4.0', 'e'.repeat(40)] });
  });

  it('the strict schema does catch a field Argo CD does not have', () => {
    expect(
      check(validator('applicationApplicationSyncRequest'), { name: 'x', revison: 'typo' }),
    ).not.toEqual([]);
  });

  it('error bodies match runtimeError; busy, 401 and unknown apps are told apart', async () => {
    const res = await fetch(`${argo.url}/api/v1/applications/healthy`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(res.status).toBe(401);
    expect(check(validator('runtimeError'), await res.json())).toEqual([]);
    await expect(client('wrong').get('healthy')).rejects.toThrow(
      "rejected 'argocd-token' (401: invalid session",
    );
    await expect(client().get('nope')).rejects.toThrow('Argo CD application "nope" was not found');
    expect(await client().sync('busy', { revision: 'd'.repeat(40) })).toEqual({
      state: 'busy',
      message: 'another operation is already in progress',
    });
  });
});
