export const id = 59;
export const ids = [59];
export const modules = {

/***/ 1059:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   MemoryState: () => (/* binding */ MemoryState),
/* harmony export */   runnerState: () => (/* binding */ runnerState)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);

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


/***/ })

};
