export const id = 501;
export const ids = [501];
export const modules = {

/***/ 1780:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ bundledCredential)
/* harmony export */ });
/* unused harmony exports CREDENTIAL_CONFIG_FILE, bundledExec */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2479);


const CREDENTIAL_CONFIG_FILE = 'credential.json';
/** The exec entry that runs our bundled credential command with its config file. */
function bundledExec(deps, configPath) {
    return {
        apiVersion: _shared_kube_kubeconfig_js__WEBPACK_IMPORTED_MODULE_1__/* .EXEC_API_VERSION */ .wd,
        command: deps.execCredential.node,
        args: [deps.execCredential.script, configPath],
        installHint: 'This kubeconfig was written by setup-cluster-auth; its credential command runs with the node of the GitHub runner and is valid for the job only.',
        provideClusterInfo: false,
        interactiveMode: 'Never',
    };
}
/**
 * The kubeconfig user for the bundled credential command: its config file (written 0600
 * beside the kubeconfig) and the exec entry that runs it.
 */
function bundledCredential(deps, config) {
    const configPath = node_path__WEBPACK_IMPORTED_MODULE_0__.join(deps.dir, CREDENTIAL_CONFIG_FILE);
    return {
        user: { exec: bundledExec(deps, configPath) },
        file: { path: configPath, content: JSON.stringify(config, null, 2) },
        plugin: 'bundled credential command',
    };
}


/***/ }),

/***/ 9882:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  getGkeCluster: () => (/* binding */ getGkeCluster),
  gkeAccess: () => (/* binding */ gkeAccess),
  serverOf: () => (/* binding */ serverOf)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
// EXTERNAL MODULE: ./.build/shared/kube/kubeconfig.js
var kubeconfig = __webpack_require__(2479);
// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/access.js
var access = __webpack_require__(1780);
// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/oidc-url.js
var oidc_url = __webpack_require__(5475);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/google-auth.js

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
            url: (0,oidc_url/* oidcTokenUrl */.C)(source.oidc, source.audience),
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

// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/credential-config.js
var credential_config = __webpack_require__(3314);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/gke.js
/**
 * GKE: a Google access token (ADC, key, or keyless WIF), the Container API cluster GET,
 * then the server/CA/user for the kubeconfig, as get-gke-credentials and gcloud do.
 */







