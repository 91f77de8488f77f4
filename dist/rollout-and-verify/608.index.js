export const id = 608;
export const ids = [608];
export const modules = {

/***/ 608:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// UNUSED EXPORTS: PROGRESS_STATE

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./.build/shared/clock.js

const systemClock = {
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

// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_namespaceObject = /*#__PURE__*/__webpack_require__.t(external_node_http_, 2);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_namespaceObject = /*#__PURE__*/__webpack_require__.t(external_node_https_, 2);
// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./.build/shared/kubeconfig.js
/**
 * kubeconfig files: the typed shape (the fields kubectl and @kubernetes/client-node read),
 * a builder for the one-cluster/one-user/one-context files setup-cluster-auth writes, a
 * parser that validates a user-supplied file without echoing it, and a writer that creates
 * the file 0600. Used by setup-cluster-auth (writes) and rollout-and-verify (reads).
 */




const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';
/** A kubeconfig with one cluster, one user and one context, selected as current. */
function singleClusterKubeconfig(o) {
    const cluster = { server: o.server };
    if (o.caData)
        cluster['certificate-authority-data'] = o.caData;
    return {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: o.name, cluster }],
        users: [{ name: o.name, user: o.user }],
        contexts: [
            {
                name: o.context,
                context: {
                    cluster: o.name,
                    user: o.name,
                    ...(o.namespace ? { namespace: o.namespace } : {}),
                },
            },
        ],
        'current-context': o.context,
        preferences: {},
    };
}
function serializeKubeconfig(config) {
    return stringify(config, { lineWidth: 0 });
}
/** Writes a kubeconfig 0600 (also when the file existed with wider permissions). */
async function writeKubeconfig(file, config) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, serializeKubeconfig(config), { mode: 0o600 });
    await chmod(file, 0o600);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function namedList(config, key, field) {
    const list = config[key] ?? [];
    if (!Array.isArray(list) ||
        !list.every((e) => isRecord(e) && typeof e.name === 'string' && isRecord(e[field]))) {
        throw new errors/* InputError */.dz(`the kubeconfig's '${key}' must be a list of {name, ${field}} entries`);
    }
    return list;
}
/**
 * Parses and checks kubeconfig text (never quoting it: it holds credentials). The result
 * has the three lists, each entry named; the caller selects a context.
 */
function parseKubeconfig(text, what = 'kubeconfig') {
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text, { prettyErrors: false });
    }
    catch (error) {
        const line = error.linePos?.[0]?.line;
        throw new errors/* InputError */.dz(`${what} is not valid YAML${line ? ` (problem at line ${line})` : ''}`);
    }
    if (!isRecord(doc) || (doc.kind !== undefined && doc.kind !== 'Config')) {
        throw new errors/* InputError */.dz(`${what} is not a kubeconfig (expected a YAML mapping with kind: Config)`);
    }
    namedList(doc, 'clusters', 'cluster');
    namedList(doc, 'users', 'user');
    const contexts = namedList(doc, 'contexts', 'context');
    if (contexts.length === 0)
        throw new errors/* InputError */.dz(`${what} has no contexts`);
    return {
        ...doc,
        apiVersion: 'v1',
        kind: 'Config',
        clusters: (doc.clusters ?? []),
        users: (doc.users ?? []),
        contexts: contexts,
        'current-context': typeof doc['current-context'] === 'string' ? doc['current-context'] : '',
    };
}
/**
 * Selects `context` (default: current-context) and optionally sets its namespace. Throws
 * InputError naming the available contexts when it is missing, or when it points at a
 * cluster or user that the file does not define.
 */
