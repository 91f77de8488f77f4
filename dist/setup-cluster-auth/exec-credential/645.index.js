export const id = 645;
export const ids = [645];
export const modules = {

/***/ 5092:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
exports.V = void 0;
var serde_1 = __webpack_require__(2430);
Object.defineProperty(exports, "V", ({ enumerable: true, get: function () { return serde_1.Hash; } }));


/***/ }),

/***/ 6645:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TOKEN_PREFIX: () => (/* binding */ TOKEN_PREFIX),
/* harmony export */   eksToken: () => (/* binding */ eksToken),
/* harmony export */   presignedCallerIdentityUrl: () => (/* binding */ presignedCallerIdentityUrl),
/* harmony export */   stsHost: () => (/* binding */ stsHost)
/* harmony export */ });
/* harmony import */ var _smithy_hash_node__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5092);
/* harmony import */ var _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5118);
/**
 * The EKS bearer token: `k8s-aws-v1.` + base64url (no padding) of an STS GetCallerIdentity
 * URL presigned with SigV4 (query string), signing the `x-k8s-aws-id: <cluster>` header.
 * The signing itself is the AWS SDK's SignatureV4 presigner; this module only arranges the
 * request as aws-iam-authenticator does (pkg/token/token.go GetWithSTS; test vector in
 * test/contracts/eks/).
 */


const TOKEN_PREFIX = 'k8s-aws-v1.';
const EXPIRES_SECONDS = 60;
const VALIDITY_MS = 14 * 60_000;
/** The regional STS host the token is signed for (the verifier accepts the partition's STS hosts). */
function stsHost(region) {
    return region.startsWith('cn-')
        ? `sts.${region}.amazonaws.com.cn`
        : `sts.${region}.amazonaws.com`;
}
/** RFC 3986 encoding, as SigV4 canonicalises query values. */
function encode(value) {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
async function presignedCallerIdentityUrl(o) {
    const host = stsHost(o.region);
    const signer = new _smithy_signature_v4__WEBPACK_IMPORTED_MODULE_0__.SignatureV4({
        service: 'sts',
        region: o.region,
        credentials: {
            accessKeyId: o.credentials.accessKeyId,
            secretAccessKey: o.credentials.secretAccessKey,
            ...(o.credentials.sessionToken ? { sessionToken: o.credentials.sessionToken } : {}),
        },
        sha256: _smithy_hash_node__WEBPACK_IMPORTED_MODULE_1__/* .Hash */ .V.bind(null, 'sha256'),
    });
    const signed = await signer.presign({
        method: 'GET',
        protocol: 'https:',
        hostname: host,
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host, 'x-k8s-aws-id': o.cluster },
    }, {
        expiresIn: EXPIRES_SECONDS,
        signingDate: o.now,
        unhoistableHeaders: new Set(['x-k8s-aws-id']),
    });
    // Sorted parameters with the signature last: the layout of aws-iam-authenticator's URL.
    const query = signed.query;
    const signature = query['X-Amz-Signature'];
    const params = Object.keys(query)
        .filter((k) => k !== 'X-Amz-Signature')
        .sort()
        .map((k) => `${encode(k)}=${encode(query[k] ?? '')}`);
    params.push(`X-Amz-Signature=${signature}`);
    return `https://${host}/?${params.join('&')}`;
}
async function eksToken(o) {
    const now = o.now ?? new Date();
    const url = await presignedCallerIdentityUrl({ ...o, now });
    return {
        token: TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url'),
        expiresAt: new Date(now.getTime() + VALIDITY_MS),
    };
}


/***/ })

};
