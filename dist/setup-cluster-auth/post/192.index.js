export const id = 192;
export const ids = [192];
export const modules = {

/***/ 8192:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   RecordingLogger: () => (/* binding */ RecordingLogger),
/* harmony export */   coreLogger: () => (/* binding */ coreLogger)
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
/** The logger used in a real runner: workflow commands through @actions/core. */
const coreLogger = {
    debug: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(m),
    info: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(m),
    warning: (m, p) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m, toProperties(p)),
    error: (m, p) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(m, toProperties(p)),
    secret: (v) => {
        // Mask each line too: the runner masks line by line, so a multi-line secret
        // (a PEM, a kubeconfig) would otherwise leak piecewise.
        if (!v)
            return;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(v);
        for (const line of v.split(/\r?\n/))
            if (line.trim().length >= 4)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(line.trim());
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
