export const id = 307;
export const ids = [307];
export const modules = {

/***/ 7307:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
;// CONCATENATED MODULE: ./.build/shared/logger.js

function toProperties(position) {
    if (!position)
        return {};
    const props = {};
    if (position.file !== undefined)
        props.file = position.file;
    if (position.line !== undefined)
        props.startLine = position.line;
    if (position.column !== undefined)
        props.startColumn = position.column;
    if (position.title !== undefined)
        props.title = position.title;
    return props;
}
/** The logger used in a real runner: workflow commands through @actions/core. */
const coreLogger = {
    debug: (m) => core/* debug */.Yz(m),
    info: (m) => core/* info */.pq(m),
    warning: (m, p) => core/* warning */.$e(m, toProperties(p)),
    error: (m, p) => core/* error */.z3(m, toProperties(p)),
    secret: (v) => {
        // Mask each line too: the runner masks line by line, so a multi-line secret
        // (a PEM, a kubeconfig) would otherwise leak piecewise.
        if (!v)
            return;
        core/* setSecret */.Pq(v);
        for (const line of v.split(/\r?\n/))
            if (line.trim().length >= 4)
                core/* setSecret */.Pq(line.trim());
    },
    group: (name, fn) => core/* group */.Os(name, fn),
};
/** A logger that keeps everything in memory; `text()` masks registered secrets as the runner would. */
class RecordingLogger {
    records = [];
    secrets = new Set();
    debug(message) {
        this.records.push({ level: 'debug', message });
    }
    info(message) {
        this.records.push({ level: 'info', message });
    }
    warning(message, position) {
        this.records.push({ level: 'warning', message, ...(position ? { position } : {}) });
    }
    error(message, position) {
        this.records.push({ level: 'error', message, ...(position ? { position } : {}) });
    }
    secret(value) {
        if (value)
            this.secrets.add(value);
    }
    async group(name, fn) {
        this.records.push({ level: 'info', message: `::group::${name}` });
        try {
            return await fn();
        }
        finally {
            this.records.push({ level: 'info', message: '::endgroup::' });
        }
    }
    /** Everything logged, unmasked: tests assert secrets are absent from this. */
    text() {
        return this.records.map((r) => r.message).join('\n');
    }
    messages(level) {
        return this.records.filter((r) => r.level === level).map((r) => r.message);
    }
}

// EXTERNAL MODULE: ./.build/shared/summary.js + 1 modules
var summary = __webpack_require__(8501);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 20 modules
var utils = __webpack_require__(5250);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./.build/shared/clock.js

const clock_systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => (0,promises_.setTimeout)(ms, undefined, signal ? { signal } : {}),
};
/** A clock whose sleeps complete instantly while advancing its time: for tests. */
class ManualClock {
    time;
    sleeps = [];
    constructor(start = 0) {
        this.time = start;
    }
    now() {
        return this.time;
    }
    advance(ms) {
        this.time += ms;
    }
    async sleep(ms) {
        this.sleeps.push(ms);
        this.time += ms;
    }
}

;// CONCATENATED MODULE: ./.build/shared/retry.js

/** Capped exponential backoff with full jitter: attempt 1 → up to base, 2 → up to 2×base, … */
function backoffDelay(attempt, opts = {}) {
    const base = opts.baseDelayMs ?? 500;
    const cap = opts.maxDelayMs ?? 10_000;
    const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
    const random = opts.random ?? Math.random;
    // Half fixed, half jitter: never zero, never synchronised with other clients.
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/** Seconds or an HTTP date, as RFC 9110 allows; milliseconds from now, or undefined. */
function retry_parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
/**
 * Calls `fn` until it succeeds, `classify` says not to retry, or attempts run out.
 * The last error is thrown as it is.
 */
async function retry_withRetry(fn, classify, opts = {}) {
    const attempts = opts.attempts ?? 5;
    const clock = opts.clock ?? systemClock;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            const decision = classify(error);
            if (!decision.retry || attempt >= attempts)
                throw error;
            const wait = Math.min(Math.max(decision.delayMs ?? 0, backoffDelay(attempt, opts)), 
            // A server asking for longer than a minute is not waited for blindly.
            Math.max(opts.maxDelayMs ?? 10_000, 60_000));
            opts.onRetry?.(error, attempt, wait);
            await clock.sleep(wait);
        }
    }
}

;// CONCATENATED MODULE: ./.build/shared/http.js
/**
 * The one HTTP stack of every action: node:http(s) (no fetch: its first use loads undici,
 * and it cannot present a client certificate), a user agent, timeouts for the response
 * headers and for the whole answer, and retries of connection failures, 408/425/429 and 5xx
 * with capped backoff + jitter, honouring Retry-After. The Kubernetes client
 * (shared/kube/client.ts) is this client with an agent for the cluster's TLS and auth headers.
 */





