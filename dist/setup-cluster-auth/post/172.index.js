export const id = 172;
export const ids = [172];
export const modules = {

/***/ 172:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DIR_PREFIX: () => (/* binding */ DIR_PREFIX),
/* harmony export */   STATE_DIR: () => (/* binding */ STATE_DIR),
/* harmony export */   cleanupClusterAuth: () => (/* binding */ cleanupClusterAuth)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);


const STATE_DIR = 'kubeconfig-dir';
const DIR_PREFIX = 'setup-cluster-auth-';
/** The post step: removes the kubeconfig directory (and its credential files) recorded in state. */
async function cleanupClusterAuth(state, logger) {
    const dir = state.get(STATE_DIR);
    if (!dir)
        return;
    if (!node_path__WEBPACK_IMPORTED_MODULE_1__.basename(dir).startsWith(DIR_PREFIX)) {
        throw new Error(`refusing to remove ${dir}: not a setup-cluster-auth directory`);
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(dir, { recursive: true, force: true });
    logger.info(`Removed ${node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, 'kubeconfig')}`);
}


/***/ })

};
