export const id = 796;
export const ids = [796];
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

/***/ 9796:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  describeEksCluster: () => (/* binding */ describeEksCluster),
  eksAccess: () => (/* binding */ eksAccess)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var dist_cjs = __webpack_require__(4524);
// EXTERNAL MODULE: ./.build/shared/kube/kubeconfig.js
var kubeconfig = __webpack_require__(2479);
// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/access.js
var access = __webpack_require__(1780);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/oidc-url.js
var oidc_url = __webpack_require__(5475);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/oidc.js


async function githubIdToken(oidc, audience, http) {
    let value;
    try {
        const res = await http.request({
            url: (0,oidc_url/* oidcTokenUrl */.C)(oidc, audience),
            headers: {
                authorization: `Bearer ${oidc.token}`,
                accept: 'application/json; api-version=2.0',
            },
        });
        value = res.json().value;
    }
    catch (error) {
        const detail = error instanceof errors/* HttpError */.j$ ? `HTTP ${error.status ?? 'error'}` : error.message;
        throw new Error(`Could not get the GitHub OIDC token (${detail}): check that the job has \`permissions: id-token: write\`.`);
    }
    if (typeof value !== 'string' || !value)
        throw new Error('The GitHub OIDC token endpoint returned no token.');
    return value;
}

;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/aws-errors.js
/** A readable line for an AWS SDK error: service error code, HTTP status, message. */
function awsErrorMessage(error) {
    const e = error;
    const status = e.$metadata?.httpStatusCode;
    return `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`;
}
function awsStatus(error) {
    return error.$metadata?.httpStatusCode;
}

;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/aws-credentials.js
/**
 * AWS credentials for the EKS path: the SDK's default chain (environment as left by
 * aws-actions/configure-aws-credentials, profiles, web identity files, container and
 * instance roles), or keyless `role-to-assume` through STS AssumeRoleWithWebIdentity with the
 * GitHub OIDC token. Endpoints follow the SDK's own settings (AWS_ENDPOINT_URL_STS, …).
 */



async function awsCredentials(source, o) {
    const sts = new client_sts_dist_cjs/* STSClient */.iM({
        region: o.region,
        ...(o.stsEndpoint ? { endpoint: o.stsEndpoint } : {}),
    });
    try {
        if (source.kind === 'default') {
            const c = await sts.config.credentials();
            return {
                accessKeyId: c.accessKeyId,
                secretAccessKey: c.secretAccessKey,
                ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
                ...(c.expiration ? { expiration: c.expiration } : {}),
            };
        }
        const webIdentityToken = await githubIdToken(source.oidc, source.audience, o.http);
        o.onSecret?.(webIdentityToken);
        let out;
        try {
            out = await sts.send(new client_sts_dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
                RoleArn: source.roleArn,
                RoleSessionName: source.sessionName,
                WebIdentityToken: webIdentityToken,
                DurationSeconds: 3600,
            }));
        }
        catch (error) {
            throw new Error(`STS AssumeRoleWithWebIdentity for ${source.roleArn} failed: ${awsErrorMessage(error)}`, { cause: error });
        }
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
            throw new Error('STS AssumeRoleWithWebIdentity returned no credentials');
        }
        for (const v of [c.SecretAccessKey, c.SessionToken])
            o.onSecret?.(v);
        return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            ...(c.Expiration ? { expiration: c.Expiration } : {}),
        };
    }
    catch (error) {
        if (source.kind === 'default' && error.name === 'CredentialsProviderError') {
            throw new Error(`No AWS credentials found: run aws-actions/configure-aws-credentials first, or set 'role-to-assume' for keyless OIDC (${error.message})`, { cause: error });
        }
        throw error;
    }
    finally {
        sts.destroy();
    }
}

