/**
 * The fake GitHub API answers in the shapes the published contract describes
 * (test/contracts/github/: api.github.com's OpenAPI description and the GraphQL schema), so
 * the bundle tested against it is tested against GitHub's interface, not an invention.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readContractJson } from '../harness/contracts.ts';
import {
  CLASSIFIERS,
  OWNER,
  REPO,
  startGitHubApi,
  type GitHubFake,
} from '../harness/fakes/github-api.ts';

interface Schema {
  required?: string[];
  properties?: Record<string, unknown>;
}
interface OpenApi {
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, { schema?: { default?: number }; description?: string }>;
    headers: Record<string, { example?: string }>;
  };
}
interface GraphqlSubset {
  types: Record<
    string,
    {
      inputFields?: { name: string }[];
      enumValues?: { name: string }[];
      fields?: { name: string }[];
    }
  >;
}

const rest = readContractJson<OpenApi>('github', 'rest-comments.openapi.json');
const graphql = readContractJson<GraphqlSubset>('github', 'graphql-subset.minimize-comment.json');

let fake: GitHubFake;
beforeAll(async () => {
  fake = await startGitHubApi();
});
afterAll(async () => {
  await fake.stop();
});

async function call(method: string, path: string, body?: object): Promise<Response> {
  return fetch(`${fake.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

describe('fake GitHub API follows the contract', () => {
  it('issue comments carry every required field of issue-comment (and its user of simple-user)', async () => {
    const res = await call('POST', `/repos/${OWNER}/${REPO}/issues/1/comments`, { body: 'hello' });
    expect(res.status).toBe(201);
    const comment = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get('location')).toBe(comment.url);
    const schema = rest.components.schemas['issue-comment']!;
    for (const field of schema.required!) expect(comment).toHaveProperty(field);
    for (const field of Object.keys(comment))
      expect(Object.keys(schema.properties!)).toContain(field);
    const user = comment.user as Record<string, unknown>;
    for (const field of rest.components.schemas['simple-user']!.required!)
      expect(user).toHaveProperty(field);
  });

  it('lists at most 100 per page (default 30), ascending by id, with Link rel="next"/"last" as documented', async () => {
    for (let i = 0; i < 130; i++) fake.seed(2, `c${i}`);
    expect(rest.components.parameters['per-page']!.schema!.default).toBe(30);
    const first = await call('GET', `/repos/${OWNER}/${REPO}/issues/2/comments`);
    expect(((await first.json()) as unknown[]).length).toBe(30);
    const big = await call('GET', `/repos/${OWNER}/${REPO}/issues/2/comments?per_page=500`);
    const items = (await big.json()) as { id: number }[];
    expect(items).toHaveLength(100);
    expect(items.map((c) => c.id)).toEqual([...items.map((c) => c.id)].sort((a, b) => a - b));
    // The documented example: `<https://api.github.com/resource?page=2>; rel="next", <…?page=5>; rel="last"`.
    const example = rest.components.headers.link!.example!;
    const shape =
      /^<[^>]+[?&]page=\d+[^>]*>; rel="(next|last|prev|first)"(, <[^>]+>; rel="(next|last|prev|first)")*$/;
    expect(example).toMatch(shape);
    const link = big.headers.get('link')!;
    expect(link).toMatch(shape);
    expect(link).toContain('page=2>; rel="next"');
    const last = await call('GET', `/repos/${OWNER}/${REPO}/issues/2/comments?per_page=100&page=2`);
    expect(last.headers.get('link')).not.toContain('rel="next"');
  });

  it('errors have the basic-error shape; 422 adds validation errors', async () => {
    const res = await call('PATCH', `/repos/${OWNER}/${REPO}/issues/comments/1`, { body: 'x' });
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    for (const field of Object.keys(body))
      expect(Object.keys(rest.components.schemas['basic-error']!.properties!)).toContain(field);
    const tooLong = await call('POST', `/repos/${OWNER}/${REPO}/issues/1/comments`, {
      body: 'x'.repeat(65_537),
    });
    expect(tooLong.status).toBe(422);
    const validation = (await tooLong.json()) as Record<string, unknown>;
    for (const field of Object.keys(validation))
      expect(Object.keys(rest.components.schemas['validation-error']!.properties!)).toContain(
        field,
      );
  });

  it('pull requests of a commit carry the pull-request-simple fields the action reads', async () => {
    fake.pulls.set('abc1234', [{ number: 3, state: 'open', headRef: 'f', headSha: 'abc1234' }]);
    const res = await call('GET', `/repos/${OWNER}/${REPO}/commits/abc1234/pulls`);
    const [pr] = (await res.json()) as Record<string, unknown>[];
    const schema = rest.components.schemas['pull-request-simple']!;
    for (const field of Object.keys(pr!)) expect(Object.keys(schema.properties!)).toContain(field);
    for (const field of ['number', 'state', 'head']) expect(schema.required).toContain(field);
  });

  it('minimizeComment takes the schema input fields and classifiers', async () => {
    expect(graphql.types.MinimizeCommentInput!.inputFields!.map((f) => f.name).sort()).toEqual([
      'classifier',
      'clientMutationId',
      'subjectId',
    ]);
    expect(graphql.types.ReportedContentClassifiers!.enumValues!.map((e) => e.name)).toEqual(
      CLASSIFIERS,
    );
    expect(graphql.types.Minimizable!.fields!.map((f) => f.name)).toEqual(
      expect.arrayContaining(['isMinimized', 'minimizedReason']),
    );
    const comment = fake.seed(4, 'old');
    const res = await fetch(`${fake.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}` },
      body: JSON.stringify({
        query:
          'mutation($input: MinimizeCommentInput!) { minimizeComment(input: $input) { minimizedComment { isMinimized } } }',
        variables: { input: { subjectId: comment.node_id, classifier: 'NOT_A_CLASSIFIER' } },
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { errors?: unknown[] }).errors).toHaveLength(1);
    expect(comment.minimized).toBeNull();
  });
});

describe('pr-deploy-comment/action.yml', () => {
  it('declares every input and output name of the product design (DESIGN.md)', async () => {
    const { loadActionMetadata } = await import('../harness/runner.ts');
    const meta = loadActionMetadata('pr-deploy-comment') as {
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    };
    const designed = `token key status environment endpoint image digest run-url metrics
      metrics-baseline body body-file mode hide-previous pr-number slack-token slack-channel
      slack-webhook-url`.split(/\s+/);
    expect(Object.keys(meta.inputs ?? {})).toEqual(expect.arrayContaining(designed));
    expect(Object.keys(meta.outputs ?? {}).sort()).toEqual([
      'comment-id',
      'comment-url',
      'slack-ts',
    ]);
  });
});
