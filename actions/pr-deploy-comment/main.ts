import { defineAction } from '../../shared/define-action.ts';
import { getInputs } from './inputs.ts';

// Inputs are checked before Octokit loads: a typo fails in milliseconds and touches nothing.
const action = defineAction({
  name: 'pr-deploy-comment',
  inputs: () => getInputs(),
  load: () => import('./wiring.ts'),
});

export async function run(): Promise<void> {
  await action();
}
