export const id = 325;
export const ids = [325];
export const modules = {

/***/ 1325:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  reportLeftovers: () => (/* binding */ reportLeftovers)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
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

// EXTERNAL MODULE: ./.build/shared/summary.js + 1 modules
var summary = __webpack_require__(8501);
;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/state.js
/** The state rollout-and-verify's main step leaves its post step: where the run was. */

function isProgress(value) {
    const p = value;
    return (typeof p === 'object' &&
        p !== null &&
        typeof p.phase === 'string' &&
        typeof p.startedAt === 'number' &&
        Array.isArray(p.workloads) &&
        p.workloads.every((w) => typeof w === 'object' &&
            w !== null &&
            ['kind', 'namespace', 'name', 'state', 'message'].every((k) => typeof w[k] === 'string')));
}
const progressState = jsonState('progress', isProgress);

// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
// EXTERNAL MODULE: ./.build/shared/commands.js
var commands = __webpack_require__(4690);
;// CONCATENATED MODULE: ./.build/shared/inputs.js


/** Reads `INPUT_<NAME>` exactly as the runner sets it (hyphens kept). */
const runnerInputs = (/* unused pure expression or super */ null && (readInput));
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
class Inputs {
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
            throw new InputError(`Input '${name}' is required.`);
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
        throw new InputError(`Input '${name}' must be true or false (got "${value}").`);
    }
    int(name, opts) {
        const value = this.source(name);
        if (value === '')
            return opts.fallback;
        const range = `${opts.min ?? '-∞'}..${opts.max ?? '∞'}`;
        if (!/^-?\d+$/.test(value)) {
            throw new InputError(`Input '${name}' must be a whole number in ${range} (got "${value}").`);
        }
        const n = Number(value);
        if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
            throw new InputError(`Input '${name}' must be in ${range} (got ${n}).`);
        }
        return n;
    }
    /** A duration in milliseconds. */
    duration(name, fallback, opts = {}) {
        const value = this.source(name) || fallback;
        const ms = parseDuration(value);
        if (ms === undefined) {
            throw new InputError(`Input '${name}' must be a duration such as 90s, 10m or 1h (got "${value}").`);
        }
        if (opts.minMs !== undefined && ms < opts.minMs) {
            throw new InputError(`Input '${name}' must be at least ${inputs_formatDuration(opts.minMs)}.`);
        }
        if (opts.maxMs !== undefined && ms > opts.maxMs) {
            throw new InputError(`Input '${name}' must be at most ${inputs_formatDuration(opts.maxMs)}.`);
        }
        return ms;
    }
    oneOf(name, allowed, fallback) {
        const value = this.source(name);
        if (value === '')
            return fallback;
        if (allowed.includes(value))
            return value;
        throw new InputError(`Input '${name}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (got "${value}").`);
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
                throw new InputError(`Input '${name}' must hold KEY=VALUE lines (got "${line}").`);
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
            throw new InputError(`Input '${name}' must be a DNS label (lower-case letters, digits, '-'; at most ${max}), got "${value}".`);
        }
        return value;
    }
    /** Exactly one of the named inputs must be set; returns its name. */
    exactlyOneOf(...names) {
        const set = names.filter((n) => this.has(n));
        const listed = names.map((n) => `'${n}'`).join(', ');
        if (set.length === 0)
            throw new InputError(`Set one of the inputs ${listed}.`);
        if (set.length > 1) {
            throw new InputError(`Inputs ${set.map((n) => `'${n}'`).join(' and ')} cannot be used together; set only one of ${listed}.`);
        }
        return set[0];
    }
    /** At most one of the named inputs may be set; returns its name or undefined. */
    atMostOneOf(...names) {
        const set = names.filter((n) => this.has(n));
        if (set.length > 1) {
            throw new InputError(`Inputs ${set.map((n) => `'${n}'`).join(' and ')} cannot be used together.`);
        }
        return set[0];
    }
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
        ? `## ${statusEmoji('success')} rollout-and-verify: succeeded`
        : r.status === 'rolled-back'
            ? `## ${statusEmoji('warning')} rollout-and-verify: failed and rolled back`
            : `## ${statusEmoji('failure')} rollout-and-verify: failed`;
    const parts = [head, ''];
    const facts = [`Duration: ${formatDuration(r.durationMs)}`];
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
    parts.push('### Resources', '', markdownTable(['', 'Kind', 'Namespace', 'Name', 'Action', 'State'], r.resources.map((row) => [
        row.ok === undefined ? '' : statusEmoji(row.ok ? 'success' : 'failure'),
        row.kind,
        row.namespace,
        row.name,
        row.action,
        row.state,
    ])), '', '### Timeline', '', markdownTable(['Time', '', 'Event'], r.timeline.map((t) => [seconds(t.atMs), statusEmoji(LEVEL[t.level]), t.text])), '');
    return parts.join('\n');
}
function cancelledSummary(p) {
    const left = p.workloads.filter((w) => w.state !== 'done');
    return [
        `## ${(0,summary/* statusEmoji */.H0)('warning')} rollout-and-verify: cancelled during ${p.phase}`,
        '',
        left.length === 0
            ? 'No workload was left waiting.'
            : (0,summary/* markdownTable */.Qj)(['Kind', 'Namespace', 'Name', 'State', 'Last status'], p.workloads.map((w) => [w.kind, w.namespace, w.name, w.state, w.message])),
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/rollout-and-verify/post-report.js
/** The post step: when the job was cancelled mid-rollout, say what was left unfinished. */





async function reportLeftovers() {
    const progress = progressState.load(runnerState);
    if (!progress || progress.phase === 'finished')
        return;
    const left = progress.workloads.filter((w) => w.state !== 'done');
    const lines = left.map((w) => `${w.kind} ${w.namespace}/${w.name}: ${w.state}: ${w.message}`);
    core/* warning */.$e(`rollout-and-verify did not finish (phase: ${progress.phase}). ${left.length === 0 ? 'No workload was left waiting.' : `Left unfinished:\n${lines.join('\n')}`}\nThe cluster keeps rolling out on its own: check it, or re-run the job.`);
    if (!progress.summarized)
        await (0,summary/* writeSummary */.Sy)(cancelledSummary(progress));
}


/***/ })

};
