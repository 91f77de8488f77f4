import { defineAction } from '../../shared/define-action.ts';
import { getInputs } from './inputs.ts';

// Inputs are checked before anything heavy loads (wiring.ts): a typo fails in milliseconds.
const run = defineAction({
  name: 'build-push-image',
  inputs: getInputs,
  load: () => import('./wiring.ts'),
});
export { run };
