export const id = 172;
export const ids = [172,59];
export const modules = {

/***/ 172:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DIR_PREFIX: () => (/* binding */ DIR_PREFIX),
/* harmony export */   cleanupClusterAuth: () => (/* binding */ cleanupClusterAuth),
/* harmony export */   kubeconfigDirState: () => (/* binding */ kubeconfigDirState)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _shared_state_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1059);



/** The directory main wrote the kubeconfig (and its credential files) to: post removes it. */
const kubeconfigDirState = (0,_shared_state_js__WEBPACK_IMPORTED_MODULE_2__.textState)('kubeconfig-dir');
const DIR_PREFIX = 'setup-cluster-auth-';
/** The post step: removes the kubeconfig directory (and its credential files) recorded in state. */
async function cleanupClusterAuth(state, logger) {
    const dir = kubeconfigDirState.load(state);
    if (!dir)
        return;
    if (!node_path__WEBPACK_IMPORTED_MODULE_1__.basename(dir).startsWith(DIR_PREFIX)) {
        throw new Error(`refusing to remove ${dir}: not a setup-cluster-auth directory`);
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(dir, { recursive: true, force: true });
    logger.info(`Removed ${node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'kubeconfig')}`);
}


/***/ }),

/***/ 1059:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MemoryState: () => (/* binding */ MemoryState),
/* harmony export */   jsonState: () => (/* binding */ jsonState),
/* harmony export */   runnerState: () => (/* binding */ runnerState),
/* harmony export */   textState: () => (/* binding */ textState)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/**
 * What a main step hands to its post step, as typed entries: one `StateEntry` per value,
 * defined once and used on both sides, so the name and the shape cannot drift apart.
 */

/** The runner's store: GITHUB_STATE in the main step, STATE_<name> in the post step. */
const runnerState = {
    save: (name, value) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(name, value),
    get: (name) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(name),
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


/***/ })

};