const PLUGIN = 'gke-gcloud-auth-plugin';
const PLUGIN_HINT = 'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin';
function credentialSource(inputs, env) {
    const c = inputs.credentials;
    if (c.kind === 'key')
        return { kind: 'key', json: c.json };
    if (c.kind === 'wif') {
        return {
            kind: 'wif',
            provider: c.provider,
            audience: c.audience,
            oidc: c.oidc,
            ...(c.serviceAccount ? { serviceAccount: c.serviceAccount } : {}),
        };
    }
    const file = env.GOOGLE_APPLICATION_CREDENTIALS;
    return file ? { kind: 'adc', file } : { kind: 'adc' };
}
function describe(source) {
    switch (source.kind) {
        case 'key':
            return 'service-account key (credentials-json)';
        case 'wif':
            return source.serviceAccount
                ? `Workload Identity Federation as ${source.serviceAccount}`
                : 'Workload Identity Federation (direct)';
        case 'adc':
            return source.file
                ? `Application Default Credentials (${external_node_path_.basename(source.file)})`
                : 'Application Default Credentials';
    }
}
/** Project from an ADC file: a key's project_id, or the impersonated account's domain. */
function projectOfAdcFile(file) {
    if (!file)
        return undefined;
    try {
        const doc = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
        if (typeof doc.project_id === 'string')
            return doc.project_id;
        if (typeof doc.service_account_impersonation_url === 'string') {
            return /@([a-z0-9-]+)\.iam\.gserviceaccount\.com:/.exec(doc.service_account_impersonation_url)?.[1];
        }
    }
    catch {
        // the library reports unreadable files when it uses them
    }
    return undefined;
}
async function getGkeCluster(inputs, project, token, deps) {
    const name = `projects/${project}/locations/${inputs.location}/clusters/${inputs.cluster}`;
    const url = `${endpointOf(inputs.endpoints, 'container')}/v1/${name}`;
    try {
        const res = await deps.http.request({
            url,
            headers: {
                authorization: `Bearer ${token}`,
                accept: 'application/json',
                ...(inputs.quotaProjectId ? { 'x-goog-user-project': inputs.quotaProjectId } : {}),
            },
        });
        return res.json();
    }
    catch (error) {
        if (error instanceof errors/* HttpError */.j$ && error.status === 404) {
            throw new Error(`GKE cluster ${name} was not found (HTTP 404 from ${error.method} ${error.url}): check 'cluster-name', 'location' (zone or region) and 'project-id'.`, { cause: error });
        }
        if (error instanceof errors/* HttpError */.j$ && error.status === 403) {
            throw new Error(`Permission denied reading GKE cluster ${name} (HTTP 403): the credentials need container.clusters.get on project ${project} (e.g. roles/container.clusterViewer), and the Kubernetes Engine API must be enabled. Google said: ${googleMessage(error.body)}`, { cause: error });
        }
        throw error;
    }
}
function googleMessage(body) {
    try {
        const m = JSON.parse(body).error?.message;
        if (typeof m === 'string')
            return m;
    }
    catch {
        // not JSON
    }
    return body.slice(0, 200);
}
/** Chooses the endpoint and CA exactly as get-gke-credentials does. */
function serverOf(cluster, inputs) {
    let endpoint = cluster.endpoint;
    let publicCert = false;
    if (inputs.useInternalIp) {
        endpoint =
            cluster.privateClusterConfig?.privateEndpoint ??
                cluster.controlPlaneEndpointsConfig?.ipEndpointsConfig?.privateEndpoint;
        if (!endpoint) {
            throw new Error(`GKE cluster ${inputs.cluster} has no private endpoint: 'use-internal-ip' needs a private cluster.`);
        }
    }
    else if (inputs.useDnsEndpoint) {
        endpoint = cluster.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint;
        if (!endpoint) {
            throw new Error(`GKE cluster ${inputs.cluster} has no DNS-based control plane endpoint: enable it, or unset 'use-dns-endpoint'.`);
        }
        publicCert = true;
    }
    if (!endpoint)
        throw new Error(`GKE cluster ${inputs.cluster} has no endpoint yet (status ${cluster.status ?? 'unknown'}).`);
    if (endpoint.endsWith('gke.goog'))
        publicCert = true;
    const caData = cluster.masterAuth?.clusterCaCertificate;
    if (!publicCert && !caData)
        throw new Error(`GKE cluster ${inputs.cluster} reports no masterAuth.clusterCaCertificate.`);
    return { server: `https://${endpoint}`, ...(!publicCert && caData ? { caData } : {}) };
}
async function gkeAccess(inputs, deps) {
    const { logger } = deps;
    const source = credentialSource(inputs, deps.env);
    if (source.kind === 'key')
        for (const s of (0,credential_config/* serviceAccountKeySecrets */.H)(source.json))
            logger.secret(s);
    const project = inputs.projectId ??
        projectOfCredentials(source) ??
        projectOfAdcFile(source.kind === 'adc' ? source.file : undefined);
    if (!project) {
        throw new errors/* InputError */.dz(`Input 'project-id' is required: it is not in 'cluster-name' and the credentials do not name a project.`);
    }
    logger.info(`Authenticating to Google with ${describe(source)}`);
    let token;
    let expiresAt;
    try {
        ({ token, expiresAt } = await googleAccessToken(source, inputs.endpoints, deps.userAgent, project, 
        // The GitHub OIDC JWT the library fetches for federation is a credential too.
        (jwt) => logger.secret(jwt)));
    }
    catch (error) {
        throw new Error(`Google authentication (${describe(source)}) failed: ${(0,errors/* errorMessage */.gJ)(error)}`, {
            cause: error,
        });
    }
    logger.secret(token);
    const cluster = await getGkeCluster(inputs, project, token, deps);
    if (cluster.status && !['RUNNING', 'RECONCILING', 'DEGRADED'].includes(cluster.status)) {
        logger.warning(`GKE cluster ${inputs.cluster} is ${cluster.status}: its API may not answer.`);
    }
    const { server, caData } = serverOf(cluster, inputs);
    const entryName = `gke_${project}_${inputs.location}_${inputs.cluster}`;
    const files = [];
    let user;
    let plugin;
    const pluginPath = inputs.authMode === 'exec' && inputs.execPlugin === 'auto' ? deps.which(PLUGIN) : undefined;
    if (inputs.authMode === 'token') {
        user = { token };
    }
    else if (pluginPath) {
        // gke-gcloud-auth-plugin with ADC: point it at a credentials file that mints fresh tokens.
        let adcFile = source.kind === 'adc' ? source.file : undefined;
        if (source.kind !== 'adc') {
            adcFile = external_node_path_.join(deps.dir, 'application_default_credentials.json');
            const doc = source.kind === 'key'
                ? source.json
                : JSON.stringify(externalAccountConfig(source, inputs.endpoints), null, 2);
            files.push({ path: adcFile, content: doc });
        }
        user = {
            exec: {
                apiVersion: kubeconfig/* EXEC_API_VERSION */.wd,
                command: PLUGIN,
                args: ['--use_application_default_credentials'],
                ...(adcFile ? { env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: adcFile }] } : {}),
                installHint: PLUGIN_HINT,
                provideClusterInfo: true,
                interactiveMode: 'Never',
            },
        };
        plugin = `${PLUGIN} (${pluginPath})`;
    }
    else {
        const bundled = (0,access/* bundledCredential */.o)(deps, {
            provider: 'gke',
            source,
            endpoints: inputs.endpoints,
            project,
            userAgent: deps.userAgent,
        });
        files.push(bundled.file);
        ({ user, plugin } = bundled);
    }
    return {
        entryName,
        context: inputs.context ?? entryName,
        server,
        ...(caData ? { caData } : {}),
        user,
        files,
        ...(inputs.authMode === 'token' && expiresAt ? { expiresAt: new Date(expiresAt) } : {}),
        credentials: describe(source),
        ...(plugin ? { plugin } : {}),
    };
}


/***/ }),

/***/ 5475:
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
