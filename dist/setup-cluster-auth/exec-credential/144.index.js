export const id = 144;
export const ids = [144];
export const modules = {

/***/ 4144:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  awsCredentials: () => (/* binding */ awsCredentials)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./.build/shared/errors.js
var errors = __webpack_require__(479);
// EXTERNAL MODULE: ./.build/actions/setup-cluster-auth/oidc-url.js
var oidc_url = __webpack_require__(7856);
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
    const sts = new dist_cjs/* STSClient */.iM({
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
            out = await sts.send(new dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
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
