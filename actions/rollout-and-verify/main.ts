import { defineAction } from '../../shared/define-action.ts';
import { getInputs } from './inputs.ts';

// Inputs are checked before anything heavy loads: a typo fails in milliseconds.
const run = defineAction({
  name: 'rollout-and-verify',
  inputs: () => getInputs(),
  load: () => import('./wiring.ts'),
});

export { run };
