export const id = 578;
export const ids = [578];
export const modules = {

/***/ 8578:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// UNUSED EXPORTS: MAX_RESOURCES_OUTPUT

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./.build/shared/exec.js

class CommandError extends Error {
    name = 'CommandError';
    result;
    constructor(command, args, result) {
        const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join('\n');
        super(`${[command, ...args].join(' ')} exited with ${result.exitCode}${detail ? `: ${detail}` : ''}`);
        this.result = result;
    }
}
const processRunner = {
    run(command, args, options = {}) {
        return new Promise((resolve, reject) => {
            const child = (0,external_node_child_process_.spawn)(command, args, {
                cwd: options.cwd,
                env: options.env ?? process.env,
                // No input: no pipe, so a program that exits at once cannot cause EPIPE.
                stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            });
            const out = [];
            const err = [];
            let timedOut = false;
            const timer = options.timeoutMs === undefined
                ? undefined
                : setTimeout(() => {
                    timedOut = true;
                    child.kill('SIGKILL');
                }, options.timeoutMs);
            child.stdout?.on('data', (b) => out.push(b));
            child.stderr?.on('data', (b) => err.push(b));
            child.on('error', (e) => {
                if (timer)
                    clearTimeout(timer);
                reject(e);
            });
            child.on('close', (code, signal) => {
                if (timer)
                    clearTimeout(timer);
                const result = {
                    exitCode: code ?? (signal ? 128 : 1),
                    stdout: Buffer.concat(out).toString('utf8'),
                    stderr: Buffer.concat(err).toString('utf8'),
                };
                if (timedOut) {
                    reject(new Error(`${command} did not finish within ${options.timeoutMs} ms`));
                }
                else if (options.check !== false && result.exitCode !== 0) {
                    reject(new CommandError(command, args, result));
                }
                else {
                    resolve(result);
                }
            });
            if (child.stdin) {
                // A program may exit without reading its input; that is its answer, not our error.
                child.stdin.on('error', () => undefined);
                child.stdin.end(options.input);
            }
        });
    },
};

;// CONCATENATED MODULE: ./.build/shared/logger.js

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
/**
 * What to register for one secret value. A single-line value is masked whole. A multi-line
 * value (a PEM block) is masked line by line — the runner masks line by line, so it would
 * otherwise leak piecewise — except its `-----BEGIN/END …-----` armour and lines under 4
 * characters, which reveal nothing and would garble the log. Pass secret values only, never a
 * whole document (a kubeconfig, a JSON config): mask the credentials inside it instead.
 */
function masksOf(value) {
    if (!value)
        return [];
    const lines = value.split(/\r?\n/);
    if (lines.filter((l) => l.trim() !== '').length <= 1)
        return [value.trim() || value];
    return lines
        .map((l) => l.trim())
        .filter((l) => l.length >= 4 && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(l));
}
/** The logger used in a real runner: workflow commands through @actions/core. */
const coreLogger = {
    debug: (m) => core/* debug */.Yz(m),
    info: (m) => core/* info */.pq(m),
    warning: (m, p) => core/* warning */.$e(m, toProperties(p)),
    error: (m, p) => core/* error */.z3(m, toProperties(p)),
    secret: (v) => {
        for (const mask of masksOf(v))
            core/* setSecret */.Pq(mask);
    },
    group: (name, fn) => core/* group */.Os(name, fn),
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

// EXTERNAL MODULE: ./.build/shared/summary.js
var summary = __webpack_require__(7910);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./.build/shared/errors.js
var shared_errors = __webpack_require__(479);
;// CONCATENATED MODULE: ./.build/shared/files.js



const GLOB_CHARS = /[*?[\]{}]/;
/**
 * Expands files, directories and globs (one per pattern) relative to `cwd`.
 * Each pattern must match something: returns the patterns that matched nothing
 * separately so the caller can name them in one error.
 */
async function expandPatterns(patterns, cwd) {
    const seen = new Set();
    const matches = [];
    const unmatched = [];
    for (const pattern of patterns) {
        const found = [];
        if (GLOB_CHARS.test(pattern)) {
            for await (const entry of (0,promises_.glob)(pattern, { cwd }))
                found.push(external_node_path_.resolve(cwd, entry));
            found.sort();
        }
        else {
            const abs = external_node_path_.resolve(cwd, pattern);
            try {
                await (0,promises_.stat)(abs);
                found.push(abs);
            }
            catch {
                // reported as unmatched below
            }
        }
        if (found.length === 0)
            unmatched.push(pattern);
        for (const abs of found) {
            if (seen.has(abs))
                continue;
            seen.add(abs);
            const info = await (0,promises_.stat)(abs);
            matches.push({ pattern, path: abs, isDirectory: info.isDirectory() });
        }
    }
    return { matches, unmatched };
}
/** A path relative to the workspace, with forward slashes: how annotations want it. */
function workspaceRelative(abs, workspace) {
    const rel = external_node_path_.relative(workspace, abs);
    return (rel.startsWith('..') ? abs : rel).split(external_node_path_.sep).join('/');
}
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST_EXT = /\.(ya?ml|json)$/i;
async function listManifestFiles(dir) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true, recursive: true });
    // Symlinks are listed too: the confinement check then decides whether they may be read.
    return entries
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && MANIFEST_EXT.test(e.name))
        .map((e) => external_node_path_.join(e.parentPath, e.name))
        .sort();
}
function kustomizationIn(names) {
    return KUSTOMIZATION_FILES.find((f) => names.has(f));
}
/** The default: the workspace and RUNNER_TEMP (where render-manifests writes its output). */
function defaultConfinement(env = process.env) {
    return { roots: env.RUNNER_TEMP ? [env.RUNNER_TEMP] : [] };
}
function isInside(child, parent) {
    const rel = external_node_path_.relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !external_node_path_.isAbsolute(rel));
}
/** Checks paths against the allowed roots after resolving every symlink (realpath). */
class Confiner {
    roots;
    workspace;
    confinement;
    input;
    /** What is done at the allowed place, for the error: `manifests are read`. */
    verb;
    constructor(workspace, confinement, input, verb = 'manifests are read') {
        this.verb = verb;
        this.workspace = workspace;
        this.confinement = confinement;
        this.input = input;
        this.roots = Promise.all([workspace, ...confinement.roots].map((r) => (0,promises_.realpath)(r).catch(() => external_node_path_.resolve(r))));
    }
    describeRoots() {
        const extra = this.confinement.roots.length
            ? ` or ${this.confinement.roots.map((r) => r).join(', ')}`
            : '';
        return `the workspace (${this.workspace})${extra}`;
    }
    /** The real path of `abs`, or an InputError naming `shown` when it leaves the allowed roots. */
    async check(abs, shown) {
        let real;
        try {
            real = await (0,promises_.realpath)(abs);
        }
        catch (error) {
            throw new shared_errors/* InputError */.dz(`Input '${this.input}': "${shown}" cannot be resolved (${error.code ?? 'error'}: a dangling symlink?).`);
        }
        return this.confine(abs, real, shown);
    }
    /** As `check`, for a path that may not exist yet: its nearest existing ancestor is resolved. */
    async checkNew(abs, shown) {
        let existing = external_node_path_.resolve(abs);
        const rest = [];
        for (;;) {
            try {
                const real = await (0,promises_.realpath)(existing);
                return await this.confine(abs, external_node_path_.join(real, ...rest), shown);
            }
            catch (error) {
                if (error instanceof shared_errors/* InputError */.dz)
                    throw error;
                const parent = external_node_path_.dirname(existing);
                if (parent === existing)
                    throw error;
                rest.unshift(external_node_path_.basename(existing));
                existing = parent;
            }
        }
    }
    async confine(abs, real, shown) {
        if (this.confinement.allowOutside)
            return real;
        const roots = await this.roots;
        if (roots.some((root) => isInside(real, root)))
            return real;
        const lexicallyInside = [this.workspace, ...this.confinement.roots].some((r) => isInside(external_node_path_.resolve(abs), external_node_path_.resolve(r)));
        const where = lexicallyInside ? `resolves to ${real}, outside` : 'is outside';
        throw new shared_errors/* InputError */.dz(`Input '${this.input}': "${shown}" ${where} ${this.describeRoots()}; ${this.verb} only there${this.confinement.liftWith ? ` (set '${this.confinement.liftWith}: true' to lift this)` : ''}.`);
    }
}
/**
 * The real path of an output directory (which may not exist yet), confined like the manifests:
 * an error naming `input` when it leads out of the workspace and `confinement.roots`.
 */