const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
/** A URL safe to print: no credentials, no query string (it may hold signatures). */
function redactUrl(url) {
    try {
        const u = new URL(url);
        u.username = '';
        u.password = '';
        const hadQuery = u.search !== '';
        u.search = '';
        return u.toString() + (hadQuery ? '?…' : '');
    }
    catch {
        return '<invalid url>';
    }
}
function snippet(body) {
    const text = body.replace(/\s+/g, ' ').trim();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
function headerOf(headers) {
    return (name) => {
        const v = headers[name.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
    };
}
/** A retryable answer, carried through withRetry until the attempts run out. */
class RetryableAnswer extends Error {
    response;
    constructor(response) {
        super(`HTTP ${response.status}`);
        this.response = response;
    }
}
function readBody(res) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('connection closed mid-answer')));
    });
}
function createHttpClient(options = {}) {
    const clock = options.clock ?? systemClock;
    const totalTimeoutMs = options.timeoutMs ?? 30_000;
    const retryTimeouts = options.retryTimeouts ?? true;
    /**
     * One exchange: resolves with the answer stream once headers arrive. `totalMs` bounds the
     * whole answer (undefined for streams: a watch is bounded by its signal).
     */
    async function open(req, totalMs) {
        const method = req.method ?? 'GET';
        const printable = redactUrl(req.url);
        const url = new URL(req.url);
        const auth = options.authHeaders ? await options.authHeaders() : {};
        const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
        const headersMs = Math.min(options.connectTimeoutMs ?? Infinity, totalMs ?? Infinity);
        const mod = url.protocol === 'https:' ? https : http;
        const agent = url.protocol === 'https:' ? options.agent?.() : undefined;
        return new Promise((resolve, reject) => {
            const timeoutError = (ms, connect) => new HttpError(method, printable, undefined, connect && options.connectTimeoutMs !== undefined && ms === options.connectTimeoutMs
                ? `no answer within ${ms} ms (connect timeout)`
                : `no answer within ${ms} ms`, '', { timedOut: true });
            const outgoing = mod.request(url, {
                method,
                ...(agent ? { agent } : {}),
                headers: {
                    ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
                    ...auth,
                    ...req.headers,
                    ...(body === undefined ? {} : { 'content-length': body.byteLength }),
                },
                ...(req.signal ? { signal: req.signal } : {}),
            });
            const timers = [];
            const clear = () => timers.forEach(clearTimeout);
            if (Number.isFinite(headersMs)) {
                timers.push(setTimeout(() => outgoing.destroy(timeoutError(headersMs, true)), headersMs));
            }
            outgoing.on('response', (res) => {
                clear();
                if (totalMs !== undefined) {
                    const t = setTimeout(() => res.destroy(timeoutError(totalMs, false)), totalMs);
                    res.on('close', () => clearTimeout(t));
                }
                resolve(res);
            });
            outgoing.on('error', (error) => {
                clear();
                if (error instanceof HttpError || req.signal?.aborted) {
                    reject(error);
                    return;
                }
                const code = error.code;
                const tls = code !== undefined && TLS_ERROR.test(code);
                reject(new HttpError(method, printable, undefined, code ?? error.message, '', {
                    ...(code ? { code } : {}),
                    tls,
                }));
            });
            outgoing.end(body);
        });
    }
    async function attempt(req) {
        const method = req.method ?? 'GET';
        const totalMs = req.timeoutMs ?? totalTimeoutMs;
        const res = await open(req, totalMs);
        let text;
        try {
            text = await readBody(res);
        }
        catch (error) {
            if (error instanceof HttpError)
                throw error;
            const reason = res.errored ?? error;
            if (reason instanceof HttpError)
                throw reason;
            throw new HttpError(method, redactUrl(req.url), undefined, error.message);
        }
        const status = res.statusCode ?? 0;
        const response = {
            status,
            headers: res.headers,
            header: headerOf(res.headers),
            body: text,
            json() {
                return JSON.parse(text);
            },
        };
        if ((status >= 200 && status < 300) || req.okStatuses?.includes(status))
            return response;
        if (RETRYABLE_STATUSES.has(status))
            throw new RetryableAnswer(response);
        throw new HttpError(method, redactUrl(req.url), status, snippet(text) || `HTTP ${status}`, text);
    }
    return {
        async request(req) {
            const method = req.method ?? 'GET';
            const printable = redactUrl(req.url);
            try {
                return await withRetry(() => attempt(req), (error) => {
                    if (req.signal?.aborted)
                        return { retry: false };
                    if (error instanceof RetryableAnswer) {
                        const r = error.response;
                        const delayMs = parseRetryAfter(r.header('retry-after'), clock.now()) ??
                            options.retryAfterFromBody?.(r.body);
                        return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
                    }
                    // Connection-level failures (reset, refused) have no status; a certificate
                    // problem or (when asked) a silent server would only multiply the wait.
                    if (!(error instanceof HttpError) || error.status !== undefined)
                        return { retry: false };
                    if (error.tls)
                        return { retry: false };
                    return { retry: retryTimeouts || !error.timedOut };
                }, {
                    clock,
                    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
                    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
                    ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
                    ...(options.random ? { random: options.random } : {}),
                    onRetry: (error, n, delayMs) => options.onRetry?.(`${req.label ?? `${method} ${printable}`}: ${error instanceof HttpError ? (error.detail ?? error.message) : error instanceof Error ? error.message : 'error'}; retry ${n} in ${delayMs} ms`),
                });
            }
            catch (error) {
                if (error instanceof RetryableAnswer) {
                    const r = error.response;
                    throw new HttpError(method, printable, r.status, `${snippet(r.body) || 'no body'} (gave up after retries)`, r.body, { retriesExhausted: true });
                }
                throw error;
            }
        },
        async stream(req) {
            const res = await open(req, undefined);
            return { status: res.statusCode ?? 0, header: headerOf(res.headers), body: res };
        },
    };
}

