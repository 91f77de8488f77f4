export const id = 658;
export const ids = [658];
export const modules = {

/***/ 3658:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

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
/** The logger used in a real runner: workflow commands through @actions/core. */
const coreLogger = {
    debug: (m) => core/* debug */.Yz(m),
    info: (m) => core/* info */.pq(m),
    warning: (m, p) => core/* warning */.$e(m, toProperties(p)),
    error: (m, p) => core/* error */.z3(m, toProperties(p)),
    secret: (v) => {
        // Mask each line too: the runner masks line by line, so a multi-line secret
        // (a PEM, a kubeconfig) would otherwise leak piecewise.
        if (!v)
            return;
        core/* setSecret */.Pq(v);
        for (const line of v.split(/\r?\n/))
            if (line.trim().length >= 4)
                core/* setSecret */.Pq(line.trim());
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
    return entries
        .filter((e) => e.isFile() && MANIFEST_EXT.test(e.name))
        .map((e) => external_node_path_.join(e.parentPath, e.name))
        .sort();
}
function kustomizationIn(names) {
    return KUSTOMIZATION_FILES.find((f) => names.has(f));
}
/**
 * Resolves a manifests input (files, directories, globs) into sources: plain files, or directories that hold a
 * kustomization (built as one). A directory without one contributes its YAML/JSON files.
 */
async function resolveManifestSources(patterns, workspace, input = 'manifests') {
    const { matches, unmatched } = await expandPatterns(patterns, workspace);
    if (unmatched.length > 0) {
        throw new shared_errors/* InputError */.dz(`Input '${input}': nothing matched ${unmatched.map((p) => `"${p}"`).join(', ')} (relative to ${workspace}).`);
    }
    const sources = [];
    const seen = new Set();
    const add = (source) => {
        if (seen.has(source.abs))
            return;
        seen.add(source.abs);
        sources.push(source);
    };
    for (const match of matches) {
        if (!match.isDirectory) {
            add({ type: 'file', abs: match.path, file: workspaceRelative(match.path, workspace) });
            continue;
        }
        const names = new Set(await (0,promises_.readdir)(match.path));
        const kustomization = kustomizationIn(names);
        if (kustomization) {
            add({
                type: 'kustomization',
                abs: match.path,
                dir: workspaceRelative(match.path, workspace),
                kustomizationFile: workspaceRelative(external_node_path_.join(match.path, kustomization), workspace),
            });
            continue;
        }
        const files = await listManifestFiles(match.path);
        if (files.length === 0) {
            throw new shared_errors/* InputError */.dz(`Input '${input}': directory "${match.pattern}" holds no .yaml, .yml or .json files.`);
        }
        for (const abs of files)
            add({ type: 'file', abs, file: workspaceRelative(abs, workspace) });
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
/** `kubectl kustomize <dir>`: the rendered multi-document YAML. */
async function kustomizeBuild(kubectl, dir, runner) {
    try {
        const result = await runner.run(kubectl, ['kustomize', dir], { timeoutMs: 120_000 });
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

function lineAt(text, index) {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1))
        line++;
    return line;
}
/**
 * Replaces `${NAME}` with its value. `$${NAME}` stays as the literal `${NAME}`. A `${NAME}`
 * with no value is an error at its line — never an empty string.
 */
function substituteVars(text, vars, file) {
    const errors = [];
    const out = text.replace(/(\$?)\$\{([^}\s]*)\}/g, (whole, escape, name, offset) => {
        if (escape)
            return whole.slice(1);
        const value = vars.get(name);
        if (value === undefined) {
            const line = lineAt(text, offset);
            const hint = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
                ? `add ${name}=… to 'vars'`
                : 'not a valid variable name';
            errors.push(new shared_errors/* LocatedError */.BU(`${file}:${line}: \${${name}} has no value (${hint}; write $\${${name}} for a literal)`, file, line));
            return whole;
        }
        return value;
    });
    return { text: out, errors };
}
/** Replaces every occurrence of a literal token; returns how many were replaced. */
function replaceToken(text, token, value) {
    const parts = text.split(token);
    return { text: parts.join(value), count: parts.length - 1 };
}

// EXTERNAL MODULE: ./.build/actions/render-manifests/images.js + 1 modules
var render_manifests_images = __webpack_require__(7871);
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
    const sources = await resolveManifestSources(inputs.manifests, inputs.workspace);
    const texts = await loadTexts(sources, deps);
    const errors = [];
    const warnings = [];
    // Text-level substitutions keep every comment and line number of the sources.
    let placeholderCount = 0;
    for (const t of texts) {
        if (inputs.placeholder) {
            const r = replaceToken(t.text, inputs.placeholder.token, inputs.placeholder.image);
            t.text = r.text;
            placeholderCount += r.count;
        }
        if (inputs.vars) {
            const r = substituteVars(t.text, inputs.vars, t.file);
            t.text = r.text;
            errors.push(...(t.hasLines
                ? r.errors
                : r.errors.map((e) => new shared_errors/* LocatedError */.BU(e.message.replace(/^[^:]+:\d+: /, `${t.file}: `), t.file))));
        }
    }
    if (inputs.placeholder && placeholderCount === 0) {
        throw new shared_errors/* LocatedErrors */.wG(`Input 'image-placeholder': "${inputs.placeholder.token}" appears in none of the manifests, so 'image' would not be deployed.`, []);
    }
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
            const fail = (message, p) => {
                errors.push(new shared_errors/* LocatedError */.BU(`${at(p)}: ${message}`, t.file, line(p)));
            };
            if (!(0,dist/* isMap */.jh)(sd.doc.contents)) {
                fail(`document ${sd.index + 1} is not a Kubernetes object (expected a map with apiVersion and kind)`, []);
                continue;
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
            const original = metadataChanged || applied.changed > 0 ? undefined : originalText(sd);
            const finalObj = sd.doc.toJS({ maxAliasCount: 1000 });
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
        throw new shared_errors/* LocatedErrors */.wG(`${errors.length} problem${errors.length === 1 ? '' : 's'} in the manifests; nothing was written:\n${errors.map((e) => `  ${e.message}`).join('\n')}`, errors);
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
    };
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/summary.js

function renderSummary(result, inputs) {
    const lines = [];
    const validated = inputs.validate
        ? `validated against Kubernetes ${inputs.kubernetesVersion.major}.${inputs.kubernetesVersion.minor}`
        : 'not validated (validate: false)';
    lines.push(`### ${(0,summary/* statusEmoji */.H0)('success')} render-manifests: ${result.resources.length} resources, ${validated}`);
    lines.push('');
    lines.push((0,summary/* markdownTable */.Qj)(['Kind', 'Name', 'Namespace', 'Source'], result.documents.map((d) => [
        d.id.kind,
        d.id.name,
        d.id.namespace ?? '',
        d.line ? `${d.source}:${d.line}` : d.source,
    ])));
    if (result.images.length) {
        lines.push('', '**Images**', '', ...result.images.map((i) => `- \`${i}\``));
    }
    if (result.warnings.length) {
        lines.push('', ...result.warnings.map((w) => `${(0,summary/* statusEmoji */.H0)('warning')} ${w}`));
    }
    lines.push('', `Output: \`${result.manifestsPath}\` (sha256 \`${result.checksum.slice(0, 12)}…\`)`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./.build/actions/render-manifests/outputs.js






/** Runs the logic with the runner's dependencies and maps the result to outputs. */
async function main(inputs) {
    const result = await core/* group */.Os('Render manifests', () => renderManifests(inputs, { runner: processRunner, logger: coreLogger }));
    for (const w of result.warnings)
        coreLogger.warning(w);
    core/* setOutput */.uH('manifests-path', result.manifestsPath);
    core/* setOutput */.uH('resources', JSON.stringify(result.resources));
    core/* setOutput */.uH('images', JSON.stringify(result.images));
    core/* setOutput */.uH('checksum', result.checksum);
    core/* info */.pq(`Rendered ${result.resources.length} resources to ${result.manifestsPath}`);
    await (0,summary/* writeSummary */.Sy)(renderSummary(result, inputs));
}


/***/ })

};