function selectContext(config, context, namespace) {
    const names = config.contexts.map((c) => c.name);
    const wanted = context ?? config['current-context'];
    if (!wanted) {
        throw new errors/* InputError */.dz(`the kubeconfig has no current-context: set input 'context' to one of ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    const entry = config.contexts.find((c) => c.name === wanted);
    if (!entry) {
        throw new errors/* InputError */.dz(`context '${wanted}' is not in the kubeconfig; it has ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    const cluster = config.clusters.find((c) => c.name === entry.context.cluster);
    if (!cluster || typeof cluster.cluster.server !== 'string') {
        throw new errors/* InputError */.dz(`context '${wanted}' refers to cluster '${entry.context.cluster}', which has no server in the kubeconfig`);
    }
    if (!config.users.some((u) => u.name === entry.context.user)) {
        throw new errors/* InputError */.dz(`context '${wanted}' refers to user '${entry.context.user}', which the kubeconfig does not define`);
    }
    const contexts = config.contexts.map((c) => c.name === wanted && namespace ? { ...c, context: { ...c.context, namespace } } : c);
    return {
        config: { ...config, contexts, 'current-context': wanted },
        context: wanted,
        server: cluster.cluster.server,
    };
}
const SECRET_USER_FIELDS = [
    'token',
    'client-key-data',
    'client-certificate-data',
    'password',
];
/** Every credential-like value of a kubeconfig, to be masked before anything is logged. */
function kubeconfigSecrets(config) {
    const values = [];
    for (const { user } of config.users) {
        for (const field of SECRET_USER_FIELDS) {
            const v = user[field];
            if (typeof v === 'string' && v)
                values.push(v);
        }
        for (const e of user.exec?.env ?? [])
            if (e.value)
                values.push(e.value);
    }
    for (const { cluster } of config.clusters) {
        const ca = cluster['certificate-authority-data'];
        if (typeof ca === 'string' && ca)
            values.push(ca);
    }
    return values;
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
function parseRetryAfter(value, now = Date.now()) {
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
async function withRetry(fn, classify, opts = {}) {
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

;// CONCATENATED MODULE: ./.build/shared/kube.js
/**
 * A small Kubernetes REST client for actions that talk to a cluster.
 *
 * Authentication and TLS: static credentials (token, token file, client certificate and key,
 * CA, basic auth) are applied directly; users that need more (exec plugins such as
 * setup-cluster-auth's exec mode, auth providers, proxies) go through
 * `@kubernetes/client-node`'s KubeConfig, loaded by dynamic import only then (its 19 MB chunk
 * costs ~10 ms at process exit and more at start). Requests go through node:http(s) so that every request:
 *  - has a connect timeout (an API server that does not answer fails with a clear error
 *    instead of hanging) and a request timeout;
 *  - retries connection errors, 429 and 5xx with capped backoff + jitter, honouring
 *    Retry-After (shared/retry.ts);
 *  - fails with a KubeApiError that names the verb, resource and namespace (401/403 say
 *    what to fix).
 * `watch()` streams watch events line by line and reports how the stream ended so callers can
 * resume from the last resourceVersion (and re-list on 410 Gone).
 */









/** A non-2xx answer from the API server (after retries), or no answer at all (status undefined). */
class KubeApiError extends Error {
    name = 'KubeApiError';
    status;
    reason;
    target;
    constructor(message, status, reason, target) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.target = target;
    }
}
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const VERBS = {
    GET: 'get',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
};
/** `/apis/apps/v1/namespaces/ns/deployments/web` → verb, resource, namespace, name. */
function describeTarget(method, path, query = {}) {
    const parts = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
    // core: api/v1/...; groups: apis/<group>/<version>/...
    const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
    const group = parts[0] === 'apis' ? parts[1] : '';
    let namespace;
    let i = 0;
    if (rest[0] === 'namespaces' && rest.length > 2) {
        namespace = rest[1];
        i = 2;
    }
    const plural = rest[i] ?? (parts.at(-1) || 'version');
    const name = rest[i + 1];
    const sub = rest[i + 2];
    const resource = `${plural}${group ? `.${group}` : ''}${sub ? `/${sub}` : ''}`;
    let verb = VERBS[method] ?? method.toLowerCase();
    if (method === 'GET' && !name)
        verb = query.watch ? 'watch' : 'list';
    return {
        verb,
        resource,
        ...(namespace ? { namespace } : {}),
        ...(name ? { name } : {}),
    };
}
function targetText(t) {
    return `${t.verb} ${t.resource}${t.name ? ` "${t.name}"` : ''}${t.namespace ? ` in namespace "${t.namespace}"` : ''}`;
}
function parseStatus(body) {
    try {
        const parsed = JSON.parse(body);
        return typeof parsed === 'object' && parsed !== null ? parsed : {};
    }
    catch {
        return {};
    }
}
class Retryable extends Error {
    delayMs;
    status;
    /** No answer at all within the timeout: not retried (a silent server would multiply the wait). */
    timedOut;
    constructor(message, status, delayMs, timedOut = false) {
        super(message);
        this.status = status;
        this.delayMs = delayMs;
        this.timedOut = timedOut;
    }
}
function apiError(server, status, body, target) {
    const s = parseStatus(body);
    const detail = (s.message ?? body.replace(/\s+/g, ' ').slice(0, 300)) || `HTTP ${status}`;
    const what = targetText(target);
    if (status === 401) {
        return new KubeApiError(`the API server ${server} rejected the credentials (401 Unauthorized) while trying to ${what}: the kubeconfig's token or client certificate is missing, wrong or expired — re-run setup-cluster-auth or refresh the kubeconfig`, status, s.reason, target);
    }
    if (status === 403) {
        return new KubeApiError(`permission denied (403 Forbidden): cannot ${what}; grant the verb "${target.verb}" on "${target.resource}"${target.namespace ? ` in namespace "${target.namespace}"` : ''} (Role/ClusterRole + binding). API server said: ${detail}`, status, s.reason, target);
    }
    return new KubeApiError(`${what} failed (HTTP ${status}${s.reason ? ` ${s.reason}` : ''}): ${detail}`, status, s.reason, target);
}
/**
 * Request options for a kubeconfig user with static credentials, or undefined when the
 * user needs @kubernetes/client-node (exec plugin, auth provider, proxy).
 */
async function staticAuthOptions(config, contextName, kubeconfigPath) {
    const ctx = config.contexts.find((c) => c.name === contextName)?.context;
    const cluster = config.clusters.find((c) => c.name === ctx?.cluster)?.cluster;
    const user = config.users.find((u) => u.name === ctx?.user)?.user ?? {};
    if (!cluster || user.exec || user['auth-provider'] || cluster['proxy-url'])
        return undefined;
    const dir = external_node_path_.dirname(kubeconfigPath);
    const file = async (key) => {
        const v = user[key] ?? cluster[key];
        return typeof v === 'string' && v ? (0,external_node_fs_promises_.readFile)(external_node_path_.resolve(dir, v)) : undefined;
    };
    const data = (v) => typeof v === 'string' && v ? Buffer.from(v, 'base64') : undefined;
    const ca = data(cluster['certificate-authority-data']) ?? (await file('certificate-authority'));
    const cert = data(user['client-certificate-data']) ?? (await file('client-certificate'));
    const key = data(user['client-key-data']) ?? (await file('client-key'));
    const tokenFile = typeof user.tokenFile === 'string' ? user.tokenFile : undefined;
    const headers = {};
    if (user.username && user.password) {
        headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    }
    const tls = {
        keepAlive: true,
        ...(ca ? { ca } : {}),
        ...(cert ? { cert } : {}),
        ...(key ? { key } : {}),
        ...(cluster['insecure-skip-tls-verify'] === true ? { rejectUnauthorized: false } : {}),
        ...(typeof cluster['tls-server-name'] === 'string'
            ? { servername: cluster['tls-server-name'] }
            : {}),
    };
    const agent = new external_node_https_.Agent(tls);
    let token = user.token;
    if (!token && tokenFile)
        token = (await (0,external_node_fs_promises_.readFile)(external_node_path_.resolve(dir, tokenFile), 'utf8')).trim();
    if (token)
        headers.authorization = `Bearer ${token}`;
    return () => ({ agent, headers: { ...headers } });
}
/**
 * Loads the kubeconfig (validating it and masking every credential before anything can be
 * logged), then returns a client for its current (or given) context.
 */
async function createKubeClient(options) {
    let text;
    try {
        text = await (0,external_node_fs_promises_.readFile)(options.kubeconfigPath, 'utf8');
    }
    catch (error) {
        throw new errors/* InputError */.dz(`cannot read the kubeconfig ${options.kubeconfigPath}: ${error.code ?? String(error)}`);
    }
    const parsed = parseKubeconfig(text, `the kubeconfig ${options.kubeconfigPath}`);
    for (const secret of kubeconfigSecrets(parsed))
        options.logger.secret(secret);
    const selected = selectContext(parsed, options.context);
    const contextEntry = selected.config.contexts.find((c) => c.name === selected.context);
    const server = selected.server.replace(/\/+$/, '');
    const clock = options.clock ?? systemClock;
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    const user = contextEntry?.context.user ?? '';
    const userAgent = options.userAgent ?? 'mlops-actions';
    const staticAuth = await staticAuthOptions(selected.config, selected.context, options.kubeconfigPath);
    let clientNode;
    /**
     * TLS and credentials for one request. Static credentials (token, token file, client
     * certificate, CA) are applied here; anything dynamic (exec plugins, auth providers,
     * proxies) goes through @kubernetes/client-node's KubeConfig, loaded only then.
     */
    async function authOptions() {
        if (staticAuth)
            return staticAuth();
        clientNode ??= __webpack_require__.e(/* import() */ 857).then(__webpack_require__.bind(__webpack_require__, 3857)).then(({ KubeConfig }) => {
            const kc = new KubeConfig();
            kc.loadFromFile(options.kubeconfigPath);
            kc.setCurrentContext(selected.context);
            return (opts) => kc.applyToHTTPSOptions(opts);
        });
        const apply = await clientNode;
        const opts = {};
        await apply(opts);
        return opts;
    }
    function url(path, query = {}) {
        const u = new URL(server + path);
        for (const [k, v] of Object.entries(query))
            if (v !== undefined)
                u.searchParams.set(k, String(v));
        return u;
    }
    /** One HTTP exchange; resolves with the response stream once headers arrive. */
    async function open(method, u, headers, body, signal, totalTimeoutMs) {
        const auth = await authOptions();
        const mod = u.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_namespaceObject;
        return new Promise((resolve, reject) => {
            const req = mod.request(u, {
                ...auth,
                ...(u.protocol === 'https:' ? {} : { agent: undefined }),
                method,
                headers: {
                    ...(auth.headers ?? {}),
                    'user-agent': userAgent,
                    accept: 'application/json',
                    ...headers,
                    ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
                },
                ...(signal ? { signal } : {}),
            });
            const connectTimer = setTimeout(() => {
                req.destroy(new Retryable(`no answer from ${server} within ${connectTimeoutMs} ms (connect timeout): is the API server reachable from this runner?`, undefined, undefined, true));
            }, connectTimeoutMs);
            const totalTimer = totalTimeoutMs === undefined
                ? undefined
                : setTimeout(() => req.destroy(new Retryable(`no complete answer from ${server} within ${totalTimeoutMs} ms`, undefined, undefined, true)), totalTimeoutMs);
            req.on('response', (res) => {
                clearTimeout(connectTimer);
                res.on('close', () => clearTimeout(totalTimer));
                resolve(res);
            });
            req.on('error', (error) => {
                clearTimeout(connectTimer);
                clearTimeout(totalTimer);
                if (error instanceof Retryable || signal?.aborted)
                    reject(error);
                else {
                    const code = error.code;
                    const tlsProblem = code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/.test(code);
                    if (tlsProblem) {
                        reject(new KubeApiError(`TLS connection to ${server} failed (${code}): check the kubeconfig's certificate-authority-data`, undefined, undefined, { verb: method, resource: u.pathname }));
                    }
                    else
                        reject(new Retryable(`${code ?? error.message} connecting to ${server}`, undefined));
                }
            });
            req.end(body);
        });
    }
    function readBody(res) {
        return new Promise((resolve, reject) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
            res.on('error', reject);
            res.on('aborted', () => reject(new Retryable('connection closed mid-answer', undefined)));
        });
    }
    async function request(req) {
        const target = {
            ...describeTarget(req.method, req.path, req.query),
            ...req.target,
        };
        const body = req.body === undefined
            ? undefined
            : typeof req.body === 'string'
                ? req.body
                : JSON.stringify(req.body);
        const headers = body
            ? { 'content-type': req.contentType ?? 'application/json' }
            : {};
        const u = url(req.path, req.query);
        let last;
        try {
            return await withRetry(async () => {
                const res = await open(req.method, u, headers, body, undefined, requestTimeoutMs);
                const text = await readBody(res);
                const status = res.statusCode ?? 0;
                if ((status >= 200 && status < 300) || req.okStatuses?.includes(status)) {
                    return {
                        status,
                        body: text,
                        json() {
                            return JSON.parse(text);
                        },
                    };
                }
                if (RETRYABLE.has(status)) {
                    const header = res.headers['retry-after'];
                    const delay = parseRetryAfter(Array.isArray(header) ? header[0] : header, clock.now());
                    const s = parseStatus(text);
                    throw new Retryable(`HTTP ${status}${s.message ? `: ${s.message}` : ''}`, status, delay ?? (s.details?.retryAfterSeconds ?? 0) * 1000);
                }
                throw apiError(server, status, text, target);
            }, (error) => {
                if (!(error instanceof Retryable))
                    return { retry: false };
                last = error;
                if (error.timedOut)
                    return { retry: false };
                return error.delayMs ? { retry: true, delayMs: error.delayMs } : { retry: true };
            }, {
                clock,
                attempts: options.attempts ?? 6,
                baseDelayMs: options.baseDelayMs ?? 250,
                maxDelayMs: options.maxDelayMs ?? 5_000,
                onRetry: (error, attempt, delayMs) => options.logger.info(`Kubernetes API: ${targetText(target)}: ${error.message}; retry ${attempt} in ${delayMs} ms`),
            });
        }
        catch (error) {
            if (error instanceof Retryable) {
                const e = last ?? error;
                throw new KubeApiError(e.timedOut
                    ? `cannot ${targetText(target)}: ${e.message}`
                    : `${targetText(target)} at ${server} failed${e.status ? ` with HTTP ${e.status}` : ''} after retries: ${e.message}`, e.status, undefined, target);
            }
            throw error;
        }
    }
    async function watch(path, query, onEvent, signal) {
        const u = url(path, { ...query, watch: true, allowWatchBookmarks: true });
        let res;
        try {
            res = await open('GET', u, {}, undefined, signal, undefined);
        }
        catch (error) {
            if (signal.aborted)
                return { reason: 'aborted' };
            return { reason: 'error', error: error };
        }
        const status = res.statusCode ?? 0;
        if (status === 410) {
            res.resume();
            return { reason: 'gone' };
        }
        if (status !== 200) {
            const text = await readBody(res).catch(() => '');
            if (RETRYABLE.has(status)) {
                return { reason: 'error', error: new Retryable(`watch: HTTP ${status}`, status) };
            }
            return {
                reason: 'error',
                error: apiError(server, status, text, describeTarget('GET', path, { watch: true })),
            };
        }
        return new Promise((resolve) => {
            let gone = false;
            const lines = (0,external_node_readline_.createInterface)({ input: res, crlfDelay: Infinity });
            lines.on('line', (line) => {
                if (!line.trim())
                    return;
                let event;
                try {
                    event = JSON.parse(line);
                }
                catch {
                    return;
                }
                if (event.type === 'ERROR') {
                    const code = event.object.code;
                    if (code === 410)
                        gone = true;
                    return;
                }
                onEvent(event);
            });
            let finished = false;
            const finish = () => {
                if (finished)
                    return;
                finished = true;
                lines.close();
                if (signal.aborted)
                    resolve({ reason: 'aborted' });
                else
                    resolve({ reason: gone ? 'gone' : 'closed' });
            };
            lines.on('close', finish);
            // A destroyed stream (abort, reset) emits 'close' but never 'end'.
            res.on('close', () => setImmediate(finish));
            // An aborted or reset stream ends the watch like a close: the caller resumes.
            lines.on('error', () => undefined);
            res.on('error', () => undefined);
        });
    }
    return {
        server,
        namespace: contextEntry?.context.namespace,
        user,
        request,
        async json(req) {
            return (await request(req)).json();
        },
        watch,
    };
}
/** True when a watch error is worth retrying (connection trouble, 5xx, 429). */
function isTransient(error) {
    return error instanceof Retryable;
}

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

;// CONCATENATED MODULE: ./.build/shared/summary.js

const EMOJI = {
    success: '✅',
    failure: '❌',
    warning: '⚠️',
    'in-progress': '⏳',
    skipped: '⏭️',
    info: 'ℹ️',
};
function summary_statusEmoji(status) {
    return EMOJI[status];
}
/** Escapes text for a Markdown table cell. */
function cell(text) {
    return String(text ?? '')
        .replace(/\|/g, '\\|')
        .replace(/\r?\n/g, '<br>');
}
function summary_markdownTable(headers, rows) {
    const head = `| ${headers.map(cell).join(' | ')} |`;
    const rule = `| ${headers.map(() => '---').join(' | ')} |`;
    const body = rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
    return [head, rule, ...body].join('\n');
}
function details(title, body) {
    return `<details><summary>${title}</summary>\n\n${body}\n\n</details>`;
}
function codeBlock(text, lang = '') {
    const fence = text.includes('```') ? '````' : '```';
    return `${fence}${lang}\n${text}\n${fence}`;
}
/** Appends Markdown to the job summary; a missing GITHUB_STEP_SUMMARY (local runs) is not an error. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    await core/* summary */.z.addRaw(markdown, true).write();
}

// EXTERNAL MODULE: ./.build/shared/inputs.js
var shared_inputs = __webpack_require__(7393);
;// CONCATENATED MODULE: ./.build/shared/files.js


const GLOB_CHARS = /[*?[\]{}]/;
/**
 * Expands files, directories and globs (one per pattern) relative to `cwd`.
 * Each pattern must match something: returns the patterns that matched nothing
 * separately so the caller can name them in one error.
 */
async function expandPatterns(patterns, cwd) {
    const seen = new Set();
    const matches = [];
    const unmatched = [];
    for (const pattern of patterns) {
        const found = [];
        if (GLOB_CHARS.test(pattern)) {
            for await (const entry of (0,external_node_fs_promises_.glob)(pattern, { cwd }))
                found.push(external_node_path_.resolve(cwd, entry));
            found.sort();
        }
        else {
            const abs = external_node_path_.resolve(cwd, pattern);
            try {
                await (0,external_node_fs_promises_.stat)(abs);
                found.push(abs);
            }
            catch {
                // reported as unmatched below
            }
        }
        if (found.length === 0)
            unmatched.push(pattern);
        for (const abs of found) {
            if (seen.has(abs))
                continue;
            seen.add(abs);
            const info = await (0,external_node_fs_promises_.stat)(abs);
            matches.push({ pattern, path: abs, isDirectory: info.isDirectory() });
        }
    }
    return { matches, unmatched };
}
/** A path relative to the workspace, with forward slashes: how annotations want it. */
function workspaceRelative(abs, workspace) {
    const rel = external_node_path_.relative(workspace, abs);
    return (rel.startsWith('..') ? abs : rel).split(external_node_path_.sep).join('/');
}

;// CONCATENATED MODULE: ./.build/shared/kubernetes/kinds.generated.js
// Generated by scripts/gen-validators.ts. Do not edit.
const source = "@kubernetes/client-node 2.0.1 models (Kubernetes OpenAPI release-1.36)";
const kinds = {"admissionregistration.k8s.io/v1/MutatingAdmissionPolicy":{"model":"V1MutatingAdmissionPolicy","namespaced":false,"plural":"mutatingadmissionpolicies"},"admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding":{"model":"V1MutatingAdmissionPolicyBinding","namespaced":false,"plural":"mutatingadmissionpolicybindings"},"admissionregistration.k8s.io/v1/MutatingWebhookConfiguration":{"model":"V1MutatingWebhookConfiguration","namespaced":false,"plural":"mutatingwebhookconfigurations"},"admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy":{"model":"V1ValidatingAdmissionPolicy","namespaced":false,"plural":"validatingadmissionpolicies"},"admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":{"model":"V1ValidatingAdmissionPolicyBinding","namespaced":false,"plural":"validatingadmissionpolicybindings"},"admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration":{"model":"V1ValidatingWebhookConfiguration","namespaced":false,"plural":"validatingwebhookconfigurations"},"admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicy":{"model":"V1alpha1MutatingAdmissionPolicy","namespaced":false,"plural":"mutatingadmissionpolicies"},"admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicyBinding":{"model":"V1alpha1MutatingAdmissionPolicyBinding","namespaced":false,"plural":"mutatingadmissionpolicybindings"},"admissionregistration.k8s.io/v1beta1/MutatingAdmissionPolicy":{"model":"V1beta1MutatingAdmissionPolicy","namespaced":false,"plural":"mutatingadmissionpolicies"},"admissionregistration.k8s.io/v1beta1/MutatingAdmissionPolicyBinding":{"model":"V1beta1MutatingAdmissionPolicyBinding","namespaced":false,"plural":"mutatingadmissionpolicybindings"},"apiextensions.k8s.io/v1/CustomResourceDefinition":{"model":"V1CustomResourceDefinition","namespaced":false,"plural":"customresourcedefinitions"},"apiregistration.k8s.io/v1/APIService":{"model":"V1APIService","namespaced":false,"plural":"apiservices"},"apps/v1/ControllerRevision":{"model":"V1ControllerRevision","namespaced":true,"plural":"controllerrevisions"},"apps/v1/DaemonSet":{"model":"V1DaemonSet","namespaced":true,"plural":"daemonsets"},"apps/v1/Deployment":{"model":"V1Deployment","namespaced":true,"plural":"deployments"},"apps/v1/ReplicaSet":{"model":"V1ReplicaSet","namespaced":true,"plural":"replicasets"},"apps/v1/StatefulSet":{"model":"V1StatefulSet","namespaced":true,"plural":"statefulsets"},"authentication.k8s.io/v1/SelfSubjectReview":{"model":"V1SelfSubjectReview","namespaced":false,"plural":"selfsubjectreviews"},"authentication.k8s.io/v1/TokenReview":{"model":"V1TokenReview","namespaced":false,"plural":"tokenreviews"},"authentication.k8s.io/v1alpha1/SelfSubjectReview":{"model":"V1alpha1SelfSubjectReview","namespaced":false,"plural":"selfsubjectreviews"},"authentication.k8s.io/v1beta1/SelfSubjectReview":{"model":"V1beta1SelfSubjectReview","namespaced":false,"plural":"selfsubjectreviews"},"authorization.k8s.io/v1/LocalSubjectAccessReview":{"model":"V1LocalSubjectAccessReview","namespaced":true,"plural":"localsubjectaccessreviews"},"authorization.k8s.io/v1/SelfSubjectAccessReview":{"model":"V1SelfSubjectAccessReview","namespaced":false,"plural":"selfsubjectaccessreviews"},"authorization.k8s.io/v1/SelfSubjectRulesReview":{"model":"V1SelfSubjectRulesReview","namespaced":false,"plural":"selfsubjectrulesreviews"},"authorization.k8s.io/v1/SubjectAccessReview":{"model":"V1SubjectAccessReview","namespaced":false,"plural":"subjectaccessreviews"},"autoscaling/v1/HorizontalPodAutoscaler":{"model":"V1HorizontalPodAutoscaler","namespaced":true,"plural":"horizontalpodautoscalers"},"autoscaling/v2/HorizontalPodAutoscaler":{"model":"V2HorizontalPodAutoscaler","namespaced":true,"plural":"horizontalpodautoscalers"},"batch/v1/CronJob":{"model":"V1CronJob","namespaced":true,"plural":"cronjobs"},"batch/v1/Job":{"model":"V1Job","namespaced":true,"plural":"jobs"},"certificates.k8s.io/v1/CertificateSigningRequest":{"model":"V1CertificateSigningRequest","namespaced":false,"plural":"certificatesigningrequests"},"certificates.k8s.io/v1alpha1/ClusterTrustBundle":{"model":"V1alpha1ClusterTrustBundle","namespaced":false,"plural":"clustertrustbundles"},"certificates.k8s.io/v1beta1/ClusterTrustBundle":{"model":"V1beta1ClusterTrustBundle","namespaced":false,"plural":"clustertrustbundles"},"certificates.k8s.io/v1beta1/PodCertificateRequest":{"model":"V1beta1PodCertificateRequest","namespaced":true,"plural":"podcertificaterequests"},"coordination.k8s.io/v1/Lease":{"model":"V1Lease","namespaced":true,"plural":"leases"},"coordination.k8s.io/v1alpha2/LeaseCandidate":{"model":"V1alpha2LeaseCandidate","namespaced":true,"plural":"leasecandidates"},"coordination.k8s.io/v1beta1/LeaseCandidate":{"model":"V1beta1LeaseCandidate","namespaced":true,"plural":"leasecandidates"},"discovery.k8s.io/v1/EndpointSlice":{"model":"V1EndpointSlice","namespaced":true,"plural":"endpointslices"},"events.k8s.io/v1/Event":{"model":"EventsV1Event","namespaced":true,"plural":"events"},"flowcontrol.apiserver.k8s.io/v1/FlowSchema":{"model":"V1FlowSchema","namespaced":false,"plural":"flowschemas"},"flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration":{"model":"V1PriorityLevelConfiguration","namespaced":false,"plural":"prioritylevelconfigurations"},"flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema":{"model":"V1beta3FlowSchema","namespaced":false,"plural":"flowschemas"},"flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration":{"model":"V1beta3PriorityLevelConfiguration","namespaced":false,"plural":"prioritylevelconfigurations"},"internal.apiserver.k8s.io/v1alpha1/StorageVersion":{"model":"V1alpha1StorageVersion","namespaced":false,"plural":"storageversions"},"networking.k8s.io/v1/Ingress":{"model":"V1Ingress","namespaced":true,"plural":"ingresses"},"networking.k8s.io/v1/IngressClass":{"model":"V1IngressClass","namespaced":false,"plural":"ingressclasses"},"networking.k8s.io/v1/IPAddress":{"model":"V1IPAddress","namespaced":false,"plural":"ipaddresses"},"networking.k8s.io/v1/NetworkPolicy":{"model":"V1NetworkPolicy","namespaced":true,"plural":"networkpolicies"},"networking.k8s.io/v1/ServiceCIDR":{"model":"V1ServiceCIDR","namespaced":false,"plural":"servicecidrs"},"networking.k8s.io/v1alpha1/IPAddress":{"model":"V1alpha1IPAddress","namespaced":false,"plural":"ipaddresses"},"networking.k8s.io/v1alpha1/ServiceCIDR":{"model":"V1alpha1ServiceCIDR","namespaced":false,"plural":"servicecidrs"},"networking.k8s.io/v1beta1/IPAddress":{"model":"V1beta1IPAddress","namespaced":false,"plural":"ipaddresses"},"networking.k8s.io/v1beta1/ServiceCIDR":{"model":"V1beta1ServiceCIDR","namespaced":false,"plural":"servicecidrs"},"node.k8s.io/v1/RuntimeClass":{"model":"V1RuntimeClass","namespaced":false,"plural":"runtimeclasses"},"policy/v1/PodDisruptionBudget":{"model":"V1PodDisruptionBudget","namespaced":true,"plural":"poddisruptionbudgets"},"rbac.authorization.k8s.io/v1/ClusterRole":{"model":"V1ClusterRole","namespaced":false,"plural":"clusterroles"},"rbac.authorization.k8s.io/v1/ClusterRoleBinding":{"model":"V1ClusterRoleBinding","namespaced":false,"plural":"clusterrolebindings"},"rbac.authorization.k8s.io/v1/Role":{"model":"V1Role","namespaced":true,"plural":"roles"},"rbac.authorization.k8s.io/v1/RoleBinding":{"model":"V1RoleBinding","namespaced":true,"plural":"rolebindings"},"resource.k8s.io/v1/DeviceClass":{"model":"V1DeviceClass","namespaced":false,"plural":"deviceclasses"},"resource.k8s.io/v1/ResourceClaim":{"model":"ResourceV1ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1/ResourceClaimTemplate":{"model":"V1ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1/ResourceSlice":{"model":"V1ResourceSlice","namespaced":false,"plural":"resourceslices"},"resource.k8s.io/v1alpha2/PodSchedulingContext":{"model":"V1alpha2PodSchedulingContext","namespaced":true,"plural":"podschedulingcontexts"},"resource.k8s.io/v1alpha2/ResourceClaim":{"model":"V1alpha2ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1alpha2/ResourceClaimParameters":{"model":"V1alpha2ResourceClaimParameters","namespaced":true,"plural":"resourceclaimparameters"},"resource.k8s.io/v1alpha2/ResourceClaimTemplate":{"model":"V1alpha2ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1alpha2/ResourceClass":{"model":"V1alpha2ResourceClass","namespaced":false,"plural":"resourceclasses"},"resource.k8s.io/v1alpha2/ResourceClassParameters":{"model":"V1alpha2ResourceClassParameters","namespaced":true,"plural":"resourceclassparameters"},"resource.k8s.io/v1alpha2/ResourceSlice":{"model":"V1alpha2ResourceSlice","namespaced":false,"plural":"resourceslices"},"resource.k8s.io/v1alpha3/DeviceTaintRule":{"model":"V1alpha3DeviceTaintRule","namespaced":false,"plural":"devicetaintrules"},"resource.k8s.io/v1alpha3/ResourcePoolStatusRequest":{"model":"V1alpha3ResourcePoolStatusRequest","namespaced":false,"plural":"resourcepoolstatusrequests"},"resource.k8s.io/v1beta1/DeviceClass":{"model":"V1beta1DeviceClass","namespaced":false,"plural":"deviceclasses"},"resource.k8s.io/v1beta1/ResourceClaim":{"model":"V1beta1ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1beta1/ResourceClaimTemplate":{"model":"V1beta1ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1beta1/ResourceSlice":{"model":"V1beta1ResourceSlice","namespaced":false,"plural":"resourceslices"},"resource.k8s.io/v1beta2/DeviceClass":{"model":"V1beta2DeviceClass","namespaced":false,"plural":"deviceclasses"},"resource.k8s.io/v1beta2/DeviceTaintRule":{"model":"V1beta2DeviceTaintRule","namespaced":false,"plural":"devicetaintrules"},"resource.k8s.io/v1beta2/ResourceClaim":{"model":"V1beta2ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1beta2/ResourceClaimTemplate":{"model":"V1beta2ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1beta2/ResourceSlice":{"model":"V1beta2ResourceSlice","namespaced":false,"plural":"resourceslices"},"scheduling.k8s.io/v1/PriorityClass":{"model":"V1PriorityClass","namespaced":false,"plural":"priorityclasses"},"scheduling.k8s.io/v1alpha1/Workload":{"model":"V1alpha1Workload","namespaced":true,"plural":"workloads"},"scheduling.k8s.io/v1alpha2/PodGroup":{"model":"V1alpha2PodGroup","namespaced":true,"plural":"podgroups"},"scheduling.k8s.io/v1alpha2/Workload":{"model":"V1alpha2Workload","namespaced":true,"plural":"workloads"},"storage.k8s.io/v1/CSIDriver":{"model":"V1CSIDriver","namespaced":false,"plural":"csidrivers"},"storage.k8s.io/v1/CSINode":{"model":"V1CSINode","namespaced":false,"plural":"csinodes"},"storage.k8s.io/v1/CSIStorageCapacity":{"model":"V1CSIStorageCapacity","namespaced":true,"plural":"csistoragecapacities"},"storage.k8s.io/v1/StorageClass":{"model":"V1StorageClass","namespaced":false,"plural":"storageclasses"},"storage.k8s.io/v1/VolumeAttachment":{"model":"V1VolumeAttachment","namespaced":false,"plural":"volumeattachments"},"storage.k8s.io/v1/VolumeAttributesClass":{"model":"V1VolumeAttributesClass","namespaced":false,"plural":"volumeattributesclasses"},"storage.k8s.io/v1alpha1/VolumeAttributesClass":{"model":"V1alpha1VolumeAttributesClass","namespaced":false,"plural":"volumeattributesclasses"},"storage.k8s.io/v1beta1/VolumeAttributesClass":{"model":"V1beta1VolumeAttributesClass","namespaced":false,"plural":"volumeattributesclasses"},"storagemigration.k8s.io/v1alpha1/StorageVersionMigration":{"model":"V1alpha1StorageVersionMigration","namespaced":false,"plural":"storageversionmigrations"},"storagemigration.k8s.io/v1beta1/StorageVersionMigration":{"model":"V1beta1StorageVersionMigration","namespaced":false,"plural":"storageversionmigrations"},"v1/Binding":{"model":"V1Binding","namespaced":true,"plural":"bindings"},"v1/ConfigMap":{"model":"V1ConfigMap","namespaced":true,"plural":"configmaps"},"v1/Endpoints":{"model":"V1Endpoints","namespaced":true,"plural":"endpoints"},"v1/Event":{"model":"CoreV1Event","namespaced":true,"plural":"events"},"v1/LimitRange":{"model":"V1LimitRange","namespaced":true,"plural":"limitranges"},"v1/Namespace":{"model":"V1Namespace","namespaced":false,"plural":"namespaces"},"v1/Node":{"model":"V1Node","namespaced":false,"plural":"nodes"},"v1/PersistentVolume":{"model":"V1PersistentVolume","namespaced":false,"plural":"persistentvolumes"},"v1/PersistentVolumeClaim":{"model":"V1PersistentVolumeClaim","namespaced":true,"plural":"persistentvolumeclaims"},"v1/Pod":{"model":"V1Pod","namespaced":true,"plural":"pods"},"v1/PodTemplate":{"model":"V1PodTemplate","namespaced":true,"plural":"podtemplates"},"v1/ReplicationController":{"model":"V1ReplicationController","namespaced":true,"plural":"replicationcontrollers"},"v1/ResourceQuota":{"model":"V1ResourceQuota","namespaced":true,"plural":"resourcequotas"},"v1/Secret":{"model":"V1Secret","namespaced":true,"plural":"secrets"},"v1/Service":{"model":"V1Service","namespaced":true,"plural":"services"},"v1/ServiceAccount":{"model":"V1ServiceAccount","namespaced":true,"plural":"serviceaccounts"}};

;// CONCATENATED MODULE: ./.build/shared/kubernetes/kinds.js
/** Facts about built-in kinds, from the generated schema (no Kubernetes client needed). */

/** Built-in kinds by `apiVersion/kind`, and where that list came from. */
const kubernetesSchema = {
    source: source,
    kinds: kinds,
};
/** `apps/v1` + `Deployment` → its info, or undefined for kinds not built in (CRDs). */
function builtinKind(apiVersion, kind) {
    return kubernetesSchema.kinds[`${apiVersion}/${kind}`];
}
function groupOf(apiVersion) {
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
}
/** Cluster-scoped kinds that are not built in but common (so namespace is not set on them). */
const CLUSTER_SCOPED_EXTRA = new Set([
    'ClusterIssuer',
    'ClusterServingRuntime',
    'ClusterStorageContainer',
    'ClusterSecretStore',
]);
function isNamespaced(apiVersion, kind) {
    const info = builtinKind(apiVersion, kind);
    if (info)
        return info.namespaced;
    // Built-in kinds under another version keep their scope (e.g. rbac v1beta1 ClusterRole).
    const sameKind = Object.entries(kubernetesSchema.kinds).find(([key]) => key.endsWith(`/${kind}`));
    if (sameKind &&
        groupOf(sameKind[0].slice(0, sameKind[0].lastIndexOf('/'))) === groupOf(apiVersion)) {
        return sameKind[1].namespaced;
    }
    return !CLUSTER_SCOPED_EXTRA.has(kind);
}

;// CONCATENATED MODULE: ./.build/shared/yaml.js


/**
 * Parses every document of a file, keeping comments and source positions. Broken YAML
 * throws a LocatedError with the file and line of the first problem.
 */
function parseYamlFile(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(text, {
        lineCounter,
        keepSourceTokens: false,
        prettyErrors: false,
    });
    const list = Array.isArray(docs) ? docs : [];
    const result = [];
    let previousEnd = 0;
    list.forEach((doc, index) => {
        const start = previousEnd;
        previousEnd = doc.range[2];
        const first = doc.errors[0];
        if (first) {
            const pos = lineCounter.linePos(first.pos[0]);
            const message = first.message.split('\n')[0] ?? first.message;
            throw new errors/* LocatedError */.BU(`${file}:${pos.line}: invalid YAML: ${message}`, file, pos.line, pos.col);
        }
        // An empty document (`---` at the end, or a comment-only file) carries nothing.
        if (doc.contents === null)
            return;
        result.push({ file, index, doc, lineCounter, source: text.slice(start, doc.range[2]) });
    });
    return result;
}
/** The 1-based line of the node at `path` in a document (or of its nearest existing parent). */
function lineOf(source, path) {
    let node = source.doc.contents;
    let best = rangeLine(source, node);
    for (const key of path) {
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === String(key));
            if (!pair)
                break;
            best = rangeLine(source, pair.key) ?? best;
            node = pair.value;
        }
        else if ((0,dist/* isSeq */.oP)(node) && typeof key === 'number') {
            node = node.items[key];
            best = rangeLine(source, node) ?? best;
        }
        else {
            break;
        }
    }
    return best;
}
function rangeLine(source, node) {
    const range = node?.range;
    return range ? source.lineCounter.linePos(range[0]).line : undefined;
}
/**
 * The document as it stood in the file, without its `---` marker: lets an unchanged
 * document be emitted byte for byte. Undefined when the marker line carries content.
 */
function originalText(source) {
    const text = source.source.replace(/^---[ \t]*\r?\n/, '');
    return text.startsWith('---') || text.startsWith('%') ? undefined : text;
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/manifests.js
/** Reads the manifests, checks each document is a Kubernetes object, and orders them for apply. */






const EXTRA_PLURALS = {
    'serving.kserve.io/InferenceService': 'inferenceservices',
    'serving.kserve.io/ServingRuntime': 'servingruntimes',
    'serving.kserve.io/ClusterServingRuntime': 'clusterservingruntimes',
};
function pluralOf(apiVersion, kind) {
    const builtin = builtinKind(apiVersion, kind);
    if (builtin)
        return builtin.plural;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const known = EXTRA_PLURALS[`${group}/${kind}`];
    if (known)
        return known;
    const lower = kind.toLowerCase();
    if (/(s|x|z|ch|sh)$/.test(lower))
        return `${lower}es`;
    if (/[^aeiou]y$/.test(lower))
        return `${lower.slice(0, -1)}ies`;
    return `${lower}s`;
}
/** Apply order: namespaces and CRDs, config, workloads, then what points at workloads. */
const ORDER = {
    Namespace: 0,
    CustomResourceDefinition: 1,
    PriorityClass: 2,
    StorageClass: 2,
    ServiceAccount: 3,
    ClusterRole: 3,
    ClusterRoleBinding: 4,
    Role: 3,
    RoleBinding: 4,
    ResourceQuota: 3,
    LimitRange: 3,
    NetworkPolicy: 3,
    ConfigMap: 5,
    Secret: 5,
    PersistentVolume: 5,
    PersistentVolumeClaim: 6,
    ServingRuntime: 6,
    ClusterServingRuntime: 6,
    Deployment: 10,
    StatefulSet: 10,
    DaemonSet: 10,
    InferenceService: 10,
    ReplicaSet: 10,
    Job: 10,
    CronJob: 10,
    Pod: 10,
    Service: 20,
    HorizontalPodAutoscaler: 21,
    PodDisruptionBudget: 21,
    Ingress: 22,
};
function applyRank(kind) {
    return ORDER[kind] ?? 15;
}
async function filesUnder(dir) {
    const out = [];
    for (const entry of await (0,external_node_fs_promises_.readdir)(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) {
            out.push(external_node_path_.join(entry.parentPath, entry.name));
        }
    }
    return out.sort();
}
function manifests_isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/**
 * Loads every manifest; a document that is not a Kubernetes object (no apiVersion, kind or
 * metadata.name) is an error annotated at its file and line. Objects without a namespace get
 * `defaultNamespace`. Returned in apply order (stable within a rank).
 */
async function loadManifests(patterns, workspace, defaultNamespace) {
    const { matches, unmatched } = await expandPatterns(patterns, workspace);
    if (unmatched.length > 0) {
        throw new errors/* InputError */.dz(`Input 'manifests': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`);
    }
    const files = [];
    for (const m of matches)
        files.push(...(m.isDirectory ? await filesUnder(m.path) : [m.path]));
    const result = [];
    const problems = [];
    for (const abs of files) {
        const file = workspaceRelative(abs, workspace);
        const docs = parseYamlFile(await (0,external_node_fs_promises_.readFile)(abs, 'utf8'), file);
        for (const doc of docs) {
            const value = doc.doc.toJS();
            const line = lineOf(doc, []);
            if (manifests_isRecord(value) && value.kind === 'List' && Array.isArray(value.items)) {
                problems.push(new errors/* LocatedError */.BU(`${file}:${line ?? 1}: kind List is not supported; write one document per object`, file, line));
                continue;
            }
            const metadata = manifests_isRecord(value) ? value.metadata : undefined;
            if (!manifests_isRecord(value) ||
                typeof value.apiVersion !== 'string' ||
                typeof value.kind !== 'string' ||
                !manifests_isRecord(metadata) ||
                typeof metadata.name !== 'string' ||
                metadata.name === '') {
                const missing = !manifests_isRecord(value)
                    ? 'it is not a YAML mapping'
                    : ['apiVersion', 'kind']
                        .filter((k) => typeof value[k] !== 'string')
                        .concat(manifests_isRecord(metadata) && typeof metadata.name === 'string' ? [] : ['metadata.name'])
                        .join(', ') + ' missing';
                problems.push(new errors/* LocatedError */.BU(`${file}:${line ?? 1}: document ${doc.index + 1} is not a Kubernetes object (${missing})`, file, line));
                continue;
            }
            const apiVersion = value.apiVersion;
            const kind = value.kind;
            const namespaced = isNamespaced(apiVersion, kind);
            const namespace = namespaced
                ? typeof metadata.namespace === 'string' && metadata.namespace
                    ? metadata.namespace
                    : defaultNamespace
                : undefined;
            const object = {
                ...value,
                metadata: { ...metadata, ...(namespace ? { namespace } : {}) },
            };
            result.push({
                object,
                apiVersion,
                kind,
                name: metadata.name,
                namespace,
                plural: pluralOf(apiVersion, kind),
                file,
                line,
            });
        }
    }
    if (problems.length === 1 && problems[0])
        throw problems[0];
    if (problems.length > 1) {
        throw new errors/* LocatedErrors */.wG(`${problems.length} manifests are not Kubernetes objects`, problems);
    }
    if (result.length === 0) {
        throw new errors/* InputError */.dz(`Input 'manifests' matched ${files.length} file(s) but no Kubernetes objects in them.`);
    }
    return result
        .map((m, i) => ({ m, i }))
        .sort((a, b) => applyRank(a.m.kind) - applyRank(b.m.kind) || a.i - b.i)
        .map(({ m }) => m);
}
/** The REST path of an object (or its collection when `name` is omitted). */
function resourcePath(apiVersion, plural, namespace, name) {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/pods.js
/** Container waiting reasons that will not fix themselves: the rollout fails at once. */
const FAIL_FAST_REASONS = [
    'ErrImagePull',
    'ImagePullBackOff',
    'InvalidImageName',
    'CreateContainerConfigError',
    'CrashLoopBackOff',
];
/** The first fail-fast problem of a pod, or undefined when it looks fine (or merely slow). */
function podProblem(pod) {
    const status = (pod.status ?? {});
    const base = { pod: pod.metadata.name, namespace: pod.metadata.namespace ?? '' };
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
        const reason = c.state?.waiting?.reason;
        if (reason && FAIL_FAST_REASONS.includes(reason)) {
            const last = c.lastState?.terminated;
            const message = c.state?.waiting?.message ??
                (last ? `last exit code ${last.exitCode ?? '?'} (${last.reason ?? 'terminated'})` : '');
            return {
                ...base,
                container: c.name,
                reason,
                message: reason === 'CrashLoopBackOff' && last
                    ? `${message}; last exit code ${last.exitCode ?? '?'} (${last.reason ?? 'terminated'})`
                    : message,
                ...(c.restartCount ? { restartCount: c.restartCount } : {}),
            };
        }
    }
    const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        return {
            ...base,
            reason: 'Unschedulable',
            message: scheduled.message ?? '',
            unschedulable: true,
        };
    }
    return undefined;
}
/** Recent events of the pod and the last log lines of the failing container (best effort). */
async function diagnose(client, problem) {
    const ns = problem.namespace;
    let events = [];
    try {
        const list = await client.json({
            method: 'GET',
            path: `/api/v1/namespaces/${ns}/events`,
            query: { fieldSelector: `involvedObject.name=${problem.pod}` },
        });
        events = list.items
            .map((e) => e)
            .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
            .slice(-8)
            .map((e) => `${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`);
    }
    catch (error) {
        events = [`(events unavailable: ${error.message})`];
    }
    let logs = [];
    if (problem.container &&
        !problem.unschedulable &&
        !/Image|ContainerConfig/.test(problem.reason)) {
        for (const previous of [true, false]) {
            const res = await client
                .request({
                method: 'GET',
                path: `/api/v1/namespaces/${ns}/pods/${problem.pod}/log`,
                query: {
                    container: problem.container,
                    tailLines: 20,
                    ...(previous ? { previous: true } : {}),
                },
                okStatuses: [400, 404],
            })
                .catch(() => undefined);
            if (res && res.status === 200 && res.body.trim()) {
                logs = res.body.trimEnd().split('\n').slice(-20);
                break;
            }
        }
    }
    return { problem, events, logs };
}
function formatDiagnosis(d) {
    const p = d.problem;
    const lines = [
        `pod ${p.namespace}/${p.pod}${p.container ? `, container ${p.container}` : ''}: ${p.reason}${p.message ? ` — ${p.message}` : ''}${p.restartCount ? ` (restarts: ${p.restartCount})` : ''}`,
    ];
    if (d.events.length)
        lines.push('recent events:', ...d.events.map((e) => `  ${e}`));
    if (d.logs.length)
        lines.push('last log lines:', ...d.logs.map((l) => `  ${l}`));
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/rollout-status.js
/**
 * kubectl's rollout-status rules (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go
 * @ dee3483a), as pure functions: (object, revision) → { message, done, error }.
 * Messages are kubectl's, newline included. Tested against every upstream case in
 * ../shared/specs/kubernetes/rollout-status.cases.json.
 */
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
const n = (v) => v ?? 0;
function deploymentStatus(d, revision = 0) {
    const name = d.metadata?.name ?? '';
    if (revision > 0) {
        const text = d.metadata?.annotations?.[REVISION_ANNOTATION];
        const have = text === undefined ? 0 : Number(text);
        if (!Number.isInteger(have)) {
            return {
                message: '',
                done: false,
                error: `cannot get the revision of deployment "${name}": invalid revision "${text}"`,
            };
        }
        if (have !== revision) {
            return {
                message: '',
                done: false,
                error: `desired revision (${revision}) is different from the running revision (${have})`,
            };
        }
    }
    const status = d.status ?? {};
    if (n(d.metadata?.generation) <= n(status.observedGeneration)) {
        const progressing = status.conditions?.find((c) => c.type === 'Progressing');
        if (progressing?.reason === TIMED_OUT_REASON) {
            return {
                message: '',
                done: false,
                error: `deployment "${name}" exceeded its progress deadline`,
            };
        }
        const replicas = d.spec?.replicas;
        const updated = n(status.updatedReplicas);
        if (replicas !== undefined && updated < replicas) {
            return {
                message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`,
                done: false,
            };
        }
        if (n(status.replicas) > updated) {
            return {
                message: `Waiting for deployment "${name}" rollout to finish: ${n(status.replicas) - updated} old replicas are pending termination...\n`,
                done: false,
            };
        }
        if (n(status.availableReplicas) < updated) {
            return {
                message: `Waiting for deployment "${name}" rollout to finish: ${n(status.availableReplicas)} of ${updated} updated replicas are available...\n`,
                done: false,
            };
        }
        return { message: `deployment "${name}" successfully rolled out\n`, done: true };
    }
    return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}
const STRATEGY_ERROR = 'rollout status is only available for RollingUpdate strategy type';
function daemonSetStatus(ds) {
    const name = ds.metadata?.name ?? '';
    if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') {
        return { message: '', done: true, error: STRATEGY_ERROR };
    }
    const status = ds.status ?? {};
    if (n(ds.metadata?.generation) <= n(status.observedGeneration)) {
        const desired = n(status.desiredNumberScheduled);
        if (n(status.updatedNumberScheduled) < desired) {
            return {
                message: `Waiting for daemon set "${name}" rollout to finish: ${n(status.updatedNumberScheduled)} out of ${desired} new pods have been updated...\n`,
                done: false,
            };
        }
        if (n(status.numberAvailable) < desired) {
            return {
                message: `Waiting for daemon set "${name}" rollout to finish: ${n(status.numberAvailable)} of ${desired} updated pods are available...\n`,
                done: false,
            };
        }
        return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
    }
    return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
}
function statefulSetStatus(sts) {
    const strategy = sts.spec?.updateStrategy;
    if (strategy?.type !== 'RollingUpdate') {
        return { message: '', done: true, error: STRATEGY_ERROR };
    }
    const status = sts.status ?? {};
    const observed = n(status.observedGeneration);
    if (observed === 0 || n(sts.metadata?.generation) > observed) {
        return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
    }
    const replicas = sts.spec?.replicas;
    if (replicas !== undefined && n(status.readyReplicas) < replicas) {
        return {
            message: `Waiting for ${replicas - n(status.readyReplicas)} pods to be ready...\n`,
            done: false,
        };
    }
    const updated = n(status.updatedReplicas);
    if (strategy.rollingUpdate) {
        const partition = strategy.rollingUpdate.partition;
        if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
            return {
                message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...\n`,
                done: false,
            };
        }
        return {
            message: `partitioned roll out complete: ${updated} new pods have been updated...\n`,
            done: true,
        };
    }
    if (status.updateRevision !== status.currentRevision) {
        return {
            message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision ?? ''}...\n`,
            done: false,
        };
    }
    return {
        message: `statefulset rolling update complete ${n(status.currentReplicas)} pods at revision ${status.currentRevision ?? ''}...\n`,
        done: true,
    };
}
/** The rule for `kind`, or undefined for kinds kubectl has no status viewer for. */
function rolloutStatus(kind, obj, revision = 0) {
    switch (kind) {
        case 'Deployment':
            return deploymentStatus(obj, revision);
        case 'DaemonSet':
            return daemonSetStatus(obj);
        case 'StatefulSet':
            return statefulSetStatus(obj);
        default:
            return undefined;
    }
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/watch-loop.js


/** Runs until `signal` aborts or a non-transient error happens. */
async function watchLoop(o) {
    let rv = o.resourceVersion;
    let failures = 0;
    const selectors = {
        ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
        ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
    };
    while (!o.signal.aborted) {
        let gotEvent = false;
        const end = await o.client.watch(o.path, { ...selectors, ...(rv ? { resourceVersion: rv } : {}) }, (event) => {
            gotEvent = true;
            const v = event.object.metadata.resourceVersion;
            if (v)
                rv = v;
            if (event.type !== 'BOOKMARK')
                o.onEvent(event);
        }, o.signal);
        if (end.reason === 'aborted' || o.signal.aborted)
            return;
        if (gotEvent)
            failures = 0;
        if (end.reason === 'closed') {
            o.logger.info(`Watch of ${o.what} ended; resuming from resourceVersion ${rv ?? '(current)'}`);
            continue;
        }
        if (end.reason === 'gone') {
            o.logger.info(`Watch of ${o.what}: resourceVersion ${rv} expired (410); re-listing`);
            try {
                const list = await o.client.json({
                    method: 'GET',
                    path: o.path,
                    query: selectors,
                });
                for (const object of list.items)
                    o.onEvent({ type: 'MODIFIED', object });
                rv = list.metadata.resourceVersion;
            }
            catch (error) {
                o.onError(error);
                return;
            }
            continue;
        }
        if (!isTransient(end.error)) {
            o.onError(end.error ?? new Error(`watch of ${o.what} failed`));
            return;
        }
        failures++;
        if (failures > 8) {
            o.onError(end.error ?? new Error(`watch of ${o.what} failed`));
            return;
        }
        const delay = backoffDelay(failures, { baseDelayMs: 200, maxDelayMs: 5000 });
        o.logger.info(`Watch of ${o.what} failed (${end.error?.message}); retrying in ${delay} ms`);
        try {
            await o.clock.sleep(delay, o.signal);
        }
        catch {
            return;
        }
    }
}
/**
 * Wakes the waiter whenever something changed. A change that happens while nobody waits
 * (e.g. during an API call between two evaluations) is remembered, so the next wait returns
 * at once: no update is ever lost.
 */
class Notifier {
    waiters = [];
    pending = false;
    notify() {
        const w = this.waiters;
        this.waiters = [];
        if (w.length === 0)
            this.pending = true;
        for (const f of w)
            f();
    }
    /** Resolves at the next notify (or at once if one came since the last wait), or after `ms`. */
    wait(ms) {
        if (this.pending) {
            this.pending = false;
            return Promise.resolve();
        }
        return new Promise((resolve) => {
            const done = () => {
                clearTimeout(timer);
                this.waiters = this.waiters.filter((f) => f !== done);
                resolve();
            };
            const timer = setTimeout(done, Math.max(0, ms));
            this.waiters.push(done);
        });
    }
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/follow.js




const FOLLOWED_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'InferenceService'];
function selectorOf(obj) {
    const sel = obj?.spec?.selector;
    const labels = sel?.matchLabels;
    if (!labels || Object.keys(labels).length === 0)
        return undefined;
    return Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}
/** KServe readiness: Ready=True, observedGeneration caught up, latest revision ready. */
function inferenceServiceStatus(isvc) {
    const name = isvc.metadata.name;
    const status = (isvc.status ?? {});
    const conds = status.conditions ?? [];
    const ready = conds.find((c) => c.type === 'Ready');
    const predictor = conds.find((c) => c.type === 'PredictorReady');
    const failure = status.modelStatus?.lastFailureInfo;
    const transition = status.modelStatus?.transitionStatus;
    if (transition === 'BlockedByFailedLoad' || transition === 'InvalidSpec') {
        return {
            done: false,
            message: '',
            error: `inference service "${name}": ${transition}${failure ? ` — ${failure.reason ?? ''}: ${failure.message ?? ''}` : ''}`,
        };
    }
    if (predictor?.status === 'False' && predictor.reason) {
        return {
            done: false,
            message: '',
            error: `inference service "${name}" predictor not ready: ${predictor.reason}${predictor.message ? ` — ${predictor.message}` : ''}`,
        };
    }
    if ((isvc.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
        return {
            done: false,
            message: `Waiting for inference service "${name}" spec update to be observed...`,
        };
    }
    const predictorRev = status.components?.predictor;
    if (predictorRev?.latestCreatedRevision &&
        predictorRev.latestCreatedRevision !== predictorRev.latestReadyRevision) {
        return {
            done: false,
            message: `Waiting for inference service "${name}": revision ${predictorRev.latestCreatedRevision} is not ready yet...`,
        };
    }
    if (ready?.status === 'True') {
        return {
            done: true,
            message: `inference service "${name}" is ready${status.url ? ` at ${status.url}` : ''}`,
        };
    }
    const waiting = conds.find((c) => c.status !== 'True' && c.type !== 'Ready');
    return {
        done: false,
        message: `Waiting for inference service "${name}" to be Ready${waiting ? ` (${waiting.type}: ${waiting.reason ?? waiting.status}${waiting.message ? ` — ${waiting.message}` : ''})` : ''}...`,
    };
}
/** The label a pod of the current (new) revision carries, or undefined when any pod counts. */
async function newRevisionLabel(client, w, obj) {
    if (w.kind === 'Deployment') {
        const status = (obj.status ?? {});
        if ((obj.metadata.generation ?? 0) > (status.observedGeneration ?? 0))
            return 'unknown';
        const revision = obj.metadata.annotations?.[REVISION_ANNOTATION];
        if (!revision)
            return 'unknown';
        const list = await client.json({
            method: 'GET',
            path: resourcePath('apps/v1', 'replicasets', w.namespace),
            query: { labelSelector: selectorOf(obj) },
        });
        const rs = list.items.find((r) => r.metadata.annotations?.[REVISION_ANNOTATION] === revision &&
            r.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid));
        const hash = rs?.metadata.labels?.['pod-template-hash'];
        return hash ? { key: 'pod-template-hash', value: hash } : 'unknown';
    }
    if (w.kind === 'StatefulSet' || w.kind === 'DaemonSet') {
        const rev = obj.status?.updateRevision;
        return rev ? { key: 'controller-revision-hash', value: rev } : undefined;
    }
    return undefined;
}
async function follow(w, o) {
    const controller = new AbortController();
    const changed = new Notifier();
    const stop = () => {
        controller.abort();
        changed.notify();
    };
    o.signal.addEventListener('abort', stop);
    let obj = w.initial;
    let deleted = false;
    let watchError;
    const pods = new Map();
    const collection = resourcePath(w.apiVersion, w.plural, w.namespace);
    const loops = [];
    loops.push(watchLoop({
        client: o.client,
        path: collection,
        fieldSelector: `metadata.name=${w.name}`,
        ...(w.initial?.metadata.resourceVersion
            ? { resourceVersion: w.initial.metadata.resourceVersion }
            : {}),
        onEvent: (e) => {
            if (e.type === 'DELETED')
                deleted = true;
            else
                obj = e.object;
            changed.notify();
        },
        onError: (e) => {
            watchError = e;
            changed.notify();
        },
        signal: controller.signal,
        logger: o.logger,
        clock: o.clock,
        what: `${w.kind} ${w.namespace}/${w.name}`,
    }));
    let podsWatched = false;
    const watchPods = (labelSelector) => {
        if (podsWatched || !o.failFast)
            return;
        podsWatched = true;
        loops.push(watchLoop({
            client: o.client,
            path: `/api/v1/namespaces/${w.namespace}/pods`,
            labelSelector,
            onEvent: (e) => {
                if (e.type === 'DELETED')
                    pods.delete(e.object.metadata.name);
                else
                    pods.set(e.object.metadata.name, e.object);
                changed.notify();
            },
            onError: (e) => {
                watchError = e;
                changed.notify();
            },
            signal: controller.signal,
            logger: o.logger,
            clock: o.clock,
            what: `pods of ${w.kind} ${w.namespace}/${w.name}`,
        }));
    };
    if (w.kind === 'InferenceService')
        watchPods(`serving.kserve.io/inferenceservice=${w.name}`);
    let lastMessage = '';
    let revisionKey;
    let revisionLabel = 'unknown';
    const unschedulableSince = new Map();
    try {
        for (;;) {
            if (o.signal.aborted)
                return { state: 'cancelled', message: lastMessage.trim() };
            if (watchError)
                throw watchError;
            if (deleted) {
                return {
                    state: 'failed',
                    reason: 'Deleted',
                    message: `${w.kind} "${w.name}" was deleted while waiting for it`,
                };
            }
            if (obj) {
                const current = obj;
                const verdict = w.kind === 'InferenceService'
                    ? inferenceServiceStatus(current)
                    : (rolloutStatus(w.kind, current) ?? { done: true, message: '' });
                if (verdict.message && verdict.message !== lastMessage) {
                    lastMessage = verdict.message;
                    if (!verdict.done)
                        o.onProgress(verdict.message.trim());
                }
                if (verdict.error) {
                    const deadline = /exceeded its progress deadline/.test(verdict.error);
                    if (verdict.done && w.kind !== 'Deployment') {
                        // kubectl: OnDelete strategies have no rollout status; the apply itself is the result.
                        return {
                            state: 'done',
                            message: `${w.kind} "${w.name}": ${verdict.error}`,
                            object: current,
                        };
                    }
                    return {
                        state: 'failed',
                        reason: deadline
                            ? 'ProgressDeadlineExceeded'
                            : w.kind === 'InferenceService'
                                ? 'InferenceServiceNotReady'
                                : 'RolloutError',
                        message: verdict.error,
                        object: current,
                    };
                }
                if (verdict.done)
                    return { state: 'done', message: verdict.message.trim(), object: current };
                if (o.failFast && w.kind !== 'InferenceService') {
                    const key = `${current.metadata.generation ?? 0}/${current.metadata.annotations?.[REVISION_ANNOTATION] ?? ''}/${current.status?.updateRevision ?? ''}`;
                    if (key !== revisionKey || revisionLabel === 'unknown') {
                        revisionLabel = await newRevisionLabel(o.client, w, current);
                        revisionKey = key;
                    }
                    const sel = selectorOf(current);
                    if (sel)
                        watchPods(sel);
                }
                if (o.failFast) {
                    const label = revisionLabel;
                    for (const pod of pods.values()) {
                        if (w.kind !== 'InferenceService') {
                            if (label === 'unknown')
                                break;
                            if (label && pod.metadata.labels?.[label.key] !== label.value)
                                continue;
                        }
                        const problem = podProblem(pod);
                        if (!problem) {
                            unschedulableSince.delete(pod.metadata.name);
                            continue;
                        }
                        if (problem.unschedulable) {
                            const since = unschedulableSince.get(pod.metadata.name) ?? o.clock.now();
                            unschedulableSince.set(pod.metadata.name, since);
                            if (o.clock.now() - since < o.unschedulableGraceMs)
                                continue;
                        }
                        return {
                            state: 'failed',
                            reason: problem.reason,
                            message: `pod ${problem.pod}${problem.container ? ` container ${problem.container}` : ''}: ${problem.reason}${problem.message ? ` — ${problem.message}` : ''}`,
                            problem,
                            object: current,
                        };
                    }
                }
            }
            const left = o.deadline - o.clock.now();
            if (left <= 0) {
                return {
                    state: 'timeout',
                    message: lastMessage.trim() || `no status for ${w.kind} "${w.name}" yet`,
                    ...(obj ? { object: obj } : {}),
                };
            }
            const graceLeft = [...unschedulableSince.values()].map((s) => s + o.unschedulableGraceMs - o.clock.now());
            await changed.wait(Math.min(left, ...graceLeft.map((g) => Math.max(g, 10))));
        }
    }
    finally {
        o.signal.removeEventListener('abort', stop);
        // The watches close in the background: the verdict is not held up by socket teardown
        // (watchLoop never rejects, so nothing is left unhandled).
        controller.abort();
        void Promise.allSettled(loops);
    }
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/rollback.js


const KEPT_ANNOTATIONS = [
    'kubectl.kubernetes.io/last-applied-configuration',
    REVISION_ANNOTATION,
    'deployment.kubernetes.io/revision-history',
    'deployment.kubernetes.io/desired-replicas',
    'deployment.kubernetes.io/max-replicas',
    'deprecated.deployment.rollback.to',
];
function revisionOf(o) {
    const n = Number(o.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
    return Number.isInteger(n) ? n : 0;
}
function withoutHash(template) {
    const t = JSON.parse(JSON.stringify(template ?? {}));
    if (t.metadata?.labels)
        delete t.metadata.labels['pod-template-hash'];
    return t;
}
/** Stable JSON for template comparison (key order independent). */
function canonical(value) {
    if (Array.isArray(value))
        return `[${value.map(canonical).join(',')}]`;
    if (value && typeof value === 'object') {
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
            .join(',')}}`;
    }
    return JSON.stringify(value);
}
/**
 * Rolls `name` back to `toRevision` (0: the previous revision, as kubectl's default).
 * Never deletes anything: a Deployment with no earlier revision is reported as skipped.
 */
async function undoDeployment(client, namespace, name, toRevision = 0) {
    const path = resourcePath('apps/v1', 'deployments', namespace, name);
    const deployment = await client.json({ method: 'GET', path });
    if (deployment.spec?.paused) {
        return {
            state: 'skipped',
            message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`,
        };
    }
    const labels = deployment.spec?.selector
        ?.matchLabels;
    const list = await client.json({
        method: 'GET',
        path: resourcePath('apps/v1', 'replicasets', namespace),
        query: {
            labelSelector: Object.entries(labels ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(','),
        },
    });
    const owned = list.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid));
    let target;
    if (toRevision > 0) {
        target = owned.find((rs) => revisionOf(rs) === toRevision);
        if (!target)
            return {
                state: 'skipped',
                message: `unable to find specified revision ${toRevision} in history`,
            };
    }
    else {
        const sorted = [...owned].sort((a, b) => revisionOf(b) - revisionOf(a));
        target = sorted[1];
        if (!target)
            return { state: 'skipped', message: `no rollout history found for deployment "${name}"` };
    }
    const revision = revisionOf(target);
    const template = withoutHash(target.spec?.template);
    if (canonical(template) === canonical(withoutHash(deployment.spec?.template))) {
        return {
            state: 'skipped',
            message: `skipped rollback (current template already matches revision ${revision})`,
        };
    }
    const annotations = Object.fromEntries(Object.entries(target.metadata.annotations ?? {}).filter(([k]) => !KEPT_ANNOTATIONS.includes(k)));
    for (const k of KEPT_ANNOTATIONS) {
        const v = deployment.metadata.annotations?.[k];
        if (v !== undefined)
            annotations[k] = v;
    }
    const patched = await client.json({
        method: 'PATCH',
        path,
        contentType: 'application/json-patch+json',
        body: [
            { op: 'replace', path: '/spec/template', value: template },
            { op: 'replace', path: '/metadata/annotations', value: annotations },
        ],
    });
    return { state: 'rolled-back', toRevision: revision, object: patched };
}

;// CONCATENATED MODULE: ./.build/shared/http.js



const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
class RetryableStatus extends Error {
    response;
    constructor(response) {
        super(`HTTP ${response.status}`);
        this.response = response;
    }
}
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
/**
 * The one HTTP client factory: user agent, per-request timeout, and retries of
 * connection errors, 408/429/5xx with capped backoff + jitter, honouring Retry-After.
 */
function createHttpClient(options = {}) {
    const doFetch = options.fetch ?? fetch;
    const clock = options.clock ?? systemClock;
    const timeoutMs = options.timeoutMs ?? 30_000;
    return {
        async request(req) {
            const method = req.method ?? 'GET';
            const printable = redactUrl(req.url);
            try {
                const response = await withRetry(async () => {
                    let res;
                    try {
                        res = await doFetch(req.url, {
                            method,
                            headers: {
                                ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
                                ...req.headers,
                            },
                            ...(req.body === undefined ? {} : { body: req.body }),
                            signal: AbortSignal.timeout(req.timeoutMs ?? timeoutMs),
                        });
                    }
                    catch (error) {
                        const cause = error.cause;
                        const detail = error.name === 'TimeoutError'
                            ? `no answer within ${req.timeoutMs ?? timeoutMs} ms`
                            : (cause?.code ?? cause?.message ?? error.message);
                        throw new errors/* HttpError */.j$(method, printable, undefined, detail);
                    }
                    const body = await res.text();
                    const response = {
                        status: res.status,
                        headers: res.headers,
                        body,
                        json() {
                            return JSON.parse(body);
                        },
                    };
                    if (res.ok || req.okStatuses?.includes(res.status))
                        return response;
                    if (RETRYABLE_STATUS.has(res.status))
                        throw new RetryableStatus(response);
                    throw new errors/* HttpError */.j$(method, printable, res.status, snippet(body) || res.statusText, body);
                }, (error) => {
                    if (error instanceof RetryableStatus) {
                        const delayMs = parseRetryAfter(error.response.headers.get('retry-after'), clock.now());
                        return delayMs === undefined ? { retry: true } : { retry: true, delayMs };
                    }
                    // Connection-level failures (reset, refused, timeout) have no status.
                    return { retry: error instanceof errors/* HttpError */.j$ && error.status === undefined };
                }, {
                    clock,
                    ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
                    ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
                    ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
                    ...(options.random ? { random: options.random } : {}),
                    onRetry: (error, attempt, delayMs) => options.onRetry?.(`${method} ${printable}: ${error instanceof Error ? error.message : 'error'}; retry ${attempt} in ${delayMs} ms`),
                });
                return response;
            }
            catch (error) {
                if (error instanceof RetryableStatus) {
                    const r = error.response;
                    throw new errors/* HttpError */.j$(method, printable, r.status, `${snippet(r.body) || 'no body'} (gave up after retries)`, r.body);
                }
                throw error;
            }
        },
    };
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/smoke.js


function smokeUrl(base, path) {
    const u = new URL(base);
    if (path !== '/' || u.pathname === '') {
        u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`;
    }
    return u.toString();
}
async function smokeTest(base, smoke, o) {
    const url = smokeUrl(base, smoke.path);
    const http = createHttpClient({
        userAgent: 'mlops-actions/rollout-and-verify',
        attempts: 1,
        clock: o.clock,
    });
    let attempts = 0;
    let lastStatus;
    let detail = '';
    let delay = 500;
    for (;;) {
        attempts++;
        const left = o.deadline - o.clock.now();
        try {
            const res = await http.request({
                method: smoke.method,
                url,
                ...(smoke.body !== undefined
                    ? {
                        body: smoke.body,
                        headers: {
                            'content-type': smoke.body.trim().startsWith('{')
                                ? 'application/json'
                                : 'text/plain',
                        },
                    }
                    : {}),
                timeoutMs: Math.max(1000, Math.min(10_000, left)),
                okStatuses: Array.from({ length: 500 }, (_, i) => i + 100),
            });
            lastStatus = res.status;
            if (smoke.expectStatus.includes(res.status)) {
                return { ok: true, url, attempts, lastStatus, detail: `HTTP ${res.status}` };
            }
            detail = `HTTP ${res.status} (expected ${smoke.expectStatus.length > 5 ? 'one of the listed statuses' : smoke.expectStatus.join(', ')}): ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`;
        }
        catch (error) {
            detail = error instanceof errors/* HttpError */.j$ ? error.message : error.message;
        }
        o.logger.info(`Smoke test ${smoke.method} ${redactUrl(url)}: ${detail}`);
        if (o.signal.aborted || o.deadline - o.clock.now() <= delay) {
            return { ok: false, url, attempts, ...(lastStatus ? { lastStatus } : {}), detail };
        }
        await o.clock.sleep(delay, o.signal).catch(() => undefined);
        delay = Math.min(delay * 2, 5000);
    }
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/run.js









const FIELD_MANAGER = 'mlops-actions';
async function rolloutAndVerify(inputs, deps) {
    const { logger, clock } = deps;
    const started = clock.now();
    const deadline = started + inputs.timeoutMs;
    const timeline = [];
    const note = (text, level = 'info') => {
        timeline.push({ atMs: clock.now() - started, text, level });
        logger.info(text);
    };
    // Credentials are read (and masked) before the manifests, so nothing can print them.
    const client = await deps.createClient();
    const defaultNamespace = inputs.namespace ?? client.namespace ?? 'default';
    const manifests = await loadManifests(inputs.manifests, inputs.workspace, defaultNamespace);
    const rows = [];
    const tracked = [];
    const progress = { phase: 'apply', startedAt: started, workloads: [] };
    const save = () => deps.saveProgress(progress);
    save();
    for (const m of manifests) {
        const row = {
            kind: m.kind,
            namespace: m.namespace ?? '',
            name: m.name,
            action: inputs.apply ? 'pending' : 'verify',
            state: '',
            ok: undefined,
        };
        rows.push(row);
    }
    if (inputs.apply) {
        await logger.group(`Apply ${manifests.length} object(s) (server-side, field manager ${FIELD_MANAGER})`, async () => {
            for (const [i, m] of manifests.entries()) {
                const row = rows[i];
                const res = await client.request({
                    method: 'PATCH',
                    path: resourcePath(m.apiVersion, m.plural, m.namespace, m.name),
                    query: { fieldManager: FIELD_MANAGER, force: inputs.forceConflicts },
                    contentType: 'application/apply-patch+yaml',
                    body: m.object,
                });
                const applied = res.json();
                row.action = res.status === 201 ? 'created' : 'applied';
                row.ok = true;
                note(`${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name} ${row.action}`);
                if (FOLLOWED_KINDS.includes(m.kind)) {
                    const rev = applied.metadata.annotations?.[REVISION_ANNOTATION];
                    tracked.push({
                        manifest: m,
                        workload: { ...toWorkload(m), initial: applied },
                        row,
                        progress: {
                            kind: m.kind,
                            namespace: m.namespace ?? '',
                            name: m.name,
                            state: 'waiting',
                            message: 'applied',
                        },
                        ...(res.status === 201 || rev === undefined ? {} : { previousRevision: Number(rev) }),
                    });
                }
            }
        });
    }
    else {
        for (const [i, m] of manifests.entries()) {
            if (!FOLLOWED_KINDS.includes(m.kind))
                continue;
            const row = rows[i];
            tracked.push({
                manifest: m,
                workload: toWorkload(m),
                row,
                progress: {
                    kind: m.kind,
                    namespace: m.namespace ?? '',
                    name: m.name,
                    state: 'waiting',
                    message: 'verifying',
                },
            });
        }
    }
    progress.phase = 'rollout';
    progress.workloads = tracked.map((t) => t.progress);
    save();
    const followAll = async (list, until) => {
        // One failure stops the others (fail fast); a cancelled job stops everything.
        const group = new AbortController();
        const onOuterAbort = () => group.abort();
        deps.signal.addEventListener('abort', onOuterAbort);
        try {
            await Promise.all(list.map(async (t) => {
                const outcome = await follow(t.workload, {
                    client,
                    logger,
                    clock,
                    deadline: until,
                    failFast: inputs.failFast,
                    unschedulableGraceMs: inputs.unschedulableGraceMs,
                    signal: group.signal,
                    onProgress: (message) => {
                        t.progress.message = message;
                        t.row.state = message;
                        note(`${t.manifest.kind} ${t.manifest.name}: ${message}`);
                        save();
                    },
                });
                t.outcome = outcome;
                t.progress.state = outcome.state;
                t.progress.message = outcome.message;
                t.row.state = outcome.message;
                t.row.ok = outcome.state === 'done';
                save();
                if (outcome.state === 'failed') {
                    note(`${t.manifest.kind} ${t.manifest.name} failed: ${outcome.message}`, 'failure');
                    group.abort();
                }
                else if (outcome.state === 'done') {
                    note(`${t.manifest.kind} ${t.manifest.name}: ${outcome.message}`, 'success');
                }
            }));
        }
        finally {
            deps.signal.removeEventListener('abort', onOuterAbort);
        }
    };
    let failure;
    let diagnosis;
    let endpoint = '';
    await logger.group(`Wait for ${tracked.length} workload(s)`, () => followAll(tracked, deadline));
    if (deps.signal.aborted)
        throw new Error('cancelled');
    const failed = tracked.find((t) => t.outcome?.state === 'failed');
    const timedOut = tracked.filter((t) => t.outcome?.state === 'timeout');
    if (failed && failed.outcome?.state === 'failed') {
        failure = {
            reason: failed.outcome.reason,
            message: `${failed.manifest.kind} ${failed.manifest.namespace}/${failed.manifest.name}: ${failed.outcome.message}`,
        };
        if (failed.outcome.problem) {
            diagnosis = await diagnose(client, failed.outcome.problem);
        }
    }
    else if (timedOut.length > 0) {
        failure = {
            reason: 'Timeout',
            message: `timed out after ${(0,shared_inputs/* formatDuration */.a3)(inputs.timeoutMs)}; state of every workload:\n${tracked
                .map((t) => `  - ${t.manifest.kind} ${t.manifest.namespace}/${t.manifest.name}: ${t.outcome?.state ?? 'waiting'}: ${t.outcome?.message ?? t.progress.message}`)
                .join('\n')}`,
        };
    }
    for (const t of tracked) {
        const url = t.outcome?.state === 'done'
            ? t.outcome.object.status?.url
            : undefined;
        if (url && !endpoint)
            endpoint = url;
    }
    // Load balancer and smoke test, once everything rolled out.
    if (!failure) {
        if (inputs.waitForLoadBalancer) {
            const services = manifests.filter((m) => m.kind === 'Service' &&
                m.object.spec?.type === 'LoadBalancer');
            for (const svc of services) {
                const lb = await waitForIngress(client, svc, deadline, deps);
                if (!lb) {
                    failure = {
                        reason: 'LoadBalancerPending',
                        message: `Service ${svc.namespace}/${svc.name} got no load balancer ingress within ${(0,shared_inputs/* formatDuration */.a3)(inputs.timeoutMs)}`,
                    };
                    break;
                }
                note(`Service ${svc.name}: load balancer at ${lb}`, 'success');
                if (!endpoint || !inputs.smoke.url)
                    endpoint = lb;
            }
        }
        if (inputs.smoke.url)
            endpoint = inputs.smoke.url;
        const smokeBase = inputs.smoke.url ?? (inputs.waitForLoadBalancer ? endpoint : '');
        if (!failure && smokeBase) {
            const r = await logger.group('Smoke test', () => smokeTest(smokeBase, inputs.smoke, { deadline, clock, logger, signal: deps.signal }));
            if (r.ok)
                note(`Smoke test ${inputs.smoke.method} ${r.url}: ${r.detail} (attempt ${r.attempts})`, 'success');
            else {
                failure = {
                    reason: 'SmokeTestFailed',
                    message: `smoke test ${inputs.smoke.method} ${r.url} failed after ${r.attempts} attempt(s): ${r.detail}`,
                };
                note(failure.message, 'failure');
            }
        }
    }
    let status = failure ? 'failed' : 'succeeded';
    let rollbackNote = '';
    if (failure && inputs.rollback && !deps.signal.aborted) {
        const result = await logger.group('Roll back', () => rollBack(tracked, inputs, deps, client, note, followAll));
        rollbackNote = result.note;
        if (result.rolledBack)
            status = 'rolled-back';
    }
    const deployment = tracked.find((t) => t.manifest.kind === 'Deployment');
    const isvc = tracked.find((t) => t.manifest.kind === 'InferenceService');
    const revision = revisionOutput(deployment ?? isvc ?? tracked[0]);
    const result = {
        status,
        endpoint,
        revision,
        failureReason: failure ? `${failure.reason}: ${failure.message.split('\n')[0] ?? ''}` : '',
        timeline,
        resources: rows,
        durationMs: clock.now() - started,
    };
    if (failure) {
        const parts = [failure.message];
        if (diagnosis) {
            result.diagnosis = formatDiagnosis(diagnosis);
            parts.push(result.diagnosis);
        }
        if (rollbackNote)
            parts.push(rollbackNote);
        result.error = parts.join('\n');
    }
    progress.phase = 'finished';
    save();
    return result;
}
function toWorkload(m) {
    return {
        apiVersion: m.apiVersion,
        kind: m.kind,
        plural: m.plural,
        name: m.name,
        namespace: m.namespace ?? 'default',
    };
}
function revisionOutput(t) {
    const obj = t?.outcome && 'object' in t.outcome ? t.outcome.object : t?.workload.initial;
    if (!obj)
        return '';
    const rev = obj.metadata.annotations?.[REVISION_ANNOTATION];
    if (rev)
        return rev;
    const status = (obj.status ?? {});
    return (status.components?.predictor?.latestReadyRevision ??
        status.updateRevision ??
        String(obj.metadata.generation ?? ''));
}
async function rollBack(tracked, inputs, deps, client, note, followAll) {
    const notes = [];
    const undone = [];
    for (const t of tracked) {
        const { kind, namespace, name } = t.manifest;
        if (kind !== 'Deployment') {
            notes.push(`${kind} ${namespace}/${name}: not rolled back (rollback covers Deployments; ${kind} left as applied)`);
            continue;
        }
        if (inputs.apply && t.previousRevision === undefined) {
            notes.push(`Deployment ${namespace}/${name}: no previous revision (created by this run); left in place, not deleted`);
            continue;
        }
        try {
            const r = await undoDeployment(client, namespace ?? 'default', name, t.previousRevision ?? 0);
            if (r.state === 'skipped') {
                notes.push(`Deployment ${namespace}/${name}: ${r.message}`);
                continue;
            }
            note(`Deployment ${name}: rolled back to revision ${r.toRevision}`, 'warning');
            t.workload = { ...t.workload, initial: r.object };
            t.progress.state = 'waiting';
            t.progress.message = `rolling back to revision ${r.toRevision}`;
            undone.push(t);
        }
        catch (error) {
            notes.push(`Deployment ${namespace}/${name}: rollback failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
    }
    if (undone.length === 0) {
        for (const n of notes)
            note(n, 'warning');
        return {
            rolledBack: false,
            note: `rollback: nothing rolled back\n${notes.map((n) => `  - ${n}`).join('\n')}`,
        };
    }
    await followAll(undone, deps.clock.now() + inputs.timeoutMs);
    const healthy = undone.every((t) => t.outcome?.state === 'done');
    for (const t of undone) {
        t.row.action = 'rolled back';
        if (t.outcome?.state === 'done')
            t.progress.state = 'rolled-back';
    }
    if (healthy) {
        note(`Rollback complete: ${undone.map((t) => t.manifest.name).join(', ')} healthy on the previous revision`, 'success');
    }
    else {
        note('Rollback did not become healthy', 'failure');
    }
    for (const n of notes)
        note(n, 'warning');
    const lines = [
        healthy
            ? `rolled back: ${undone.map((t) => `${t.manifest.kind} ${t.manifest.name}`).join(', ')} healthy on the previous revision`
            : `rollback did not become healthy: ${undone.map((t) => `${t.manifest.name}: ${t.outcome?.message ?? ''}`).join('; ')}`,
        ...notes.map((n) => `  - ${n}`),
    ];
    return { rolledBack: healthy, note: lines.join('\n') };
}
async function waitForIngress(client, svc, deadline, deps) {
    const controller = new AbortController();
    const changed = new Notifier();
    let found;
    const ports = svc.object.spec?.ports ?? [];
    const port = ports[0]?.port ?? 80;
    const loop = watchLoop({
        client,
        path: resourcePath('v1', 'services', svc.namespace),
        fieldSelector: `metadata.name=${svc.name}`,
        onEvent: (e) => {
            const ing = e.object.status?.loadBalancer?.ingress?.[0];
            const host = ing?.hostname ?? ing?.ip;
            if (host) {
                found = `${port === 443 ? 'https' : 'http'}://${host}${port === 80 || port === 443 ? '' : `:${port}`}`;
                changed.notify();
            }
        },
        onError: () => changed.notify(),
        signal: controller.signal,
        logger: deps.logger,
        clock: deps.clock,
        what: `Service ${svc.namespace}/${svc.name}`,
    });
    try {
        while (!found && deps.clock.now() < deadline && !deps.signal.aborted) {
            await changed.wait(deadline - deps.clock.now());
        }
    }
    finally {
        controller.abort();
        await loop;
    }
    return found;
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/summary.js
/** The job summary: outcome, timeline, resource table, diagnosis, endpoint. */


const LEVEL = {
    info: 'info',
    success: 'success',
    failure: 'failure',
    warning: 'warning',
};
function seconds(ms) {
    return `+${(ms / 1000).toFixed(1)}s`;
}
function rolloutSummary(r) {
    const head = r.status === 'succeeded'
        ? `## ${summary_statusEmoji('success')} rollout-and-verify: succeeded`
        : r.status === 'rolled-back'
            ? `## ${summary_statusEmoji('warning')} rollout-and-verify: failed and rolled back`
            : `## ${summary_statusEmoji('failure')} rollout-and-verify: failed`;
    const parts = [head, ''];
    const facts = [`Duration: ${(0,shared_inputs/* formatDuration */.a3)(r.durationMs)}`];
    if (r.endpoint)
        facts.push(`Endpoint: ${r.endpoint}`);
    if (r.revision)
        facts.push(`Revision: ${r.revision}`);
    if (r.failureReason)
        facts.push(`Failure: ${r.failureReason}`);
    parts.push(facts.map((f) => `- ${f}`).join('\n'), '');
    if (r.diagnosis)
        parts.push('### Diagnosis', '', codeBlock(r.diagnosis), '');
    else if (r.error && r.status !== 'succeeded')
        parts.push('### Error', '', codeBlock(r.error), '');
    parts.push('### Resources', '', summary_markdownTable(['', 'Kind', 'Namespace', 'Name', 'Action', 'State'], r.resources.map((row) => [
        row.ok === undefined ? '' : summary_statusEmoji(row.ok ? 'success' : 'failure'),
        row.kind,
        row.namespace,
        row.name,
        row.action,
        row.state,
    ])), '', '### Timeline', '', summary_markdownTable(['Time', '', 'Event'], r.timeline.map((t) => [seconds(t.atMs), summary_statusEmoji(LEVEL[t.level]), t.text])), '');
    return parts.join('\n');
}
function failureSummary(message) {
    return `## ${summary_statusEmoji('failure')} rollout-and-verify: failed\n\n${codeBlock(message)}\n`;
}
function cancelledSummary(p) {
    const left = p.workloads.filter((w) => w.state !== 'done');
    return [
        `## ${statusEmoji('warning')} rollout-and-verify: cancelled during ${p.phase}`,
        '',
        left.length === 0
            ? 'No workload was left waiting.'
            : markdownTable(['Kind', 'Namespace', 'Name', 'State', 'Last status'], p.workloads.map((w) => [w.kind, w.namespace, w.name, w.state, w.message])),
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/outputs.js








const PROGRESS_STATE = 'progress';
/** Runs the logic with the runner's dependencies and maps the result to outputs. */
async function main(inputs) {
    const controller = new AbortController();
    let last;
    const saveProgress = (p) => {
        last = p;
        core/* saveState */.LZ(PROGRESS_STATE, JSON.stringify(p));
    };
    const onSignal = (signal) => {
        // The runner cancels with SIGINT then SIGTERM: record where we were for the post step.
        if (last)
            saveProgress({ ...last, phase: `${last.phase} (cancelled by ${signal})` });
        controller.abort();
        core/* error */.z3(`rollout-and-verify: cancelled (${signal}) during the rollout; the post step reports what was left`);
        process.exit(1);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const result = await rolloutAndVerify(inputs, {
        logger: coreLogger,
        clock: systemClock,
        signal: controller.signal,
        saveProgress,
        createClient: () => createKubeClient({
            kubeconfigPath: inputs.kubeconfig,
            ...(inputs.context ? { context: inputs.context } : {}),
            logger: coreLogger,
            connectTimeoutMs: Math.min(10_000, inputs.timeoutMs),
            userAgent: 'mlops-actions/rollout-and-verify',
        }),
    }).catch(async (error) => {
        core/* setOutput */.uH('status', 'failed');
        core/* setOutput */.uH('failure-reason', (0,errors/* errorMessage */.gJ)(error).split('\n')[0] ?? '');
        await writeSummary(failureSummary((0,errors/* errorMessage */.gJ)(error)));
        throw error;
    });
    core/* setOutput */.uH('status', result.status);
    core/* setOutput */.uH('endpoint', result.endpoint);
    core/* setOutput */.uH('revision', result.revision);
    core/* setOutput */.uH('failure-reason', result.failureReason);
    await writeSummary(rolloutSummary(result));
    if (result.status !== 'succeeded') {
        throw new Error(result.error ?? result.failureReason);
    }
    core/* info */.pq(`Rollout succeeded${result.endpoint ? `; endpoint ${result.endpoint}` : ''}`);
}


/***/ })

};