// EXTERNAL MODULE: ./.build/shared/inputs.js
var inputs = __webpack_require__(7393);
;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/api.js
/**
 * What the action needs from GitHub, as an interface: run.ts is plain logic over it, and the
 * Octokit implementation (octokit.ts, loaded only after the inputs validate) is the one place
 * that knows about REST paths, GraphQL and pagination.
 */

/** A GitHub API error, with what the caller needs to decide between warning and failing. */
class GitHubApiError extends errors/* HttpError */.j$ {
    name = 'GitHubApiError';
    /** A primary or secondary rate limit (403/429 with rate-limit headers or message). */
    rateLimited;
    constructor(method, url, status, detail, rateLimited, facts = {}) {
        super(method, url, status, detail, '', facts);
        this.rateLimited = rateLimited;
    }
}
/**
 * A 403 that is not a rate limit: the token may read but not write — the GITHUB_TOKEN of a
 * pull request from a fork, or a workflow without `pull-requests: write`.
 */
function isReadOnlyToken(error) {
    return error instanceof GitHubApiError && error.status === 403 && !error.rateLimited;
}

;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/octokit.js
/**
 * CommentsApi over Octokit (@actions/github: proxy-aware fetch, GITHUB_API_URL for GitHub
 * Enterprise Server) with the retry plugin (5xx) and the throttling plugin (primary and
 * secondary rate limits, Retry-After, spaced writes). Every request carries one signal that
 * aborts at the step's deadline or on cancellation, and a rate-limit wait is taken only when
 * it ends before the deadline: no wait is unbounded.
 */







