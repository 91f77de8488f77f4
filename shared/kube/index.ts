/** The Kubernetes layer: types, paths, errors, the client (auth + transport), watches. */
export * from './types.ts';
export { describeTarget, labelSelector, pluralOf, resourcePath, targetText } from './paths.ts';
export { KubeApiError, apiError, parseStatus } from './errors.ts';
export {
  createKubeClient,
  kubeClientFor,
  kubeIdempotent,
  type KubeClientOptions,
} from './client.ts';
export { watchLoop, type WatchLoopOptions } from './watch.ts';
export { generationObserved, observedGeneration } from './generation.ts';
