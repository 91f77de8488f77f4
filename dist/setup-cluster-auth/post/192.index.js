export const id = 192;
export const ids = [192];
export const modules = {

/***/ 8192:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RecordingLogger: () => (/* binding */ RecordingLogger),
/* harmony export */   coreLogger: () => (/* binding */ coreLogger),
/* harmony export */   masksOf: () => (/* binding */ masksOf)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);

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
    debug: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(m),
    info: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(m),
    warning: (m, p) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m, toProperties(p)),
    error: (m, p) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(m, toProperties(p)),
    secret: (v) => {
        for (const mask of masksOf(v))
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(mask);
    },
    group: (name, fn) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(name, fn),
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


/***/ })

};