const USER_AGENT = 'mlops-actions/pr-deploy-comment';
const MAX_RATE_LIMIT_RETRIES = 3;
function toComment(c) {
    return {
        id: c.id,
        nodeId: c.node_id,
        body: c.body ?? '',
        htmlUrl: c.html_url,
        createdAt: c.created_at,
        minimized: c.minimized != null,
    };
}
/** Octokit's RequestError (or a fetch failure) as a GitHubApiError naming method, URL and status. */
function wrapError(error, fallback) {
    if (error instanceof GitHubApiError)
        return error;
    if (typeof error !== 'object' || error === null)
        return error;
    const e = error;
    const method = e.request?.method ?? fallback.method;
    const url = redactUrl(e.request?.url ?? fallback.url);
    const status = typeof e.status === 'number' && e.status > 0 ? e.status : undefined;
    const headers = e.response?.headers ?? {};
    const message = (e.message ?? 'request failed').split(' - https://docs.github.com')[0] ?? '';
    const rateLimited = headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message) || status === 429;
    const timedOut = e.name === 'AbortError' || e.name === 'TimeoutError';
    return new GitHubApiError(method, url, status, message, rateLimited, timedOut ? { timedOut } : {});
}
function abortError(signal) {
    const error = new Error(`aborted (${String(signal.reason)})`);
    error.name = 'AbortError';
    return error;
}
function createOctokitApi(o) {
    const now = o.now ?? Date.now;
    const Client = utils/* GitHub */.gq.plugin(dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
    const fitsDeadline = (retryAfterSeconds) => now() + retryAfterSeconds * 1000 < o.deadline && !o.signal.aborted;
    const onLimit = (kind) => (retryAfter, options, _, retryCount) => {
        const what = `${options.method ?? 'GET'} ${options.url ?? ''}`;
        if (retryCount < MAX_RATE_LIMIT_RETRIES && fitsDeadline(retryAfter)) {
            o.logger.warning(`GitHub ${kind} on ${what}: retrying in ${retryAfter}s.`);
            return true;
        }
        o.logger.warning(`GitHub ${kind} on ${what}: not retrying (${retryCount} retries so far; waiting ${retryAfter}s would pass the timeout).`);
        return false;
    };
    // Octokit retries a failed fetch as if it were a 500 unless it is an AbortError: once the
    // step's signal has fired (deadline or cancellation), say AbortError so nothing retries.
    const baseFetch = utils/* defaults */.NT.request?.fetch ?? fetch;
    const abortableFetch = async (input, init) => {
        try {
            return await baseFetch(input, init);
        }
        catch (error) {
            if (!o.signal.aborted)
                throw error;
            throw abortError(o.signal);
        }
    };
    const octokit = new Client((0,utils/* getOctokitOptions */.EG)(o.token, {
        baseUrl: o.baseUrl.replace(/\/+$/, ''),
        userAgent: USER_AGENT,
        // Keep @actions/github's proxy-aware fetch: options replace the defaults' request object.
        request: { ...utils/* defaults */.NT.request, fetch: abortableFetch, signal: o.signal },
        retry: { retries: 3 },
        throttle: {
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
        },
        log: {
            debug: (m) => o.logger.debug(m),
            info: (m) => o.logger.debug(m),
            warn: (m) => o.logger.debug(m),
            error: (m) => o.logger.debug(m),
        },
    }));
    // Outermost: a retry's back-off (the plugins sleep between attempts) ends at the signal too,
    // so no wait outlives the step's timeout.
    octokit.hook.wrap('request', (request, options) => {
        if (o.signal.aborted)
            return Promise.reject(abortError(o.signal));
        return new Promise((resolve, reject) => {
            const onAbort = () => reject(abortError(o.signal));
            o.signal.addEventListener('abort', onAbort, { once: true });
            Promise.resolve(request(options))
                .then(resolve, reject)
                .finally(() => o.signal.removeEventListener('abort', onAbort));
        });
    });
    const repo = { owner: o.owner, repo: o.repo };
    const call = async (method, route, fn) => {
        try {
            return await fn();
        }
        catch (error) {
            const url = redactUrl(`${o.baseUrl}${route}`);
            if (o.signal.aborted) {
                // Octokit reports an aborted fetch as HTTP 500: say what really happened.
                const reason = o.signal.reason;
                if (reason instanceof Error && reason.name === 'TimeoutError') {
                    throw new GitHubApiError(method, url, undefined, `no answer within the step's timeout (${(0,inputs/* formatDuration */.a3)(o.timeoutMs)}); raise 'timeout' if GitHub is slow`, false, { timedOut: true });
                }
                throw (0,errors/* cancellation */.WN)(o.signal, `${method} ${url}`);
            }
            throw wrapError(error, { method, url });
        }
    };
    return {
        async listComments(issue, since) {
            const route = `/repos/${o.owner}/${o.repo}/issues/${issue}/comments`;
            const comments = await call('GET', route, () => octokit.paginate(octokit.rest.issues.listComments, {
                ...repo,
                issue_number: issue,
                per_page: 100,
                ...(since ? { since } : {}),
            }));
            return comments.map((c) => toComment(c)).sort((a, b) => a.id - b.id);
        },
        async createComment(issue, body) {
            const route = `/repos/${o.owner}/${o.repo}/issues/${issue}/comments`;
            const { data } = await call('POST', route, () => octokit.rest.issues.createComment({ ...repo, issue_number: issue, body }));
            return toComment(data);
        },
        async updateComment(id, body) {
            const route = `/repos/${o.owner}/${o.repo}/issues/comments/${id}`;
            const { data } = await call('PATCH', route, () => octokit.rest.issues.updateComment({ ...repo, comment_id: id, body }));
            return toComment(data);
        },
        async deleteComment(id) {
            const route = `/repos/${o.owner}/${o.repo}/issues/comments/${id}`;
            try {
                await call('DELETE', route, () => octokit.rest.issues.deleteComment({ ...repo, comment_id: id }));
                return true;
            }
            catch (error) {
                if (error instanceof GitHubApiError && error.status === 404)
                    return false;
                throw error;
            }
        },
        async minimizeComment(nodeId) {
            const result = await call('POST', '/graphql', () => octokit.graphql(`mutation($input: MinimizeCommentInput!) {
  minimizeComment(input: $input) { minimizedComment { isMinimized minimizedReason } }
}`, { input: { subjectId: nodeId, classifier: 'OUTDATED' } }));
            if (!result.minimizeComment.minimizedComment?.isMinimized) {
                throw new GitHubApiError('POST', '/graphql', 200, `comment ${nodeId} was not minimized`, false);
            }
        },
        async pullRequestsOfCommit(sha) {
            const route = `/repos/${o.owner}/${o.repo}/commits/${sha}/pulls`;
            const { data } = await call('GET', route, () => octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha }));
            return data.map((pr) => ({
                number: pr.number,
                state: pr.state,
                headRef: pr.head.ref,
                headSha: pr.head.sha,
            }));
        },
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/pull-request.js
/**
 * Which pull request to comment on: `pr-number`, else the event's (pull_request,
 * pull_request_target, issue_comment on a PR), else — on push and other events that carry no
 * PR — the open PR whose head is the commit. None is a normal outcome, not an error.
 */

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);
/** Reads GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH; a missing file is an empty payload. */
function readEvent(env) {
    const name = env.GITHUB_EVENT_NAME ?? '';
    let payload = {};
    if (env.GITHUB_EVENT_PATH) {
        try {
            payload = JSON.parse((0,external_node_fs_.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        }
        catch {
            payload = {};
        }
    }
    if (PR_EVENTS.has(name)) {
        const number = payload.pull_request?.number ?? payload.number;
        const headSha = payload.pull_request?.head?.sha;
        return {
            name,
            ...(number ? { number } : {}),
            isPullRequest: true,
            ...(headSha ? { headSha } : {}),
        };
    }
    if (name === 'issue_comment' && payload.issue?.number) {
        return {
            name,
            number: payload.issue.number,
            isPullRequest: payload.issue.pull_request != null,
        };
    }
    return { name, isPullRequest: false };
}
async function resolvePullRequest(prNumber, event, sha, ref, api) {
    if (prNumber !== undefined)
        return { found: true, number: prNumber, source: "input 'pr-number'" };
    if (event.number !== undefined && event.isPullRequest) {
        return {
            found: true,
            number: event.number,
            source: `the ${event.name} event`,
            ...(event.headSha ? { headSha: event.headSha } : {}),
        };
    }
    if (event.name === 'issue_comment') {
        return {
            found: false,
            reason: `the comment that triggered this run is on issue #${event.number ?? '?'}, not a pull request`,
        };
    }
    if (!sha)
        return {
            found: false,
            reason: `the ${event.name || 'unknown'} event names no pull request and GITHUB_SHA is not set`,
        };
    const open = (await api.pullRequestsOfCommit(sha)).filter((pr) => pr.state === 'open');
    const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
    // Several open PRs can contain a commit: prefer the one whose head is this branch and commit.
    const best = open.find((pr) => pr.headSha === sha && pr.headRef === branch) ??
        open.find((pr) => pr.headRef === branch) ??
        open.find((pr) => pr.headSha === sha) ??
        open[0];
    if (!best) {
        return {
            found: false,
            reason: `no open pull request is associated with commit ${sha.slice(0, 7)}`,
        };
    }
    return {
        found: true,
        number: best.number,
        source: `the open pull request of commit ${sha.slice(0, 7)}`,
        headSha: sha,
    };
}

// EXTERNAL MODULE: ./.build/actions/pr-deploy-comment/metrics.js
var pr_deploy_comment_metrics = __webpack_require__(1182);
;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/render.js
/**
 * The comment: a hidden marker that finds it again, a status line, a compact facts table,
 * metrics, and the user's body. Kept under GitHub's 65,536-character limit: the free-form
 * parts are cut first (with a note pointing at the job summary, which has everything).
 */


/** GitHub rejects longer comment bodies (422 "body is too long (maximum is 65536 characters)"). */
const GITHUB_COMMENT_LIMIT = 65_536;
/** Room left for the marker and the notes added after rendering. */
const BUDGET = GITHUB_COMMENT_LIMIT - 1_536;
function markerOf(key) {
    return `<!-- mlops-actions/pr-deploy-comment key="${key}" -->`;
}
/**
 * What a hidden comment's marker becomes: it is no longer found as the sticky comment, also
 * on servers whose REST API does not report `minimized` (GitHub Enterprise Server before it).
 */
function supersededMarkerOf(key) {
    return `<!-- mlops-actions/pr-deploy-comment superseded key="${key}" -->`;
}
/** Starts each update in an `append` comment: the oldest are dropped first when it grows too long. */
const SECTION_MARK = '<!-- mlops-actions/pr-deploy-comment section -->';
const HEADLINE = {
    success: { emoji: '✅', text: (env) => `Deployed${env}` },
    failure: { emoji: '❌', text: (env) => `Deployment${env} failed` },
    'in-progress': { emoji: '⏳', text: (env) => `Deploying${env}…` },
    'rolled-back': { emoji: '↩️', text: (env) => `Deployment${env} rolled back` },
    cancelled: { emoji: '⚠️', text: (env) => `Deployment${env} cancelled` },
};
function headline(status, environment) {
    const h = HEADLINE[status];
    return `${h.emoji} ${h.text(environment ? ` to \`${environment}\`` : '')}`;
}
function shortDigest(digest) {
    return digest.slice(0, 'sha256:'.length + 12);
}
/** A URL as a Markdown link target: a parenthesis would end `](…)` early. */
function linkTarget(url) {
    return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}
function timestamp(now) {
    return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
/** Cuts Markdown at a line boundary to at most `max` characters, closing an open code fence. */
function truncateMarkdown(text, max, note) {
    if (text.length <= max)
        return text;
    const room = Math.max(0, max - note.length - 8);
    let cut = text.slice(0, room);
    const newline = cut.lastIndexOf('\n');
    if (newline > room / 2)
        cut = cut.slice(0, newline);
    const fences = cut.match(/^(`{3,}|~{3,})/gm) ?? [];
    const open = fences.length % 2 === 1 ? `\n${fences[fences.length - 1]}` : '';
    return `${cut}${open}\n\n${note}`;
}
/** Renders one deployment report, cut to fit `budget` characters. */
function renderSection(inputs, ctx, budget = BUDGET) {
    const rows = [];
    if (inputs.environment)
        rows.push(['Environment', `\`${inputs.environment}\``]);
    if (inputs.endpoint)
        rows.push(['Endpoint', `<${inputs.endpoint}>`]);
    if (inputs.image || inputs.digest) {
        const name = inputs.image ? `\`${inputs.image}\`` : '';
        const digest = inputs.digest ? `\`${shortDigest(inputs.digest)}…\`` : '';
        rows.push(['Image', [name, digest].filter(Boolean).join(' @ ')]);
    }
    if (ctx.commitSha) {
        const short = `\`${ctx.commitSha.slice(0, 7)}\``;
        rows.push([
            'Commit',
            ctx.repositoryUrl
                ? `[${short}](${linkTarget(`${ctx.repositoryUrl}/commit/${ctx.commitSha}`)})`
                : short,
        ]);
    }
    if (ctx.runUrl)
        rows.push(['Run', `[${ctx.runLabel ?? 'workflow run'}](${linkTarget(ctx.runUrl)})`]);
    rows.push(['Updated', timestamp(ctx.now)]);
    const head = [
        `### ${headline(inputs.status, inputs.environment)}`,
        '',
        (0,summary/* markdownTable */.Qj)(['', ''], rows),
    ];
    if (inputs.digest) {
        const full = inputs.image
            ? `${inputs.image.replace(/@sha256:[a-f0-9]{64}$/, '')}@${inputs.digest}`
            : inputs.digest;
        head.push('', (0,summary/* details */.zH)('Full image reference', (0,summary/* codeBlock */.DV)(full)));
    }
    const fixed = head.join('\n');
    const truncated = [];
    let metrics = inputs.metrics
        ? `#### Metrics${inputs.baseline ? ' (Δ against baseline)' : ''}\n\n${(0,pr_deploy_comment_metrics/* metricsTable */.sQ)(inputs.metrics, inputs.baseline)}`
        : '';
    let body = inputs.body ?? '';
    const note = (what) => `> ✂️ ${what} truncated: the comment would exceed GitHub's 65,536-character limit. The job summary${ctx.runUrl ? ` of [the run](${linkTarget(ctx.runUrl)})` : ''} has it in full.`;
    const size = () => fixed.length + metrics.length + body.length + 8;
    if (size() > budget) {
        body = truncateMarkdown(body, Math.max(0, budget - fixed.length - metrics.length - 8), note('Body'));
        truncated.push('body');
    }
    if (size() > budget) {
        metrics = truncateMarkdown(metrics, Math.max(0, budget - fixed.length - body.length - 8), note('Metrics'));
        truncated.push('metrics');
    }
    const section = [fixed, metrics, body].filter(Boolean).join('\n\n');
    return { section, truncated };
}
/** The whole comment for `upsert`/`recreate`: marker and one section. */
function commentBody(key, section) {
    return `${markerOf(key)}\n${section}\n`;
}
/**
 * The comment for `append`: the existing sections, then the new one; the oldest sections are
 * dropped (with a note) when the result would pass GitHub's limit.
 */
