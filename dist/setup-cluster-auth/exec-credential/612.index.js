export const id = 612;
export const ids = [612];
export const modules = {

/***/ 2612:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   googleAccessToken: () => (/* binding */ googleAccessToken)
/* harmony export */ });
/* unused harmony exports GOOGLE_SCOPES, defaultEndpoint, endpointOf, externalAccountConfig, projectOfCredentials */
/* harmony import */ var _oidc_url_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7856);

const GOOGLE_SCOPES = [
    'https://www.googleapis.com/auth/cloud-platform',
    'https://www.googleapis.com/auth/userinfo.email',
];
function defaultEndpoint(service) {
    return `https://${service}.googleapis.com`;
}
function endpointOf(endpoints, service) {
    return endpoints[service] ?? defaultEndpoint(service);
}
/** The `external_account` ADC document for keyless federation (google-github-actions/auth's shape). */
function externalAccountConfig(source, endpoints) {
    return {
        type: 'external_account',
        audience: `//iam.googleapis.com/${source.provider}`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${endpointOf(endpoints, 'sts')}/v1/token`,
        credential_source: {
            url: (0,_oidc_url_js__WEBPACK_IMPORTED_MODULE_0__/* .oidcTokenUrl */ .C)(source.oidc, source.audience),
            headers: { Authorization: `Bearer ${source.oidc.token}` },
            format: { type: 'json', subject_token_field_name: 'value' },
        },
        ...(source.serviceAccount
            ? {
                service_account_impersonation_url: `${endpointOf(endpoints, 'iamcredentials')}/v1/projects/-/serviceAccounts/${source.serviceAccount}:generateAccessToken`,
            }
            : {}),
    };
}
/**
 * Rewrites `https://<service>.googleapis.com` to the configured endpoint for every request
 * the library makes (key-based token grants have no URL option of their own).
 */
function rewrite(url, endpoints) {
    for (const [service, base] of Object.entries(endpoints)) {
        const from = defaultEndpoint(service);
        if (url === from || url.startsWith(`${from}/`))
            return base + url.slice(from.length);
    }
    return url;
}
/**
 * Hooks an external-account client (IdentityPoolClient, also what ADC returns for an
 * `external_account` file) so the subject token it fetches is reported before it is exchanged.
 */
function reportSubjectToken(client, report) {
    const external = client;
    const original = external.retrieveSubjectToken;
    if (typeof original !== 'function')
        return;
    external.retrieveSubjectToken = async () => {
        const token = await original.call(client);
        report(token);
        return token;
    };
}
/** Mints a Google access token with the chosen credentials. */
async function googleAccessToken(source, endpoints, userAgent, 
/** Known project: spares ADC a Resource Manager lookup it would make for external accounts. */
projectId, 
/** Called with the external subject token (the GitHub OIDC JWT) as soon as it is fetched. */
onSubjectToken) {
    const { GoogleAuth, IdentityPoolClient, JWT, gaxios } = await __webpack_require__.e(/* import() */ 492).then(__webpack_require__.t.bind(__webpack_require__, 492, 19));
    const transporter = new gaxios.Gaxios({ headers: { 'User-Agent': userAgent } });
    transporter.interceptors.request.add({
        resolved: async (options) => {
            const original = options.url.toString();
            const target = rewrite(original, endpoints);
            if (target !== original)
                options.url = new URL(target);
            return options;
        },
    });
    // Type-specific constructors: the library warns (on stderr, which kubectl shows) about
    // the generic `credentials`/fromJSON paths.
    let client;
    if (source.kind === 'key') {
        const key = JSON.parse(source.json);
        client = new JWT({
            email: key.client_email,
            key: key.private_key,
            ...(key.private_key_id ? { keyId: key.private_key_id } : {}),
            scopes: GOOGLE_SCOPES,
            transporter,
        });
    }
    else if (source.kind === 'wif') {
        client = new IdentityPoolClient({
            ...externalAccountConfig(source, endpoints),
            scopes: GOOGLE_SCOPES,
            transporter,
        });
    }
    else {
        // ADC discovers the file through the environment, as every Google client does.
        if (source.file)
            process.env.GOOGLE_APPLICATION_CREDENTIALS = source.file;
        client = await new GoogleAuth({
            scopes: GOOGLE_SCOPES,
            ...(projectId ? { projectId } : {}),
            clientOptions: { transporter },
        }).getClient();
    }
    if (onSubjectToken)
        reportSubjectToken(client, onSubjectToken);
    const { token } = await client.getAccessToken();
    if (!token)
        throw new Error('Google credentials returned no access token');
    const expiry = client.credentials?.expiry_date;
    return { token, ...(typeof expiry === 'number' ? { expiresAt: expiry } : {}) };
}
/** The project of a credential, when it names one without a network call. */
function projectOfCredentials(source) {
    if (source.kind === 'key') {
        const key = JSON.parse(source.json);
        return typeof key.project_id === 'string' ? key.project_id : undefined;
    }
    if (source.kind === 'wif' && source.serviceAccount) {
        return /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(source.serviceAccount)?.[1];
    }
    return undefined;
}


/***/ }),

/***/ 7856:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ oidcTokenUrl)
/* harmony export */ });
/** The GitHub token request URL with the audience added (the URL already has a query). */
function oidcTokenUrl(oidc, audience) {
    const url = new URL(oidc.url);
    url.searchParams.set('audience', audience);
    return url.toString();
}


/***/ })

};
