/**
 * Whether a controller has seen an object's latest spec: its status.observedGeneration caught
 * up with metadata.generation. A status older than the spec says nothing about that spec.
 */
import type { KubeObject } from './types.ts';

/** status.observedGeneration as the controller wrote it; 0 when absent or not a number. */
export function observedGeneration(obj: KubeObject | undefined): number {
  const value = (obj?.status as { observedGeneration?: unknown } | undefined)?.observedGeneration;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The status has observed `generation` (default: the object's own metadata.generation). */
export function generationObserved(
  obj: KubeObject,
  generation = obj.metadata.generation ?? 0,
): boolean {
  return observedGeneration(obj) >= generation;
}
