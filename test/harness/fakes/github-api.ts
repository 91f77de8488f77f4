/**
 * Fake GitHub API for sticky PR comments, following the published contract
 * (test/contracts/github/: the OpenAPI description of api.github.com and the GraphQL schema):
 *
 * - REST issue comments: list (ascending id, `per_page` default 30 max 100, `page`, `since` on
 *   updated_at, `Link` rel="next"/"last" with absolute URLs), create (201 + Location; 422
 *   over 65,536 characters), get, update, delete (204; 404 when gone);
 * - `GET /repos/{o}/{r}/commits/{sha}/pulls`;
 * - GraphQL `minimizeComment` (classifier validated against ReportedContentClassifiers;
 *   errors as HTTP 200 `{"errors": […]}`);
 * - token check (401 Bad credentials), a read-only mode (403 Resource not accessible by
 *   integration on every write, as for a fork PR's GITHUB_TOKEN);
 * - the token's identity by kind (test/contracts/github/identity.md): the job's GITHUB_TOKEN
 *   acts as `github-actions[bot]`, a GitHub App's installation token as `<slug>[bot]`, a
 *   personal token as its user. GraphQL `viewer { login }` answers for all three; `GET /user`
 *   only for a personal token (403 for installation tokens). Comments it creates are by that
 *   identity; editing or deleting another author's comment is refused with 403 unless
 *   `othersCommentsWritable` (maintainers' tokens may);
 * - injectable faults: primary rate limit (403 + x-ratelimit-remaining: 0), secondary rate
 *   limit (403 + Retry-After), 429, 5xx;
 * - a barrier that holds the first listings until N runs are listing (to force a race), with a
 *   deadline after which they fail (the test sees it in `errors`);
 * - `prefix: '/api/v3'` serves REST as GitHub Enterprise Server does (GraphQL at /api/graphql).
 */
import {
  holdRequests,
  json,
  startFake,
  type RequestBarrier,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
} from './http-fake.ts';

export const OWNER = 'octo-org';
export const REPO = 'model-service';

/** Who a token acts as (test/contracts/github/identity.md). */
export type TokenKind = 'github-token' | 'app' | 'pat';

/** The login each kind of token acts as in this fake. */
export const IDENTITY: Record<TokenKind, { login: string; id: number; prefix: string }> = {
  'github-token': { login: 'github-actions[bot]', id: 41898282, prefix: 'ghs_' },
  app: { login: 'deploy-preview[bot]', id: 149000001, prefix: 'ghs_' },
  pat: { login: 'release-manager', id: 5000001, prefix: 'ghp_' },
};

export interface FakeComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  author_association: string;
  performed_via_github_app: null;
  minimized: { reason: string } | null;
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  headRef: string;
  headSha: string;
}

export interface Fault {
  /** Which requests it hits (default all). */
  match?: (req: FakeRequest) => boolean;
  /** How many times it answers before the real handler takes over again. */
  times: number;
  response: (fake: GitHubFake) => FakeResponse | Promise<FakeResponse>;
}

export interface GitHubFake extends FakeServer {
  token: string;
  /** REST base URL for GITHUB_API_URL. */
  apiUrl: string;
  comments: Map<number, FakeComment[]>;
  pulls: Map<string, FakePull[]>;
  readOnly: boolean;
  /** The login this token acts as. */
  login: string;
  faults: Fault[];
  /** Adds a comment (e.g. other people's, or an earlier run's); returns it. */
  seed(issue: number, body: string, login?: string): FakeComment;
  /**
   * Holds first-page listings until `n` are waiting. If fewer arrive within `timeoutMs`
   * (default 10 s) they fail with 500, the error is recorded in `errors`, and the returned
   * promise rejects.
   */
  holdListings(n: number, timeoutMs?: number): Promise<void>;
  /** Requests that reached the API (not counting the fault-free GET of others). */
  apiCalls(): FakeRequest[];
  env(): Record<string, string>;
}

