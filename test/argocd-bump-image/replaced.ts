/** Byte-exact edit checks shared by the argocd-bump-image edit tests. */
import { expect } from '@jest/globals';

/** The original with each [from, to] replaced exactly once: nothing else may differ. */
export function replaced(text: string, ...pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    expect(out.split(from).length - 1).toBe(1);
    out = out.replace(from, to);
  }
  return out;
}