async function confineOutputDir(dir, workspace, input, confinement) {
    return new Confiner(workspace, confinement, input, 'output is written').checkNew(external_node_path_.resolve(workspace, dir), workspaceRelative(external_node_path_.resolve(workspace, dir), workspace));
}
/**
 * Resolves a manifests input (files, directories, globs) into sources: plain files, or directories that hold a
 * kustomization (built as one). A directory without one contributes its YAML/JSON files.
 * Every path, after resolving symlinks, must lie in the workspace or one of
 * `confinement.roots` (unless `confinement.allowOutside`); `abs` is the resolved real path.
 */
async function resolveManifestSources(patterns, workspace, input = 'manifests', confinement = defaultConfinement()) {
    const { matches, unmatched } = await expandPatterns(patterns, workspace);
    if (unmatched.length > 0) {
        throw new shared_errors/* InputError */.dz(`Input '${input}': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`);
    }
    const confiner = new Confiner(workspace, confinement, input);
    const sources = [];
    const seen = new Set();
    const add = (source) => {
        if (seen.has(source.abs))
            return;
        seen.add(source.abs);
        sources.push(source);
    };
    for (const match of matches) {
        const shown = workspaceRelative(match.path, workspace);
        const real = await confiner.check(match.path, shown);
        if (!match.isDirectory) {
            add({ type: 'file', abs: real, file: shown });
            continue;
        }
        const names = new Set(await (0,promises_.readdir)(real));
        const kustomization = kustomizationIn(names);
        if (kustomization) {
            add({
                type: 'kustomization',
                abs: real,
                dir: shown,
                kustomizationFile: workspaceRelative(external_node_path_.join(match.path, kustomization), workspace),
            });
            continue;
        }
        const files = await listManifestFiles(real);
        if (files.length === 0) {
            throw new shared_errors/* InputError */.dz(`Input '${input}': directory "${match.pattern}" holds no .yaml, .yml or .json files.`);
        }
        for (const abs of files) {
            const file = workspaceRelative(external_node_path_.join(match.path, external_node_path_.relative(real, abs)), workspace);
            add({ type: 'file', abs: await confiner.check(abs, file), file });
        }
    }
    return sources;
}

;// CONCATENATED MODULE: ./.build/shared/yaml.js


/**
 * Parses every document of a file, keeping comments and source positions. Broken YAML
 * throws a LocatedError with the file and line of the first problem.
 */
function parseYamlFile(text, file) {
    const lineCounter = new dist/* LineCounter */.HN();
    const docs = (0,dist/* parseAllDocuments */.hR)(text, {
        lineCounter,
        keepSourceTokens: false,
        prettyErrors: false,
    });
    const list = Array.isArray(docs) ? docs : [];
    const result = [];
    let previousEnd = 0;
    list.forEach((doc, index) => {
        const start = previousEnd;
        previousEnd = doc.range[2];
        const first = doc.errors[0];
        if (first) {
            const pos = lineCounter.linePos(first.pos[0]);
            const message = first.message.split('\n')[0] ?? first.message;
            throw new shared_errors/* LocatedError */.BU(`${file}:${pos.line}: invalid YAML: ${message}`, file, pos.line, pos.col);
        }
        // An empty document (`---` at the end, or a comment-only file) carries nothing.
        if (doc.contents === null)
            return;
        result.push({ file, index, doc, lineCounter, source: text.slice(start, doc.range[2]) });
    });
    return result;
}
/** The 1-based line of the node at `path` in a document (or of its nearest existing parent). */
function lineOf(source, path) {
    let node = source.doc.contents;
    let best = rangeLine(source, node);
    for (const key of path) {
        if ((0,dist/* isMap */.jh)(node)) {
            const pair = node.items.find((p) => (0,dist/* isScalar */.jn)(p.key) && String(p.key.value) === String(key));
            if (!pair)
                break;
            best = rangeLine(source, pair.key) ?? best;
            node = pair.value;
        }
        else if ((0,dist/* isSeq */.oP)(node) && typeof key === 'number') {
            node = node.items[key];
            best = rangeLine(source, node) ?? best;
        }
        else {
            break;
        }
    }
    return best;
}
function rangeLine(source, node) {
    const range = node?.range;
    return range ? source.lineCounter.linePos(range[0]).line : undefined;
}
/**
 * The document as it stood in the file, without its `---` marker: lets an unchanged
 * document be emitted byte for byte. Undefined when the marker line carries content.
 */
function originalText(source) {
    const text = source.source.replace(/^---[ \t]*\r?\n/, '');
    return text.startsWith('---') || text.startsWith('%') ? undefined : text;
}

