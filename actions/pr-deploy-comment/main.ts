import { runAction } from '../../shared/action.ts';
import { getInputs } from './inputs.ts';

export async function run(): Promise<void> {
  await runAction('pr-deploy-comment', async (signal) => {
    // Inputs are checked before Octokit loads: a typo fails in milliseconds and touches nothing.
    const inputs = getInputs();
    const { main } = await import('./outputs.ts');
    await main(inputs, signal);
  });
}