// EXTERNAL MODULE: ./node_modules/@smithy/hash-node/dist-cjs/index.js
var hash_node_dist_cjs = __webpack_require__(2711);
// EXTERNAL MODULE: ./node_modules/@smithy/signature-v4/dist-cjs/index.js
var signature_v4_dist_cjs = __webpack_require__(5118);
;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/eks-token.js
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
    const signer = new signature_v4_dist_cjs.SignatureV4({
        service: 'sts',
        region: o.region,
        credentials: {
            accessKeyId: o.credentials.accessKeyId,
            secretAccessKey: o.credentials.secretAccessKey,
            ...(o.credentials.sessionToken ? { sessionToken: o.credentials.sessionToken } : {}),
        },
        sha256: hash_node_dist_cjs/* Hash */.V.bind(null, 'sha256'),
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

;// CONCATENATED MODULE: ./.build/actions/setup-cluster-auth/eks.js
/**
 * EKS: AWS credentials (default chain or keyless role), DescribeCluster for endpoint and CA,
 * then a presigned-STS bearer token or an exec plugin, as `aws eks update-kubeconfig` does.
 */






async function describeEksCluster(inputs, credentials) {
    const eks = new dist_cjs/* EKSClient */.JQJ({ region: inputs.region, credentials });
    try {
        const out = await eks.send(new dist_cjs/* DescribeClusterCommand */.hV5({ name: inputs.cluster }));
        if (!out.cluster)
            throw new Error(`EKS DescribeCluster returned no cluster for ${inputs.cluster}`);
        return out.cluster;
    }
    catch (error) {
        const name = error.name;
        const status = awsStatus(error);
        if (name === 'ResourceNotFoundException' || status === 404) {
            throw new Error(`EKS cluster '${inputs.cluster}' was not found in region ${inputs.region} (HTTP 404, ${awsErrorMessage(error)}): check 'cluster-name' and 'region'.`, { cause: error });
        }
        if (name === 'AccessDeniedException' || status === 403) {
            throw new Error(`Permission denied for EKS DescribeCluster on '${inputs.cluster}' in ${inputs.region} (HTTP 403): the role needs eks:DescribeCluster on the cluster. AWS said: ${error.message}`, { cause: error });
        }
        throw new Error(`EKS DescribeCluster for '${inputs.cluster}' in ${inputs.region} failed: ${awsErrorMessage(error)}`, {
            cause: error,
        });
    }
    finally {
        eks.destroy();
    }
}
async function eksAccess(inputs, deps) {
    const { logger } = deps;
    const stsEndpoint = deps.env.AWS_ENDPOINT_URL_STS || deps.env.AWS_ENDPOINT_URL || undefined;
    const how = inputs.credentials.kind === 'role'
        ? `keyless role ${inputs.credentials.roleArn} (GitHub OIDC)`
        : 'the AWS default credential chain';
    logger.info(`Authenticating to AWS with ${how}`);
    const credentials = await awsCredentials(inputs.credentials, {
        region: inputs.region,
        http: deps.http,
        ...(stsEndpoint ? { stsEndpoint } : {}),
        onSecret: (v) => logger.secret(v),
    });
    logger.secret(credentials.secretAccessKey);
    if (credentials.sessionToken)
        logger.secret(credentials.sessionToken);
    const cluster = await describeEksCluster(inputs, credentials);
    if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
        throw new Error(`EKS cluster '${inputs.cluster}' is ${cluster.status ?? 'in an unknown state'}; it must be ACTIVE or UPDATING.`);
    }
    if (!cluster.endpoint)
        throw new Error(`EKS cluster '${inputs.cluster}' has no endpoint yet.`);
    const caData = cluster.certificateAuthority?.data;
    if (!caData)
        throw new Error(`EKS cluster '${inputs.cluster}' reports no certificateAuthority.data.`);
    const entryName = cluster.arn ?? inputs.cluster;
    const files = [];
    let user;
    let plugin;
    let expiresAt;
    const aws = inputs.authMode === 'exec' &&
        inputs.execPlugin === 'auto' &&
        inputs.credentials.kind === 'default'
        ? deps.which('aws')
        : undefined;
    if (inputs.authMode === 'token') {
        const t = await eksToken({
            cluster: inputs.cluster,
            region: inputs.region,
            credentials,
            now: deps.now(),
        });
        logger.secret(t.token);
        user = { token: t.token };
        expiresAt = t.expiresAt;
        logger.info(`The EKS token expires at ${t.expiresAt.toISOString()} (EKS tokens last 15 minutes); use auth-mode: exec for longer jobs.`);
    }
    else if (aws) {
        const profile = deps.env.AWS_PROFILE;
        user = {
            exec: {
                apiVersion: kubeconfig/* EXEC_API_VERSION */.wd,
                command: 'aws',
                args: [
                    '--region',
                    inputs.region,
                    'eks',
                    'get-token',
                    '--cluster-name',
                    inputs.cluster,
                    '--output',
                    'json',
                ],
                ...(profile ? { env: [{ name: 'AWS_PROFILE', value: profile }] } : {}),
                interactiveMode: 'Never',
            },
        };
        plugin = `aws eks get-token (${aws})`;
    }
    else {
        const bundled = (0,access/* bundledCredential */.o)(deps, {
            provider: 'eks',
            cluster: inputs.cluster,
            region: inputs.region,
            credentials: inputs.credentials,
            ...(stsEndpoint ? { stsEndpoint } : {}),
            userAgent: deps.userAgent,
        });
        files.push(bundled.file);
        ({ user, plugin } = bundled);
    }
    return {
        entryName,
        context: inputs.context ?? entryName,
        server: cluster.endpoint,
        caData,
        user,
        files,
        ...(expiresAt ? { expiresAt } : {}),
        credentials: how,
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
