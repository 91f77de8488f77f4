export const id = 314;
export const ids = [314];
export const modules = {

/***/ 3314:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ serviceAccountKeySecrets)
/* harmony export */ });
/** The credential values of a Google credentials JSON (service-account key or authorized user). */
function serviceAccountKeySecrets(json) {
    let doc;
    try {
        doc = JSON.parse(json);
    }
    catch {
        return [json];
    }
    if (typeof doc !== 'object' || doc === null)
        return [json];
    const values = [];
    for (const key of ['private_key', 'private_key_id', 'client_secret', 'refresh_token']) {
        const v = doc[key];
        if (typeof v === 'string' && v)
            values.push(v);
    }
    return values;
}


/***/ }),

/***/ 8314:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_namespaceObject = /*#__PURE__*/__webpack_require__.t(external_node_http_, 2);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_namespaceObject = /*#__PURE__*/__webpack_require__.t(external_node_https_, 2);
// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
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
        const mod = url.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_namespaceObject;
        const agent = url.protocol === 'https:' ? options.agent?.() : undefined;
        return new Promise((resolve, reject) => {
            const timeoutError = (ms, connect) => new errors/* HttpError */.j$(method, printable, undefined, connect && options.connectTimeoutMs !== undefined && ms === options.connectTimeoutMs
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
                if (error instanceof errors/* HttpError */.j$ || req.signal?.aborted) {
                    reject(error);
                    return;
                }
                const code = error.code;
                const tls = code !== undefined && TLS_ERROR.test(code);
                reject(new errors/* HttpError */.j$(method, printable, undefined, code ?? error.message, '', {
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
            if (error instanceof errors/* HttpError */.j$)
                throw error;
            const reason = res.errored ?? error;
            if (reason instanceof errors/* HttpError */.j$)
                throw reason;
            throw new errors/* HttpError */.j$(method, redactUrl(req.url), undefined, error.message);
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
        throw new errors/* HttpError */.j$(method, redactUrl(req.url), status, snippet(text) || `HTTP ${status}`, text);
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
                    if (!(error instanceof errors/* HttpError */.j$) || error.status !== undefined)
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
                    onRetry: (error, n, delayMs) => options.onRetry?.(`${req.label ?? `${method} ${printable}`}: ${error instanceof errors/* HttpError */.j$ ? (error.detail ?? error.message) : error instanceof Error ? error.message : 'error'}; retry ${n} in ${delayMs} ms`),
                });
            }
            catch (error) {
                if (error instanceof RetryableAnswer) {
                    const r = error.response;
                    throw new errors/* HttpError */.j$(method, printable, r.status, `${snippet(r.body) || 'no body'} (gave up after retries)`, r.body, { retriesExhausted: true });
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
/**
 * What to register for one secret value. A single-line value is masked whole. A multi-line
 * value (a PEM block) is masked line by line — the runner masks line by line, so it would
 * otherwise leak piecewise — except its `-----BEGIN/END …-----` armour and lines under 4
 * characters, which reveal nothing and would garble the log. Pass secret values only, never a
 * whole document (a kubeconfig, a JSON config): mask the credentials inside it instead.
 */
function masksOf(value) {
    if (!value)
        return [];
    const lines = value.split(/\r?\n/);
    if (lines.filter((l) => l.trim() !== '').length <= 1)
        return [value.trim() || value];
    return lines
        .map((l) => l.trim())
        .filter((l) => l.length >= 4 && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(l));
}
/** The logger used in a real runner: workflow commands through @actions/core. */
const coreLogger = {
    debug: (m) => core/* debug */.Yz(m),
    info: (m) => core/* info */.pq(m),
    warning: (m, p) => core/* warning */.$e(m, toProperties(p)),
    error: (m, p) => core/* error */.z3(m, toProperties(p)),
    secret: (v) => {
        for (const mask of masksOf(v))
            core/* setSecret */.Pq(mask);
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

;// CONCATENATED MODULE: ./.build/shared/state.js
/**
 * What a main step hands to its post step, as typed entries: one `StateEntry` per value,
 * defined once and used on both sides, so the name and the shape cannot drift apart.
 */

/** The runner's store: GITHUB_STATE in the main step, STATE_<name> in the post step. */
const runnerState = {
    save: (name, value) => core/* saveState */.LZ(name, value),
    get: (name) => core/* getState */.Gu(name),
};
class MemoryState {
    values = new Map();
    save(name, value) {
        this.values.set(name, value);
    }
    get(name) {
        return this.values.get(name) ?? '';
    }
}
/** A JSON value under `name`, checked by `isValid` when read back. */
function jsonState(name, isValid) {
    return {
        name,
        save: (store, value) => store.save(name, JSON.stringify(value)),
        load: (store) => {
            const text = store.get(name);
            if (!text)
                return undefined;
            try {
                const value = JSON.parse(text);
                return isValid(value) ? value : undefined;
            }
            catch {
                return undefined;
            }
        },
    };
}
/** A string under `name` ('' is "not saved"). */
function textState(name) {
    return {
        name,
        save: (store, value) => store.save(name, value),
        load: (store) => store.get(name) || undefined,
    };
}

// EXTERNAL MODULE: ./.build/shared/summary.js
var summary = __webpack_require__(7910);
// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./.build/shared/kube/kubeconfig.js
var kubeconfig = __webpack_require__(2479);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/cleanup.js



/** The directory main wrote the kubeconfig (and its credential files) to: post removes it. */
const kubeconfigDirState = textState('kubeconfig-dir');
const DIR_PREFIX = 'setup-cluster-auth-';
/** The post step: removes the kubeconfig directory (and its credential files) recorded in state. */
async function cleanupClusterAuth(state, logger) {
    const dir = kubeconfigDirState.load(state);
    if (!dir)
        return;
    if (!path.basename(dir).startsWith(DIR_PREFIX)) {
        throw new Error(`refusing to remove ${dir}: not a setup-cluster-auth directory`);
    }
    await rm(dir, { recursive: true, force: true });
    logger.info(`Removed ${path.join(dir, 'kubeconfig')}`);
}

// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/credential-config.js
var credential_config = __webpack_require__(3314);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/run.js
/**
 * setup-cluster-auth's logic: credentials for the chosen provider, then a kubeconfig (0600)
 * in its own directory under RUNNER_TEMP, recorded in state for the post step. Each provider's
 * SDK is imported only on its own path.
 */






function maskInputs(inputs, logger) {
    if (inputs.provider === 'gke' && inputs.credentials.kind === 'wif')
        logger.secret(inputs.credentials.oidc.token);
    if (inputs.provider === 'gke' && inputs.credentials.kind === 'key')
        for (const s of (0,credential_config/* serviceAccountKeySecrets */.H)(inputs.credentials.json))
            logger.secret(s);
    if (inputs.provider === 'eks' && inputs.credentials.kind === 'role')
        logger.secret(inputs.credentials.oidc.token);
    // provider kubeconfig: givenKubeconfig masks its credentials (values, not the document).
}
async function providerAccess(inputs, deps) {
    if (inputs.provider === 'gke')
        return (await __webpack_require__.e(/* import() */ 501).then(__webpack_require__.bind(__webpack_require__, 9882))).gkeAccess(inputs, deps);
    if (inputs.provider === 'eks')
        return (await Promise.all(/* import() */[__webpack_require__.e(439), __webpack_require__.e(796)]).then(__webpack_require__.bind(__webpack_require__, 9796))).eksAccess(inputs, deps);
    throw new Error(`no cluster access for provider ${inputs.provider}`);
}
async function setupClusterAuth(inputs, deps) {
    const { logger } = deps;
    maskInputs(inputs, logger);
    let config;
    let result;
    let files = [];
    let given;
    if (inputs.provider === 'kubeconfig') {
        // Validated before anything is written.
        given = (await __webpack_require__.e(/* import() */ 352).then(__webpack_require__.bind(__webpack_require__, 7352))).givenKubeconfig(inputs, logger);
    }
    const dir = await (0,external_node_fs_promises_.mkdtemp)(external_node_path_.join(inputs.tempDir, DIR_PREFIX));
    await (0,external_node_fs_promises_.chmod)(dir, 0o700);
    kubeconfigDirState.save(deps.state, dir);
    const kubeconfigPath = external_node_path_.join(dir, 'kubeconfig');
    try {
        if (given) {
            config = given.config;
            result = {
                provider: 'kubeconfig',
                context: given.context,
                endpoint: given.server,
                credentials: 'the given kubeconfig',
            };
        }
        else {
            const access = await providerAccess(inputs, { ...deps, dir });
            if (access.user.token)
                logger.secret(access.user.token);
            config = (0,kubeconfig/* singleClusterKubeconfig */.Wn)({
                name: access.entryName,
                context: access.context,
                server: access.server,
                ...(access.caData ? { caData: access.caData } : {}),
                user: access.user,
                ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
            });
            files = access.files;
            result = {
                provider: inputs.provider,
                context: access.context,
                endpoint: access.server,
                credentials: access.credentials,
                ...(access.plugin ? { plugin: access.plugin } : {}),
                ...(access.expiresAt ? { expiresAt: access.expiresAt } : {}),
            };
        }
        // The files hold credentials already masked above (the key's secrets, the OIDC request
        // token): masking the documents themselves would mask every line of JSON.
        for (const f of files) {
            await (0,external_node_fs_promises_.writeFile)(f.path, f.content, { mode: 0o600 });
        }
        await (0,kubeconfig/* writeKubeconfig */.fQ)(kubeconfigPath, config);
    }
    catch (error) {
        // Nothing half-written stays behind (post would remove it too).
        await (0,external_node_fs_promises_.rm)(dir, { recursive: true, force: true });
        throw error;
    }
    logger.info(`Wrote kubeconfig ${kubeconfigPath} (context ${result.context}, server ${result.endpoint})`);
    return {
        ...result,
        kubeconfigPath,
        ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
    };
}

;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/summary.js

function setupSummary(r) {
    const auth = r.plugin
        ? `exec: ${r.plugin}`
        : r.expiresAt
            ? `token, expires ${r.expiresAt.toISOString()}`
            : r.provider === 'kubeconfig'
                ? 'as in the given kubeconfig'
                : 'token';
    const rows = [
        ['Provider', r.provider],
        ['Context', `\`${r.context}\``],
        ['Endpoint', r.endpoint],
        ['Namespace', r.namespace ?? '(default)'],
        ['Credentials', r.credentials],
        ['Authentication', auth],
        ['KUBECONFIG', `\`${r.kubeconfigPath}\` (0600, removed after the job)`],
    ];
    return [
        `### ${(0,summary/* statusEmoji */.H0)('success')} setup-cluster-auth: ${r.context}`,
        '',
        (0,summary/* markdownTable */.Qj)(['', ''], rows),
    ].join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/user-agent.js
const USER_AGENT = 'mlops-actions/setup-cluster-auth';

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/which.js


/** The absolute path of an executable on PATH, as a shell would find it; undefined if none. */
function which(command, env = process.env) {
    for (const dir of (env.PATH ?? '').split(external_node_path_.delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_.join(dir, command);
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            if ((0,external_node_fs_.statSync)(candidate).isFile())
                return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/outputs.js










/** Runs the logic with the runner's dependencies and maps the result to outputs. */
async function main(inputs) {
    const script = external_node_path_.join(external_node_path_.dirname(process.argv[1] ?? ''), 'exec-credential', 'index.js');
    const result = await core/* group */.Os(`Set up ${inputs.provider} cluster credentials`, () => setupClusterAuth(inputs, {
        logger: coreLogger,
        state: runnerState,
        http: createHttpClient({ userAgent: USER_AGENT, onRetry: (m) => core/* info */.pq(m) }),
        env: process.env,
        which: (command) => which(command),
        userAgent: USER_AGENT,
        execCredential: { node: process.execPath, script },
        now: () => new Date(),
    }));
    core/* setOutput */.uH('kubeconfig-path', result.kubeconfigPath);
    core/* setOutput */.uH('context', result.context);
    core/* setOutput */.uH('cluster-endpoint', result.endpoint);
    core/* exportVariable */.dN('KUBECONFIG', result.kubeconfigPath);
    // Terraform's and Helm's Kubernetes providers read this one.
    core/* exportVariable */.dN('KUBE_CONFIG_PATH', result.kubeconfigPath);
    core/* info */.pq(`KUBECONFIG=${result.kubeconfigPath} (context ${result.context})`);
    await (0,summary/* writeSummary */.Sy)(setupSummary(result));
}


/***/ }),

/***/ 2479:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DU: () => (/* binding */ parseKubeconfig),
/* harmony export */   Ku: () => (/* binding */ selectContext),
/* harmony export */   Wn: () => (/* binding */ singleClusterKubeconfig),
/* harmony export */   fQ: () => (/* binding */ writeKubeconfig),
/* harmony export */   hT: () => (/* binding */ kubeconfigSecrets),
/* harmony export */   wd: () => (/* binding */ EXEC_API_VERSION)
/* harmony export */ });
/* unused harmony export serializeKubeconfig */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8815);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(479);
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
    return (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .stringify */ .As)(config, { lineWidth: 0 });
}
/** Writes a kubeconfig 0600 (also when the file existed with wider permissions). */
async function writeKubeconfig(file, config) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(node_path__WEBPACK_IMPORTED_MODULE_1__.dirname(file), { recursive: true, mode: 0o700 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(file, serializeKubeconfig(config), { mode: 0o600 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.chmod)(file, 0o600);
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function namedList(config, key, field) {
    const list = config[key] ?? [];
    if (!Array.isArray(list) ||
        !list.every((e) => isRecord(e) && typeof e.name === 'string' && isRecord(e[field]))) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`the kubeconfig's '${key}' must be a list of {name, ${field}} entries`);
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
        doc = (0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parse */ .qg)(text, { prettyErrors: false });
    }
    catch (error) {
        const line = error.linePos?.[0]?.line;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`${what} is not valid YAML${line ? ` (problem at line ${line})` : ''}`);
    }
    if (!isRecord(doc) || (doc.kind !== undefined && doc.kind !== 'Config')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`${what} is not a kubeconfig (expected a YAML mapping with kind: Config)`);
    }
    namedList(doc, 'clusters', 'cluster');
    namedList(doc, 'users', 'user');
    const contexts = namedList(doc, 'contexts', 'context');
    if (contexts.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`${what} has no contexts`);
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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`the kubeconfig has no current-context: set input 'context' to one of ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    const entry = config.contexts.find((c) => c.name === wanted);
    if (!entry) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`context '${wanted}' is not in the kubeconfig; it has ${names.map((n) => `'${n}'`).join(', ')}`);
    }
    const cluster = config.clusters.find((c) => c.name === entry.context.cluster);
    if (!cluster || typeof cluster.cluster.server !== 'string') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`context '${wanted}' refers to cluster '${entry.context.cluster}', which has no server in the kubeconfig`);
    }
    if (!config.users.some((u) => u.name === entry.context.user)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz(`context '${wanted}' refers to user '${entry.context.user}', which the kubeconfig does not define`);
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
/** auth-provider (oidc, gcp, azure) config keys that hold credentials. */
const SECRET_AUTH_PROVIDER_KEYS = [
    'id-token',
    'refresh-token',
    'client-secret',
    'access-token',
    'idp-certificate-authority-data',
];
/**
 * Every credential value of a kubeconfig, to be masked before anything is logged: tokens,
 * client key and certificate data, passwords, exec env values and auth-provider tokens. Only
 * values: never the document, whose lines (`kind: Config`, `user:`) must stay readable.
 */
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
        const provider = user['auth-provider'];
        const providerConfig = typeof provider === 'object' && provider !== null
            ? provider.config
            : undefined;
        if (typeof providerConfig === 'object' && providerConfig !== null) {
            for (const key of SECRET_AUTH_PROVIDER_KEYS) {
                const v = providerConfig[key];
                if (typeof v === 'string' && v)
                    values.push(v);
            }
        }
    }
    return values;
}


/***/ })

};
