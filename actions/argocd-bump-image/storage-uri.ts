/**
 * The `storage-uri` input's grammar (no YAML library here: inputs are checked before anything
 * heavy loads; the edit is storage-edit.ts). The URI is checked against what KServe's webhook
 * accepts without a ClusterStorageContainer (kserve pkg/controller/v1beta1/inferenceservice/
 * utils/utils.go SupportedStorageURIPrefixList; python/storage/kserve_storage/kserve_storage.py).
 */

/** The schemes KServe's storage initializer serves by default (Azure Blob is https://). */
export const STORAGE_SCHEMES = [
  'gs',
  's3',
  'pvc',
  'file',
  'https',
  'http',
  'hdfs',
  'webhdfs',
  'oci',
  'oci+native',
  'oci+fetch',
  'hf',
] as const;

/** One line, no spaces, quotes, backslashes, braces or control characters; ≤ 2048 characters. */
const URI_TEXT = /^[^\s"'`<>\\{}|^\p{Cc}]{1,2048}$/u;
/** MLflow URIs that only an MLflow client resolves: KServe cannot download them. */
const MLFLOW_ONLY = /^(?:mlflow-artifacts|runs|models|dbfs):/i;

/** Why `text` is not a storageUri KServe can load; undefined when it is one. */
export function storageUriProblem(text: string): string | undefined {
  if (!URI_TEXT.test(text)) {
    return 'must be one URI of at most 2048 characters without spaces, quotes, backslashes, braces or control characters';
  }
  if (MLFLOW_ONLY.test(text)) {
    return "is an MLflow URI KServe's storage initializer cannot download: give the MLflow server a direct artifact root (s3://, gs://, …) so model-registry's `source` is one";
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  const supported = STORAGE_SCHEMES.map((s) => `${s}://`).join(', ');
  if (!scheme || !(STORAGE_SCHEMES as readonly string[]).includes(scheme)) {
    return `must start with a scheme KServe's storage initializer supports (${supported})`;
  }
  const rest = text.slice(scheme.length + 3);
  if (rest === '' || (rest.startsWith('/') && scheme !== 'file'))
    return `has nothing after ${scheme}://`;
  // The value is committed to a repository: a signed URL's token (Azure SAS, S3 presigned) is
  // a credential; KServe takes storage credentials from the service account instead.
  if (rest.includes('?')) {
    return "must not carry a query (a signed URL's token would be committed to the repository; KServe takes storage credentials from its service account)";
  }
  if (scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'is not a valid URL';
    }
    // The value is committed to a repository: no credentials in it.
    if (url.username || url.password) return 'must not carry credentials (user:password@)';
  }
  return undefined;
}