function appendSection(existing, key, section) {
    const marker = markerOf(key);
    const previous = (existing ?? '')
        .split(SECTION_MARK)
        .slice(1)
        .map((s) => s.replace(/\n*---\n*$/, '').trim())
        .filter((s) => s !== '' && !s.startsWith('> 🗑️'));
    const sections = [...previous, section.trim()];
    let dropped = 0;
    const build = () => {
        const note = dropped
            ? `\n> 🗑️ ${dropped} older update(s) removed to stay under GitHub's comment limit.\n`
            : '';
        return `${marker}${note}\n${sections.map((s) => `${SECTION_MARK}\n${s}`).join('\n\n---\n\n')}\n`;
    };
    while (build().length > GITHUB_COMMENT_LIMIT && sections.length > 1) {
        sections.shift();
        dropped += 1;
    }
    return build();
}

;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/run.js



/** The runner rejects a step summary over 1024 KiB: leave room for the footer. */
const SUMMARY_BUDGET = 900_000;
/** Why a 403 happened and what to do: the fork PR case is the common one. */
const READ_ONLY_ADVICE = "the token may not write pull-request comments. On a pull request from a fork, GITHUB_TOKEN is read-only: post the comment from a workflow_run workflow (or pull_request_target, without checking out the PR's code). Otherwise grant `permissions: pull-requests: write` to the job.";
function renderContext(inputs, env, now, commitSha) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const repository = env.GITHUB_REPOSITORY;
    const derivedRunUrl = repository && env.GITHUB_RUN_ID
        ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const runUrl = inputs.runUrl ?? derivedRunUrl;
    const label = [env.GITHUB_WORKFLOW, env.GITHUB_RUN_NUMBER ? `#${env.GITHUB_RUN_NUMBER}` : '']
        .filter(Boolean)
        .join(' ')
        // The label is a link's text: brackets would end it, backslashes escape.
        .replace(/[[\]\\]/g, '');
    return {
        now,
        ...(commitSha && /^[0-9a-f]{7,64}$/.test(commitSha) ? { commitSha } : {}),
        ...(repository ? { repositoryUrl: `${server}/${repository}` } : {}),
        ...(runUrl ? { runUrl } : {}),
        ...(label ? { runLabel: label } : {}),
    };
}
/**
 * `changes` is filled in as GitHub is changed, so a caller can report what happened also when
 * a later call fails.
 */
