export const id = 883;
export const ids = [883];
export const modules = {

/***/ 5883:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cancelLeftRun: () => (/* binding */ cancelLeftRun)
});

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
// EXTERNAL MODULE: ./.build/shared/commands.js
var commands = __webpack_require__(4690);
;// CONCATENATED MODULE: ./.build/shared/inputs.js


/** Reads `INPUT_<NAME>` exactly as the runner sets it (hyphens kept). */
const runnerInputs = commands/* readInput */.R5;
/** A source over a plain map: for tests and for calling an action's logic from code. */
function mapInputs(values) {
    return (name) => (values[name] ?? '').trim();
}
/** RFC 1123 label: what Kubernetes accepts as a namespace name (and GKE as a cluster name). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Parses `90s`, `10m`, `1h`, `1h30m`, `500ms`, or a bare number of seconds; returns milliseconds. */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let total = 0;
    let matched = 0;
    for (let m = re.exec(value); m; m = re.exec(value)) {
        total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
        matched = re.lastIndex;
    }
    return matched === value.length && matched > 0 ? Math.round(total) : undefined;
}
function inputs_formatDuration(ms) {
    if (ms < 1000)
        return `${ms}ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
    const m = Math.floor(s / 60);
    const rest = Math.round(s - m * 60);
    return rest ? `${m}m${rest}s` : `${m}m`;
}
/** Splits a multi-line (or comma-separated) input into trimmed, non-empty items; `#` starts a comment line. */
function splitList(text, { commas = true } = {}) {
    return text
        .split(/\r?\n/)
        .filter((line) => !line.trim().startsWith('#'))
        .flatMap((line) => (commas ? line.split(',') : [line]))
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}
/**
 * Typed input parsers. Each throws an InputError naming the input and what is allowed,
 * before the action has any side effect.
 */
class inputs_Inputs {
    source;
    constructor(source = runnerInputs) {
        this.source = source;
    }
    raw(name) {
        return this.source(name);
    }
    has(name) {
        return this.source(name) !== '';
    }
    required(name) {
        const value = this.source(name);
        if (!value)
            throw new errors/* InputError */.dz(`Input '${name}' is required.`);
        return value;
    }
    optional(name, fallback) {
        const value = this.source(name);
        return value === '' ? fallback : value;
    }
    bool(name, fallback) {
        const value = this.source(name);
        if (value === '')
            return fallback;
        if (/^(true|True|TRUE)$/.test(value))
            return true;
        if (/^(false|False|FALSE)$/.test(value))
            return false;
        throw new errors/* InputError */.dz(`Input '${name}' must be true or false (got "${value}").`);
    }
    int(name, opts) {
        const value = this.source(name);
        if (value === '')
            return opts.fallback;
        const range = `${opts.min ?? '-∞'}..${opts.max ?? '∞'}`;
        if (!/^-?\d+$/.test(value)) {
            throw new errors/* InputError */.dz(`Input '${name}' must be a whole number in ${range} (got "${value}").`);
        }
        const n = Number(value);
        if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
            throw new errors/* InputError */.dz(`Input '${name}' must be in ${range} (got ${n}).`);
        }
        return n;
    }
    /** A duration in milliseconds. */
    duration(name, fallback, opts = {}) {
        const value = this.source(name) || fallback;
        const ms = parseDuration(value);
        if (ms === undefined) {
            throw new errors/* InputError */.dz(`Input '${name}' must be a duration such as 90s, 10m or 1h (got "${value}").`);
        }
        if (opts.minMs !== undefined && ms < opts.minMs) {
            throw new errors/* InputError */.dz(`Input '${name}' must be at least ${inputs_formatDuration(opts.minMs)}.`);
        }
        if (opts.maxMs !== undefined && ms > opts.maxMs) {
            throw new errors/* InputError */.dz(`Input '${name}' must be at most ${inputs_formatDuration(opts.maxMs)}.`);
        }
        return ms;
    }
    oneOf(name, allowed, fallback) {
        const value = this.source(name);
        if (value === '')
            return fallback;
        if (allowed.includes(value))
            return value;
        throw new errors/* InputError */.dz(`Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (got "${value}").`);
    }
    list(name, opts = {}) {
        return splitList(this.source(name), opts);
    }
    /** `KEY=VALUE` lines (or commas) into a map; keys must match `keyPattern`. */
    keyValues(name, keyPattern = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/) {
        const result = new Map();
        for (const line of splitList(this.source(name), { commas: false })) {
            const eq = line.indexOf('=');
            const key = eq > 0 ? line.slice(0, eq).trim() : '';
            if (!key || !keyPattern.test(key)) {
                throw new errors/* InputError */.dz(`Input '${name}' must hold KEY=VALUE lines (got "${line}").`);
            }
            result.set(key, line.slice(eq + 1).trim());
        }
        return result;
    }
    /** A DNS label (a Kubernetes namespace), at most `max` characters; undefined when unset. */
    dnsLabel(name, { max = 63 } = {}) {
        const value = this.source(name);
        if (value === '')
            return undefined;
        if (!DNS_LABEL.test(value) || value.length > max) {
            throw new errors/* InputError */.dz(`Input '${name}' must be a DNS label (lower-case letters, digits, '-'; at most ${max}), got "${value}".`);
        }
        return value;
    }
    /** Exactly one of the named inputs must be set; returns its name. */
    exactlyOneOf(...names) {
        const set = names.filter((n) => this.has(n));
        const listed = names.map((n) => `'${n}'`).join(', ');
        if (set.length === 0)
            throw new errors/* InputError */.dz(`Set one of the inputs ${listed}.`);
        if (set.length > 1) {
            throw new errors/* InputError */.dz(`Inputs ${set.map((n) => `'${n}'`).join(' and ')} cannot be used together; set only one of ${listed}.`);
        }
        return set[0];
    }
    /** At most one of the named inputs may be set; returns its name or undefined. */
    atMostOneOf(...names) {
        const set = names.filter((n) => this.has(n));
        if (set.length > 1) {
            throw new errors/* InputError */.dz(`Inputs ${set.map((n) => `'${n}'`).join(' and ')} cannot be used together.`);
        }
        return set[0];
    }
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
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
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_namespaceObject = /*#__PURE__*/__webpack_require__.t(external_node_http_, 2);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_namespaceObject = /*#__PURE__*/__webpack_require__.t(external_node_https_, 2);
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

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/api-errors.js
/** KFP's errors, rephrased so the user knows what to fix (auth, wrong host, transient). */


/** KFP's message from an error body: google.rpc.Status, or the upload endpoints' error_message. */
function kfpMessage(body) {
    try {
        const parsed = JSON.parse(body);
        for (const m of [parsed.message, parsed.error_message, parsed.error]) {
            if (typeof m === 'string' && m.trim())
                return m.trim().split('\n')[0];
        }
    }
    catch {
        // not JSON: an ingress or proxy page
    }
    return undefined;
}
/** An HttpError from KFP, rephrased so the user knows what to fix. */
class api_errors_KfpError extends Error {
    name = 'KfpError';
    status;
    transient;
    /** The server may have acted on the request although the answer was an error or lost. */
    maybeProcessed;
    constructor(message, status, transient, o = {}) {
        super(message);
        this.status = status;
        this.transient = transient;
        this.maybeProcessed = o.maybeProcessed ?? false;
    }
}
function explain(error, host, authKind) {
    const what = `${error.method} ${error.url}`;
    const said = kfpMessage(error.body);
    const detail = said ?? error.detail;
    const transient = error.status === undefined ? !error.tls : RETRYABLE_STATUSES.has(error.status);
    // Not processed: the server said so (429, 503) or no connection was made.
    const notProcessed = error.status === 429 || error.status === 503 || error.code === 'ECONNREFUSED';
    const facts = { maybeProcessed: transient && !notProcessed };
    if (error.status === 401) {
        return new api_errors_KfpError(`KFP refused the credentials (HTTP 401) for ${what}: ${detail}. ${authKind === 'none' ? "No credentials were sent: set 'token' (a bearer token KFP accepts, e.g. a Kubernetes service-account token with audience pipelines.kubeflow.org), 'cookie' or 'iap-audience'." : `Check the '${authKind}' input: it may be expired or meant for another host.`}`, 401, false);
    }
    if (error.status === 403) {
        return new api_errors_KfpError(`KFP denied ${what} (HTTP 403): ${detail}. The identity is authenticated but not allowed: in multi-user Kubeflow it needs access to the profile namespace ('namespace' input).`, 403, false);
    }
    if (error.status === undefined) {
        return new api_errors_KfpError(`cannot reach KFP at ${host}: ${what} failed: ${error.detail}. Check 'host' and that the runner can reach it.`, undefined, transient, facts);
    }
    return new api_errors_KfpError(`${what} failed with HTTP ${error.status}: ${detail}`, error.status, transient, facts);
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/api-types.js
/** The v2beta1 wire types kfp-run-and-wait reads and sends (snake_case, as on the wire). */
const api_types_TERMINAL_STATES = new Set([
    'SUCCEEDED',
    'SKIPPED',
    'FAILED',
    'CANCELED',
]);

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/api.js
/**
 * The KFP v2beta1 REST API, as much as kfp-run-and-wait uses (swagger: run, pipeline,
 * pipeline.upload, experiment, healthz). Field names are the wire's snake_case; errors are
 * wrapped with the method, URL, status and KFP's own message, and say what to do about
 * authentication and wrong hosts.
 */







function eqFilter(key, value) {
    return JSON.stringify({ predicates: [{ operation: 'EQUALS', key, string_value: value }] });
}
/** How far the runner's and the server's clocks may disagree when matching created_at. */
const CLOCK_SKEW_MS = 5 * 60_000;
class KfpClient {
    host;
    http;
    once;
    clock;
    signal;
    authKind;
    /** Requests made, by kind: for the summary and the benchmark. */
    counts = new Map();
    constructor(o) {
        this.host = o.host;
        this.http = o.http;
        this.once = o.once;
        this.clock = o.clock;
        this.signal = o.signal;
        this.authKind = o.authKind;
    }
    url(path, query = {}) {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(query))
            if (v !== undefined)
                q.set(k, v);
        const qs = q.toString();
        return `${this.host}/apis/v2beta1${path}${qs ? `?${qs}` : ''}`;
    }
    async call(kind, req, signal = this.signal, http = this.http) {
        this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
        try {
            const res = await http.request({
                ...req,
                headers: { accept: 'application/json', ...req.headers },
                ...(signal ? { signal } : {}),
            });
            return (res.body.trim() === '' ? {} : res.json());
        }
        catch (error) {
            if (error instanceof errors/* HttpError */.j$)
                throw explain(error, this.host, this.authKind);
            throw error;
        }
    }
    json(kind, method, url, body) {
        return this.call(kind, {
            method,
            url,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
        });
    }
    healthz() {
        return this.call('healthz', { url: this.url('/healthz') });
    }
    async findExperiment(name, namespace) {
        const list = await this.call('experiment', {
            url: this.url('/experiments', {
                namespace,
                filter: eqFilter('display_name', name),
                page_size: '10',
            }),
        });
        return list.experiments?.find((e) => e.display_name === name);
    }
    createExperiment(name, namespace) {
        return this.json('experiment', 'POST', this.url('/experiments'), {
            display_name: name,
            ...(namespace ? { namespace } : {}),
            description: 'Created by mlops-actions/kfp-run-and-wait',
        });
    }
    async findPipeline(name, namespace) {
        const list = await this.call('pipeline', {
            url: this.url('/pipelines', {
                namespace,
                filter: eqFilter('display_name', name),
                page_size: '10',
            }),
        });
        return list.pipelines?.find((p) => p.display_name === name);
    }
    getPipelineVersion(pipelineId, versionId) {
        return this.call('pipeline', {
            url: this.url(`/pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`),
        });
    }
    async findVersion(pipelineId, name) {
        const list = await this.call('pipeline', {
            url: this.url(`/pipelines/${encodeURIComponent(pipelineId)}/versions`, {
                filter: eqFilter('display_name', name),
                page_size: '10',
            }),
        });
        return list.pipeline_versions?.find((v) => v.display_name === name);
    }
    async latestVersion(pipelineId) {
        const list = await this.call('pipeline', {
            url: this.url(`/pipelines/${encodeURIComponent(pipelineId)}/versions`, {
                sort_by: 'created_at desc',
                page_size: '1',
            }),
        });
        return list.pipeline_versions?.[0];
    }
    /** Uploads a new pipeline (its first version is the file). */
    uploadPipeline(name, file, namespace) {
        return this.upload(this.url('/pipelines/upload', { name, display_name: name, namespace }), file);
    }
    uploadVersion(pipelineId, versionName, file) {
        return this.upload(this.url('/pipelines/upload_version', {
            pipelineid: pipelineId,
            name: versionName,
            display_name: versionName,
        }), file);
    }
    upload(url, file) {
        const { body, contentType } = multipart('uploadfile', file);
        return this.call('upload', {
            method: 'POST',
            url,
            headers: { 'content-type': contentType },
            body,
        });
    }
    /**
     * Creates a run, never two. KFP has no idempotency key, so a create whose answer was lost
     * (a 500/502/504, a reset, a timeout) may have created the run: before trying again, the
     * runs of that name created since the first attempt are listed, and one found is the run.
     * Answers that mean "not processed" (429, 503, connection refused) are simply retried.
     */
    async createRun(body, o = {}) {
        const attempts = o.attempts ?? 5;
        const since = this.clock.now() - CLOCK_SKEW_MS;
        const url = this.url('/runs');
        for (let attempt = 1;; attempt++) {
            this.counts.set('create-run', (this.counts.get('create-run') ?? 0) + 1);
            let problem;
            try {
                const res = await this.once.request({
                    method: 'POST',
                    url,
                    headers: { accept: 'application/json', 'content-type': 'application/json' },
                    body: JSON.stringify(body),
                    okStatuses: [...RETRYABLE_STATUSES],
                    ...(this.signal ? { signal: this.signal } : {}),
                });
                if (res.status >= 200 && res.status < 300)
                    return res.json();
                const retryAfterMs = parseRetryAfter(res.header('retry-after'), this.clock.now());
                problem = {
                    message: `POST ${url} failed with HTTP ${res.status}: ${kfpMessage(res.body) ?? (res.body.trim().slice(0, 200) || 'no body')}`,
                    // 429 and 503 say the request was not processed; the others may hide a created run.
                    maybeProcessed: res.status !== 429 && res.status !== 503,
                    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
                };
            }
            catch (error) {
                if (!(error instanceof errors/* HttpError */.j$))
                    throw error;
                const explained = explain(error, this.host, this.authKind);
                if (!explained.transient || this.signal?.aborted)
                    throw explained;
                problem = { message: explained.message, maybeProcessed: explained.maybeProcessed };
            }
            if (problem.maybeProcessed) {
                const found = await this.findRunCreatedSince(body, since);
                if (found) {
                    o.onRetry?.(`${problem.message}; the run was created all the same: ${found.run_id}`);
                    return found;
                }
            }
            if (attempt >= attempts) {
                throw new api_errors_KfpError(`${problem.message} (gave up after ${attempt} attempts)`, undefined, true);
            }
            const wait = Math.min(60_000, Math.max(problem.retryAfterMs ?? 0, backoffDelay(attempt)));
            o.onRetry?.(`${problem.message}; retry ${attempt} in ${wait} ms`);
            await this.clock.sleep(wait, this.signal);
        }
    }
    /** The newest run named like `body` (in its experiment) created at or after `since`. */
    async findRunCreatedSince(body, since) {
        const list = await this.call('list-runs', {
            url: this.url('/runs', {
                experiment_id: body.experiment_id,
                filter: eqFilter('display_name', body.display_name),
                sort_by: 'created_at desc',
                page_size: '5',
            }),
        });
        return list.runs?.find((r) => r.display_name === body.display_name && Date.parse(r.created_at ?? '') >= since);
    }
    getRun(runId, signal) {
        return this.call('get-run', { url: this.url(`/runs/${encodeURIComponent(runId)}`) }, signal);
    }
    /** Cancels a run (`:terminate`): the store moves it to CANCELING, then CANCELED. */
    async terminateRun(runId, signal) {
        await this.call('terminate', { method: 'POST', url: this.url(`/runs/${encodeURIComponent(runId)}:terminate`) }, signal);
    }
}
/** A multipart/form-data body with one file field. */
function multipart(field, file) {
    const boundary = `mlops-actions-${(0,external_node_crypto_.randomBytes)(12).toString('hex')}`;
    const safeName = file.filename.replace(/["\r\n\\]/g, '_');
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${safeName}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    return {
        body: Buffer.concat([head, file.bytes, tail]),
        contentType: `multipart/form-data; boundary=${boundary}`,
    };
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/auth.js
/** ID tokens live an hour: mint a new one well before that. */
const ID_TOKEN_REUSE_MS = 45 * 60_000;
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
/**
 * From Application Default Credentials: a service-account key, GCE metadata, or an
 * impersonated service account sign ID tokens themselves; Workload Identity Federation (what
 * google-github-actions/auth leaves, an `external_account` with a service account) cannot, so
 * its service account mints the token through IAM Credentials generateIdToken.
 */
const googleIdToken = async (audience) => {
    const { GoogleAuth, IdentityPoolClient } = await __webpack_require__.e(/* import() */ 492).then(__webpack_require__.t.bind(__webpack_require__, 492, 19));
    // An ID token needs no project; naming one spares getClient() a Resource Manager lookup
    // that federated credentials would make (with a token the step does not need).
    const projectId = process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT || 'not-used-for-id-tokens';
    const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM], projectId });
    const client = await auth.getClient();
    if ('fetchIdToken' in client && typeof client.fetchIdToken === 'function') {
        return client.fetchIdToken(audience);
    }
    const config = (auth.jsonContent ?? {});
    const impersonationUrl = config.service_account_impersonation_url;
    const email = /serviceAccounts\/([^/:]+):generateAccessToken/.exec(impersonationUrl ?? '')?.[1];
    if (!impersonationUrl || !email) {
        throw new Error('these credentials cannot mint ID tokens: federated credentials need a service account to impersonate (google-github-actions/auth with `service_account`)');
    }
    // As google-github-actions/auth does for `token_format: id_token`: the federated token (not
    // the service account's own) calls generateIdToken, at the endpoint the configuration names.
    const federated = { ...auth.jsonContent };
    delete federated.service_account_impersonation_url;
    delete federated.service_account_impersonation;
    const source = new IdentityPoolClient(federated);
    const res = await source.request({
        url: `${new URL(impersonationUrl).origin}/v1/projects/-/serviceAccounts/${email}:generateIdToken`,
        method: 'POST',
        data: { audience, includeEmail: true, delegates: [] },
    });
    if (!res.data.token)
        throw new Error('IAM Credentials generateIdToken returned no token');
    return res.data.token;
};
function authHeaders(auth, logger, clock, idToken = googleIdToken) {
    switch (auth.kind) {
        case 'token':
            logger.secret(auth.token);
            return async () => ({ authorization: `Bearer ${auth.token}` });
        case 'cookie':
            logger.secret(auth.cookie);
            for (const pair of auth.cookie.split(';')) {
                const value = pair.slice(pair.indexOf('=') + 1).trim();
                if (value.length >= 4)
                    logger.secret(value);
            }
            return async () => ({ cookie: auth.cookie });
        case 'iap': {
            let cached;
            return async () => {
                if (!cached || clock.now() - cached.at > ID_TOKEN_REUSE_MS) {
                    let token;
                    try {
                        token = await idToken(auth.audience);
                    }
                    catch (error) {
                        throw new Error(`cannot mint a Google ID token for IAP audience ${auth.audience}: ${error.message}. ` +
                            'It needs Application Default Credentials that can sign ID tokens (a service-account key, ' +
                            'google-github-actions/auth with a service_account, or GCE metadata).');
                    }
                    logger.secret(token);
                    cached = { token, at: clock.now() };
                }
                return { authorization: `Bearer ${cached.token}` };
            };
        }
        case 'none':
            return async () => ({});
    }
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/client.js



const USER_AGENT = 'mlops-actions/kfp-run-and-wait';
function createKfpClient(conn, o) {
    const options = {
        userAgent: USER_AGENT,
        timeoutMs: 30_000,
        connectTimeoutMs: 15_000,
        clock: o.clock,
        authHeaders: authHeaders(conn.auth, o.logger, o.clock, o.idToken),
        onRetry: (message) => o.logger.info(message),
    };
    return new KfpClient({
        host: conn.host,
        http: createHttpClient(options),
        once: createHttpClient({ ...options, attempts: 1 }),
        clock: o.clock,
        ...(o.signal ? { signal: o.signal } : {}),
        authKind: conn.auth.kind === 'iap' ? 'iap-audience' : conn.auth.kind,
    });
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/inputs.js
/**
 * kfp-run-and-wait's inputs: parsed and checked in one step, before any file is read or any
 * request is made. Every error names the input and what is allowed.
 */



/** KFP ids are UUIDs; accepting only URL-safe characters keeps them out of path tricks. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Pipeline and experiment names: printable, one line, bounded. */
const NAME = /^[^\p{Cc}]{1,255}$/u;
function parseHost(inputs) {
    const raw = inputs.required('host');
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
        throw new errors/* InputError */.dz(`Input 'host' must be the http(s) URL of the KFP API, e.g. https://kubeflow.example.com/pipeline (got "${raw}").`);
    }
    if (url.username || url.password) {
        throw new errors/* InputError */.dz("Input 'host' must not carry credentials: use 'token', 'cookie' or 'iap-audience'.");
    }
    if (url.search || url.hash) {
        throw new errors/* InputError */.dz(`Input 'host' must not have a query or fragment (got "${raw}").`);
    }
    return url.toString().replace(/\/+$/, '');
}
function parseAuth(inputs) {
    const which = inputs.atMostOneOf('token', 'cookie', 'iap-audience');
    if (which === 'token') {
        const token = inputs.required('token').replace(/^Bearer\s+/i, '');
        if (/\s/.test(token))
            throw new errors/* InputError */.dz("Input 'token' must be one token, without spaces.");
        return { kind: 'token', token };
    }
    if (which === 'cookie') {
        const cookie = inputs.required('cookie');
        if (!/^[^=\s;]+=[^;\r\n]*(;\s*[^=\s;]+=[^;\r\n]*)*;?$/.test(cookie)) {
            throw new errors/* InputError */.dz("Input 'cookie' must be NAME=VALUE pairs separated by '; ' (e.g. oauth2_proxy_kubeflow=… or authservice_session=…).");
        }
        return { kind: 'cookie', cookie };
    }
    if (which === 'iap-audience') {
        const audience = inputs.required('iap-audience');
        if (/\s/.test(audience)) {
            throw new errors/* InputError */.dz("Input 'iap-audience' must be the IAP OAuth client id (…apps.googleusercontent.com), without spaces.");
        }
        return { kind: 'iap', audience };
    }
    return { kind: 'none' };
}
/** The inputs the post step needs to reach KFP again. */
function getConnectionInputs(inputs = new inputs_Inputs()) {
    const host = parseHost(inputs);
    const namespace = inputs.dnsLabel('namespace');
    return {
        host,
        ...(namespace ? { namespace } : {}),
        auth: parseAuth(inputs),
        cancelOnTimeout: inputs.bool('cancel-on-timeout', true),
    };
}
function parseSource(inputs, workspace) {
    const given = inputs.exactlyOneOf('pipeline-file', 'pipeline-id');
    if (given === 'pipeline-file') {
        if (inputs.has('pipeline-version-id')) {
            throw new InputError("Input 'pipeline-version-id' goes with 'pipeline-id', not with 'pipeline-file' (a file is uploaded as a new version: name its pipeline with 'pipeline-name').");
        }
        const file = path.resolve(workspace, inputs.required('pipeline-file'));
        const pipelineName = inputs.optional('pipeline-name');
        if (pipelineName === undefined)
            return { kind: 'inline', file };
        if (!NAME.test(pipelineName)) {
            throw new InputError("Input 'pipeline-name' must be one line of at most 255 printable characters.");
        }
        return { kind: 'upload', file, pipelineName };
    }
    if (inputs.has('pipeline-name')) {
        throw new InputError("Inputs 'pipeline-name' and 'pipeline-id' cannot be used together: 'pipeline-name' names the pipeline a 'pipeline-file' is uploaded to.");
    }
    const pipelineId = inputs.required('pipeline-id');
    if (!inputs.has('pipeline-version-id')) {
        throw new InputError("Input 'pipeline-version-id' is required with 'pipeline-id': the run must say which version it ran.");
    }
    const pipelineVersionId = inputs.required('pipeline-version-id');
    for (const [name, value] of [
        ['pipeline-id', pipelineId],
        ['pipeline-version-id', pipelineVersionId],
    ]) {
        if (!ID.test(value)) {
            throw new InputError(`Input '${name}' must be a KFP id (letters, digits, '.', '_', '-'), got "${value}".`);
        }
    }
    return { kind: 'version', pipelineId, pipelineVersionId };
}
/** Parses and validates every input before any side effect. */
function getInputs(inputs = new Inputs(), env = process.env) {
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const connection = getConnectionInputs(inputs);
    const source = parseSource(inputs, workspace);
    const experimentName = inputs.optional('experiment-name');
    if (experimentName !== undefined && !NAME.test(experimentName)) {
        throw new InputError("Input 'experiment-name' must be one line of at most 255 printable characters.");
    }
    const context = {
        sha: (env.GITHUB_SHA ?? '').slice(0, 7) || 'local',
        runId: env.GITHUB_RUN_ID ?? '0',
        runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
        repository: env.GITHUB_REPOSITORY ?? '',
    };
    const runName = inputs.optional('run-name') ?? defaultRunName(source, context);
    if (!NAME.test(runName)) {
        throw new InputError("Input 'run-name' must be one line of at most 255 printable characters.");
    }
    const timeoutMs = inputs.duration('timeout', '60m', { minMs: 1000, maxMs: 72 * 3_600_000 });
    const pollIntervalMs = inputs.duration('poll-interval', '20s', {
        minMs: 1000,
        maxMs: 600_000,
    });
    return {
        ...connection,
        source,
        ...(experimentName ? { experimentName } : {}),
        runName,
        parameters: inputs.raw('parameters'),
        wait: inputs.bool('wait', true),
        timeoutMs,
        pollIntervalMs,
        outputDir: env.RUNNER_TEMP || workspace,
        workspace,
        context,
    };
}
function defaultRunName(source, c) {
    const what = source.kind === 'upload'
        ? source.pipelineName
        : source.kind === 'inline'
            ? path.basename(source.file).replace(/\.(ya?ml|json)$/i, '')
            : 'run';
    return `${what} ${c.sha} #${c.runId}.${c.runAttempt}`;
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/state.js
/** What kfp-run-and-wait's main step leaves its post step: the run, and whether it is settled. */

function isSavedRun(value) {
    const v = value;
    return (typeof v === 'object' &&
        v !== null &&
        typeof v.runId === 'string' &&
        v.runId !== '' &&
        typeof v.runUrl === 'string' &&
        typeof v.settled === 'boolean');
}
const runState = jsonState('run', isSavedRun);

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
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
            for await (const entry of glob(pattern, { cwd }))
                found.push(path.resolve(cwd, entry));
            found.sort();
        }
        else {
            const abs = path.resolve(cwd, pattern);
            try {
                await stat(abs);
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
            const info = await stat(abs);
            matches.push({ pattern, path: abs, isDirectory: info.isDirectory() });
        }
    }
    return { matches, unmatched };
}
/** A path relative to the workspace, with forward slashes: how annotations want it. */
function files_workspaceRelative(abs, workspace) {
    const rel = path.relative(workspace, abs);
    return (rel.startsWith('..') ? abs : rel).split(path.sep).join('/');
}
const KUSTOMIZATION_FILES = (/* unused pure expression or super */ null && (['kustomization.yaml', 'kustomization.yml', 'Kustomization']));
const MANIFEST_EXT = /\.(ya?ml|json)$/i;
async function listManifestFiles(dir) {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries
        .filter((e) => e.isFile() && MANIFEST_EXT.test(e.name))
        .map((e) => path.join(e.parentPath, e.name))
        .sort();
}
function kustomizationIn(names) {
    return KUSTOMIZATION_FILES.find((f) => names.has(f));
}
/**
 * Resolves a manifests input (files, directories, globs) into sources: plain files, or directories that hold a
 * kustomization (built as one). A directory without one contributes its YAML/JSON files.
 */
async function resolveManifestSources(patterns, workspace, input = 'manifests') {
    const { matches, unmatched } = await expandPatterns(patterns, workspace);
    if (unmatched.length > 0) {
        throw new InputError(`Input '${input}': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`);
    }
    const sources = [];
    const seen = new Set();
    const add = (source) => {
        if (seen.has(source.abs))
            return;
        seen.add(source.abs);
        sources.push(source);
    };
    for (const match of matches) {
        if (!match.isDirectory) {
            add({ type: 'file', abs: match.path, file: files_workspaceRelative(match.path, workspace) });
            continue;
        }
        const names = new Set(await readdir(match.path));
        const kustomization = kustomizationIn(names);
        if (kustomization) {
            add({
                type: 'kustomization',
                abs: match.path,
                dir: files_workspaceRelative(match.path, workspace),
                kustomizationFile: files_workspaceRelative(path.join(match.path, kustomization), workspace),
            });
            continue;
        }
        const files = await listManifestFiles(match.path);
        if (files.length === 0) {
            throw new InputError(`Input '${input}': directory "${match.pattern}" holds no .yaml, .yml or .json files.`);
        }
        for (const abs of files)
            add({ type: 'file', abs, file: files_workspaceRelative(abs, workspace) });
    }
    return sources;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/parameters.js
/** The `parameters` input: a JSON or YAML map of runtime parameter name → value. */


/** `parameters`: a JSON or YAML map of parameter name → value. */
function parameters_parseParameters(text) {
    if (text.trim() === '')
        return {};
    let value;
    try {
        value = parseYaml(text);
    }
    catch (error) {
        const first = (error.message.split('\n')[0] ?? '').trim();
        throw new InputError(`Input 'parameters' is not valid JSON or YAML: ${first}`);
    }
    if (value === null || value === undefined)
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new InputError('Input \'parameters\' must be a map of parameter name to value, e.g. {"lr": 0.01} or lines of `lr: 0.01`.');
    }
    return value;
}

;// CONCATENATED MODULE: ./.build/shared/yaml.js


/**
 * Parses every document of a file, keeping comments and source positions. Broken YAML
 * throws a LocatedError with the file and line of the first problem.
 */
function yaml_parseYamlFile(text, file) {
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, {
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
            throw new LocatedError(`${file}:${pos.line}: invalid YAML: ${message}`, file, pos.line, pos.col);
        }
        // An empty document (`---` at the end, or a comment-only file) carries nothing.
        if (doc.contents === null)
            return;
        result.push({ file, index, doc, lineCounter, source: text.slice(start, doc.range[2]) });
    });
    return result;
}
/** The 1-based line of the node at `path` in a document (or of its nearest existing parent). */
function yaml_lineOf(source, path) {
    let node = source.doc.contents;
    let best = rangeLine(source, node);
    for (const key of path) {
        if (isMap(node)) {
            const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
            if (!pair)
                break;
            best = rangeLine(source, pair.key) ?? best;
            node = pair.value;
        }
        else if (isSeq(node) && typeof key === 'number') {
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

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/pipeline-spec.js
/**
 * The compiled pipeline (KFP IR YAML, a PipelineSpec) and its root parameters: the file is
 * checked to be a PipelineSpec before any request, and `parameters` against the spec's root
 * `inputDefinitions`, so a typo fails in the workflow, not 10 minutes into the run.
 */



const pipeline_spec_isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Reads the file and checks that it is a compiled KFP v2 pipeline. */
async function pipeline_spec_loadPipelineFile(file, shown) {
    let bytes;
    try {
        bytes = await readFile(file);
    }
    catch (error) {
        throw new InputError(`Input 'pipeline-file': cannot read ${shown}: ${error.code ?? error.message}`);
    }
    const docs = parseYamlFile(bytes.toString('utf8'), shown);
    const first = docs[0];
    if (!first)
        throw new LocatedError(`${shown} is empty: expected a compiled KFP pipeline`, shown, 1);
    const spec = first.doc.toJS();
    const problems = [];
    let at = [];
    if (!pipeline_spec_isMap(spec))
        problems.push('the document is not a map');
    else {
        const need = (key, ok, what) => {
            if (!ok(spec[key])) {
                problems.push(`\`${key}\` ${spec[key] === undefined ? 'is missing' : `must be ${what}`}`);
                if (at.length === 0)
                    at = spec[key] === undefined ? [] : [key];
            }
        };
        need('pipelineInfo', (v) => pipeline_spec_isMap(v) && typeof v.name === 'string' && v.name !== '', 'a map with a name');
        need('root', (v) => pipeline_spec_isMap(v) && pipeline_spec_isMap(v.dag), 'a map with a `dag`');
        need('schemaVersion', (v) => typeof v === 'string', 'a string');
        need('components', pipeline_spec_isMap, 'a map');
        need('deploymentSpec', pipeline_spec_isMap, 'a map');
    }
    if (problems.length > 0 || !pipeline_spec_isMap(spec)) {
        const line = lineOf(first, at);
        throw new LocatedError(`${shown}${line ? `:${line}` : ''}: not a compiled KFP pipeline (PipelineSpec): ${problems.join('; ')}. Compile it with the KFP SDK (kfp dsl compile / compiler.Compiler().compile) and pass the YAML it writes.`, shown, line);
    }
    const platform = docs[1]?.doc.toJS();
    const inline = pipeline_spec_isMap(platform) ? { pipeline_spec: spec, platform_spec: platform } : spec;
    return {
        file,
        bytes,
        inline,
        name: String(spec.pipelineInfo.name),
        parameters: pipeline_spec_rootParameters(spec),
    };
}
/** The root `inputDefinitions.parameters` of a PipelineSpec (as JSON from KFP or the file). */
function pipeline_spec_rootParameters(spec) {
    const result = new Map();
    const s = pipeline_spec_isMap(spec) && pipeline_spec_isMap(spec.pipeline_spec) ? spec.pipeline_spec : spec;
    if (!pipeline_spec_isMap(s) || !pipeline_spec_isMap(s.root) || !pipeline_spec_isMap(s.root.inputDefinitions))
        return result;
    const params = s.root.inputDefinitions.parameters;
    if (!pipeline_spec_isMap(params))
        return result;
    for (const [name, def] of Object.entries(params)) {
        const d = pipeline_spec_isMap(def) ? def : {};
        result.set(name, {
            type: typeof d.parameterType === 'string' ? d.parameterType : undefined,
            optional: d.isOptional === true || d.defaultValue !== undefined,
        });
    }
    return result;
}
function typeOk(type, value) {
    switch (type) {
        case 'STRING':
            return typeof value === 'string';
        case 'NUMBER_INTEGER':
            return typeof value === 'number' && Number.isInteger(value);
        case 'NUMBER_DOUBLE':
            return typeof value === 'number' && Number.isFinite(value);
        case 'BOOLEAN':
            return typeof value === 'boolean';
        case 'LIST':
            return Array.isArray(value);
        case 'STRUCT':
            return pipeline_spec_isMap(value);
        default:
            return true;
    }
}
const TYPE_NAMES = {
    STRING: 'a string',
    NUMBER_INTEGER: 'an integer',
    NUMBER_DOUBLE: 'a number',
    BOOLEAN: 'true or false',
    LIST: 'a list',
    STRUCT: 'a map',
    TASK_FINAL_STATUS: 'a task final status',
};
/**
 * Checks `parameters` against the root parameters: every name known, every value of its
 * type, every required one given. One error lists every problem.
 */
function pipeline_spec_checkParameters(given, declared, where) {
    const problems = [];
    const known = [...declared.keys()].sort();
    for (const [name, value] of Object.entries(given)) {
        const def = declared.get(name);
        if (!def) {
            problems.push(`unknown parameter '${name}' (${where} declares ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'no parameters'})`);
        }
        else if (!typeOk(def.type, value)) {
            problems.push(`parameter '${name}' must be ${def.type ? TYPE_NAMES[def.type] : 'set'} (got ${JSON.stringify(value)})`);
        }
    }
    for (const [name, def] of declared) {
        if (!def.optional && !(name in given)) {
            problems.push(`parameter '${name}' is required (no default in ${where})`);
        }
    }
    if (problems.length > 0) {
        throw new InputError(`Input 'parameters': ${problems.join('; ')}.`);
    }
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/resolve.js
/**
 * The phases before the run: prepare (parameters and pipeline file, no call), the pipeline
 * the run uses (inline, uploaded as a new version, or given), and the experiment. Races with
 * other jobs and lost answers (409 on retry) end in reuse, never in a duplicate or a failure.
 */





/** Phase 1, no call: parse the parameters, read and check the pipeline file against them. */
async function resolve_preparePipeline(inputs) {
    const parameters = parseParameters(inputs.parameters);
    const s = inputs.source;
    if (s.kind === 'version')
        return { parameters, pipeline: undefined };
    const loaded = await loadPipelineFile(s.file, workspaceRelative(s.file, inputs.workspace));
    checkParameters(parameters, loaded.parameters, `pipeline '${loaded.name}'`);
    return { parameters, pipeline: loaded };
}
/** Phase 3: the pipeline the run uses (inline, a new uploaded version, or the given one). */
async function resolve_resolvePipeline(inputs, prepared, deps, changes) {
    const { client, logger } = deps;
    const loaded = prepared.pipeline;
    const s = inputs.source;
    if (s.kind === 'version') {
        const version = await client.getPipelineVersion(s.pipelineId, s.pipelineVersionId);
        checkParameters(prepared.parameters, rootParameters(version.pipeline_spec), `pipeline version ${s.pipelineVersionId}`);
        return {
            body: {
                pipeline_version_reference: {
                    pipeline_id: s.pipelineId,
                    pipeline_version_id: s.pipelineVersionId,
                },
            },
            source: `pipeline ${s.pipelineId}, version ${version.display_name ?? s.pipelineVersionId}`,
        };
    }
    if (!loaded)
        throw new Error('internal: the pipeline file was not loaded');
    if (s.kind === 'inline') {
        return { body: { pipeline_spec: loaded.inline }, source: `${loaded.name} (inline spec)` };
    }
    const filename = /\.(ya?ml|json)$/i.test(s.file) ? path.basename(s.file) : 'pipeline.yaml';
    const upload = { filename, bytes: loaded.bytes };
    const versionName = `${s.pipelineName}-${inputs.context.sha}-${inputs.context.runId}-${inputs.context.runAttempt}`;
    let existing = await client.findPipeline(s.pipelineName, inputs.namespace);
    if (!existing) {
        try {
            const created = await client.uploadPipeline(s.pipelineName, upload, inputs.namespace);
            changes.push(`Created pipeline \`${s.pipelineName}\` (${created.pipeline_id})`);
            const version = await client.latestVersion(created.pipeline_id);
            if (!version) {
                throw new KfpError(`KFP created pipeline ${created.pipeline_id} but lists no version of it`, undefined, false);
            }
            return uploaded(s.pipelineName, created.pipeline_id, version.pipeline_version_id, logger);
        }
        catch (error) {
            // Created meanwhile (another job, or a retried request): add a version to it instead.
            if (!alreadyExists(error))
                throw error;
            existing = await client.findPipeline(s.pipelineName, inputs.namespace);
            if (!existing)
                throw error;
        }
    }
    const pipelineId = existing.pipeline_id;
    let versionId;
    try {
        versionId = (await client.uploadVersion(pipelineId, versionName, upload)).pipeline_version_id;
        changes.push(`Uploaded version \`${versionName}\` (${versionId}) of pipeline \`${s.pipelineName}\``);
    }
    catch (error) {
        // The name is this job's own: an earlier attempt of this request uploaded it.
        if (!alreadyExists(error))
            throw error;
        const found = await client.findVersion(pipelineId, versionName);
        if (!found)
            throw error;
        versionId = found.pipeline_version_id;
        changes.push(`Uploaded version \`${versionName}\` (${versionId}) of pipeline \`${s.pipelineName}\` (its answer was lost; found by name)`);
    }
    return uploaded(s.pipelineName, pipelineId, versionId, logger);
}
const alreadyExists = (error) => error instanceof KfpError && error.status === 409;
function uploaded(name, pipelineId, versionId, logger) {
    logger.info(`Pipeline ${name}: ${pipelineId}, version ${versionId}`);
    return {
        body: {
            pipeline_version_reference: { pipeline_id: pipelineId, pipeline_version_id: versionId },
        },
        source: `pipeline \`${name}\` (${pipelineId}), version ${versionId}`,
    };
}
/** Phase 4: the experiment, found by name or created. */
async function resolve_resolveExperiment(inputs, deps, changes) {
    if (!inputs.experimentName)
        return undefined;
    const found = await deps.client.findExperiment(inputs.experimentName, inputs.namespace);
    if (found)
        return found.experiment_id;
    try {
        const created = await deps.client.createExperiment(inputs.experimentName, inputs.namespace);
        changes.push(`Created experiment \`${inputs.experimentName}\` (${created.experiment_id})`);
        return created.experiment_id;
    }
    catch (error) {
        // Created meanwhile by another job: use it.
        if (!alreadyExists(error))
            throw error;
        const again = await deps.client.findExperiment(inputs.experimentName, inputs.namespace);
        if (!again)
            throw error;
        return again.experiment_id;
    }
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/run.js





/** The first poll comes this soon after creation; each next one 1.5× later, up to the cap. */
const FIRST_POLL_MS = 2000;
const POLL_FACTOR = 1.5;
/** How long main may spend cancelling the run once the job is cancelled (the runner waits ~7 s). */
const CANCEL_BUDGET_MS = 5000;
/** The KFP UI page of a run (the UI serves the API root's `/#/runs/details/<id>`). */
function runUrl(host, runId) {
    return `${host}/#/runs/details/${encodeURIComponent(runId)}`;
}
/** A failure before the run exists: `changes` say what was done so far. */
class PreRunError extends Error {
    name = 'PreRunError';
    changes;
    cause;
    constructor(cause, changes) {
        super((0,errors/* errorMessage */.gJ)(cause));
        this.cause = cause;
        this.changes = changes;
    }
}
/** Everything up to the created run; a failure says what was changed on the way. */
async function run_submit(inputs, prepared, deps, changes) {
    const { client, logger } = deps;
    const health = await client.healthz();
    if (health.multi_user && !inputs.namespace) {
        throw new InputError(`KFP at ${inputs.host} runs in multi-user mode: set 'namespace' to your Kubeflow profile namespace.`);
    }
    logger.info(`KFP ${health.tag_name ?? '(version unknown)'} at ${inputs.host}${health.multi_user ? ' (multi-user)' : ''}`);
    const resolved = await resolvePipeline(inputs, prepared, deps, changes);
    const experimentId = await resolveExperiment(inputs, deps, changes);
    const run = await client.createRun({
        display_name: inputs.runName,
        description: `Started by ${inputs.context.repository || 'GitHub Actions'} run ${inputs.context.runId} (attempt ${inputs.context.runAttempt}) at ${inputs.context.sha}`,
        ...(experimentId ? { experiment_id: experimentId } : {}),
        ...resolved.body,
        runtime_config: { parameters: prepared.parameters },
    }, { onRetry: (message) => logger.warning(message) });
    if (!run.run_id)
        throw new KfpError('KFP created a run but returned no run_id', undefined, false);
    return { run, source: resolved.source };
}
function stateOf(run) {
    return run.state ?? 'RUNTIME_STATE_UNSPECIFIED';
}
/** Failed tasks with their errors, in KFP's order, as `name: message` lines; then the run's error. */
function failedTasks(run) {
    const tasks = run.run_details?.task_details ?? [];
    const failed = tasks.filter((t) => t.state === 'FAILED');
    const lines = failed.map((t) => `${run_taskName(t)}: ${t.error?.message?.trim() || 'failed (KFP gave no message)'}`);
    if (run.error?.message && !lines.some((l) => l.includes(run.error?.message ?? ''))) {
        lines.push(`run: ${run.error.message.trim()}`);
    }
    return lines;
}
function run_taskName(t) {
    return t.display_name || t.task_id || '(unnamed task)';
}
/** Cancels the run in KFP, bounded by its own time (the step's may be spent). */
async function cancelRun(deps, runId, why) {
    const budget = AbortSignal.timeout(CANCEL_BUDGET_MS);
    try {
        await deps.client.terminateRun(runId, budget);
        deps.logger.info(`Cancelled run ${runId} in KFP (${why})`);
        return { ok: true, message: `Cancelled run ${runId} in KFP (${why})` };
    }
    catch (error) {
        return { ok: false, message: `Could not cancel run ${runId} in KFP: ${errorMessage(error)}` };
    }
}
async function kfpRunAndWait(inputs, deps) {
    const { client, clock, logger, signal } = deps;
    const startedAt = clock.now();
    const deadline = startedAt + inputs.timeoutMs;
    const changes = [];
    const prepared = await preparePipeline(inputs);
    let submitted;
    try {
        submitted = await run_submit(inputs, prepared, deps, changes);
    }
    catch (error) {
        // A request cut short by the step's deadline or the job's cancellation says which.
        const cause = deps.deadlineSignal?.aborted
            ? new Error(`timed out after ${formatDuration(inputs.timeoutMs)} before the run was created (${errorMessage(error)})`)
            : signal.aborted
                ? cancellation(signal, 'the submission of the run')
                : error;
        throw changes.length > 0 ? new PreRunError(cause, changes) : cause;
    }
    const created = submitted.run;
    const runId = created.run_id;
    const url = runUrl(inputs.host, runId);
    deps.saveRun({ runId, runUrl: url, settled: !inputs.wait });
    changes.push(`Created run \`${inputs.runName}\` (${runId})`);
    logger.info(`Created run ${runId}: ${url}`);
    const result = (outcome, run, extra = {}) => ({
        outcome,
        run,
        runUrl: url,
        state: stateOf(run),
        durationMs: clock.now() - startedAt,
        changes,
        failedTasks: [],
        source: submitted.source,
        ...extra,
    });
    if (!inputs.wait)
        return result('submitted', created);
    let last = created;
    let reported = '';
    const waited = await waitFor(async () => {
        try {
            const run = await client.getRun(runId);
            last = run;
            const state = stateOf(run);
            if (state !== reported) {
                reported = state;
                logger.info(`Run ${runId}: ${state} after ${formatDuration(clock.now() - startedAt)}`);
            }
            return TERMINAL_STATES.has(state) ? run : undefined;
        }
        catch (error) {
            // Cancelled or out of time: waitFor reports which.
            if (signal.aborted || deps.deadlineSignal?.aborted)
                return undefined;
            // An API outage (after the HTTP retries) is waited out until the deadline: the run
            // goes on in the cluster, and giving up would leave it unwatched.
            if (error instanceof KfpError && error.transient) {
                logger.warning(`Polling run ${runId}: ${error.message}; trying again`);
                return undefined;
            }
            throw error;
        }
    }, {
        clock,
        deadline,
        signal,
        intervalMs: Math.min(FIRST_POLL_MS, inputs.pollIntervalMs),
        factor: POLL_FACTOR,
        maxIntervalMs: inputs.pollIntervalMs,
    }).catch(async (error) => {
        // Polling failed for good (e.g. the token expired): the run must not be left unwatched.
        const cancel = inputs.cancelOnTimeout
            ? await cancelRun(deps, runId, 'the step could not follow it')
            : undefined;
        if (cancel?.ok)
            deps.saveRun({ runId, runUrl: url, settled: true });
        return { done: false, reason: 'error', error, cancel };
    });
    if (waited.done) {
        deps.saveRun({ runId, runUrl: url, settled: true });
        const run = waited.value;
        const state = stateOf(run);
        if (state === 'SUCCEEDED')
            return result('succeeded', run);
        const tasks = failedTasks(run);
        return result('failed', run, {
            failedTasks: tasks,
            error: `run ${runId} ended ${state}${tasks.length ? `:\n${tasks.map((t) => `  - ${t}`).join('\n')}` : ''}\n${url}`,
        });
    }
    if (waited.reason === 'error') {
        const tail = waited.cancel
            ? waited.cancel.message
            : `Run ${runId} was left running in KFP (cancel-on-timeout is false): ${url}`;
        return result('failed', last, {
            ...(waited.cancel ? { cancel: waited.cancel } : {}),
            error: `${errorMessage(waited.error)}\n${tail}`,
        });
    }
    const why = waited.reason === 'timeout'
        ? `timed out after ${formatDuration(inputs.timeoutMs)}`
        : 'the job was cancelled';
    let cancel;
    if (inputs.cancelOnTimeout) {
        cancel = await cancelRun(deps, runId, why);
        if (cancel.ok)
            deps.saveRun({ runId, runUrl: url, settled: true });
    }
    else {
        deps.saveRun({ runId, runUrl: url, settled: true });
    }
    const tail = cancel
        ? cancel.ok
            ? `the run was cancelled in KFP`
            : `${cancel.message}; the post step tries again`
        : 'the run was left running in KFP (cancel-on-timeout is false)';
    const what = waited.reason === 'timeout'
        ? `run ${runId} ${why} in state ${stateOf(last)}`
        : `${why} while run ${runId} was ${stateOf(last)}`;
    return result(waited.reason === 'timeout' ? 'timeout' : 'cancelled', last, {
        ...(cancel ? { cancel } : {}),
        error: `${what}; ${tail}\n${url}`,
    });
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/summary.js
/** The job summary: run link, state, duration, what changed in KFP, failed tasks, a task table. */



const STATE_STATUS = {
    SUCCEEDED: 'success',
    FAILED: 'failure',
    CANCELED: 'warning',
    CANCELING: 'warning',
    SKIPPED: 'skipped',
    RUNNING: 'in-progress',
    PENDING: 'in-progress',
    PAUSED: 'in-progress',
};
function emoji(state) {
    return statusEmoji(STATE_STATUS[state ?? ''] ?? 'info');
}
function taskDuration(t) {
    const start = Date.parse(t.start_time ?? t.create_time ?? '');
    const end = Date.parse(t.end_time ?? '');
    if (Number.isNaN(start) || Number.isNaN(end) || end < start)
        return '';
    return formatDuration(end - start);
}
const HEADINGS = {
    succeeded: `${(0,summary/* statusEmoji */.H0)('success')} kfp-run-and-wait: run succeeded`,
    submitted: `${(0,summary/* statusEmoji */.H0)('info')} kfp-run-and-wait: run submitted (not waited for)`,
    failed: `${(0,summary/* statusEmoji */.H0)('failure')} kfp-run-and-wait: run failed`,
    timeout: `${(0,summary/* statusEmoji */.H0)('failure')} kfp-run-and-wait: timed out`,
    cancelled: `${(0,summary/* statusEmoji */.H0)('warning')} kfp-run-and-wait: cancelled`,
};
function runSummary(r) {
    const parts = [`## ${HEADINGS[r.outcome]}`, ''];
    parts.push([
        `- Run: [${r.run.display_name ?? r.run.run_id}](${r.runUrl}) (\`${r.run.run_id}\`)`,
        `- State: ${emoji(r.state)} ${r.state}`,
        `- Duration: ${formatDuration(r.durationMs)}`,
        `- Pipeline: ${r.source}`,
    ].join('\n'), '');
    if (r.error && r.outcome !== 'succeeded')
        parts.push('### Error', '', codeBlock(r.error), '');
    if (r.failedTasks.length > 0) {
        parts.push('### Failed tasks', '', markdownTable(['Task', 'Error'], r.failedTasks.map((line) => {
            const colon = line.indexOf(': ');
            return [line.slice(0, colon), line.slice(colon + 2)];
        })), '');
    }
    const tasks = [...(r.run.run_details?.task_details ?? [])].sort((a, b) => (a.start_time ?? a.create_time ?? '').localeCompare(b.start_time ?? b.create_time ?? ''));
    if (tasks.length > 0) {
        parts.push('### Tasks', '', markdownTable(['Task', 'State', 'Duration'], tasks.map((t) => [taskName(t), `${emoji(t.state)} ${t.state ?? ''}`, taskDuration(t)])), '');
    }
    parts.push('### Changes in KFP', '', changesList(r.changes, r.cancel?.message), '');
    return parts.join('\n');
}
function changesList(changes, cancel) {
    const all = [...changes, ...(cancel ? [cancel] : [])];
    return all.length ? all.map((c) => `- ${c}`).join('\n') : '- none';
}
/** The summary of a failure before the run existed (what was changed on the way). */
function preRunSummary(message, changes) {
    return [
        `## ${statusEmoji('failure')} kfp-run-and-wait: failed before the run started`,
        '',
        codeBlock(message),
        '',
        '### Changes in KFP',
        '',
        changesList(changes),
        '',
    ].join('\n');
}
/** The post step's summary when it cancelled (or tried to cancel) a run main left running. */
function postSummary(runId, runUrl, message, ok) {
    return [
        `## ${(0,summary/* statusEmoji */.H0)(ok ? 'warning' : 'failure')} kfp-run-and-wait (post): run [${runId}](${runUrl})`,
        '',
        message,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/kfp-run-and-wait/post-cancel.js











const runnerDeps = {
    store: runnerState,
    logger: coreLogger,
    clock: systemClock,
    connection: () => getConnectionInputs(new inputs_Inputs()),
    client: (conn) => createKfpClient(conn, { logger: coreLogger, clock: systemClock }),
    summary: summary/* writeSummary */.Sy,
};
async function cancelLeftRun(deps = runnerDeps) {
    const saved = runState.load(deps.store);
    if (!saved || saved.settled)
        return;
    const conn = deps.connection();
    const { runId, runUrl } = saved;
    if (!conn.cancelOnTimeout) {
        deps.logger.warning(`Run ${runId} may still be running in KFP (cancel-on-timeout is false): ${runUrl}`);
        return;
    }
    const client = deps.client(conn);
    let message;
    let ok = false;
    try {
        const run = await client.getRun(runId, AbortSignal.timeout(20_000));
        const state = run.state ?? 'RUNTIME_STATE_UNSPECIFIED';
        if (api_types_TERMINAL_STATES.has(state)) {
            deps.logger.info(`Run ${runId} already ended ${state}: nothing to cancel.`);
            return;
        }
        await client.terminateRun(runId, AbortSignal.timeout(20_000));
        ok = true;
        message = `Cancelled run ${runId} in KFP (it was ${state}; the main step did not finish): ${runUrl}`;
    }
    catch (error) {
        message = `Could not cancel run ${runId} in KFP: ${(0,errors/* errorMessage */.gJ)(error).replace(/\.$/, '')}. Cancel it in the KFP UI: ${runUrl}`;
    }
    deps.logger.warning(message);
    await deps.summary(postSummary(runId, runUrl, message, ok));
}


/***/ })

};
