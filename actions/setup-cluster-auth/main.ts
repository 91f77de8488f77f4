import { defineAction } from '../../shared/define-action.ts';
import { getInputs } from './inputs.ts';

// Inputs are checked before anything heavy loads (wiring.ts): a typo fails in milliseconds.
const setupClusterAuthAction = defineAction({
  name: 'setup-cluster-auth',
  inputs: () => getInputs(),
  load: () => import('./wiring.ts'),
});

export async function run(): Promise<void> {
  await setupClusterAuthAction();
}