;// CONCATENATED MODULE: ./.build/shared/kubernetes/kinds.generated.js
// Generated by scripts/gen-validators.ts. Do not edit.
const source = "@kubernetes/client-node 2.0.1 models (Kubernetes OpenAPI release-1.36)";
const kinds = {"admissionregistration.k8s.io/v1/MutatingAdmissionPolicy":{"model":"V1MutatingAdmissionPolicy","namespaced":false,"plural":"mutatingadmissionpolicies"},"admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding":{"model":"V1MutatingAdmissionPolicyBinding","namespaced":false,"plural":"mutatingadmissionpolicybindings"},"admissionregistration.k8s.io/v1/MutatingWebhookConfiguration":{"model":"V1MutatingWebhookConfiguration","namespaced":false,"plural":"mutatingwebhookconfigurations"},"admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy":{"model":"V1ValidatingAdmissionPolicy","namespaced":false,"plural":"validatingadmissionpolicies"},"admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":{"model":"V1ValidatingAdmissionPolicyBinding","namespaced":false,"plural":"validatingadmissionpolicybindings"},"admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration":{"model":"V1ValidatingWebhookConfiguration","namespaced":false,"plural":"validatingwebhookconfigurations"},"admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicy":{"model":"V1alpha1MutatingAdmissionPolicy","namespaced":false,"plural":"mutatingadmissionpolicies"},"admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicyBinding":{"model":"V1alpha1MutatingAdmissionPolicyBinding","namespaced":false,"plural":"mutatingadmissionpolicybindings"},"admissionregistration.k8s.io/v1beta1/MutatingAdmissionPolicy":{"model":"V1beta1MutatingAdmissionPolicy","namespaced":false,"plural":"mutatingadmissionpolicies"},"admissionregistration.k8s.io/v1beta1/MutatingAdmissionPolicyBinding":{"model":"V1beta1MutatingAdmissionPolicyBinding","namespaced":false,"plural":"mutatingadmissionpolicybindings"},"apiextensions.k8s.io/v1/CustomResourceDefinition":{"model":"V1CustomResourceDefinition","namespaced":false,"plural":"customresourcedefinitions"},"apiregistration.k8s.io/v1/APIService":{"model":"V1APIService","namespaced":false,"plural":"apiservices"},"apps/v1/ControllerRevision":{"model":"V1ControllerRevision","namespaced":true,"plural":"controllerrevisions"},"apps/v1/DaemonSet":{"model":"V1DaemonSet","namespaced":true,"plural":"daemonsets"},"apps/v1/Deployment":{"model":"V1Deployment","namespaced":true,"plural":"deployments"},"apps/v1/ReplicaSet":{"model":"V1ReplicaSet","namespaced":true,"plural":"replicasets"},"apps/v1/StatefulSet":{"model":"V1StatefulSet","namespaced":true,"plural":"statefulsets"},"authentication.k8s.io/v1/SelfSubjectReview":{"model":"V1SelfSubjectReview","namespaced":false,"plural":"selfsubjectreviews"},"authentication.k8s.io/v1/TokenReview":{"model":"V1TokenReview","namespaced":false,"plural":"tokenreviews"},"authentication.k8s.io/v1alpha1/SelfSubjectReview":{"model":"V1alpha1SelfSubjectReview","namespaced":false,"plural":"selfsubjectreviews"},"authentication.k8s.io/v1beta1/SelfSubjectReview":{"model":"V1beta1SelfSubjectReview","namespaced":false,"plural":"selfsubjectreviews"},"authorization.k8s.io/v1/LocalSubjectAccessReview":{"model":"V1LocalSubjectAccessReview","namespaced":true,"plural":"localsubjectaccessreviews"},"authorization.k8s.io/v1/SelfSubjectAccessReview":{"model":"V1SelfSubjectAccessReview","namespaced":false,"plural":"selfsubjectaccessreviews"},"authorization.k8s.io/v1/SelfSubjectRulesReview":{"model":"V1SelfSubjectRulesReview","namespaced":false,"plural":"selfsubjectrulesreviews"},"authorization.k8s.io/v1/SubjectAccessReview":{"model":"V1SubjectAccessReview","namespaced":false,"plural":"subjectaccessreviews"},"autoscaling/v1/HorizontalPodAutoscaler":{"model":"V1HorizontalPodAutoscaler","namespaced":true,"plural":"horizontalpodautoscalers"},"autoscaling/v2/HorizontalPodAutoscaler":{"model":"V2HorizontalPodAutoscaler","namespaced":true,"plural":"horizontalpodautoscalers"},"batch/v1/CronJob":{"model":"V1CronJob","namespaced":true,"plural":"cronjobs"},"batch/v1/Job":{"model":"V1Job","namespaced":true,"plural":"jobs"},"certificates.k8s.io/v1/CertificateSigningRequest":{"model":"V1CertificateSigningRequest","namespaced":false,"plural":"certificatesigningrequests"},"certificates.k8s.io/v1alpha1/ClusterTrustBundle":{"model":"V1alpha1ClusterTrustBundle","namespaced":false,"plural":"clustertrustbundles"},"certificates.k8s.io/v1beta1/ClusterTrustBundle":{"model":"V1beta1ClusterTrustBundle","namespaced":false,"plural":"clustertrustbundles"},"certificates.k8s.io/v1beta1/PodCertificateRequest":{"model":"V1beta1PodCertificateRequest","namespaced":true,"plural":"podcertificaterequests"},"coordination.k8s.io/v1/Lease":{"model":"V1Lease","namespaced":true,"plural":"leases"},"coordination.k8s.io/v1alpha2/LeaseCandidate":{"model":"V1alpha2LeaseCandidate","namespaced":true,"plural":"leasecandidates"},"coordination.k8s.io/v1beta1/LeaseCandidate":{"model":"V1beta1LeaseCandidate","namespaced":true,"plural":"leasecandidates"},"discovery.k8s.io/v1/EndpointSlice":{"model":"V1EndpointSlice","namespaced":true,"plural":"endpointslices"},"events.k8s.io/v1/Event":{"model":"EventsV1Event","namespaced":true,"plural":"events"},"flowcontrol.apiserver.k8s.io/v1/FlowSchema":{"model":"V1FlowSchema","namespaced":false,"plural":"flowschemas"},"flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration":{"model":"V1PriorityLevelConfiguration","namespaced":false,"plural":"prioritylevelconfigurations"},"flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema":{"model":"V1beta3FlowSchema","namespaced":false,"plural":"flowschemas"},"flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration":{"model":"V1beta3PriorityLevelConfiguration","namespaced":false,"plural":"prioritylevelconfigurations"},"internal.apiserver.k8s.io/v1alpha1/StorageVersion":{"model":"V1alpha1StorageVersion","namespaced":false,"plural":"storageversions"},"networking.k8s.io/v1/Ingress":{"model":"V1Ingress","namespaced":true,"plural":"ingresses"},"networking.k8s.io/v1/IngressClass":{"model":"V1IngressClass","namespaced":false,"plural":"ingressclasses"},"networking.k8s.io/v1/IPAddress":{"model":"V1IPAddress","namespaced":false,"plural":"ipaddresses"},"networking.k8s.io/v1/NetworkPolicy":{"model":"V1NetworkPolicy","namespaced":true,"plural":"networkpolicies"},"networking.k8s.io/v1/ServiceCIDR":{"model":"V1ServiceCIDR","namespaced":false,"plural":"servicecidrs"},"networking.k8s.io/v1alpha1/IPAddress":{"model":"V1alpha1IPAddress","namespaced":false,"plural":"ipaddresses"},"networking.k8s.io/v1alpha1/ServiceCIDR":{"model":"V1alpha1ServiceCIDR","namespaced":false,"plural":"servicecidrs"},"networking.k8s.io/v1beta1/IPAddress":{"model":"V1beta1IPAddress","namespaced":false,"plural":"ipaddresses"},"networking.k8s.io/v1beta1/ServiceCIDR":{"model":"V1beta1ServiceCIDR","namespaced":false,"plural":"servicecidrs"},"node.k8s.io/v1/RuntimeClass":{"model":"V1RuntimeClass","namespaced":false,"plural":"runtimeclasses"},"policy/v1/PodDisruptionBudget":{"model":"V1PodDisruptionBudget","namespaced":true,"plural":"poddisruptionbudgets"},"rbac.authorization.k8s.io/v1/ClusterRole":{"model":"V1ClusterRole","namespaced":false,"plural":"clusterroles"},"rbac.authorization.k8s.io/v1/ClusterRoleBinding":{"model":"V1ClusterRoleBinding","namespaced":false,"plural":"clusterrolebindings"},"rbac.authorization.k8s.io/v1/Role":{"model":"V1Role","namespaced":true,"plural":"roles"},"rbac.authorization.k8s.io/v1/RoleBinding":{"model":"V1RoleBinding","namespaced":true,"plural":"rolebindings"},"resource.k8s.io/v1/DeviceClass":{"model":"V1DeviceClass","namespaced":false,"plural":"deviceclasses"},"resource.k8s.io/v1/ResourceClaim":{"model":"ResourceV1ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1/ResourceClaimTemplate":{"model":"V1ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1/ResourceSlice":{"model":"V1ResourceSlice","namespaced":false,"plural":"resourceslices"},"resource.k8s.io/v1alpha2/PodSchedulingContext":{"model":"V1alpha2PodSchedulingContext","namespaced":true,"plural":"podschedulingcontexts"},"resource.k8s.io/v1alpha2/ResourceClaim":{"model":"V1alpha2ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1alpha2/ResourceClaimParameters":{"model":"V1alpha2ResourceClaimParameters","namespaced":true,"plural":"resourceclaimparameters"},"resource.k8s.io/v1alpha2/ResourceClaimTemplate":{"model":"V1alpha2ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1alpha2/ResourceClass":{"model":"V1alpha2ResourceClass","namespaced":false,"plural":"resourceclasses"},"resource.k8s.io/v1alpha2/ResourceClassParameters":{"model":"V1alpha2ResourceClassParameters","namespaced":true,"plural":"resourceclassparameters"},"resource.k8s.io/v1alpha2/ResourceSlice":{"model":"V1alpha2ResourceSlice","namespaced":false,"plural":"resourceslices"},"resource.k8s.io/v1alpha3/DeviceTaintRule":{"model":"V1alpha3DeviceTaintRule","namespaced":false,"plural":"devicetaintrules"},"resource.k8s.io/v1alpha3/ResourcePoolStatusRequest":{"model":"V1alpha3ResourcePoolStatusRequest","namespaced":false,"plural":"resourcepoolstatusrequests"},"resource.k8s.io/v1beta1/DeviceClass":{"model":"V1beta1DeviceClass","namespaced":false,"plural":"deviceclasses"},"resource.k8s.io/v1beta1/ResourceClaim":{"model":"V1beta1ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1beta1/ResourceClaimTemplate":{"model":"V1beta1ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1beta1/ResourceSlice":{"model":"V1beta1ResourceSlice","namespaced":false,"plural":"resourceslices"},"resource.k8s.io/v1beta2/DeviceClass":{"model":"V1beta2DeviceClass","namespaced":false,"plural":"deviceclasses"},"resource.k8s.io/v1beta2/DeviceTaintRule":{"model":"V1beta2DeviceTaintRule","namespaced":false,"plural":"devicetaintrules"},"resource.k8s.io/v1beta2/ResourceClaim":{"model":"V1beta2ResourceClaim","namespaced":true,"plural":"resourceclaims"},"resource.k8s.io/v1beta2/ResourceClaimTemplate":{"model":"V1beta2ResourceClaimTemplate","namespaced":true,"plural":"resourceclaimtemplates"},"resource.k8s.io/v1beta2/ResourceSlice":{"model":"V1beta2ResourceSlice","namespaced":false,"plural":"resourceslices"},"scheduling.k8s.io/v1/PriorityClass":{"model":"V1PriorityClass","namespaced":false,"plural":"priorityclasses"},"scheduling.k8s.io/v1alpha1/Workload":{"model":"V1alpha1Workload","namespaced":true,"plural":"workloads"},"scheduling.k8s.io/v1alpha2/PodGroup":{"model":"V1alpha2PodGroup","namespaced":true,"plural":"podgroups"},"scheduling.k8s.io/v1alpha2/Workload":{"model":"V1alpha2Workload","namespaced":true,"plural":"workloads"},"storage.k8s.io/v1/CSIDriver":{"model":"V1CSIDriver","namespaced":false,"plural":"csidrivers"},"storage.k8s.io/v1/CSINode":{"model":"V1CSINode","namespaced":false,"plural":"csinodes"},"storage.k8s.io/v1/CSIStorageCapacity":{"model":"V1CSIStorageCapacity","namespaced":true,"plural":"csistoragecapacities"},"storage.k8s.io/v1/StorageClass":{"model":"V1StorageClass","namespaced":false,"plural":"storageclasses"},"storage.k8s.io/v1/VolumeAttachment":{"model":"V1VolumeAttachment","namespaced":false,"plural":"volumeattachments"},"storage.k8s.io/v1/VolumeAttributesClass":{"model":"V1VolumeAttributesClass","namespaced":false,"plural":"volumeattributesclasses"},"storage.k8s.io/v1alpha1/VolumeAttributesClass":{"model":"V1alpha1VolumeAttributesClass","namespaced":false,"plural":"volumeattributesclasses"},"storage.k8s.io/v1beta1/VolumeAttributesClass":{"model":"V1beta1VolumeAttributesClass","namespaced":false,"plural":"volumeattributesclasses"},"storagemigration.k8s.io/v1alpha1/StorageVersionMigration":{"model":"V1alpha1StorageVersionMigration","namespaced":false,"plural":"storageversionmigrations"},"storagemigration.k8s.io/v1beta1/StorageVersionMigration":{"model":"V1beta1StorageVersionMigration","namespaced":false,"plural":"storageversionmigrations"},"v1/Binding":{"model":"V1Binding","namespaced":true,"plural":"bindings"},"v1/ConfigMap":{"model":"V1ConfigMap","namespaced":true,"plural":"configmaps"},"v1/Endpoints":{"model":"V1Endpoints","namespaced":true,"plural":"endpoints"},"v1/Event":{"model":"CoreV1Event","namespaced":true,"plural":"events"},"v1/LimitRange":{"model":"V1LimitRange","namespaced":true,"plural":"limitranges"},"v1/Namespace":{"model":"V1Namespace","namespaced":false,"plural":"namespaces"},"v1/Node":{"model":"V1Node","namespaced":false,"plural":"nodes"},"v1/PersistentVolume":{"model":"V1PersistentVolume","namespaced":false,"plural":"persistentvolumes"},"v1/PersistentVolumeClaim":{"model":"V1PersistentVolumeClaim","namespaced":true,"plural":"persistentvolumeclaims"},"v1/Pod":{"model":"V1Pod","namespaced":true,"plural":"pods"},"v1/PodTemplate":{"model":"V1PodTemplate","namespaced":true,"plural":"podtemplates"},"v1/ReplicationController":{"model":"V1ReplicationController","namespaced":true,"plural":"replicationcontrollers"},"v1/ResourceQuota":{"model":"V1ResourceQuota","namespaced":true,"plural":"resourcequotas"},"v1/Secret":{"model":"V1Secret","namespaced":true,"plural":"secrets"},"v1/Service":{"model":"V1Service","namespaced":true,"plural":"services"},"v1/ServiceAccount":{"model":"V1ServiceAccount","namespaced":true,"plural":"serviceaccounts"}};

;// CONCATENATED MODULE: ./.build/shared/kubernetes/kinds.js
/** Facts about built-in kinds, from the generated schema (no Kubernetes client needed). */

/** Built-in kinds by `apiVersion/kind`, and where that list came from. */
const kubernetesSchema = {
    source: source,
    kinds: kinds,
};
/** `apps/v1` + `Deployment` → its info, or undefined for kinds not built in (CRDs). */
function builtinKind(apiVersion, kind) {
    return kubernetesSchema.kinds[`${apiVersion}/${kind}`];
}
function groupOf(apiVersion) {
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
}
/** Cluster-scoped kinds that are not built in but common (so namespace is not set on them). */
const CLUSTER_SCOPED_EXTRA = new Set([
    'ClusterIssuer',
    'ClusterServingRuntime',
    'ClusterStorageContainer',
    'ClusterSecretStore',
]);
function isNamespaced(apiVersion, kind) {
    const info = builtinKind(apiVersion, kind);
    if (info)
        return info.namespaced;
    // Built-in kinds under another version keep their scope (e.g. rbac v1beta1 ClusterRole).
    const sameKind = Object.entries(kubernetesSchema.kinds).find(([key]) => key.endsWith(`/${kind}`));
    if (sameKind &&
        groupOf(sameKind[0].slice(0, sameKind[0].lastIndexOf('/'))) === groupOf(apiVersion)) {
        return sameKind[1].namespaced;
    }
    return !CLUSTER_SCOPED_EXTRA.has(kind);
}

// EXTERNAL MODULE: ./.build/shared/kubernetes/api-versions.js
var api_versions = __webpack_require__(8145);
;// CONCATENATED MODULE: ./.build/shared/kubernetes/schema-validator.js

/** The export name of a kind's validator (must match scripts/gen-validators.ts). */
function validatorExportName(apiVersion, kind) {
    return `v_${`${apiVersion}/${kind}`.replace(/[^A-Za-z0-9]/g, '_')}`;
}
function pathOf(pointer) {
    if (!pointer)
        return [];
    return pointer
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
/** `spec.template.spec.containers[0].image` */
function formatPath(path) {
    return path.reduce((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}
function describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a map';
    return `${typeof value} ${JSON.stringify(value)}`;
}
function toProblems(errors, root) {
    const problems = [];
    const seen = new Set();
    for (const e of errors) {
        let path = pathOf(e.instancePath);
        let message;
        switch (e.keyword) {
            case 'additionalProperties':
                path = [...path, e.params.additionalProperty];
                message = `unknown field "${formatPath(path)}"`;
                break;
            case 'required':
                path = [...path, e.params.missingProperty];
                message = `missing required field "${formatPath(path)}"`;
                break;
            case 'type': {
                const value = path.reduce((node, key) => node?.[key], root);
                const expected = String(e.params.type).replace(',', ' or ');
                message = `field "${formatPath(path)}" must be ${expected}, got ${describe(value)}`;
                break;
            }
            case 'anyOf':
            case 'oneOf':
            case 'if':
                continue;
            default:
                message = `field "${formatPath(path) || '(root)'}" ${e.message ?? 'is invalid'}`;
        }
        if (seen.has(message))
            continue;
        seen.add(message);
        problems.push({ path, message });
    }
    return problems;
}
class ManifestValidator {
    validators;
    version;
    constructor(validators, version) {
        this.validators = validators;
        this.version = version;
    }
    /**
     * Loads the validators of the given kinds (`apiVersion/kind`; all when omitted): each
     * bucket of kinds is its own module, so a typical render loads only the common one.
     */
    static async create(options = {}) {
        const { bucketByExport, loadBucket } = await __webpack_require__.e(/* import() */ 487).then(__webpack_require__.bind(__webpack_require__, 2487));
        const wanted = options.kinds
            ? [...options.kinds].map((k) => {
                const slash = k.lastIndexOf('/');
                return bucketByExport[validatorExportName(k.slice(0, slash), k.slice(slash + 1))];
            })
            : Object.values(bucketByExport);
        const buckets = [...new Set(wanted.filter((b) => b !== undefined))];
        const modules = await Promise.all(buckets.map((b) => loadBucket(b)));
        const validators = Object.assign({}, ...modules);
        return new ManifestValidator(validators, options.kubernetesVersion);
    }
    /** Whether a schema exists for the kind (built in or a bundled CRD). */
    knows(apiVersion, kind) {
        return this.validators[validatorExportName(apiVersion, kind)] !== undefined;
    }
    validate(object) {
        const apiVersion = String(object.apiVersion ?? '');
        const kind = String(object.kind ?? '');
        const problems = [];
        if (this.version) {
            const problem = (0,api_versions/* apiAvailabilityProblem */.RR)(apiVersion, kind, this.version);
            if (problem)
                problems.push({ path: ['apiVersion'], message: problem });
        }
        const metadata = object.metadata;
        if (!metadata ||
            (typeof metadata.name !== 'string' && typeof metadata.generateName !== 'string')) {
            problems.push({ path: ['metadata'], message: 'missing required field "metadata.name"' });
        }
        const validate = this.validators[validatorExportName(apiVersion, kind)];
        if (!validate)
            return { known: false, problems };
        if (!validate(object))
            problems.push(...toProblems(validate.errors ?? [], object));
        return { known: true, problems };
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./.build/actions/render-manifests/kustomize.js
/**
 * Builds kustomizations with `kubectl kustomize` — the real kustomize semantics. GitHub's
 * runners have kubectl; elsewhere a pinned kubectl is downloaded with @actions/tool-cache
 * and its SHA-256 verified before it is ever executed.
 */





const PINNED_KUBECTL = {
    version: 'v1.33.0',
    sha256: {
        'linux-x64': '9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc',
    },
};
const ARCH = { x64: 'amd64', arm64: 'arm64' };
function findOnPath(binary, pathEnv = process.env.PATH ?? '') {
    for (const dir of pathEnv.split(external_node_path_.delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_.join(dir, binary);
        if ((0,external_node_fs_.existsSync)(candidate))
            return candidate;
    }
    return undefined;
}
async function sha256File(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        hash.update(chunk);
    return hash.digest('hex');
}
/** kubectl on PATH, or the pinned release from the tool cache (downloaded and verified once). */
async function locateKubectl(deps) {
    const onPath = findOnPath('kubectl', deps.pathEnv);
    if (onPath)
        return onPath;
    const pinned = deps.pinned ?? PINNED_KUBECTL;
    const platform = deps.platform ?? `${process.platform}-${process.arch}`;
    const expected = pinned.sha256[platform];
    if (!expected) {
        throw new Error(`kubectl is not on PATH and no pinned kubectl exists for ${platform}; install kubectl before this step (e.g. azure/setup-kubectl).`);
    }
    const tc = await __webpack_require__.e(/* import() */ 805).then(__webpack_require__.bind(__webpack_require__, 9805));
    const cached = tc.find('kubectl', pinned.version.replace(/^v/, ''));
    if (cached)
        return external_node_path_.join(cached, 'kubectl');
    const [os, arch] = platform.split('-');
    const base = deps.baseUrl ?? process.env.MLOPS_KUBECTL_BASE_URL ?? 'https://dl.k8s.io/release';
    const url = `${base}/${pinned.version}/bin/${os}/${ARCH[arch ?? ''] ?? arch}/kubectl`;
    deps.logger.info(`kubectl is not on PATH: downloading ${pinned.version} from ${url}`);
    const downloaded = await tc.downloadTool(url);
    const actual = await sha256File(downloaded);
    if (actual !== expected) {
        throw new Error(`kubectl downloaded from ${url} has SHA-256 ${actual}, expected ${expected}; refusing to run it.`);
    }
    await (0,promises_.chmod)(downloaded, 0o755);
    const dir = await tc.cacheFile(downloaded, 'kubectl', 'kubectl', pinned.version.replace(/^v/, ''));
    return external_node_path_.join(dir, 'kubectl');
}
/**
 * `kubectl kustomize <dir>`: the rendered multi-document YAML. The load restrictor is always
 * `LoadRestrictionsRootOnly` (named, not left to the default): a kustomization reads files
 * only below its own directory, never `../` or absolute paths elsewhere.
 */
async function kustomizeBuild(kubectl, dir, runner) {
    try {
        const result = await runner.run(kubectl, ['kustomize', '--load-restrictor', 'LoadRestrictionsRootOnly', dir], { timeoutMs: 120_000 });
        return result.stdout;
    }
    catch (error) {
        if (error instanceof CommandError) {
            const detail = error.result.stderr.trim().split('\n').slice(-3).join(' ');
            throw new Error(`kustomize build of ${dir} failed: ${detail || `exit code ${error.result.exitCode}`}`);
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/substitute.js
/**
 * Substitutions on parsed YAML: the placeholder and `${NAME}` are replaced inside string scalar
 * values only, by setting the scalar's value — the serializer then quotes it as needed. No
 * input can add keys, lists or documents, and comments and keys are never touched.
 */

/** Every string scalar in a value position (not keys), depth first. Aliases are not followed. */
function stringScalars(doc) {
    const sites = [];
    const walk = (node, path) => {
        if ((0,dist/* isScalar */.jn)(node)) {
            if (typeof node.value === 'string')
                sites.push({ scalar: node, path });
        }
        else if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items) {
                const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '?';
                walk(pair.value, [...path, key]);
            }
        }
        else if ((0,dist/* isSeq */.oP)(node)) {
            node.items.forEach((item, i) => walk(item, [...path, i]));
        }
    };
    walk(doc.contents, []);
    return sites;
}
/** Replaces a literal token in every string scalar value; returns how many were replaced. */
function replaceTokenInScalars(sites, token, value) {
    let count = 0;
    for (const { scalar } of sites) {
        const text = scalar.value;
        if (!text.includes(token))
            continue;
        const parts = text.split(token);
        count += parts.length - 1;
        scalar.value = parts.join(value);
    }
    return count;
}
const REFERENCE = /(\$?)\$\{([^}\s]*)\}/g;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function lineOffsetOf(text, index) {
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1))
        n++;
    return n;
}
/** Every `${NAME}` (not `$${NAME}`) in the scalars. */
function findReferences(sites) {
    const refs = [];
    for (const site of sites) {
        const text = site.scalar.value;
        if (!text.includes('${'))
            continue;
        for (const m of text.matchAll(REFERENCE)) {
            if (m[1])
                continue;
            refs.push({ site, name: m[2] ?? '', lineOffset: lineOffsetOf(text, m.index) });
        }
    }
    return refs;
}
/**
 * The value a whole plain `${NAME}` scalar takes: YAML's own type for a number, boolean or null
 * (so `replicas: ${N}` stays an integer), else the string. Never structure.
 */
function plainScalarValue(value) {
    const doc = (0,dist/* parseDocument */.Tp)(value);
    if (doc.errors.length > 0 || !(0,dist/* isScalar */.jn)(doc.contents))
        return value;
    const typed = doc.contents.value;
    return typeof typed === 'number' || typeof typed === 'boolean' || typed === null ? typed : value;
}
/**
 * Replaces `${NAME}` with its value in every string scalar. `$${NAME}` becomes the literal
 * `${NAME}`. A `${NAME}` with no value is left in place and returned in `missing`.
 */
function substituteVars(sites, vars) {
    const missing = [];
    const substituted = [];
    for (const site of sites) {
        const text = site.scalar.value;
        if (!text.includes('${'))
            continue;
        const keys = [];
        const out = text.replace(REFERENCE, (whole, escape, name, offset) => {
            if (escape)
                return whole.slice(1);
            const value = vars.get(name);
            if (value === undefined) {
                missing.push({ site, name, lineOffset: lineOffsetOf(text, offset) });
                return whole;
            }
            keys.push(name);
            return value;
        });
        if (out === text)
            continue;
        const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text);
        const plain = site.scalar.type === undefined || site.scalar.type === dist/* Scalar */.X5.PLAIN;
        site.scalar.value = whole && plain && keys.length === 1 ? plainScalarValue(out) : out;
        substituted.push({ path: site.path, keys });
    }
    return { missing, substituted };
}
/** The hint for a `${NAME}` with no value. */
function missingHint(name) {
    return VAR_NAME.test(name) ? `add ${name}=… to 'vars'` : 'not a valid variable name';
}
/**
 * `message` with every value of `keys` in `vars` replaced by `${KEY}`: messages never echo a
 * vars value (one may be a secret). Values shorter than 3 characters are left (they would
 * garble messages and hide nothing).
 */
function redactVars(message, vars, keys) {
    if (!vars)
        return message;
    const values = [...new Set(keys)]
        .map((k) => [k, vars.get(k) ?? ''])
        .filter(([, v]) => v.length >= 3)
        .sort((a, b) => b[1].length - a[1].length);
    let out = message;
    for (const [key, value] of values) {
        out = out.split(value).join(`\${${key}}`);
        const json = JSON.stringify(value).slice(1, -1);
        if (json !== value)
            out = out.split(json).join(`\${${key}}`);
    }
    return out;
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/limits.js
/**
 * What the API server would refuse, checked offline: object names (apimachinery's name
 * validation per kind) and sizes (ConfigMap/Secret data, whole objects).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose name must be a DNS-1123 label (it becomes a namespace). */
const LABEL_KINDS = new Set(['/Namespace']);
/** Kinds whose name must be a DNS-1035 label (a Service name becomes a DNS name and env vars). */
const DNS1035_KINDS = new Set(['/Service']);
/** Kinds whose name is only a path segment (RBAC allows `system:controller:x`). */
const PATH_SEGMENT_KINDS = new Set([
    'rbac.authorization.k8s.io/Role',
    'rbac.authorization.k8s.io/ClusterRole',
    'rbac.authorization.k8s.io/RoleBinding',
    'rbac.authorization.k8s.io/ClusterRoleBinding',
    'certificates.k8s.io/CertificateSigningRequest',
]);
/** Why `name` is not a valid name for `kind`, or undefined when it is. */
function nameProblem(apiVersion, kind, name) {
    const key = `${groupOf(apiVersion)}/${kind}`;
    if (PATH_SEGMENT_KINDS.has(key)) {
        if (name === '.' || name === '..' || /[/%]/.test(name))
            return `metadata.name ${JSON.stringify(name)} is not a valid path segment name (no '/' or '%', not '.' or '..')`;
        return undefined;
    }
    if (DNS1035_KINDS.has(key)) {
        if (name.length > 63 || !DNS1035_LABEL.test(name))
            return `metadata.name ${JSON.stringify(name.slice(0, 80))} is not a valid DNS-1035 label (a ${kind} name is at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit)`;
        return undefined;
    }
    if (LABEL_KINDS.has(key)) {
        if (name.length > 63 || !DNS1123_LABEL.test(name))
            return `metadata.name ${JSON.stringify(name.slice(0, 80))} is not a valid DNS-1123 label (a ${kind} name is at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)`;
        return undefined;
    }
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
        return `metadata.name ${JSON.stringify(name.slice(0, 80))} is not a valid DNS-1123 subdomain (at most 253 lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit)`;
    return undefined;
}
/** The API server's limit on ConfigMap and Secret data (1 MiB). */
const DATA_LIMIT = 1024 * 1024;
/** etcd's default request limit, which bounds any one object (1.5 MiB). */
const OBJECT_LIMIT = 1.5 * 1024 * 1024;
function mib(bytes) {
    return `${(bytes / (1024 * 1024)).toFixed(2)} MiB (${bytes} bytes)`;
}
function stringEntries(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [];
    return Object.entries(value).filter((e) => typeof e[1] === 'string');
}
function base64Bytes(value) {
    return Buffer.from(value, 'base64').length;
}
/**
 * A size the API server would refuse: ConfigMap data + binaryData (keys and values) or Secret
 * data + stringData over 1 MiB, any object over 1.5 MiB. Returns the message and the field.
 */
function sizeProblem(object, kind, apiVersion) {
    const core = groupOf(apiVersion) === '';
    if (core && kind === 'ConfigMap') {
        let total = 0;
        for (const [k, v] of stringEntries(object.data))
            total += k.length + Buffer.byteLength(v);
        for (const [k, v] of stringEntries(object.binaryData))
            total += k.length + base64Bytes(v);
        if (total > DATA_LIMIT)
            return {
                message: `data is ${mib(total)}, over the API server's limit of 1 MiB for a ConfigMap's data and binaryData`,
                field: object.data !== undefined ? 'data' : 'binaryData',
            };
    }
    if (core && kind === 'Secret') {
        let total = 0;
        for (const [, v] of stringEntries(object.data))
            total += base64Bytes(v);
        for (const [, v] of stringEntries(object.stringData))
            total += Buffer.byteLength(v);
        if (total > DATA_LIMIT)
            return {
                message: `data is ${mib(total)}, over the API server's limit of 1 MiB for a Secret's data and stringData`,
                field: object.data !== undefined ? 'data' : 'stringData',
            };
    }
    const size = Buffer.byteLength(JSON.stringify(object));
    if (size > OBJECT_LIMIT)
        return {
            message: `the object is ${mib(size)} as JSON, over the 1.5 MiB an API server (etcd) accepts`,
            field: 'kind',
        };
    return undefined;
}

// EXTERNAL MODULE: ./.build/actions/render-manifests/images.js
var render_manifests_images = __webpack_require__(2544);
;// CONCATENATED MODULE: ./.build/actions/render-manifests/transform.js
/** Edits on parsed YAML documents that keep comments, key order and scalar styles. */


const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/**
 * Every container image in a document: `image` of each item under a containers /
 * initContainers / ephemeralContainers list at any depth (kustomize's rule), plus for
 * KServe InferenceServices the `image` of predictor/transformer/explainer model specs.
 */
function findImages(doc, kind) {
    const sites = [];
    const walk = (node, path, inIsvcSpec) => {
        if ((0,dist/* isMap */.jh)(node)) {
            for (const pair of node.items) {
                if (!(0,dist/* isScalar */.jn)(pair.key))
                    continue;
                const key = String(pair.key.value);
                const childPath = [...path, key];
                if (CONTAINER_LISTS.has(key) && (0,dist/* isSeq */.oP)(pair.value)) {
                    pair.value.items.forEach((item, i) => {
                        const image = (0,dist/* isMap */.jh)(item) ? item.get('image', true) : undefined;
                        if ((0,dist/* isScalar */.jn)(image) && typeof image.value === 'string')
                            sites.push({ scalar: image, path: [...childPath, i, 'image'] });
                        walk(item, [...childPath, i], inIsvcSpec);
                    });
                    continue;
                }
                if (inIsvcSpec &&
                    key === 'image' &&
                    (0,dist/* isScalar */.jn)(pair.value) &&
                    typeof pair.value.value === 'string') {
                    sites.push({ scalar: pair.value, path: childPath });
                    continue;
                }
                walk(pair.value, childPath, inIsvcSpec || (kind === 'InferenceService' && path.length === 0 && key === 'spec'));
            }
        }
        else if ((0,dist/* isSeq */.oP)(node)) {
            node.items.forEach((item, i) => walk(item, [...path, i], inIsvcSpec));
        }
    };
    walk(doc.contents, [], false);
    return sites;
}
/** Applies `images` overrides; returns the overrides that matched and how many images changed. */
function applyImageOverrides(sites, overrides) {
    const used = new Set();
    let changed = 0;
    for (const site of sites) {
        for (const override of overrides) {
            const next = (0,render_manifests_images/* applyOverride */.T)(String(site.scalar.value), override);
            if (next === undefined)
                continue;
            if (next !== site.scalar.value)
                changed++;
            site.scalar.value = next;
            used.add(override);
            break;
        }
    }
    return { used, changed };
}
function ensureMap(doc, path) {
    let node = doc.getIn(path, true);
    if (!(0,dist/* isMap */.jh)(node)) {
        doc.setIn(path, doc.createNode({}));
        node = doc.getIn(path, true);
    }
    return node;
}
function setEntries(doc, path, entries) {
    if (entries.size === 0)
        return;
    const map = ensureMap(doc, path);
    for (const [key, value] of entries)
        map.set(key, value);
}
/** Pod template paths of the workload kinds (where labels/annotations also go, as kustomize does). */
const TEMPLATE_PATHS = {
    Deployment: ['spec', 'template', 'metadata'],
    StatefulSet: ['spec', 'template', 'metadata'],
    DaemonSet: ['spec', 'template', 'metadata'],
    ReplicaSet: ['spec', 'template', 'metadata'],
    Job: ['spec', 'template', 'metadata'],
    CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
};
/** Sets metadata.namespace; a new key goes right after `name`, where people expect it. */
function setNamespace(doc, namespace) {
    const metadata = ensureMap(doc, ['metadata']);
    if (metadata.has('namespace')) {
        metadata.set('namespace', namespace);
        return;
    }
    const nameIndex = metadata.items.findIndex((p) => (0,dist/* isScalar */.jn)(p.key) && p.key.value === 'name');
    metadata.items.splice(nameIndex + 1, 0, doc.createPair('namespace', namespace));
}
function applyMetadata(doc, kind, opts) {
    const before = { namespace: doc.getIn(['metadata', 'namespace']) };
    if (opts.namespace && opts.namespaced)
        setNamespace(doc, opts.namespace);
    setEntries(doc, ['metadata', 'labels'], opts.labels);
    setEntries(doc, ['metadata', 'annotations'], opts.annotations);
    const template = TEMPLATE_PATHS[kind];
    if (template && doc.hasIn(template.slice(0, -1))) {
        setEntries(doc, [...template, 'labels'], opts.labels);
        setEntries(doc, [...template, 'annotations'], opts.annotations);
    }
    const namespaceChanged = opts.namespaced && opts.namespace !== undefined && opts.namespace !== before.namespace;
    return namespaceChanged || opts.labels.size > 0 || opts.annotations.size > 0;
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/run.js













async function loadTexts(sources, deps) {
    const texts = [];
    let kubectl;
    for (const source of sources) {
        if (source.type === 'file') {
            texts.push({
                source,
                file: source.file,
                text: await (0,promises_.readFile)(source.abs, 'utf8'),
                hasLines: true,
            });
        }
        else {
            kubectl ??= await (deps.kubectl ?? (() => locateKubectl({ logger: deps.logger })))();
            deps.logger.info(`kustomize build ${source.dir}`);
            const text = await kustomizeBuild(kubectl, source.abs, deps.runner);
            texts.push({ source, file: source.kustomizationFile, text, hasLines: false });
        }
    }
    return texts;
}
/** Problems listed in the failure message (every one is still annotated). */
const MAX_LISTED_PROBLEMS = 20;
/** Unresolved `${NAME}` references annotated one by one; the rest are counted. */
const MAX_UNRESOLVED_WARNINGS = 50;
const run_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function idKey(id) {
    return `${groupOf(id.apiVersion)}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}
function describeId(id) {
    return `${id.kind}/${id.name}${id.namespace ? ` (namespace ${id.namespace})` : ''}`;
}
/**
 * Renders the manifests: load (kustomize where asked), substitute, transform, validate,
 * and only when everything is valid write one multi-document file. Any problem throws
 * (LocatedErrors for manifest problems) and nothing is written.
 */
async function renderManifests(inputs, deps) {
    const confinement = {
        roots: inputs.allowedRoots,
        allowOutside: inputs.allowOutsideWorkspace,
        liftWith: 'allow-outside-workspace',
    };
    // The output goes where the manifests may come from: checked before anything is read.
    await confineOutputDir(inputs.outputDir, inputs.workspace, 'output-dir', confinement);
    const sources = await resolveManifestSources(inputs.manifests, inputs.workspace, 'manifests', confinement);
    const texts = await loadTexts(sources, deps);
    const errors = [];
    const warnings = [];
    const unresolved = [];
    let placeholderCount = 0;
    const toValidate = [];
    const documents = [];
    const seen = new Map();
    const usedOverrides = new Set();
    const unvalidated = new Set();
    const images = new Set();
    for (const t of texts) {
        let docs;
        try {
            docs = parseYamlFile(t.text, t.file);
        }
        catch (error) {
            if (error instanceof shared_errors/* LocatedError */.BU) {
                errors.push(t.hasLines
                    ? error
                    : new shared_errors/* LocatedError */.BU(`${t.file}: kustomize output is not valid YAML: ${error.message}`, t.file));
                continue;
            }
            throw error;
        }
        for (const sd of docs) {
            const line = (p) => t.hasLines ? lineOf(sd, p) : undefined;
            const at = (p) => {
                const l = line(p);
                return l === undefined ? t.file : `${t.file}:${l}`;
            };
            // Keys of `vars` whose values went into this document: messages name them, never the values.
            const usedKeys = new Set();
            const fail = (message, p) => {
                const safe = redactVars(message, inputs.vars, usedKeys);
                errors.push(new shared_errors/* LocatedError */.BU(`${at(p)}: ${safe}`, t.file, line(p)));
            };
            if (!(0,dist/* isMap */.jh)(sd.doc.contents)) {
                fail(`document ${sd.index + 1} is not a Kubernetes object (expected a map with apiVersion and kind)`, []);
                continue;
            }
            // Substitutions set whole scalar values: no input can add structure.
            const scalars = stringScalars(sd.doc);
            let substituted = false;
            if (inputs.placeholder) {
                const n = replaceTokenInScalars(scalars, inputs.placeholder.token, inputs.placeholder.image);
                placeholderCount += n;
                substituted ||= n > 0;
            }
            const referenceLine = (r) => {
                const l = line(r.site.path);
                return l === undefined ? undefined : l + r.lineOffset;
            };
            const referenceAt = (r) => {
                const l = referenceLine(r);
                return l === undefined ? t.file : `${t.file}:${l}`;
            };
            if (inputs.vars) {
                const r = substituteVars(scalars, inputs.vars);
                for (const s of r.substituted)
                    for (const k of s.keys)
                        usedKeys.add(k);
                substituted ||= r.substituted.length > 0;
                for (const m of r.missing) {
                    errors.push(new shared_errors/* LocatedError */.BU(`${referenceAt(m)}: \${${m.name}} has no value (${missingHint(m.name)}; write $\${${m.name}} for a literal)`, t.file, referenceLine(m)));
                }
            }
            else {
                for (const r of findReferences(scalars)) {
                    unresolved.push(new shared_errors/* LocatedError */.BU(`${referenceAt(r)}: \${${r.name}} is not substituted ('vars' is empty) and would be applied literally (${run_VAR_NAME.test(r.name) ? `set ${r.name}=… in 'vars'; ` : ''}to keep it on purpose, write $\${${r.name}} and set 'vars', where $\${…} means a literal \${…})`, t.file, referenceLine(r)));
                }
            }
            const kindValue = sd.doc.get('kind');
            const apiVersionValue = sd.doc.get('apiVersion');
            const kind = typeof kindValue === 'string' ? kindValue : '';
            const apiVersion = typeof apiVersionValue === 'string' ? apiVersionValue : '';
            if (!kind) {
                fail(`document ${sd.index + 1} has no kind`, []);
                continue;
            }
            if (!apiVersion) {
                fail(`${kind} has no apiVersion`, ['kind']);
                continue;
            }
            const namespaced = isNamespaced(apiVersion, kind);
            const metadataChanged = applyMetadata(sd.doc, kind, {
                ...(inputs.namespace ? { namespace: inputs.namespace } : {}),
                namespaced,
                labels: inputs.labels,
                annotations: inputs.annotations,
            });
            const sites = findImages(sd.doc, kind);
            const applied = applyImageOverrides(sites, inputs.images);
            for (const o of applied.used)
                usedOverrides.add(o);
            for (const s of sites)
                images.add(String(s.scalar.value));
            // An untouched document is emitted as it stood in the source, byte for byte.
            const original = substituted || metadataChanged || applied.changed > 0 ? undefined : originalText(sd);
            let finalObj;
            try {
                finalObj = sd.doc.toJS({ maxAliasCount: 1000 });
            }
            catch (error) {
                // An alias bomb (billion laughs) or another document the YAML library refuses.
                fail(`document ${sd.index + 1} cannot be loaded: ${(0,shared_errors/* errorMessage */.gJ)(error)}`, ['kind']);
                continue;
            }
            const metadata = (finalObj.metadata ?? {});
            const id = {
                apiVersion,
                kind,
                ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
                name: typeof metadata.name === 'string' ? metadata.name : '',
            };
            const key = idKey(id);
            const where = at(['kind']);
            const previous = seen.get(key);
            if (previous && id.name)
                fail(`${describeId(id)} is defined twice (first at ${previous})`, ['metadata', 'name']);
            else
                seen.set(key, where);
            // A name with an unresolved ${NAME} is reported as such, not as a bad name.
            const badName = id.name && !id.name.includes('${') ? nameProblem(apiVersion, kind, id.name) : undefined;
            if (badName)
                fail(`${kind}: ${badName}`, ['metadata', 'name']);
            const tooBig = sizeProblem(finalObj, kind, apiVersion);
            if (tooBig)
                fail(`${kind}/${id.name || '?'}: ${tooBig.message}`, [tooBig.field]);
            toValidate.push({
                object: finalObj,
                report: (message, p) => fail(`${kind}/${id.name || '?'}: ${message}`, p),
            });
            documents.push({
                id,
                source: t.file,
                line: line(['kind']),
                text: original ?? sd.doc.toString({ lineWidth: 0 }).replace(/^---\n/, ''),
            });
        }
    }
    if (inputs.placeholder && placeholderCount === 0 && errors.length === 0) {
        throw new shared_errors/* LocatedErrors */.wG(`Input 'image-placeholder': "${inputs.placeholder.token}" appears in none of the manifests (in no YAML string value), so 'image' would not be deployed.`, []);
    }
    if (inputs.failOnUnresolvedVars)
        errors.push(...unresolved);
    else {
        for (const u of unresolved.slice(0, MAX_UNRESOLVED_WARNINGS))
            deps.logger.warning(u.message, {
                file: u.file,
                ...(u.line !== undefined ? { line: u.line } : {}),
            });
        if (unresolved.length > MAX_UNRESOLVED_WARNINGS)
            deps.logger.warning(`… and ${unresolved.length - MAX_UNRESOLVED_WARNINGS} more \${…} references not substituted ('vars' is empty); not annotated one by one.`);
    }
    if (inputs.validate && toValidate.length > 0) {
        // Validators load per bucket of kinds: only those this render needs.
        const kinds = new Set(toValidate.map(({ object }) => `${String(object.apiVersion)}/${String(object.kind)}`));
        const validator = await ManifestValidator.create({
            kubernetesVersion: inputs.kubernetesVersion,
            kinds,
        });
        for (const { object, report } of toValidate) {
            const result = validator.validate(object);
            if (!result.known)
                unvalidated.add(`${String(object.apiVersion)}/${String(object.kind)}`);
            for (const problem of result.problems)
                report(problem.message, problem.path);
        }
    }
    for (const o of inputs.images) {
        if (!usedOverrides.has(o))
            warnings.push(`Input 'images': "${o.line}" matched no container image.`);
    }
    for (const k of unvalidated)
        warnings.push(`No schema for ${k}: not validated (only built-in kinds and KServe InferenceService are).`);
    if (documents.length === 0 && errors.length === 0) {
        throw new shared_errors/* LocatedErrors */.wG(`Input 'manifests' matched files, but they hold no Kubernetes objects.`, []);
    }
    if (errors.length > 0) {
        const listed = errors.slice(0, MAX_LISTED_PROBLEMS).map((e) => `  ${e.message}`);
        if (errors.length > MAX_LISTED_PROBLEMS)
            listed.push(`  … and ${errors.length - MAX_LISTED_PROBLEMS} more (each annotated)`);
        throw new shared_errors/* LocatedErrors */.wG(`${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was written:\n${listed.join('\n')}`, errors);
    }
    const output = documents.map((d) => d.text.replace(/\n*$/, '\n')).join('---\n');
    const checksum = (0,external_node_crypto_.createHash)('sha256').update(output).digest('hex');
    await (0,promises_.mkdir)(inputs.outputDir, { recursive: true });
    const manifestsPath = external_node_path_.join(inputs.outputDir, 'manifests.yaml');
    await (0,promises_.writeFile)(manifestsPath, output);
    return {
        manifestsPath,
        resources: documents.map((d) => d.id),
        images: [...images].sort(),
        checksum,
        documents,
        unvalidated: [...unvalidated],
        warnings,
        unresolved: unresolved.map((u) => u.message.slice(0, u.message.indexOf(' is not substituted'))),
    };
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/summary.js

/** The summary stays far below GitHub's 1 MiB limit however many objects are rendered. */
const SUMMARY_MAX_ROWS = 200;
const SUMMARY_MAX_ITEMS = 50;
function capped(items, max) {
    return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}
function renderSummary(result, inputs) {
    const lines = [];
    const validated = inputs.validate
        ? `validated against Kubernetes ${inputs.kubernetesVersion.major}.${inputs.kubernetesVersion.minor}`
        : 'not validated (validate: false)';
    lines.push(`### ${(0,summary/* statusEmoji */.H0)('success')} render-manifests: ${result.resources.length} resources, ${validated}`);
    lines.push('');
    const rows = capped(result.documents, SUMMARY_MAX_ROWS);
    lines.push((0,summary/* markdownTable */.Qj)(['Kind', 'Name', 'Namespace', 'Source'], rows.shown.map((d) => [
        d.id.kind,
        d.id.name,
        d.id.namespace ?? '',
        d.line ? `${d.source}:${d.line}` : d.source,
    ])));
    if (rows.more > 0)
        lines.push('', `… ${rows.more} more (not listed): every object is in the output file.`);
    if (result.images.length) {
        const list = capped(result.images, SUMMARY_MAX_ITEMS);
        lines.push('', '**Images**', '', ...list.shown.map((i) => `- \`${i}\``));
        if (list.more > 0)
            lines.push(`- … ${list.more} more (not listed)`);
    }
    if (result.unresolved.length) {
        const list = capped(result.unresolved, SUMMARY_MAX_ITEMS);
        lines.push('', `${(0,summary/* statusEmoji */.H0)('warning')} ${result.unresolved.length} \`\${…}\` reference${result.unresolved.length === 1 ? ' was' : 's were'} not substituted ('vars' is empty) and would be applied literally:`, '', ...list.shown.map((u) => `- \`${u}\``));
        if (list.more > 0)
            lines.push(`- … ${list.more} more (not listed)`);
    }
    if (result.warnings.length) {
        const list = capped(result.warnings, SUMMARY_MAX_ITEMS);
        lines.push('', ...list.shown.map((w) => `${(0,summary/* statusEmoji */.H0)('warning')} ${w}`));
        if (list.more > 0)
            lines.push(`… ${list.more} more warnings (not listed)`);
    }
    lines.push('', `Output: \`${result.manifestsPath}\` (sha256 \`${result.checksum.slice(0, 12)}…\`)`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/outputs.js






/** At most this many objects go into the `resources` output (its JSON stays well under 1 MiB). */
const MAX_RESOURCES_OUTPUT = 1000;
/** Runs the logic with the runner's dependencies and maps the result to outputs. */
async function main(inputs) {
    const result = await core/* group */.Os('Render manifests', () => renderManifests(inputs, { runner: processRunner, logger: coreLogger }));
    for (const w of result.warnings)
        coreLogger.warning(w);
    core/* setOutput */.uH('manifests-path', result.manifestsPath);
    // Step outputs share the runner's limits: the list is capped, the count is always whole.
    core/* setOutput */.uH('resources', JSON.stringify(result.resources.slice(0, MAX_RESOURCES_OUTPUT)));
    core/* setOutput */.uH('resource-count', String(result.resources.length));
    if (result.resources.length > MAX_RESOURCES_OUTPUT)
        coreLogger.warning(`render-manifests: output 'resources' lists the first ${MAX_RESOURCES_OUTPUT} of ${result.resources.length} objects (output 'resource-count' has the total; ${result.manifestsPath} holds them all).`);
    core/* setOutput */.uH('images', JSON.stringify(result.images));
    core/* setOutput */.uH('checksum', result.checksum);
    core/* info */.pq(`Rendered ${result.resources.length} resources to ${result.manifestsPath}`);
    await (0,summary/* writeSummary */.Sy)(renderSummary(result, inputs));
}


/***/ })

};