const LIMIT = 65_536;
export const CLASSIFIERS = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'];

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function user(login: string, id: number): Record<string, unknown> {
  const base = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: `https://github.com/${login}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

function error(
  status: number,
  message: string,
  extra: object = {},
  headers: Record<string, string> = {},
): FakeResponse {
  return json(
    status,
    // validation-error (422) has no `status` field; basic-error has.
    {
      message,
      documentation_url: 'https://docs.github.com/rest',
      ...(status === 422 ? {} : { status: String(status) }),
      ...extra,
    },
    headers,
  );
}

export function primaryRateLimit(resetInSeconds = 1): FakeResponse {
  return error(
    403,
    'API rate limit exceeded for installation ID 1.',
    {},
    {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
      'x-ratelimit-resource': 'core',
    },
  );
}

export function secondaryRateLimit(retryAfterSeconds = 1): FakeResponse {
  return error(
    403,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    {},
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export interface GitHubApiOptions {
  /** '/api/v3' serves REST as GitHub Enterprise Server does (GraphQL at /api/graphql). */
  prefix?: string;
  token?: string;
  /** false: REST comments have no `minimized` field, as on servers older than that field. */
  restMinimized?: boolean;
  /** Whose token this is (default the job's GITHUB_TOKEN). */
  tokenKind?: TokenKind;
  /** Let the token edit and delete other authors' comments (a maintainer's rights). */
  othersCommentsWritable?: boolean;
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubFake> {
  const prefix = options.prefix ?? '';
  const graphqlPath = prefix === '/api/v3' ? '/api/graphql' : `${prefix}/graphql`;
  const kind = options.tokenKind ?? 'github-token';
  const identity = IDENTITY[kind];
  const token = options.token ?? `${identity.prefix}fake${Math.random().toString(36).slice(2, 14)}`;
  const comments = new Map<number, FakeComment[]>();
  const pulls = new Map<string, FakePull[]>();
  let nextId = 1_000_001;
  let barrier: RequestBarrier | undefined;
  // Timestamps come from a counter that never goes backwards, a second apart per write, so
  // `since` and ordering behave as on GitHub even within one millisecond.
  let clock = Date.now() - 3_600_000;
  const tick = (): number => {
    clock = Math.max(clock + 1000, Date.now());
    return clock;
  };

  const fake = {} as GitHubFake;
  let base = '';
  const bot = user('github-actions[bot]', 41898282);
  const me = user(identity.login, identity.id);

  const make = (issue: number, body: string, author = me): FakeComment => {
    const id = nextId++;
    const now = iso(tick());
    return {
      id,
      node_id: `IC_kwDO${id.toString(36)}`,
      url: `${base}${prefix}/repos/${OWNER}/${REPO}/issues/comments/${id}`,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${base}${prefix}/repos/${OWNER}/${REPO}/issues/${issue}`,
      body,
      user: author,
      created_at: now,
      updated_at: now,
      author_association: 'NONE',
      performed_via_github_app: null,
      minimized: null,
    };
  };
  const find = (id: number): { list: FakeComment[]; index: number } | undefined => {
    for (const list of comments.values()) {
      const index = list.findIndex((c) => c.id === id);
      if (index >= 0) return { list, index };
    }
    return undefined;
  };

  const shown = (c: FakeComment): object => {
    if (options.restMinimized !== false) return c;
    return Object.fromEntries(Object.entries(c).filter(([field]) => field !== 'minimized'));
  };
  // GitHub's wording differs by token kind (test/contracts/github/identity.md).
  const refusedMessage =
    kind === 'pat'
      ? 'Resource not accessible by personal access token'
      : 'Resource not accessible by integration';
  const refused = (): FakeResponse => error(403, refusedMessage);
  const rest = async (req: FakeRequest, path: string): Promise<FakeResponse> => {
    if (path === '/user' && req.method === 'GET') {
      return kind === 'pat'
        ? json(200, me)
        : error(403, 'Resource not accessible by integration', {
            documentation_url:
              'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          });
    }
    const repoPath = `/repos/${OWNER}/${REPO}`;
    if (!path.startsWith(repoPath)) return error(404, 'Not Found');
    const sub = path.slice(repoPath.length);
    const write = req.method !== 'GET';
    if (write && fake.readOnly) return error(403, 'Resource not accessible by integration');

    let m = /^\/issues\/(\d+)\/comments$/.exec(sub);
    if (m) {
      const issue = Number(m[1]);
      const list = comments.get(issue) ?? [];
      if (req.method === 'GET') {
        const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 30) || 30));
        const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
        const since = req.query.get('since');
        if (page === 1 && !since) await barrier?.arrive();
        const selected = since ? list.filter((c) => c.updated_at >= since) : list;
        const lastPage = Math.max(1, Math.ceil(selected.length / perPage));
        const items = selected.slice((page - 1) * perPage, page * perPage);
        const link = (p: number, rel: string): string => {
          const u = new URL(`${base}${req.path}`);
          for (const [k, v] of req.query) u.searchParams.set(k, v);
          u.searchParams.set('page', String(p));
          return `<${u.toString()}>; rel="${rel}"`;
        };
        const links: string[] = [];
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
        return json(200, items.map(shown), links.length ? { link: links.join(', ') } : {});
      }
      if (req.method === 'POST') {
        const body = (JSON.parse(req.body || '{}') as { body?: unknown }).body;
        if (typeof body !== 'string')
          return error(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
        if (body.length > LIMIT) {
          return error(422, 'Validation Failed', {
            errors: [
              {
                resource: 'IssueComment',
                code: 'custom',
                field: 'body',
                message: 'body is too long (maximum is 65536 characters)',
              },
            ],
          });
        }
        const c = make(issue, body);
        comments.set(issue, [...list, c]);
        return json(201, shown(c), { location: c.url });
      }
      return error(404, 'Not Found');
    }
    m = /^\/issues\/comments\/(\d+)$/.exec(sub);
    if (m) {
      const hit = find(Number(m[1]));
      if (!hit) return error(404, 'Not Found');
      const c = hit.list[hit.index]!;
      if (req.method === 'GET') return json(200, shown(c));
      const others = (c.user as { login: string }).login !== identity.login;
      if (others && !options.othersCommentsWritable) return refused();
      if (req.method === 'PATCH') {
        const body = (JSON.parse(req.body || '{}') as { body?: unknown }).body;
        if (typeof body !== 'string') return error(422, 'Invalid request.');
        if (body.length > LIMIT) return error(422, 'Validation Failed');
        c.body = body;
        c.updated_at = iso(tick());
        return json(200, shown(c));
      }
      if (req.method === 'DELETE') {
        hit.list.splice(hit.index, 1);
        return { status: 204 };
      }
      return error(404, 'Not Found');
    }
    m = /^\/commits\/([0-9a-f]{7,40})\/pulls$/.exec(sub);
    if (m && req.method === 'GET') {
      const prs = pulls.get(m[1]!) ?? [];
      return json(
        200,
        prs.map((p) => ({
          id: p.number * 10,
          node_id: `PR_${p.number}`,
          number: p.number,
          state: p.state,
          locked: false,
          title: `PR ${p.number}`,
          user: user('octocat', 1),
          body: null,
          html_url: `https://github.com/${OWNER}/${REPO}/pull/${p.number}`,
          head: {
            label: `${OWNER}:${p.headRef}`,
            ref: p.headRef,
            sha: p.headSha,
            user: user('octocat', 1),
            repo: null,
          },
          base: {
            label: `${OWNER}:main`,
            ref: 'main',
            sha: '0'.repeat(40),
            user: user('octocat', 1),
            repo: null,
          },
        })),
      );
    }
    return error(404, 'Not Found');
  };

  const graphql = (req: FakeRequest): FakeResponse => {
    const payload = JSON.parse(req.body || '{}') as {
      query?: string;
      variables?: { input?: { subjectId?: string; classifier?: string } };
    };
    if (/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(payload.query ?? '')) {
      return json(200, { data: { viewer: { login: identity.login } } });
    }
    if (!/minimizeComment\s*\(/.test(payload.query ?? '')) {
      return json(200, { errors: [{ message: 'fake supports only minimizeComment' }] });
    }
    if (fake.readOnly) {
      return json(200, {
        data: { minimizeComment: null },
        errors: [
          {
            type: 'FORBIDDEN',
            path: ['minimizeComment'],
            message: 'Resource not accessible by integration',
          },
        ],
      });
    }
    const input = payload.variables?.input ?? {};
    if (!CLASSIFIERS.includes(input.classifier ?? '')) {
      return json(200, {
        errors: [
          {
            message: `Variable $input of type MinimizeCommentInput! was provided invalid value for classifier (Expected "${input.classifier}" to be one of: ${CLASSIFIERS.join(', ')})`,
          },
        ],
      });
    }
    const target = [...comments.values()].flat().find((c) => c.node_id === input.subjectId);
    if (!target) {
      return json(200, {
        data: { minimizeComment: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['minimizeComment'],
            message: `Could not resolve to a node with the global id of '${input.subjectId}'`,
          },
        ],
      });
    }
    if (
      (target.user as { login: string }).login !== identity.login &&
      !options.othersCommentsWritable
    ) {
      return json(200, {
        data: { minimizeComment: null },
        errors: [{ type: 'FORBIDDEN', path: ['minimizeComment'], message: refusedMessage }],
      });
    }
    const reason = input.classifier!.toLowerCase().replace('_', '-');
    target.minimized = { reason };
    return json(200, {
      data: {
        minimizeComment: { minimizedComment: { isMinimized: true, minimizedReason: reason } },
      },
    });
  };

  const server = await startFake('github-api', async (req) => {
    const fault = fake.faults.find((f) => f.times > 0 && (f.match?.(req) ?? true));
    if (fault) {
      fault.times -= 1;
      return fault.response(fake);
    }
    const auth = /^(?:token|Bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (auth !== token) return error(401, 'Bad credentials');
    if (req.method === 'POST' && req.path === graphqlPath) return graphql(req);
    if (!req.path.startsWith(`${prefix}/`)) return error(404, 'Not Found');
    return rest(req, req.path.slice(prefix.length));
  });
  base = server.url;
  Object.assign(fake, server, {
    stop: () => {
      barrier?.cancel();
      return server.stop();
    },
    token,
    apiUrl: `${server.url}${prefix}`,
    comments,
    pulls,
    readOnly: false,
    login: identity.login,
    faults: [],
    seed(issue: number, body: string, login = 'octocat') {
      const author =
        login === identity.login ? me : login === 'github-actions[bot]' ? bot : user(login, 583231);
      const c = make(issue, body, author);
      comments.set(issue, [...(comments.get(issue) ?? []), c]);
      return c;
    },
    holdListings(n: number, timeoutMs = 10_000) {
      barrier?.cancel();
      // Once met, the barrier lets every later listing through; once expired, it fails them.
      barrier = holdRequests('GitHub fake: held listings', n, timeoutMs);
      return barrier.met;
    },
    apiCalls() {
      return server.requests;
    },
    env() {
      return {
        GITHUB_API_URL: `${server.url}${prefix}`,
        GITHUB_GRAPHQL_URL: `${server.url}${graphqlPath}`,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      };
    },
  });
  return fake;
}
