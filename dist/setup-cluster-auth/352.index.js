export const id = 352;
export const ids = [352];
export const modules = {

/***/ 7352:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   decodeKubeconfig: () => (/* binding */ decodeKubeconfig),
/* harmony export */   givenKubeconfig: () => (/* binding */ givenKubeconfig)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(479);
/* harmony import */ var _shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2479);
/** provider `kubeconfig`: a given kubeconfig (raw YAML or base64), validated, context selected. */


const BASE64 = /^[A-Za-z0-9+/_\-\s]+={0,2}\s*$/;
const NOT_KUBECONFIG = `Input 'kubeconfig' is neither kubeconfig YAML nor base64 of it (its content is not shown: it may hold credentials).`;
/** Decodes the input; errors never quote it. */
function decodeKubeconfig(text) {
    const trimmed = text.trim();
    // A base64 blob is one YAML scalar: try base64 first when it looks like one.
    if (BASE64.test(trimmed) && !trimmed.includes(':')) {
        const decoded = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64').toString('utf8');
        if (!decoded.includes(':'))
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(NOT_KUBECONFIG);
        return {
            config: (0,_shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .parseKubeconfig */ .DU)(decoded, `Input 'kubeconfig' (base64-decoded)`),
            text: decoded,
        };
    }
    if (!trimmed.includes(':'))
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(NOT_KUBECONFIG);
    return { config: (0,_shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .parseKubeconfig */ .DU)(text, `Input 'kubeconfig'`), text };
}
function givenKubeconfig(inputs, logger) {
    const { config, text } = decodeKubeconfig(inputs.kubeconfig);
    // base64 carries every credential at once: mask it (line by line when wrapped). The YAML
    // itself is not masked — only the credential values in it — so the log stays readable.
    if (text !== inputs.kubeconfig)
        for (const line of inputs.kubeconfig.split(/\s+/))
            if (line.length >= 4)
                logger.secret(line);
    for (const s of (0,_shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .kubeconfigSecrets */ .hT)(config))
        logger.secret(s);
    return (0,_shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .selectContext */ .Ku)(config, inputs.context, inputs.namespace);
}


/***/ })

};
