/** Every bad input of test/harness/bad-inputs.ts fails cleanly through the real bundle. */
import { describe, expect, it } from '@jest/globals';
import { BAD_INPUTS, runBadInput } from '../harness/bad-inputs.ts';

describe.each([
  'render-manifests',
  'setup-cluster-auth',
  'rollout-and-verify',
  'build-push-image',
  'kfp-run-and-wait',
  'argocd-bump-image',
  'pr-deploy-comment',
  'analyze-release',
  'model-registry',
])('%s: bad inputs fail cleanly', (action) => {
  it.each(BAD_INPUTS.filter((c) => c.action === action).map((c) => [c.name, c] as const))(
    '%s',
    async (_name, c) => {
      const outcome = await runBadInput(c);
      expect({ why: outcome.why, line: outcome.failureLine.split('\n')[0] }).toEqual({
        why: [],
        line: expect.stringContaining(`${action}: `),
      });
    },
  );
});