async function publishComment(inputs, deps, changes = { deleted: [], minimized: [] }) {
    const { api, logger, env } = deps;
    const event = readEvent(env);
    const choice = await resolvePullRequest(inputs.prNumber, event, env.GITHUB_SHA, env.GITHUB_REF, api).catch((error) => {
        if (isReadOnlyToken(error))
            return {
                found: false,
                reason: `cannot look up the commit's pull requests: ${error.detail}`,
            };
        throw error;
    });
    const headSha = choice.found ? choice.headSha : undefined;
    // On issue_comment, GITHUB_SHA is the default branch's head, not the PR's: show no commit
    // rather than a wrong one.
    const commit = headSha ?? (event.name === 'issue_comment' ? undefined : env.GITHUB_SHA);
    const context = renderContext(inputs, env, deps.now(), commit);
    const rendered = renderSection(inputs, context);
    const fullSection = rendered.truncated.length
        ? renderSection(inputs, context, SUMMARY_BUDGET).section
        : rendered.section;
    const result = (outcome) => ({ outcome, ...rendered, fullSection });
    if (!choice.found)
        return result({ kind: 'no-pull-request', reason: choice.reason });
    const pr = choice.number;
    const marker = markerOf(inputs.key);
    const isOurs = (c) => !c.minimized && c.body.startsWith(marker);
    const listedAt = deps.now().getTime();
    const existing = (await api.listComments(pr)).filter(isOurs);
    logger.info(`PR #${pr} (from ${choice.source}): ${existing.length} comment(s) with key "${inputs.key}".`);
    const remove = async (comments) => {
        for (const c of comments)
            if (await api.deleteComment(c.id))
                changes.deleted.push(c.id);
    };
    /**
     * After creating `mine`: list the key's comments again (only those updated since just before
     * the first listing: a racing job's comment is among them) and let the oldest win.
     */
    const settle = async (mine, merge, superseded) => {
        const created = Date.parse(mine.createdAt);
        const since = Number.isFinite(created)
            ? new Date(created - (deps.now().getTime() - listedAt) - 60_000).toISOString()
            : undefined;
        const fresh = (await api.listComments(pr, since)).filter((c) => isOurs(c) && !superseded.has(c.id));
        if (!fresh.some((c) => c.id === mine.id))
            fresh.push(mine);
        fresh.sort((a, b) => a.id - b.id);
        const winner = fresh[0] ?? mine;
        if (fresh.length > 1) {
            // A normal outcome of parallel jobs (a matrix), not a problem: info, not a warning.
            logger.info(`Another job posted key "${inputs.key}" at the same time: keeping comment ${winner.id} (the oldest), removing ${fresh
                .slice(1)
                .map((c) => c.id)
                .join(', ')}.`);
        }
        await remove(fresh.filter((c) => c.id !== winner.id));
        if (winner.id === mine.id)
            return mine;
        changes.created = undefined;
        const body = merge(winner.body);
        if (body === winner.body)
            return winner;
        const updated = await api.updateComment(winner.id, body);
        changes.updated = updated.id;
        return updated;
    };
    const body = commentBody(inputs.key, rendered.section);
    try {
        if (inputs.mode === 'upsert' || inputs.mode === 'append') {
            const [current, ...duplicates] = existing;
            const desired = inputs.mode === 'append'
                ? appendSection(current?.body, inputs.key, rendered.section)
                : body;
            // Deleted by someone between our listing and our edit: post it afresh instead.
            const updated = current && current.body !== desired
                ? await api.updateComment(current.id, desired).catch((error) => {
                    if (error instanceof GitHubApiError && error.status === 404)
                        return undefined;
                    throw error;
                })
                : current;
            if (current && updated) {
                const comment = updated;
                if (comment !== current)
                    changes.updated = comment.id;
                await remove(duplicates);
                const action = comment === current ? 'unchanged' : inputs.mode === 'append' ? 'appended' : 'updated';
                return result({ kind: 'posted', pr, prSource: choice.source, comment, action, changes });
            }
            const mine = await api.createComment(pr, inputs.mode === 'append' ? appendSection(undefined, inputs.key, rendered.section) : body);
            changes.created = mine.id;
            const merge = inputs.mode === 'append'
                ? (winnerBody) => appendSection(winnerBody, inputs.key, rendered.section)
                : () => body;
            const comment = await settle(mine, merge, new Set());
            return result({
                kind: 'posted',
                pr,
                prSource: choice.source,
                comment,
                action: 'created',
                changes,
            });
        }
        // recreate: the new comment first, so the PR never shows none; then the old ones go.
        const mine = await api.createComment(pr, body);
        changes.created = mine.id;
        try {
            for (const old of existing) {
                if (inputs.hidePrevious) {
                    await api.minimizeComment(old.nodeId);
                    changes.minimized.push(old.id);
                    await api.updateComment(old.id, supersededMarkerOf(inputs.key) + old.body.slice(marker.length));
                }
                else if (await api.deleteComment(old.id))
                    changes.deleted.push(old.id);
            }
        }
        catch (error) {
            // Leave the PR as it was rather than with two live comments: take ours back.
            await api.deleteComment(mine.id).catch(() => false);
            changes.created = undefined;
            throw error;
        }
        const comment = await settle(mine, () => body, new Set(existing.map((c) => c.id)));
        const action = existing.length ? 'recreated' : 'created';
        return result({ kind: 'posted', pr, prSource: choice.source, comment, action, changes });
    }
    catch (error) {
        if (isReadOnlyToken(error)) {
            return result({
                kind: 'read-only',
                pr,
                message: `${error.message}: ${READ_ONLY_ADVICE}`,
                changes,
            });
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/summary.js

function changeList(changes) {
    const out = [];
    if (changes.created !== undefined)
        out.push(`created comment ${changes.created}`);
    if (changes.updated !== undefined)
        out.push(`updated comment ${changes.updated}`);
    if (changes.deleted.length)
        out.push(`deleted ${changes.deleted.join(', ')}`);
    if (changes.minimized.length)
        out.push(`minimized ${changes.minimized.join(', ')} as outdated`);
    return out;
}
/** The job summary: the same report as the comment, then one line saying what changed on the PR. */
function commentSummary(result) {
    const o = result.outcome;
    let footer;
    if (o.kind === 'posted') {
        const changed = changeList(o.changes);
        footer = `${(0,summary/* statusEmoji */.H0)('info')} pr-deploy-comment: [comment ${o.comment.id}](${o.comment.htmlUrl}) on PR #${o.pr} ${o.action}${changed.length ? ` (${changed.join('; ')})` : ''}.`;
    }
    else if (o.kind === 'no-pull-request') {
        footer = `${(0,summary/* statusEmoji */.H0)('skipped')} pr-deploy-comment: no comment posted: ${o.reason}.`;
    }
    else {
        const changed = changeList(o.changes);
        footer = `${(0,summary/* statusEmoji */.H0)('warning')} pr-deploy-comment: no comment posted${o.pr ? ` on PR #${o.pr}` : ''}: ${o.message}${changed.length ? ` (before that: ${changed.join('; ')})` : ''}`;
    }
    const truncated = result.truncated.length
        ? `\n\n(Cut in the comment to fit GitHub's limit: ${result.truncated.join(' and ')}; shown in full here.)`
        : '';
    return `${result.fullSection}\n\n${footer}${truncated}\n`;
}

;// CONCATENATED MODULE: ./.build/actions/pr-deploy-comment/outputs.js








function repository(env) {
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    const part = /^[A-Za-z0-9-_.]+$/;
    if (!owner || !repo || rest.length > 0 || !part.test(owner) || !part.test(repo)) {
        throw new errors/* InputError */.dz(`GITHUB_REPOSITORY must be owner/repo (got "${env.GITHUB_REPOSITORY ?? ''}"): run this action in a GitHub Actions job.`);
    }
    return { owner, repo };
}
/** Runs the logic with the runner's dependencies and maps the result to outputs and the summary. */
async function main(inputs, signal) {
    coreLogger.secret(inputs.token);
    const env = process.env;
    const { owner, repo } = repository(env);
    const deadline = Date.now() + inputs.timeoutMs;
    const requestSignal = AbortSignal.any([signal, AbortSignal.timeout(inputs.timeoutMs)]);
    const api = createOctokitApi({
        token: inputs.token,
        owner,
        repo,
        baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
        logger: coreLogger,
        signal: requestSignal,
        deadline,
        timeoutMs: inputs.timeoutMs,
    });
    const changes = { deleted: [], minimized: [] };
    const result = await core/* group */.Os(`Publish the ${inputs.mode} comment "${inputs.key}"`, () => publishComment(inputs, { api, logger: coreLogger, env, now: () => new Date() }, changes))
        .catch(async (error) => {
        // The report still reaches the job summary: the deployment facts are not lost, and
        // whatever was changed on the PR before the failure is said.
        const { section } = renderSection(inputs, { now: new Date() });
        const changed = changeList(changes);
        await (0,summary/* writeSummary */.Sy)(`${section}\n\n❌ pr-deploy-comment: the comment was not published: ${(0,errors/* errorMessage */.gJ)(error)}\n\n${changed.length ? `Changed before the failure: ${changed.join('; ')}.` : 'Nothing was changed on the pull request.'}\n`);
        throw error;
    });
    const o = result.outcome;
    if (o.kind === 'posted') {
        core/* setOutput */.uH('comment-id', String(o.comment.id));
        core/* setOutput */.uH('comment-url', o.comment.htmlUrl);
        core/* info */.pq(`Comment ${o.comment.id} ${o.action}: ${o.comment.htmlUrl}`);
    }
    else {
        core/* setOutput */.uH('comment-id', '');
        core/* setOutput */.uH('comment-url', '');
        if (o.kind === 'no-pull-request')
            core/* notice */.lm(`pr-deploy-comment: no comment posted: ${o.reason}.`);
        else
            core/* warning */.$e(`pr-deploy-comment: no comment posted: ${o.message}`);
    }
    await (0,summary/* writeSummary */.Sy)(commentSummary(result));
}


/***/ })

};
