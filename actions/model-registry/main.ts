import { defineAction } from '../../shared/define-action.ts';
import { getInputs } from './inputs.ts';

// Inputs are checked before anything heavy loads: a typo fails in milliseconds.
const action = defineAction({
  name: 'model-registry',
  inputs: () => getInputs(),
  load: () => import('./wiring.ts'),
});

export async function run(): Promise<void> {
  await action();
}
